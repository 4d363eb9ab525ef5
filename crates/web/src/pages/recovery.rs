//! Recovery codes on the pages: shown once after sign-up and after renewal
//! in settings, and used on the "Use a recovery code" form.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::FormErrors;
use crate::auth::recovery::{self, Recovery};
use crate::auth::{Client, CurrentUser, MaybeUser, flows, session_cookie};
use crate::view::{Layout, render};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct CodesPage {
    layout: Layout,
    codes: Vec<String>,
    first: bool,
}

#[derive(Template)]
#[template(path = "recover.html")]
struct RecoverPage {
    layout: Layout,
    errors: FormErrors,
    name: String,
}

/// Holds a new set for the session it was made in and sends the browser to
/// the page that shows it (post/redirect/get).
fn show_fresh(state: &AppState, token: &str, codes: Vec<String>, first: bool) -> Response {
    state.fresh_codes().put(
        tandem_store::token_hash_hex(token),
        super::shelf::FreshCodes { codes, first },
    );
    Redirect::to("/account/recovery-codes").into_response()
}

/// The codes just made in this session, for a few minutes; after that, or
/// in another session, settings (where new ones can be made).
pub async fn show_codes(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    let Some(fresh) = state
        .fresh_codes()
        .get(&tandem_store::token_hash_hex(&session.token))
    else {
        return Ok(Redirect::to("/account?notice=codes-gone").into_response());
    };
    // Every page is sent `Cache-Control: no-store`, so the codes are not
    // kept by the browser either.
    render(&CodesPage {
        layout: Layout::new(Some(&session), &state.config().exit_url, "account"),
        first: fresh.first,
        codes: fresh.codes,
    })
}

/// "I have kept them safe": the codes leave the shelf, and the person goes
/// on (home after sign-up, settings after making new ones).
pub async fn kept(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Form(form): Form<super::form::TokenOnly>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    let key = tandem_store::token_hash_hex(&session.token);
    let first = state
        .fresh_codes()
        .get(&key)
        .is_some_and(|fresh| fresh.first);
    state.fresh_codes().remove(&key);
    Ok(Redirect::to(if first { "/" } else { "/account" }).into_response())
}

/// After sign-up: the new session's cookie and the codes. The account and
/// its session exist by now, so if the codes cannot be made (the hashing
/// queue is full), the person is still signed in and sent to Settings to
/// make them there.
pub(super) async fn after_sign_up(
    state: &AppState,
    started: flows::Started,
) -> Result<Response, AppError> {
    let mut response = match recovery::issue(state, started.user).await {
        Ok(codes) => show_fresh(state, &started.token, codes, true),
        Err(err) => {
            tracing::warn!(err = err.message(), "recovery codes at sign-up");
            Redirect::to("/account?notice=codes-later").into_response()
        }
    };
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(state.config().secure_cookies, &started.token),
    );
    Ok(response)
}

/// The form.
pub async fn recover_form(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> Result<Response, AppError> {
    if user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    render(&RecoverPage {
        layout: Layout::new(None, &state.config().exit_url, ""),
        errors: FormErrors::new(),
        name: String::new(),
    })
}

/// Fields of the recovery form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoverForm {
    name: String,
    code: String,
    password: String,
    confirm: String,
}

/// Uses a code: a new password, every other session ended, signed in.
pub async fn recover(
    State(state): State<AppState>,
    client: Client,
    Form(form): Form<RecoverForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    if form.name.trim().is_empty() {
        errors.add("name", "Enter your user name.");
    }
    if form.code.trim().is_empty() {
        errors.add("code", "Enter one of your recovery codes.");
    }
    let user_name = form.name.trim();
    for (field, message) in flows::new_password_problems(user_name, &form.password, &form.confirm) {
        errors.add(field, message);
    }
    if !errors.is_empty() {
        let mut response = render(&RecoverPage {
            layout: Layout::new(None, &state.config().exit_url, ""),
            errors,
            name: form.name,
        })?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }
    let given = Recovery {
        name: &form.name,
        code: &form.code,
        password: &form.password,
        confirm: &form.confirm,
    };
    match recovery::recover(&state, &client, &given).await {
        Ok(started) => {
            let mut response = Redirect::to("/").into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie(state.config().secure_cookies, &started.token),
            );
            Ok(response)
        }
        Err(err) if err.status().is_client_error() => {
            let field = match err.status() {
                StatusCode::UNPROCESSABLE_ENTITY => "password",
                _ => "code",
            };
            let mut response = render(&RecoverPage {
                layout: Layout::new(None, &state.config().exit_url, ""),
                errors: FormErrors::one(field, err.message()),
                name: form.name,
            })?;
            *response.status_mut() = err.status();
            if let Some(wait) = err.retry_after()
                && let Ok(value) = wait.to_string().parse()
            {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            Ok(response)
        }
        Err(err) => Err(err),
    }
}

/// Fields of the renewal form in settings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewForm {
    csrf: String,
    password: String,
}

/// Makes a new set of codes after checking the password (throttled like
/// every password re-check); the old ones stop working.
pub async fn renew(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Form(form): Form<RenewForm>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    if form.password.is_empty() {
        return super::account::settings_with_error(
            &state,
            &session,
            "codes-password",
            "Enter your password to make new recovery codes.",
        )
        .await;
    }
    if !flows::password_matches(&state, session.user, &form.password).await? {
        return super::account::settings_with_error(
            &state,
            &session,
            "codes-password",
            "That password is not right, so no new codes were made.",
        )
        .await;
    }
    let codes = recovery::issue(&state, session.user).await?;
    Ok(show_fresh(&state, &session.token, codes, false))
}

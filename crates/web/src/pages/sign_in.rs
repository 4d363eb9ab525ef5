//! Signing up, in and out: the forms, the redirect to the page asked for,
//! and the signed-out page.
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::FormErrors;
use crate::auth::{Client, MaybeUser, ReturnTo, cleared_cookie, flows, session_cookie};
use crate::view::{Layout, render};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "signup.html")]
struct SignUpPage {
    layout: Layout,
    errors: FormErrors,
    name: String,
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    layout: Layout,
    errors: FormErrors,
    name: String,
    /// The page to return to, as a hidden field; empty for home.
    next: String,
}

/// The page a sign-in link asks to return to (`?next=/plan`).
#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `raw` if it is a safe page to return to, else empty (home).
fn next_field(raw: Option<&str>) -> String {
    raw.and_then(ReturnTo::parse)
        .map(|next| next.as_str().to_owned())
        .unwrap_or_default()
}

/// The sign-up form.
pub async fn sign_up_form(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> Result<Response, AppError> {
    if user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    render(&SignUpPage {
        layout: Layout::new(None, &state.config().exit_url, ""),
        errors: FormErrors::new(),
        name: String::new(),
    })
}

/// The sign-in form; one already signed in goes on to the page asked for.
pub async fn sign_in_form(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    if user.is_some() {
        return Ok(Redirect::to(&ReturnTo::or_home(query.next.as_deref())).into_response());
    }
    render(&SignInPage {
        layout: Layout::new(None, &state.config().exit_url, ""),
        errors: FormErrors::new(),
        name: String::new(),
        next: next_field(query.next.as_deref()),
    })
}

/// Fields of the sign-up form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignUpForm {
    name: String,
    password: String,
    confirm: String,
    /// `yes` for a counsellor's account.
    counsellor: Option<String>,
}

/// Fields of the sign-in form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInForm {
    name: String,
    password: String,
    /// The page to return to; anything but a safe path means home.
    next: Option<String>,
}

/// Redirect to `to` with a fresh session cookie (a new id at every sign-in).
fn signed_in(state: &AppState, token: &str, to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(state.config().secure_cookies, token),
    );
    response
}

/// Creates the account and signs in; a form with problems comes back with
/// all of them and the name kept.
pub async fn sign_up(
    State(state): State<AppState>,
    client: Client,
    Form(form): Form<SignUpForm>,
) -> Result<Response, AppError> {
    let problems = flows::sign_up_problems(&form.name, &form.password, &form.confirm);
    let result = if problems.is_empty() {
        flows::sign_up(
            &state,
            &client,
            &form.name,
            &form.password,
            &form.confirm,
            if form.counsellor.as_deref() == Some("yes") {
                tandem_store::AccountRole::Counsellor
            } else {
                tandem_store::AccountRole::Person
            },
        )
        .await
    } else {
        let mut errors = FormErrors::new();
        for (field, message) in problems {
            errors.add(field, message);
        }
        return sign_up_again(
            &state,
            errors,
            form.name,
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    match result {
        Ok(started) => super::recovery::after_sign_up(&state, started).await,
        Err(err) if err.status().is_client_error() => {
            let field = if err.status() == axum::http::StatusCode::CONFLICT {
                "name"
            } else {
                ""
            };
            let status = err.status();
            sign_up_again(
                &state,
                FormErrors::one(field, err.message()),
                form.name,
                status,
            )
        }
        Err(err) => Err(err),
    }
}

/// The sign-up form again, with its problems.
fn sign_up_again(
    state: &AppState,
    errors: FormErrors,
    name: String,
    status: axum::http::StatusCode,
) -> Result<Response, AppError> {
    let mut response = render(&SignUpPage {
        layout: Layout::new(None, &state.config().exit_url, ""),
        errors,
        name,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// Signs in.
pub async fn sign_in(
    State(state): State<AppState>,
    client: Client,
    MaybeUser(previous): MaybeUser,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    // Empty fields are said field by field, before anything is counted
    // against the account or hashed.
    let mut missing = FormErrors::new();
    if form.name.trim().is_empty() {
        missing.add("name", "Enter your user name.");
    }
    if form.password.is_empty() {
        missing.add("password", "Enter your password.");
    }
    if !missing.is_empty() {
        return sign_in_again(
            &state,
            missing,
            form,
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            None,
        );
    }
    match flows::sign_in(
        &state,
        &client,
        &form.name,
        &form.password,
        previous.as_ref(),
    )
    .await
    {
        Ok(started) => Ok(signed_in(
            &state,
            &started.token,
            &ReturnTo::or_home(form.next.as_deref()),
        )),
        Err(err) if err.status().is_client_error() => {
            let status = err.status();
            let wait = err.retry_after();
            sign_in_again(
                &state,
                FormErrors::one("name", err.message()),
                form,
                status,
                wait,
            )
        }
        Err(err) => Err(err),
    }
}

/// The sign-in form again with its problems, the name and where it was
/// going kept (and `Retry-After` when throttled).
fn sign_in_again(
    state: &AppState,
    errors: FormErrors,
    form: SignInForm,
    status: axum::http::StatusCode,
    wait: Option<i64>,
) -> Result<Response, AppError> {
    let mut response = render(&SignInPage {
        layout: Layout::new(None, &state.config().exit_url, ""),
        errors,
        name: form.name,
        next: next_field(form.next.as_deref()),
    })?;
    *response.status_mut() = status;
    if let Some(wait) = wait
        && let Ok(value) = HeaderValue::from_str(&wait.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    Ok(response)
}

/// Signs out: the session ends on the server and the browser is told to
/// forget everything of this site, then shown the signed-out page. Without
/// a session (the quick exit's beacon after a sign-out, a second press) it
/// says the same: never a sign-in page that would come back here.
pub async fn sign_out(
    State(state): State<AppState>,
    MaybeUser(session): MaybeUser,
) -> Result<Response, AppError> {
    if let Some(session) = session {
        state.store().end_session(&session.token).await?;
        crate::follow_up::forget_held(&state, session.user).await;
        state
            .fresh_codes()
            .remove(&tandem_store::token_hash_hex(&session.token));
    }
    let mut response = Redirect::to("/account/signed-out").into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::SET_COOKIE,
        cleared_cookie(state.config().secure_cookies),
    );
    headers.insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "signed_out.html")]
struct SignedOutPage {
    layout: Layout,
}

/// "You have signed out": needs no session and says nothing of the
/// account, so it is the same page for everyone. One who is signed in
/// (Back to it, or signed in again elsewhere in this browser) goes home.
pub async fn signed_out(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> Result<Response, AppError> {
    if user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    render(&SignedOutPage {
        layout: Layout::new(None, &state.config().exit_url, ""),
    })
}

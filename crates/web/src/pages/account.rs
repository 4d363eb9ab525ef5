//! Account pages: settings, password, sessions, research consent, kept
//! safety answers, export and deletion (signing up, in and out are in
//! [`super::sign_in`]).
use super::extract::PagePath;
use super::form::TokenOnly;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::FormErrors;
use crate::auth::now;
use crate::auth::{CurrentUser, cleared_cookie, flows};
use crate::moments::{moment, stamp_moment};
use crate::view::{Layout, render};
use crate::{AppError, AppState};

struct SessionRow {
    label: String,
    created: String,
    last_seen: String,
    current: bool,
}

/// One kept safety screen in the settings list: its id and when only.
struct KeptRow {
    id: i64,
    day: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct SettingsPage {
    layout: Layout,
    errors: FormErrors,
    notice: Option<String>,
    sessions: Vec<SessionRow>,
    kept: Vec<KeptRow>,
    research: bool,
    codes_left: u64,
    time_zone: super::time_zone::Choice,
}

async fn settings_page(
    state: &AppState,
    session: &crate::auth::Session,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let current = tandem_store::token_hash_hex(&session.token);
    let chosen = state.store().time_zone(session.user).await?;
    let zone = chosen.clone().unwrap_or_default();
    let sessions = state
        .store()
        .sessions_of(session.user)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            current: s.token_hash_hex == current,
            label: s.label,
            created: moment(s.created_unix, &zone),
            last_seen: moment(s.last_seen_unix, &zone),
        })
        .collect();
    let kept = state
        .store()
        .safety_screens(session.user)
        .await?
        .into_iter()
        .map(|screen| {
            let when = screen.completed_at.as_deref().unwrap_or(&screen.started_at);
            KeptRow {
                id: screen.id.0,
                day: stamp_moment(when, &zone),
            }
        })
        .collect();
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render(&SettingsPage {
        layout: Layout::new(Some(session), &state.config().exit_url, "account"),
        errors,
        notice,
        sessions,
        kept,
        research: state.store().research_consent(session.user).await?,
        codes_left: state.store().recovery_codes_left(session.user).await?,
        time_zone: super::time_zone::Choice::new(chosen.as_ref()),
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// Settings with one error on one field (status 422).
pub(super) async fn settings_with_error(
    state: &AppState,
    session: &crate::auth::Session,
    field: &str,
    message: &str,
) -> Result<Response, AppError> {
    settings_page(state, session, FormErrors::one(field, message), None).await
}

/// Which notice settings shows after a redirect: a fixed word, never data.
#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// The words for each notice a redirect may ask for.
pub(super) fn notice_words(notice: &str) -> Option<&'static str> {
    match notice {
        "removed" => Some("Those answers are deleted. They are gone from your account for good."),
        "research-on" => Some("Thank you. Your first profile may now help research here."),
        "codes-later" => Some(
            "Your account is ready. Your recovery codes could not be made just now: please make them below.",
        ),
        "research-off" => Some("Your answers will not be used for research from now on."),
        "codes-gone" => Some(
            "Those recovery codes can no longer be shown. If you did not keep them, make new ones below.",
        ),
        "time-zone" => Some("Your time zone is saved. Times on your pages are now shown in it."),
        "password" => Some("Your password is changed, and you are signed out everywhere else."),
        "signed-out-others" => Some("You are signed out everywhere else."),
        _ => None,
    }
}

/// Settings.
pub async fn settings(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let notice = query
        .notice
        .as_deref()
        .and_then(notice_words)
        .map(str::to_owned);
    settings_page(&state, &session, FormErrors::new(), notice).await
}

/// Deletes one kept safety screen; another person's id is "not found".
/// The plan is remade without it.
pub async fn delete_screen(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<TokenOnly>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    state
        .store()
        .delete_safety_screen(session.user, tandem_store::SafetyScreenId(id))
        .await?;
    crate::follow_up::plan_after_change(&state, &session).await;
    Ok(Redirect::to("/account?notice=removed").into_response())
}

/// The research choice: a ticked box sends `research=yes`, an unticked one
/// sends nothing.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResearchForm {
    csrf: String,
    research: Option<String>,
}

/// Gives or takes back consent to research use.
pub async fn research(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Form(form): Form<ResearchForm>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    let consent = form.research.as_deref() == Some("yes");
    state
        .store()
        .set_research_consent(session.user, consent)
        .await?;
    crate::follow_up::estimates_soon(&state);
    let notice = if consent {
        "research-on"
    } else {
        "research-off"
    };
    Ok(Redirect::to(&format!("/account?notice={notice}")).into_response())
}

/// Fields of the password form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordForm {
    csrf: String,
    current: String,
    password: String,
    confirm: String,
}

/// Changes the password and ends other sessions; every problem with the
/// form is shown at once, and the current password is checked last (it is
/// throttled like a sign-in).
pub async fn change_password(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    let name = state.store().user_name(session.user).await?;
    let mut errors = FormErrors::new();
    if form.current.is_empty() {
        errors.add("current", "Enter your current password.");
    }
    for (field, message) in flows::new_password_problems(&name, &form.password, &form.confirm) {
        errors.add(field, message);
    }
    if !errors.is_empty() {
        return settings_page(&state, &session, errors, None).await;
    }
    match flows::change_password(
        &state,
        session.user,
        &session.token,
        &form.current,
        &form.password,
        &form.confirm,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/account?notice=password").into_response()),
        Err(err) if err.status().is_client_error() => {
            settings_page(
                &state,
                &session,
                FormErrors::one("current", err.message()),
                None,
            )
            .await
        }
        Err(err) => Err(err),
    }
}

/// Ends every other session.
pub async fn end_others(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Form(form): Form<TokenOnly>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    state
        .store()
        .end_other_sessions(session.user, &session.token)
        .await?;
    Ok(Redirect::to("/account?notice=signed-out-others").into_response())
}

/// Fields of the delete form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteForm {
    csrf: String,
    password: String,
}

/// Deletes the account and everything in it, after checking the password.
pub async fn delete(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    if form.password.is_empty() {
        let errors = FormErrors::one(
            "delete-password",
            "Enter your password to delete your account.",
        );
        return settings_page(&state, &session, errors, None).await;
    }
    let ok = flows::password_matches(&state, session.user, &form.password).await?;
    if !ok {
        let errors = FormErrors::one(
            "delete-password",
            "That password is not right, so nothing was deleted.",
        );
        return settings_page(&state, &session, errors, None).await;
    }
    state.store().delete_account(session.user, now()).await?;
    // Post/redirect/get: Back or reload on the page that follows asks
    // nothing again.
    let mut response = Redirect::to("/account/deleted").into_response();
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

/// The page after an account is deleted: it needs no session and says
/// nothing of whose account it was.
pub async fn deleted() -> Response {
    crate::view::message_page(
        "Your account is deleted",
        "Your account and everything in it are gone.",
    )
}

/// Everything of the person's, as a JSON download.
pub async fn export(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    let data = crate::api::export_of(&state, session.user).await?;
    let body = serde_json::to_vec_pretty(&data).map_err(AppError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tandem-export.json\"",
            ),
        ],
        body,
    )
        .into_response())
}

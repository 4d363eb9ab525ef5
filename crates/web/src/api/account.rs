//! Accounts and sessions in the API: sign-up, sign-in and sign-out, the
//! password, the list of sessions, and deleting the account.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tandem_store::UserId;

use super::{ApiJson, api};
use crate::auth::{ApiUser, Client, MaybeUser, cleared_cookie, flows, session_cookie};
use crate::{AppError, AppState};

/// Name and password.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Credentials {
    name: String,
    password: String,
}

/// A new session: who signed in, and the token writes must carry.
#[derive(Serialize)]
pub(super) struct SignedIn {
    user: UserId,
    csrf_token: String,
}

fn with_cookie(state: &AppState, status: StatusCode, started: &flows::Started) -> Response {
    let body = SignedIn {
        user: started.user,
        csrf_token: started.csrf_token.clone(),
    };
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(state.config().secure_cookies, &started.token),
    );
    response
}

/// `POST /accounts`: a new account, signed in at once (201).
pub(super) async fn create_account(
    State(state): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<Response, AppError> {
    let started =
        api(flows::sign_up(&state, &client, &body.name, &body.password, &body.password).await)?;
    Ok(with_cookie(&state, StatusCode::CREATED, &started))
}

/// `POST /session`: signs in; a session this browser already had ends.
pub(super) async fn create_session(
    State(state): State<AppState>,
    client: Client,
    MaybeUser(previous): MaybeUser,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<Response, AppError> {
    let started = api(flows::sign_in(
        &state,
        &client,
        &body.name,
        &body.password,
        previous.as_ref(),
    )
    .await)?;
    Ok(with_cookie(&state, StatusCode::OK, &started))
}

/// `DELETE /session`: signs out (204).
pub(super) async fn end_session(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Response, AppError> {
    api(state
        .store()
        .end_session(&session.token)
        .await
        .map_err(AppError::from))?;
    crate::plan::forget_held(&state, session.user).await;
    Ok(signed_out(&state))
}

/// 204 for a sign-out or a deletion: the cookie cleared, and the browser
/// told to forget everything of this site, as the pages do.
fn signed_out(state: &AppState) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::SET_COOKIE,
        cleared_cookie(state.config().secure_cookies),
    );
    headers.insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    response
}

/// Current and new password.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewPassword {
    current: String,
    password: String,
}

/// `PUT /account/password`: a new password; other sessions end (204).
pub(super) async fn change_password(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<NewPassword>,
) -> Result<StatusCode, AppError> {
    api(flows::change_password(
        &state,
        session.user,
        &session.token,
        &body.current,
        &body.password,
        &body.password,
    )
    .await)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The password, to confirm a deletion.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Confirm {
    password: String,
}

/// `DELETE /account`: the account and everything in it, gone (204).
pub(super) async fn delete_account(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<Confirm>,
) -> Result<Response, AppError> {
    api(async {
        if !flows::password_matches(&state, session.user, &body.password).await? {
            return Err(AppError::bad_credentials(
                "That password is not right, so nothing was deleted.",
            ));
        }
        state.store().delete_account(session.user).await?;
        Ok(signed_out(&state))
    }
    .await)
}

/// One place where the person is signed in.
#[derive(Serialize)]
pub(super) struct SessionView {
    /// The token's SHA-256 in hex, never the token.
    id: String,
    label: String,
    created_unix: i64,
    last_seen_unix: i64,
    /// Whether this is the session asking.
    current: bool,
}

/// `GET /sessions`: where the person is signed in.
pub(super) async fn sessions(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<SessionView>>, AppError> {
    let current = tandem_store::token_hash_hex(&session.token);
    let all = api(state
        .store()
        .sessions_of(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(
        all.into_iter()
            .map(|s| SessionView {
                current: s.token_hash_hex == current,
                id: s.token_hash_hex,
                label: s.label,
                created_unix: s.created_unix,
                last_seen_unix: s.last_seen_unix,
            })
            .collect(),
    ))
}

/// How many other sessions ended.
#[derive(Serialize)]
pub(super) struct Ended {
    ended: u64,
}

/// `POST /sessions/end-others`: signs out everywhere else.
pub(super) async fn end_other_sessions(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Ended>, AppError> {
    let ended = api(state
        .store()
        .end_other_sessions(session.user, &session.token)
        .await
        .map_err(AppError::from))?;
    Ok(Json(Ended { ended }))
}

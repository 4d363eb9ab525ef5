//! Recovery codes in the API: getting back in with one (a new password,
//! every other session ended), and seeing how many are left or making a
//! new set. Sign-up's answer carries the first set.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::account::with_cookie;
use super::openapi::{SignedOut, Throttled, WriteRefused};
use super::{ApiJson, api};
use crate::auth::recovery::{self, Recovery};
use crate::auth::{ApiUser, Client, flows};
use crate::{AppError, AppState};

/// A name, one recovery code and the new password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Recover {
    name: String,
    /// As shown (`ABCD-EFGH-JKMN-PQRS-TVWX`); case, spaces and dashes do
    /// not matter.
    code: String,
    password: String,
}

/// Get back in with a recovery code: the code is spent, the password set,
/// every session ended, and a new one started.
#[utoipa::path(
    post,
    path = "/session/recover",
    tag = "account",
    request_body = Recover,
    responses(
        (status = 200, description = "A new password is set and this is a new session.", body = super::account::SignedIn),
        (status = 401, description = "The name and recovery code do not match.", body = super::openapi::Problem, content_type = "application/problem+json"),
        WriteRefused,
        Throttled,
    )
)]
pub(super) async fn recover(
    State(state): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<Recover>,
) -> Result<Response, AppError> {
    let given = Recovery {
        name: &body.name,
        code: &body.code,
        password: &body.password,
        confirm: &body.password,
    };
    let started = api(recovery::recover(&state, &client, &given).await)?;
    Ok(with_cookie(&state, StatusCode::OK, &started))
}

/// How many unused recovery codes I have.
#[derive(Serialize, ToSchema)]
pub(super) struct CodesLeft {
    left: u64,
}

/// How many of my recovery codes are left.
#[utoipa::path(
    get,
    path = "/account/recovery-codes",
    tag = "account",
    security(("session" = [])),
    responses((status = 200, description = "How many are left.", body = CodesLeft), SignedOut)
)]
pub(super) async fn codes_left(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<CodesLeft>, AppError> {
    let left = api(state
        .store()
        .recovery_codes_left(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(CodesLeft { left }))
}

/// My password, to make new codes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Renew {
    password: String,
}

/// A new set of recovery codes, shown this once.
#[derive(Serialize, ToSchema)]
pub(super) struct RecoveryCodes {
    recovery_codes: Vec<String>,
}

/// Make a new set of recovery codes (after my password); the old ones stop
/// working.
#[utoipa::path(
    post,
    path = "/account/recovery-codes",
    tag = "account",
    security(("session" = [], "csrf" = [])),
    request_body = Renew,
    responses(
        (status = 201, description = "The new codes, shown only this once.", body = RecoveryCodes),
        (status = 401, description = "Not signed in, or the password is not right (no codes were made).", body = super::openapi::Problem, content_type = "application/problem+json"),
        WriteRefused,
        Throttled,
    )
)]
pub(super) async fn renew(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<Renew>,
) -> Result<Response, AppError> {
    if !api(flows::password_matches(&state, session.user, &body.password).await)? {
        return Err(AppError::bad_credentials(
            "That password is not right, so no new codes were made.",
        )
        .api());
    }
    let recovery_codes = api(recovery::issue(&state, session.user).await)?;
    Ok((StatusCode::CREATED, Json(RecoveryCodes { recovery_codes })).into_response())
}

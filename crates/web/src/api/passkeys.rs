//! Passkeys in the API: add one (options, then the browser's answer), list
//! and remove them, and sign in with one (options for a name, then the
//! browser's answer), which makes a session that counts as a second factor.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tandem_core::dates::rfc3339_of;
use tandem_store::PasskeyId;
use utoipa::ToSchema;
use webauthn_rs::prelude::{PublicKeyCredential, RegisterPublicKeyCredential};

use super::openapi::{BadId, NotFound, SignedOut, Throttled, WriteRefused};
use super::{ApiJson, ApiPath, api};
use crate::auth::{ApiUser, Client, MaybeUser, passkeys};
use crate::{AppError, AppState};

/// What the browser needs for one passkey ceremony.
#[derive(Serialize, ToSchema)]
pub(super) struct Options {
    /// Send it back with the browser's answer.
    ceremony: String,
    /// For `navigator.credentials.create` or `.get` (`publicKey` inside).
    #[schema(value_type = Object)]
    options: serde_json::Value,
}

/// The browser's answer to `navigator.credentials.create`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewPasskey {
    /// The ceremony from the options.
    ceremony: String,
    /// The new credential, as WebAuthn's JSON encoding gives it.
    #[schema(value_type = Object)]
    credential: RegisterPublicKeyCredential,
}

/// Asking to sign in with a passkey.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PasskeyName {
    /// The account's user name.
    name: String,
}

/// The browser's answer to `navigator.credentials.get`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PasskeyAnswer {
    /// The ceremony from the options.
    ceremony: String,
    /// The signed answer.
    #[schema(value_type = Object)]
    credential: PublicKeyCredential,
}

/// One of my passkeys.
#[derive(Serialize, ToSchema)]
pub(super) struct PasskeyView {
    /// Its id.
    id: i64,
    /// Where it was added, such as "Chrome on Linux".
    label: String,
    /// When (RFC 3339).
    created_at: String,
    /// When it last signed in.
    last_used_at: Option<String>,
}

/// A passkey just added.
#[derive(Serialize, ToSchema)]
pub(super) struct Added {
    /// Its id.
    id: i64,
}

fn options(ceremony: String, value: &impl Serialize) -> Result<Json<Options>, AppError> {
    Ok(Json(Options {
        ceremony,
        options: serde_json::to_value(value).map_err(AppError::internal)?,
    }))
}

/// Begin adding a passkey.
#[utoipa::path(
    post,
    path = "/account/passkeys/options",
    tag = "account",
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "For navigator.credentials.create.", body = Options),
        (status = 409, description = "Passkeys are not set up on this server (no public_url).", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn passkey_options(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Options>, AppError> {
    let (ceremony, made) = api(passkeys::start_adding(&state, &session).await)?;
    api(options(ceremony, &made))
}

/// Add a passkey with the browser's answer.
#[utoipa::path(
    post,
    path = "/account/passkeys",
    tag = "account",
    security(("session" = [], "csrf" = [])),
    request_body = NewPasskey,
    responses(
        (status = 201, description = "Added.", body = Added),
        (status = 409, description = "Already registered, or passkeys are not set up here.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn add_passkey(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    client: Client,
    ApiJson(body): ApiJson<NewPasskey>,
) -> Result<Response, AppError> {
    let id =
        api(
            passkeys::finish_adding(&state, &session, &client, &body.ceremony, &body.credential)
                .await,
        )?;
    Ok((StatusCode::CREATED, Json(Added { id: id.0 })).into_response())
}

/// My passkeys, oldest first.
#[utoipa::path(
    get,
    path = "/account/passkeys",
    tag = "account",
    security(("session" = [])),
    responses((status = 200, description = "My passkeys.", body = Vec<PasskeyView>), SignedOut)
)]
pub(super) async fn list_passkeys(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<PasskeyView>>, AppError> {
    let kept = api(state
        .store()
        .passkeys(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(
        kept.into_iter()
            .map(|p| PasskeyView {
                id: p.id.0,
                label: p.label,
                created_at: rfc3339_of(p.created_unix),
                last_used_at: p.last_used_unix.map(rfc3339_of),
            })
            .collect(),
    ))
}

/// Remove one of my passkeys.
#[utoipa::path(
    delete,
    path = "/account/passkeys/{id}",
    tag = "account",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The passkey.")),
    responses((status = 204, description = "Removed."), NotFound, BadId, SignedOut, WriteRefused)
)]
pub(super) async fn remove_passkey(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .remove_passkey(session.user, PasskeyId(id))
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Begin signing in with a passkey.
#[utoipa::path(
    post,
    path = "/session/passkey/options",
    tag = "account",
    request_body = PasskeyName,
    responses(
        (status = 200, description = "For navigator.credentials.get.", body = Options),
        (status = 401, description = "No passkey sign-in for that name.", body = super::openapi::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Passkeys are not set up on this server (no public_url).", body = super::openapi::Problem, content_type = "application/problem+json"),
        WriteRefused,
        Throttled,
    )
)]
pub(super) async fn sign_in_options(
    State(state): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<PasskeyName>,
) -> Result<Json<Options>, AppError> {
    let (ceremony, made) = api(passkeys::start_sign_in(&state, &client, &body.name).await)?;
    api(options(ceremony, &made))
}

/// Sign in with a passkey; the session counts as a second factor.
#[utoipa::path(
    post,
    path = "/session/passkey",
    tag = "account",
    request_body = PasskeyAnswer,
    responses(
        (status = 200, description = "Signed in.", body = super::account::SignedIn),
        (status = 401, description = "The passkey did not sign in.", body = super::openapi::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Passkeys are not set up on this server (no public_url).", body = super::openapi::Problem, content_type = "application/problem+json"),
        WriteRefused,
    )
)]
pub(super) async fn sign_in_with_passkey(
    State(state): State<AppState>,
    client: Client,
    MaybeUser(previous): MaybeUser,
    ApiJson(body): ApiJson<PasskeyAnswer>,
) -> Result<Response, AppError> {
    let started = api(passkeys::finish_sign_in(
        &state,
        &client,
        &body.ceremony,
        &body.credential,
        previous.as_ref(),
    )
    .await)?;
    Ok(super::account::with_cookie(
        &state,
        StatusCode::OK,
        &started,
    ))
}

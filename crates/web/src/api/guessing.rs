//! "How I think my partner answered" in the API: take part or not, and
//! keep one's guesses. How closely each reads the other is shown in the
//! comparison, only when both take part.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use tandem_app::guessing::{self, GuessForm};
use tandem_store::{Guessing, LinkId};
use utoipa::ToSchema;

use super::openapi::{BadId, NotFound, SignedOut, WriteRefused};
use super::{ApiJson, ApiPath, api};
use crate::auth::ApiUser;
use crate::{AppError, AppState};

/// Whether I take part in guessing how my partner answered.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct GuessingBody {
    /// `off` (the default), `private` (take part; my guesses stay mine) or
    /// `shown` (take part; my partner may see my guesses).
    guessing: Guessing,
}

/// My guesses of my partner's answers.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Guesses {
    /// Item id → the point I think my partner chose (1–5); the items are
    /// those `GET /links/{id}/guesses` lists. Replaces my earlier guesses.
    guesses: BTreeMap<String, i64>,
}

/// Take part in guessing, or not, at once.
#[utoipa::path(
    put,
    path = "/links/{id}/guessing",
    tag = "links",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The link.")),
    request_body = GuessingBody,
    responses(
        (status = 204, description = "Changed."),
        (status = 403, description = "Couple features are not offered to this account.", body = super::openapi::Problem, content_type = "application/problem+json"),
        NotFound,
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn set_guessing(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<GuessingBody>,
) -> Result<StatusCode, AppError> {
    if body.guessing.takes_part() {
        api(super::links::offered(&state, &session).await)?;
    }
    api(state
        .store()
        .set_guessing(session.user, LinkId(id), body.guessing)
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The items to guess, with my own guesses and whether I take part.
#[utoipa::path(
    get,
    path = "/links/{id}/guesses",
    tag = "links",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The link.")),
    responses((status = 200, description = "My guessing part.", body = GuessForm), NotFound, BadId, SignedOut)
)]
pub(super) async fn guesses(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<GuessForm>, AppError> {
    let form = guessing::form(
        state.store(),
        &state.content().rdp,
        session.user,
        LinkId(id),
    )
    .await;
    Ok(Json(api(form.map_err(AppError::from))?))
}

/// Keep my guesses of my partner's answers.
#[utoipa::path(
    put,
    path = "/links/{id}/guesses",
    tag = "links",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The link.")),
    request_body = Guesses,
    responses((status = 204, description = "Kept."), NotFound, SignedOut, WriteRefused)
)]
pub(super) async fn save_guesses(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Guesses>,
) -> Result<StatusCode, AppError> {
    let saved = guessing::save(
        state.store(),
        &state.content().rdp,
        session.user,
        LinkId(id),
        &body.guesses,
    )
    .await;
    api(saved.map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

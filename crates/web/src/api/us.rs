//! "How I see us" in the API: a person's own answers about one of their
//! relationships as a whole. A linked partner sees them only in the
//! comparison, at the level shared.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use tandem_app::us::{self, UsForm};
use tandem_store::RelationshipId;
use utoipa::ToSchema;

use super::openapi::{BadId, NotFound, SignedOut, WriteRefused};
use super::{ApiJson, ApiPath, api};
use crate::auth::{ApiUser, now};
use crate::{AppError, AppState};

/// My answers about the two of us.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct UsAnswers {
    /// Item id → 1 (strongly disagree) to 5 (strongly agree), for every
    /// item `GET /relationships/{id}/us` lists. Replaces my earlier answers.
    answers: BTreeMap<String, i64>,
}

/// My "how I see us" for one of my relationships.
#[utoipa::path(
    get,
    path = "/relationships/{id}/us",
    tag = "relationships",
    security(("session" = [])),
    params(("id" = i64, Path, description = "One of my relationships.")),
    responses((status = 200, description = "The items with my answers, and the score.", body = UsForm), NotFound, BadId, SignedOut)
)]
pub(super) async fn us_form(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<UsForm>, AppError> {
    let form = us::form(state.store(), session.user, RelationshipId(id)).await;
    Ok(Json(api(form.map_err(AppError::from))?))
}

/// Keep my "how I see us" for one of my relationships.
#[utoipa::path(
    put,
    path = "/relationships/{id}/us",
    tag = "relationships",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "One of my relationships.")),
    request_body = UsAnswers,
    responses((status = 204, description = "Kept."), NotFound, SignedOut, WriteRefused)
)]
pub(super) async fn save_us(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UsAnswers>,
) -> Result<StatusCode, AppError> {
    let saved = us::save(
        state.store(),
        session.user,
        RelationshipId(id),
        &body.answers,
        now(),
    )
    .await;
    api(saved.map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

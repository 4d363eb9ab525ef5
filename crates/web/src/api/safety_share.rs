//! The client's own act of showing one safety check's result to the
//! counsellor of one grant, once. It is never part of a grant's scope:
//! this route alone puts it there, and only for the grant named.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tandem_core::dates::rfc3339_of;
use tandem_core::safety::ScreenOutcome;
use tandem_store::shares::SharedSafetyResult;
use tandem_store::{SafetyScreenId, ShareId};
use utoipa::ToSchema;

use super::openapi::{BadId, NotFound, SignedOut, WriteRefused};
use super::{ApiJson, ApiPath, api};
use crate::auth::{ApiUser, now};
use crate::{AppError, AppState};

/// Which kept safety check to show.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ShareSafety {
    /// The safety check's id, as `GET /safety/screens` lists it.
    screen: i64,
}

/// A safety check's result as the counsellor of one grant sees it: its
/// graded outcome and whether a "Yes" spoke of self-harm, never the
/// answers.
#[derive(Serialize, ToSchema)]
pub(crate) struct SharedSafety {
    /// `clear`, `unclear`, `concern` or `urgent`.
    outcome: ScreenOutcome,
    /// Whether a "Yes" spoke of thoughts of self-harm.
    self_harm: bool,
    /// When the check was finished (RFC 3339).
    taken_at: String,
    /// When the client chose to show it (RFC 3339).
    shared_at: String,
}

impl From<SharedSafetyResult> for SharedSafety {
    fn from(result: SharedSafetyResult) -> Self {
        Self {
            outcome: result.summary.outcome,
            self_harm: result.summary.self_harm,
            taken_at: rfc3339_of(result.taken_unix),
            shared_at: rfc3339_of(result.shared_unix),
        }
    }
}

/// Show the counsellor of one of my active grants the result of one of my
/// kept safety checks: once per grant, and only by this act.
#[utoipa::path(
    post,
    path = "/grants/{id}/share-safety",
    tag = "counsellors",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The grant.")),
    request_body = ShareSafety,
    responses(
        (status = 201, description = "Shown; the counsellor can read it until the grant ends.", body = SharedSafety),
        (status = 409, description = "This grant shows a safety check result already.", body = super::openapi::Problem, content_type = "application/problem+json"),
        (status = 422, description = "That safety check was not finished.", body = super::openapi::Problem, content_type = "application/problem+json"),
        NotFound,
        BadId,
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn share_safety(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ShareSafety>,
) -> Result<Response, AppError> {
    let shared = api(tandem_app::safety_share::share_safety(
        state.store(),
        state.content(),
        session.user,
        ShareId(id),
        SafetyScreenId(body.screen),
        now(),
    )
    .await
    .map_err(AppError::from))?;
    Ok((StatusCode::CREATED, Json(SharedSafety::from(shared))).into_response())
}

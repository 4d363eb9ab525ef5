//! The action plan in the API: plan items with their status and whether
//! they are joint.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tandem_core::guidance::Exercise;
use tandem_store::{PlanItemId, PlanStatus, RelationshipId};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{NotFound, SignedOut, WriteRefused};
use super::{ApiJson, ApiPath, ApiQuery, api};
use crate::auth::ApiUser;
use crate::{AppError, AppState};

/// One item of the plan, with its strategy's words.
#[derive(Serialize, ToSchema)]
pub(super) struct PlanItemView {
    id: PlanItemId,
    /// The relationship whose plan it is part of.
    #[schema(value_type = i64)]
    relationship: RelationshipId,
    /// The strategy's guidance id.
    strategy: String,
    title: Option<String>,
    why: Option<String>,
    steps: Option<Vec<String>>,
    /// The exercise that goes with it, if the strategy is known.
    exercise: Option<Exercise>,
    specialised_help: bool,
    /// Whether it is something to do together.
    joint: bool,
    status: PlanStatus,
    /// Why it was suggested, as the program described it: a list of
    /// reasons, each an object with its `kind`.
    #[schema(value_type = Vec<Object>)]
    reasons: Value,
    updated_unix: i64,
}

/// Whose plan to read.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct PlanQuery {
    /// The plan about this relationship of mine; without it, the one my
    /// latest profile is about.
    relationship: Option<i64>,
}

/// My action plan about one relationship, most important first.
///
/// Each item says whether it is joint; only the first few are suggested,
/// the rest later. A plan is kept per relationship; without `relationship`
/// it is the one the latest profile is about (empty before any).
#[utoipa::path(
    get,
    path = "/plan",
    tag = "plan",
    security(("session" = [])),
    params(PlanQuery),
    responses(
        (status = 200, description = "The plan.", body = Vec<PlanItemView>),
        (status = 400, description = "The query has an unknown parameter.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        NotFound,
    )
)]
pub(super) async fn plan(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiQuery(query): ApiQuery<PlanQuery>,
) -> Result<Json<Vec<PlanItemView>>, AppError> {
    let store = state.store();
    let relationship = match query.relationship {
        Some(id) => Some(
            api(store
                .relationship(session.user, RelationshipId(id))
                .await
                .map_err(AppError::from))?
            .id,
        ),
        None => api(tandem_app::plan::current_relationship(store, session.user)
            .await
            .map_err(AppError::from))?,
    };
    let items = match relationship {
        Some(relationship) => api(store
            .plan(session.user, relationship)
            .await
            .map_err(AppError::from))?,
        None => Vec::new(),
    };
    let guidance = state.guidance();
    Ok(Json(
        items
            .into_iter()
            .map(|item| {
                let strategy = guidance.strategy(&item.strategy);
                PlanItemView {
                    id: item.id,
                    relationship: item.relationship,
                    title: strategy.map(|s| s.title.clone()),
                    why: strategy.map(|s| s.why.clone()),
                    steps: strategy.map(|s| s.steps.clone()),
                    exercise: strategy.map(|s| s.exercise),
                    specialised_help: strategy.is_some_and(|s| s.specialised_help),
                    joint: strategy.is_some_and(|s| s.joint),
                    strategy: item.strategy,
                    status: item.status,
                    reasons: item.reason,
                    updated_unix: item.updated_unix,
                }
            })
            .collect(),
    ))
}

/// A new status.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewStatus {
    /// What the person may choose: `replaced` is only ever the program's.
    #[schema(value_type = ChosenStatus)]
    status: PlanStatus,
}

/// The statuses a person may set.
pub(super) struct ChosenStatus;

impl utoipa::PartialSchema for ChosenStatus {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(["suggested", "later", "chosen", "done", "dropped"]))
            .into()
    }
}

impl ToSchema for ChosenStatus {}

/// Set a plan item's status.
#[utoipa::path(
    put,
    path = "/plan/{id}",
    tag = "plan",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The plan item.")),
    request_body = NewStatus,
    responses(
        (status = 204, description = "Set."),
        SignedOut,
        WriteRefused,
        NotFound,
    )
)]
pub(super) async fn set_plan_status(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewStatus>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .set_plan_status(
            session.user,
            PlanItemId(id),
            body.status,
            crate::auth::now(),
        )
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

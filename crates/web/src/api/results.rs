//! Scored results in the API: one RDP's facets, indices, profile and the
//! change since the one before, with where its reliability came from.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use tandem_core::change::Change;
use tandem_core::ids::{FacetId, IndexId};
use tandem_core::profile::Profile;
use tandem_core::scoring::Score;
use tandem_store::{AdministrationId, RelationshipId};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{BadId, NotFound, SignedOut};
use super::{ApiPath, ApiQuery, api};
use crate::auth::ApiUser;
use crate::{AppError, AppState};
use tandem_app::estimates::Reliability;
use tandem_app::results::{Results, rdp_results};

/// The change in each index since an earlier administration.
#[derive(Serialize, ToSchema)]
pub(super) struct ChangeSince {
    since: AdministrationId,
    indices: BTreeMap<IndexId, Change>,
}

/// One RDP scored.
#[derive(Serialize, ToSchema)]
pub(super) struct ResultsView {
    reliability: Reliability,
    /// Always `rdp`.
    #[schema(value_type = String)]
    instrument: &'static str,
    administration: AdministrationId,
    completed_at: Option<String>,
    /// Whether every facet was scored. An incomplete administration is
    /// answered when asked for by id; `/results/latest` is the newest
    /// complete one.
    complete: bool,
    facets: BTreeMap<FacetId, Score>,
    indices: BTreeMap<IndexId, Score>,
    profile: Option<Profile>,
    change: Option<ChangeSince>,
}

impl From<Results> for ResultsView {
    fn from(results: Results) -> Self {
        ResultsView {
            reliability: results.reliability,
            instrument: "rdp",
            administration: results.administration.id,
            completed_at: results.administration.completed_at,
            complete: results.complete,
            facets: results.scores.facets,
            indices: results.scores.indices,
            profile: results.profile,
            change: results.change.map(|(earlier, indices)| ChangeSince {
                since: earlier.id,
                indices,
            }),
        }
    }
}

async fn one(
    state: &AppState,
    session: &crate::auth::Session,
    id: Option<AdministrationId>,
) -> Result<Json<ResultsView>, AppError> {
    let held = crate::follow_up::held(state, session).await?;
    let results = rdp_results(state.store(), state.content(), session.user, id, held)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(results.into()))
}

/// Whose latest results.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct LatestQuery {
    /// Only profiles about this relationship of mine (its id); without it,
    /// the latest about anyone.
    relationship: Option<i64>,
}

/// Scores, profile and change of my latest finished RDP; the change is
/// always since the one before about the same person.
#[utoipa::path(
    get,
    path = "/results/latest",
    tag = "results",
    security(("session" = [])),
    params(LatestQuery),
    responses(
        (status = 200, description = "Scored.", body = ResultsView),
        (status = 400, description = "The query has an unknown parameter.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        NotFound,
    )
)]
pub(super) async fn latest_results(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiQuery(query): ApiQuery<LatestQuery>,
) -> Result<Json<ResultsView>, AppError> {
    api(async {
        let id = match query.relationship {
            None => None,
            Some(relationship) => {
                let latest = tandem_app::results::latest_about_theirs(
                    state.store(),
                    session.user,
                    RelationshipId(relationship),
                )
                .await?;
                Some(latest.ok_or_else(AppError::not_found)?.id)
            }
        };
        one(&state, &session, id).await
    }
    .await)
}

/// Scores, profile and change of one finished RDP.
#[utoipa::path(
    get,
    path = "/results/{id}",
    tag = "results",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The administration.")),
    responses(
        (status = 200, description = "Scored.", body = ResultsView),
        SignedOut,
        BadId,
        NotFound,
    )
)]
pub(super) async fn results(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ResultsView>, AppError> {
    api(one(&state, &session, Some(AdministrationId(id))).await)
}

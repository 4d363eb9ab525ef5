//! Scored results in the API: one RDP's facets, indices, profile and the
//! change since the one before, with where its reliability came from.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use tandem_core::change::Change;
use tandem_core::ids::{FacetId, IndexId};
use tandem_core::profile::Profile;
use tandem_core::scoring::Score;
use tandem_store::AdministrationId;
use utoipa::ToSchema;

use super::openapi::{BadId, NotFound, SignedOut};
use super::{ApiPath, api};
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

/// Scores, profile and change of my latest finished RDP.
#[utoipa::path(
    get,
    path = "/results/latest",
    tag = "results",
    security(("session" = [])),
    responses(
        (status = 200, description = "Scored.", body = ResultsView),
        SignedOut,
        NotFound,
    )
)]
pub(super) async fn latest_results(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<ResultsView>, AppError> {
    api(one(&state, &session, None).await)
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

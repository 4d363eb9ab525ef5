//! Scored results in the API: one RDP's facets, indices, profile and the
//! change since the one before, with where its reliability came from.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use tandem_core::change::Change;
use tandem_core::ids::{FacetId, IndexId};
use tandem_core::profile::Profile;
use tandem_core::scoring::Score;
use tandem_store::AdministrationId;

use super::api;
use crate::auth::ApiUser;
use crate::results::{Results, rdp_results};
use crate::{AppError, AppState};

/// Where the reliability behind intervals and change verdicts came from.
#[derive(Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub(super) enum Reliability {
    /// Estimated from this many of the deployment's own profiles.
    Estimated {
        /// How many.
        administrations: u64,
    },
    /// None yet: intervals and verdicts are absent.
    None,
}

/// The change in each index since an earlier administration.
#[derive(Serialize)]
pub(super) struct ChangeSince {
    since: AdministrationId,
    indices: BTreeMap<IndexId, Change>,
}

/// One RDP scored.
#[derive(Serialize)]
pub(super) struct ResultsView {
    reliability: Reliability,
    /// Always `rdp`.
    instrument: &'static str,
    administration: AdministrationId,
    completed_at: Option<String>,
    facets: BTreeMap<FacetId, Score>,
    indices: BTreeMap<IndexId, Score>,
    profile: Option<Profile>,
    change: Option<ChangeSince>,
}

impl From<Results> for ResultsView {
    fn from(results: Results) -> Self {
        ResultsView {
            reliability: match results.estimated_from {
                Some(administrations) => Reliability::Estimated { administrations },
                None => Reliability::None,
            },
            instrument: "rdp",
            administration: results.administration.id,
            completed_at: results.administration.completed_at,
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
    let held = crate::situation::held(state, session).await?;
    let results = rdp_results(state.store(), state.content(), session.user, id, held)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(results.into()))
}

/// `GET /results/latest`: the latest finished RDP.
pub(super) async fn latest_results(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<ResultsView>, AppError> {
    api(one(&state, &session, None).await)
}

/// `GET /results/{id}`: one finished RDP.
pub(super) async fn results(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ResultsView>, AppError> {
    api(one(&state, &session, Some(AdministrationId(id))).await)
}

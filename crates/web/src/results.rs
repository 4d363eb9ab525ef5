//! Gathering a person's results from the store: one RDP administration
//! scored, its profile, and the change since the one before. Pages and API
//! share this, so they cannot disagree.

use std::collections::BTreeMap;

use serde::Serialize;
use tandem_core::change::{Change, compare};
use tandem_core::ids::IndexId;
use tandem_core::profile::{Profile, profile};
use tandem_core::scoring::{Scores, score};
use tandem_store::{Administration, AdministrationId, UserId};

use crate::{AppError, AppState};

/// One scored administration with what it means.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// The administration.
    pub administration: Administration,
    /// Facet and index scores.
    pub scores: Scores,
    /// The pattern, when enough was answered.
    pub profile: Option<Profile>,
    /// The administration before, and the change in each index since.
    pub change: Option<(Administration, BTreeMap<IndexId, Change>)>,
}

/// Finished administrations of one instrument, oldest first.
pub async fn finished(
    state: &AppState,
    user: UserId,
    instrument: &str,
) -> Result<Vec<Administration>, AppError> {
    Ok(state
        .store()
        .administrations(user, Some(instrument))
        .await?
        .into_iter()
        .filter(|a| a.completed_at.is_some())
        .collect())
}

/// Scores of one administration of `instrument`.
pub async fn scores_of(
    state: &AppState,
    user: UserId,
    instrument: &tandem_core::instrument::Instrument,
    id: AdministrationId,
) -> Result<Scores, AppError> {
    let answers = state.store().answers(user, instrument, id).await?;
    score(instrument, &answers).map_err(AppError::internal)
}

/// The results of the person's RDP `id`, or of the latest when `None`.
/// Another person's id gives "not found".
pub async fn rdp_results(
    state: &AppState,
    user: UserId,
    id: Option<AdministrationId>,
) -> Result<Option<Results>, AppError> {
    let taken = finished(state, user, "rdp").await?;
    let at = match id {
        Some(id) => Some(
            taken
                .iter()
                .position(|a| a.id == id)
                .ok_or_else(AppError::not_found)?,
        ),
        None => taken.len().checked_sub(1),
    };
    let Some(at) = at else {
        return Ok(None);
    };
    let rdp = state.rdp();
    let current = taken[at].clone();
    let scores = scores_of(state, user, rdp, current.id).await?;
    let change = match at.checked_sub(1) {
        Some(before) => {
            let earlier = taken[before].clone();
            let then = scores_of(state, user, rdp, earlier.id).await?;
            let changes = compare(rdp, &then, &scores);
            Some((earlier, changes))
        }
        None => None,
    };
    Ok(Some(Results {
        profile: profile(rdp, &scores),
        administration: current,
        scores,
        change,
    }))
}

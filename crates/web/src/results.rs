//! Gathering a person's results from the store: one RDP administration
//! scored, its profile, the change since the one before, and the trends.
//! Pages, API and the printable report share this, so they cannot disagree.

use std::collections::BTreeMap;

use serde::Serialize;
use tandem_core::change::{Change, Verdict, compare};
use tandem_core::ids::IndexId;
use tandem_core::instrument::Instrument;
use tandem_core::profile::Profile;
use tandem_core::quality::ResponseQuality;
use tandem_core::risk::RiskContext;
use tandem_core::safety::ScreenSummary;
use tandem_core::scoring::{Score, Scores, score};
use tandem_store::{Administration, AdministrationId, Store, UserId};

use crate::estimates::{Estimated, Reliability};
use crate::state::Content;
use crate::{AppError, charts};

/// One scored administration with what it means.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// The administration.
    pub administration: Administration,
    /// Facet and index scores.
    pub scores: Scores,
    /// The pattern, when enough was answered.
    pub profile: Option<Profile>,
    /// The quality of the answers.
    pub quality: Option<ResponseQuality>,
    /// The person's risk context (their own views only).
    #[serde(skip)]
    pub risk: RiskContext,
    /// The version of the RDP it was taken with.
    #[serde(skip)]
    pub instrument: Instrument,
    /// The administration before, and the change in each index since.
    pub change: Option<(Administration, BTreeMap<IndexId, Change>)>,
    /// What the intervals and change verdicts rest on.
    pub reliability: Reliability,
    /// Whether every facet was scored; an incomplete administration is
    /// shown when asked for by id, but is never the latest result.
    pub complete: bool,
}

/// A score as pages show it: one decimal, with its 95% interval when known.
pub fn score_shown(score: &Score) -> String {
    match (score.score, score.low, score.high) {
        (Some(x), Some(low), Some(high)) => format!("{x:.1} ({low:.1} to {high:.1})"),
        (Some(x), _, _) => format!("{x:.1}"),
        _ => "not scored".to_owned(),
    }
}

/// What a change between two profiles means, in words; the reliable change
/// index itself is for "How these numbers work".
pub fn change_words(change: &Change) -> String {
    match change.verdict {
        Verdict::ReliableIncrease => "A real rise".to_owned(),
        Verdict::ReliableDecrease => "A real fall".to_owned(),
        Verdict::WithinError => {
            "About the same: the change is within what chance alone could give".to_owned()
        }
        Verdict::QuestionsChanged => format!(
            "Changed by {:+.1}; the questions changed between these two, so no verdict",
            change.difference
        ),
        _ => format!(
            "Changed by {:+.1}; no verdict until reliability is known",
            change.difference
        ),
    }
}

/// Finished administrations of one instrument, oldest first.
pub async fn finished(
    store: &Store,
    user: UserId,
    instrument: &str,
) -> Result<Vec<Administration>, AppError> {
    Ok(store
        .administrations(user, Some(instrument))
        .await?
        .into_iter()
        .filter(|a| a.completed_at.is_some())
        .collect())
}

/// The definition to score an administration with, and what its precision
/// rests on: the version it was taken with, as the operator pinned it from
/// a published source, else carrying this deployment's estimates when it is
/// the version they were made for, else bare.
pub fn instrument_for<'a>(
    content: &'a Content,
    estimate: Option<&'a Estimated>,
    administration: &Administration,
) -> Result<(&'a Instrument, Reliability), AppError> {
    let version = crate::situation::version_of(content, administration)?;
    Ok(precise(content, estimate, version))
}

/// [`instrument_for`] of a version already found.
pub fn precise<'a>(
    content: &'a Content,
    estimate: Option<&'a Estimated>,
    version: &'a Instrument,
) -> (&'a Instrument, Reliability) {
    if let Some(published) = &content.published
        && let Some(pinned) = published.instrument(version.id.as_str(), &version.version)
    {
        return (
            pinned,
            Reliability::Published {
                citation: published.source.clone(),
            },
        );
    }
    match estimate {
        Some(e) if e.instrument.id == version.id && e.instrument.version == version.version => (
            &e.instrument,
            Reliability::Estimated {
                administrations: e.from,
            },
        ),
        _ => (version, Reliability::None),
    }
}

/// Scores of one administration of `instrument`.
pub async fn scores_of(
    store: &Store,
    user: UserId,
    instrument: &Instrument,
    id: AdministrationId,
) -> Result<Scores, AppError> {
    let answers = store.answers(user, instrument, id).await?;
    score(instrument, &answers).map_err(AppError::internal)
}

/// Whether an administration's answers score every facet: only complete
/// ones are "the latest" that results, plan, home and trends are built on.
pub async fn is_complete(
    store: &Store,
    content: &Content,
    user: UserId,
    administration: &Administration,
) -> Result<bool, AppError> {
    let version = crate::situation::version_of(content, administration)?;
    Ok(scores_of(store, user, version, administration.id)
        .await?
        .is_complete())
}

/// The position in `taken` of the newest complete administration before
/// `end` (exclusive).
async fn last_complete(
    store: &Store,
    content: &Content,
    user: UserId,
    taken: &[Administration],
    end: usize,
) -> Result<Option<usize>, AppError> {
    for at in (0..end).rev() {
        if is_complete(store, content, user, &taken[at]).await? {
            return Ok(Some(at));
        }
    }
    Ok(None)
}

/// The results of the person's RDP `id`, or of the latest complete one when
/// `None`, for their own views (`held`: what their web session holds of an
/// unkept safety screen). Another person's id gives "not found".
pub async fn rdp_results(
    store: &Store,
    content: &Content,
    user: UserId,
    id: Option<AdministrationId>,
    held: Option<ScreenSummary>,
) -> Result<Option<Results>, AppError> {
    let taken = finished(store, user, "rdp").await?;
    let at = match id {
        Some(id) => Some(
            taken
                .iter()
                .position(|a| a.id == id)
                .ok_or_else(AppError::not_found)?,
        ),
        None => last_complete(store, content, user, &taken, taken.len()).await?,
    };
    let Some(at) = at else {
        return Ok(None);
    };
    let estimate = content.estimates.current();
    let current = taken[at].clone();
    let (rdp, reliability) = instrument_for(content, estimate.as_deref(), &current)?;
    let answers = store.answers(user, rdp, current.id).await?;
    let scores = score(rdp, &answers).map_err(AppError::internal)?;
    // Change is measured from the complete profile before this one.
    let change = match last_complete(store, content, user, &taken, at).await? {
        Some(before) => {
            let earlier = taken[before].clone();
            let (then_rdp, _) = instrument_for(content, estimate.as_deref(), &earlier)?;
            let then = scores_of(store, user, then_rdp, earlier.id).await?;
            let changes = compare(rdp, &then, &scores);
            Some((earlier, changes))
        }
        None => None,
    };
    let assessment =
        crate::situation::assess_with(store, content, user, held, Some((rdp, &answers))).await?;
    Ok(Some(Results {
        profile: assessment.profile.clone(),
        quality: assessment.quality.clone(),
        risk: assessment.risk.clone(),
        instrument: rdp.clone(),
        administration: current,
        complete: scores.is_complete(),
        scores,
        change,
        reliability,
    }))
}

/// The trend chart of indices and check-in pulse over time, when there are
/// at least two points.
pub async fn trend_chart(
    store: &Store,
    content: &Content,
    user: UserId,
) -> Result<Option<charts::Trends>, AppError> {
    let rdp = &content.rdp;
    let mut taken = finished(store, user, "rdp").await?;
    taken.extend(finished(store, user, "checkin").await?);
    taken.sort_by(|a, b| a.completed_at.cmp(&b.completed_at));
    if taken.len() < 2 {
        return Ok(None);
    }
    let mut series: Vec<(String, Vec<(usize, f64)>)> = rdp
        .indices
        .iter()
        .map(|i| (i.name.clone(), Vec::new()))
        .collect();
    series.push(("Weekly pulse".to_owned(), Vec::new()));
    for (x, administration) in taken.iter().enumerate() {
        let is_rdp = administration.instrument == "rdp";
        let instrument = crate::situation::version_of(content, administration)?;
        let scores = scores_of(store, user, instrument, administration.id).await?;
        // An incomplete administration is no point on a trend.
        if !scores.is_complete() {
            continue;
        }
        if is_rdp {
            for (i, index) in rdp.indices.iter().enumerate() {
                if let Some(value) = scores.indices.get(&index.id).and_then(|s| s.score) {
                    series[i].1.push((x, value));
                }
            }
        } else if let Some(pulse) = scores.indices.values().next().and_then(|s| s.score)
            && let Some(last) = series.last_mut()
        {
            last.1.push((x, pulse));
        }
    }
    series.retain(|(_, values)| !values.is_empty());
    Ok(Some(charts::trends(
        &series,
        taken.len(),
        (rdp.scale.min, rdp.scale.max),
    )))
}

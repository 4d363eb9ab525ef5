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
use tandem_store::{Administration, AdministrationId, Owner, RelationshipId, Store};

use crate::Content;
use crate::ServiceError;
use crate::estimates::{Estimated, Reliability};

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
    user: Owner,
    instrument: &str,
) -> Result<Vec<Administration>, ServiceError> {
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
) -> Result<(&'a Instrument, Reliability), ServiceError> {
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
    user: Owner,
    instrument: &Instrument,
    id: AdministrationId,
) -> Result<Scores, ServiceError> {
    let answers = store.answers(user, instrument, id).await?;
    score(instrument, &answers).map_err(ServiceError::internal)
}

/// Scores, and keeps, this person's finished administrations that have no
/// current kept scores (from before scores were kept, or scored by older
/// rules). One query when there are none, which is nearly always: the store
/// keeps scores when an administration is finished, and the server
/// backfills everyone's at start. One that cannot be scored (a version this
/// build lacks, or deleted meanwhile) is left out, not an error: it simply
/// stays out of trends and "the latest".
pub async fn ensure_scored(
    store: &Store,
    content: &Content,
    user: Owner,
) -> Result<(), ServiceError> {
    for unscored in store.unscored(Some(user)).await? {
        match rescore(store, content, &unscored).await {
            Ok(()) | Err(Rescore::Gone) => {}
            Err(Rescore::Unknown) => {
                tracing::warn!(
                    id = unscored.id.0,
                    "an administration of a version this build lacks"
                );
            }
            Err(Rescore::Failed(err)) => return Err(err),
        }
    }
    Ok(())
}

/// Why an administration was not scored again.
pub enum Rescore {
    /// It was deleted meanwhile.
    Gone,
    /// It was taken with a version this build does not have.
    Unknown,
    /// The store failed.
    Failed(ServiceError),
}

/// Scores one administration again from its answers and keeps the scores.
pub async fn rescore(
    store: &Store,
    content: &Content,
    unscored: &tandem_store::Unscored,
) -> Result<(), Rescore> {
    let version = content
        .instrument_version(&unscored.instrument, &unscored.version)
        .ok_or(Rescore::Unknown)?;
    let kept = async {
        let answers = store.answers(unscored.owner, version, unscored.id).await?;
        let scores = score(version, &answers)
            .map_err(|err| tandem_store::StoreError::corrupt(err.to_string()))?;
        store
            .keep_scores(unscored.owner, unscored.id, &scores)
            .await
    };
    match kept.await {
        Ok(()) => Ok(()),
        Err(tandem_store::StoreError::NotFound { .. }) => Err(Rescore::Gone),
        Err(err) => Err(Rescore::Failed(err.into())),
    }
}

/// Scores every finished administration in the store that lacks current
/// kept scores: the server runs it once at start, after an upgrade or a
/// change of the scoring rules. Carries on past any that cannot be scored.
/// Returns how many were scored and how many could not be.
pub async fn backfill(store: &Store, content: &Content) -> Result<(usize, usize), ServiceError> {
    let unscored = store.unscored(None).await?;
    let mut failed = 0;
    for one in &unscored {
        match rescore(store, content, one).await {
            Ok(()) | Err(Rescore::Gone) => {}
            Err(Rescore::Unknown) => failed += 1,
            Err(Rescore::Failed(err)) => {
                failed += 1;
                tracing::warn!(id = one.id.0, %err, "scoring again failed");
            }
        }
    }
    Ok((unscored.len() - failed, failed))
}

/// The complete RDP before `current` that is about the same relationship.
pub async fn earlier_of_same_relationship(
    store: &Store,
    user: Owner,
    current: &Administration,
) -> Result<Option<Administration>, ServiceError> {
    latest_about(store, user, current.relationship, Some(current.id)).await
}

/// The latest complete RDP about `user`'s relationship `id`; another
/// person's relationship is `NotFound`, as none would be.
pub async fn latest_about_theirs(
    store: &Store,
    user: Owner,
    id: RelationshipId,
) -> Result<Option<Administration>, ServiceError> {
    let relationship = store.relationship(user, id).await?;
    latest_about(store, user, relationship.id, None).await
}

/// The latest complete RDP about `relationship` (before `before`, if
/// given); `None` when there is none.
pub async fn latest_about(
    store: &Store,
    user: Owner,
    relationship: RelationshipId,
    before: Option<AdministrationId>,
) -> Result<Option<Administration>, ServiceError> {
    latest_of_about(store, user, "rdp", relationship, before).await
}

/// The latest complete administration of `instrument` about
/// `relationship` (before `before`, if given); `None` when there is none.
pub async fn latest_of_about(
    store: &Store,
    user: Owner,
    instrument: &str,
    relationship: RelationshipId,
    mut before: Option<AdministrationId>,
) -> Result<Option<Administration>, ServiceError> {
    while let Some(earlier) = store.latest_complete(user, instrument, before).await? {
        if earlier.relationship == relationship {
            return Ok(Some(earlier));
        }
        before = Some(earlier.id);
    }
    Ok(None)
}

/// The results of the person's RDP `id`, or of the latest complete one when
/// `None`, for their own views (`held`: what their web session holds of an
/// unkept safety screen). Another person's id gives "not found".
pub async fn rdp_results(
    store: &Store,
    content: &Content,
    user: Owner,
    id: Option<AdministrationId>,
    held: Option<ScreenSummary>,
) -> Result<Option<Results>, ServiceError> {
    ensure_scored(store, content, user).await?;
    let current = match id {
        Some(id) => {
            let administration = store.administration(user, id).await?;
            if administration.instrument != "rdp" || administration.completed_at.is_none() {
                return Err(ServiceError::not_found("RDP result", id.0));
            }
            administration
        }
        None => match store.latest_complete(user, "rdp", None).await? {
            Some(administration) => administration,
            None => return Ok(None),
        },
    };
    let estimate = content.estimates.current();
    let (rdp, reliability) = instrument_for(content, estimate.as_deref(), &current)?;
    let answers = store.answers(user, rdp, current.id).await?;
    let scores = score(rdp, &answers).map_err(ServiceError::internal)?;
    // Change is measured from the complete profile before this one about
    // the same person: a profile about a mother says nothing of change in
    // one about a partner.
    let change = match earlier_of_same_relationship(store, user, &current).await? {
        Some(earlier) => {
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

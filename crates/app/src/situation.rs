//! A person's situation, read from the store and decided once by the core
//! ([`tandem_core::assessment`]): the latest RDP scored with the version it
//! was taken with, the latest kept safety screen (or the one this session
//! holds), and the latest check-in. Results, the plan, the report and the
//! terminal all read it, so they cannot disagree about risk.
//!
//! What it returns can carry what a safety screen said: it serves the
//! person's own views only.

use tandem_core::answers::Answers;
use tandem_core::assessment::{Assessment, Latest};
use tandem_core::instrument::Instrument;
use tandem_core::safety::ScreenSummary;
use tandem_store::{Administration, Owner, RelationshipId, Store};

use crate::Content;
use crate::ServiceError;

/// The safety side of a situation: what the latest screen said, and whether
/// any was ever taken.
#[derive(Debug, Clone, Copy, Default)]
pub struct SafetySide {
    /// The latest screen kept, or the one held for this session (newer).
    pub screen: Option<ScreenSummary>,
    /// Whether any screen was taken.
    pub taken: bool,
}

/// The safety side from the store and, for a web session, what it holds.
pub async fn safety_side(
    store: &Store,
    content: &Content,
    user: Owner,
    held: Option<ScreenSummary>,
) -> Result<SafetySide, ServiceError> {
    let kept = store.safety_screens(user).await?;
    let latest = match kept.last() {
        Some(record) => {
            let instrument = content
                .instrument_version("safety", &record.version)
                .ok_or_else(|| {
                    ServiceError::internal(format!("no safety screen {}", record.version))
                })?;
            Some(record.to_screen(instrument)?.summary())
        }
        None => None,
    };
    // A screen of an earlier version did not ask everything today's does,
    // so it does not stop the current one from being offered.
    let current = &content.safety.version;
    Ok(SafetySide {
        screen: held.or(latest),
        taken: held.is_some() || kept.iter().any(|record| &record.version == current),
    })
}

/// The latest finished and complete administration of `instrument` (every
/// facet scored), with the version it was taken with and its answers.
pub async fn latest_with_answers<'c>(
    store: &Store,
    content: &'c Content,
    user: Owner,
    instrument: &str,
) -> Result<Option<(Administration, &'c Instrument, Answers)>, ServiceError> {
    crate::results::ensure_scored(store, content, user).await?;
    let Some(administration) = store.latest_complete(user, instrument, None).await? else {
        return Ok(None);
    };
    let version = version_of(content, &administration)?;
    let answers = store.answers(user, version, administration.id).await?;
    Ok(Some((administration, version, answers)))
}

/// The definition an administration was taken with.
pub fn version_of<'c>(
    content: &'c Content,
    administration: &Administration,
) -> Result<&'c Instrument, ServiceError> {
    content
        .instrument_version(&administration.instrument, &administration.version)
        .ok_or_else(|| {
            ServiceError::internal(format!(
                "administration {} was taken with {} {}, which this build does not have",
                administration.id, administration.instrument, administration.version
            ))
        })
}

/// The person's situation, with `rdp` as the profile to judge (the latest
/// finished one when `None` is given by [`assess`]).
pub async fn assess_with(
    store: &Store,
    content: &Content,
    user: Owner,
    held: Option<ScreenSummary>,
    rdp: Option<(&Instrument, &Answers)>,
) -> Result<Assessment, ServiceError> {
    let safety = safety_side(store, content, user, held).await?;
    let checkin = latest_with_answers(store, content, user, "checkin").await?;
    Assessment::of(Latest {
        rdp,
        screen: safety.screen,
        screen_taken: safety.taken,
        checkin: checkin.as_ref().map(|(_, i, a)| (*i, a)),
    })
    .map_err(ServiceError::internal)
}

/// The person's situation now, judged on their latest finished RDP.
pub async fn assess(
    store: &Store,
    content: &Content,
    user: Owner,
    held: Option<ScreenSummary>,
) -> Result<Assessment, ServiceError> {
    let latest = latest_with_answers(store, content, user, "rdp").await?;
    let estimate = content.estimates.current();
    let rdp = latest.as_ref().map(|(_, version, answers)| {
        let (instrument, _) = crate::results::precise(content, estimate.as_deref(), version);
        (instrument, answers)
    });
    assess_with(store, content, user, held, rdp).await
}

/// The person's situation as it bears on one relationship: judged on
/// their latest finished RDP and check-in about it (none when
/// `relationship` is `None`), with their own safety side, which holds for
/// every relationship. What a plan for that relationship is made from.
pub async fn assess_about(
    store: &Store,
    content: &Content,
    user: Owner,
    relationship: Option<RelationshipId>,
    held: Option<ScreenSummary>,
) -> Result<Assessment, ServiceError> {
    crate::results::ensure_scored(store, content, user).await?;
    let mut latest = Vec::with_capacity(2);
    for instrument in ["rdp", "checkin"] {
        let found = match relationship {
            Some(relationship) => {
                crate::results::latest_of_about(store, user, instrument, relationship, None).await?
            }
            None => None,
        };
        latest.push(match found {
            Some(administration) => {
                let version = version_of(content, &administration)?;
                let answers = store.answers(user, version, administration.id).await?;
                Some((version, answers))
            }
            None => None,
        });
    }
    let estimate = content.estimates.current();
    let rdp = latest[0].as_ref().map(|(version, answers)| {
        let (instrument, _) = crate::results::precise(content, estimate.as_deref(), version);
        (instrument, answers)
    });
    let safety = safety_side(store, content, user, held).await?;
    Assessment::of(Latest {
        rdp,
        screen: safety.screen,
        screen_taken: safety.taken,
        checkin: latest[1].as_ref().map(|(i, a)| (*i, a)),
    })
    .map_err(ServiceError::internal)
}

/// A situation judged on the profile answers alone, with nothing from any
/// safety answer: for copies meant for someone else.
pub fn assess_without_safety(rdp: (&Instrument, &Answers)) -> Result<Assessment, ServiceError> {
    Assessment::of(Latest {
        rdp: Some(rdp),
        screen: None,
        screen_taken: true,
        checkin: None,
    })
    .map_err(ServiceError::internal)
}

//! One person's situation, decided once: the latest profile's scores, the
//! quality of its answers, the risk context and the profile. Pages, the API,
//! the report and the terminal all start here, so they cannot disagree.

use serde::Serialize;

use crate::answers::Answers;
use crate::guidance::Guidance;
use crate::instrument::Instrument;
use crate::plan::{Plan, PlanInputs, suggest};
use crate::profile::{Profile, ProfileKind, profile};
use crate::quality::{ResponseQuality, check_quality};
use crate::risk::{RiskContext, RiskInputs};
use crate::safety::ScreenSummary;
use crate::scoring::{Scores, ScoringError, score};

/// What the assessment is made from: the latest of each, when there is one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Latest<'a> {
    /// The latest finished RDP: the version it was taken with, and its answers.
    pub rdp: Option<(&'a Instrument, &'a Answers)>,
    /// The latest safety screen kept, or held in this session.
    pub screen: Option<ScreenSummary>,
    /// Whether a safety screen was ever taken.
    pub screen_taken: bool,
    /// The latest check-in: its version and answers.
    pub checkin: Option<(&'a Instrument, &'a Answers)>,
}

/// A person's situation now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Scores of the latest RDP.
    pub scores: Option<Scores>,
    /// The quality of its answers.
    pub quality: Option<ResponseQuality>,
    /// The one risk context.
    pub risk: RiskContext,
    /// The profile, when enough was answered.
    pub profile: Option<Profile>,
}

impl Assessment {
    /// Scores the latest RDP and decides quality, risk and profile.
    pub fn of(latest: Latest<'_>) -> Result<Self, ScoringError> {
        let scored = match latest.rdp {
            Some((instrument, answers)) => Some((instrument, answers, score(instrument, answers)?)),
            None => None,
        };
        let risk = RiskContext::assess(RiskInputs {
            screen: latest.screen,
            screen_taken: latest.screen_taken,
            rdp: scored.as_ref().map(|(i, a, s)| (*i, *a, s)),
            checkin: latest.checkin,
        });
        let quality = scored
            .as_ref()
            .map(|(instrument, answers, _)| check_quality(instrument, answers));
        let profile = match (&scored, &quality) {
            (Some((instrument, _, scores)), Some(quality)) => {
                profile(instrument, scores, quality, &risk)
            }
            _ => None,
        };
        Ok(Self {
            scores: scored.map(|(_, _, scores)| scores),
            quality,
            risk,
            profile,
        })
    }

    /// The plan for this situation.
    pub fn plan(&self, guidance: &Guidance) -> Plan {
        suggest(
            guidance,
            PlanInputs {
                scores: self.scores.as_ref(),
                quality: self.quality.as_ref(),
                balanced: self
                    .profile
                    .as_ref()
                    .is_some_and(|p| p.kind == Some(ProfileKind::BalancedInterdependence)),
                risk: &self.risk,
            },
        )
    }
}

//! Which help a person's answers call for, graded (docs/DOMAIN.md, "Safety"):
//! the emergency step first for urgent answers about harm from others, a
//! crisis line for thoughts of self-harm, domestic-abuse help for any
//! concern, and calm words when a screen was left blank or declined. Every
//! place that shows help asks this one question.

use serde::Serialize;

use crate::risk::{RiskContext, RiskSignal};
use crate::safety::{ScreenOutcome, ScreenSummary};

/// The parts of the help to show, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct HelpNeeded {
    /// The emergency step, before anything else.
    pub emergency: bool,
    /// Crisis lines, for thoughts of self-harm.
    pub crisis: bool,
    /// Domestic-abuse help lines and steps.
    pub abuse: bool,
    /// Said calmly: nothing was said, so nothing is assumed.
    pub calm: bool,
}

impl HelpNeeded {
    /// The help a safety screen calls for.
    pub fn for_screen(summary: ScreenSummary) -> Self {
        Self {
            emergency: summary.outcome == ScreenOutcome::Urgent,
            crisis: summary.self_harm,
            abuse: summary.shows_abuse_help(),
            calm: summary.outcome == ScreenOutcome::Unclear,
        }
    }

    /// The help a person's whole risk context calls for, with their results
    /// or plan.
    pub fn for_risk(risk: &RiskContext) -> Self {
        let only_unclear = risk
            .signals()
            .filter(|s| s.from_safety_answers())
            .all(|s| s == RiskSignal::ScreenUnclear);
        Self {
            emergency: risk.is_urgent(),
            crisis: risk.has(RiskSignal::SelfHarm),
            abuse: risk.calls_for_abuse_help(),
            calm: risk.calls_for_abuse_help() && only_unclear,
        }
    }

    /// Whether anything is to be shown.
    pub fn any(&self) -> bool {
        self.emergency || self.crisis || self.abuse
    }

    /// Whether this asks for more than `shown` already gave: then the help is
    /// shown again, so a later, more serious answer is never left without.
    pub fn goes_beyond(&self, shown: &HelpNeeded) -> bool {
        (self.emergency && !shown.emergency)
            || (self.crisis && !shown.crisis)
            || (self.abuse && !shown.abuse)
            || (shown.calm && self.abuse && !self.calm)
    }
}

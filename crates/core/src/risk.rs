//! The risk context: one value, decided here, that everything downstream
//! reads — the profile (never "balanced" under risk), the plan (safety and
//! power first, no joint steps, safety-adapted versions of assertion steps)
//! and what is offered (docs/DOMAIN.md, "Risk changes everything downstream").
//!
//! It is built from the kept (or session-held) safety screen, low shared
//! power, the latest check-in's safety item and RDP items that signal
//! coercive control. Because it can carry what a safety screen said, a
//! `RiskContext` belongs to the person's own views only.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::answers::Answers;
use crate::instrument::{Instrument, Signal};
use crate::safety::{ScreenOutcome, ScreenSummary};
use crate::scoring::Scores;

/// One reason for risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskSignal {
    /// A "Yes" to an urgent safety item.
    ScreenUrgent,
    /// A "Yes" to a safety item of concern.
    ScreenConcern,
    /// The screen was left blank, partly skipped or "Prefer not to say".
    ScreenUnclear,
    /// A "Yes" to thoughts of self-harm.
    SelfHarm,
    /// The latest check-in said the person felt afraid.
    CheckinSafety,
    /// Agreement with RDP items that can point to coercive control.
    Coercion,
    /// Shared power in the low band.
    LowPowerBalance,
}

impl RiskSignal {
    /// Whether the signal comes from safety answers (the screen or the
    /// check-in's safety item), which never reach anyone else.
    pub fn from_safety_answers(self) -> bool {
        matches!(
            self,
            Self::ScreenUrgent
                | Self::ScreenConcern
                | Self::ScreenUnclear
                | Self::SelfHarm
                | Self::CheckinSafety
        )
    }
}

/// How much the signals together weigh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Nothing points to risk.
    None,
    /// Nothing was said, so nothing can be ruled out: plans are adapted,
    /// the help is shown calmly.
    Unclear,
    /// Fear, control, low power or coercion.
    Concern,
    /// Harm, threats to life, feeling unsafe now, or thoughts of self-harm.
    Urgent,
}

/// What the risk context is built from.
#[derive(Debug, Clone, Copy, Default)]
pub struct RiskInputs<'a> {
    /// The latest safety screen the person kept, or holds in this session.
    pub screen: Option<ScreenSummary>,
    /// Whether any screen was ever taken (kept or not), so the plan knows
    /// whether to offer it.
    pub screen_taken: bool,
    /// The latest finished RDP: its instrument, answers and scores.
    pub rdp: Option<(&'a Instrument, &'a Answers, &'a Scores)>,
    /// The latest check-in: its instrument and answers.
    pub checkin: Option<(&'a Instrument, &'a Answers)>,
}

/// The one risk context of a person at a moment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RiskContext {
    signals: BTreeSet<RiskSignal>,
    screen_taken: bool,
}

impl RiskContext {
    /// No risk known and no screen taken.
    pub fn none() -> Self {
        Self::default()
    }

    /// Decides the context from everything that can signal risk.
    pub fn assess(inputs: RiskInputs<'_>) -> Self {
        let mut signals = BTreeSet::new();
        if let Some(screen) = inputs.screen {
            match screen.outcome {
                ScreenOutcome::Urgent => signals.insert(RiskSignal::ScreenUrgent),
                ScreenOutcome::Concern => signals.insert(RiskSignal::ScreenConcern),
                ScreenOutcome::Unclear => signals.insert(RiskSignal::ScreenUnclear),
                ScreenOutcome::Clear => false,
            };
            if screen.self_harm {
                signals.insert(RiskSignal::SelfHarm);
            }
        }
        if let Some((instrument, answers, scores)) = inputs.rdp {
            if agrees_with_any(instrument, answers, Signal::Coercion) {
                signals.insert(RiskSignal::Coercion);
            }
            if low_power(scores) {
                signals.insert(RiskSignal::LowPowerBalance);
            }
        }
        if let Some((instrument, answers)) = inputs.checkin
            && agrees_with_any(instrument, answers, Signal::Safety)
        {
            signals.insert(RiskSignal::CheckinSafety);
        }
        Self {
            signals,
            screen_taken: inputs.screen_taken || inputs.screen.is_some(),
        }
    }

    /// How much the signals together weigh.
    pub fn level(&self) -> RiskLevel {
        let has = |signal| self.signals.contains(&signal);
        if has(RiskSignal::ScreenUrgent) || has(RiskSignal::SelfHarm) {
            RiskLevel::Urgent
        } else if self.signals.iter().any(|s| *s != RiskSignal::ScreenUnclear) {
            RiskLevel::Concern
        } else if has(RiskSignal::ScreenUnclear) {
            RiskLevel::Unclear
        } else {
            RiskLevel::None
        }
    }

    /// Whether this signal is present.
    pub fn has(&self, signal: RiskSignal) -> bool {
        self.signals.contains(&signal)
    }

    /// Every signal present, in a fixed order.
    pub fn signals(&self) -> impl Iterator<Item = RiskSignal> + '_ {
        self.signals.iter().copied()
    }

    /// Whether plans must be safety-adapted: no joint steps, no maintenance,
    /// assertion steps in their safe versions, safety and power first.
    pub fn adapts_plan(&self) -> bool {
        self.level() >= RiskLevel::Unclear
    }

    /// Whether the emergency step comes first: an urgent answer about harm
    /// from others.
    pub fn is_urgent(&self) -> bool {
        self.has(RiskSignal::ScreenUrgent)
    }

    /// Whether domestic-abuse help fits: safety answers other than thoughts
    /// of self-harm alone.
    pub fn calls_for_abuse_help(&self) -> bool {
        self.signals
            .iter()
            .any(|s| s.from_safety_answers() && *s != RiskSignal::SelfHarm)
    }

    /// Whether the profile may not be called balanced: any concern.
    pub fn rules_out_balance(&self) -> bool {
        self.level() >= RiskLevel::Concern
    }

    /// Whether any signal comes from safety answers.
    pub fn from_safety_answers(&self) -> bool {
        self.signals.iter().any(|s| s.from_safety_answers())
    }

    /// Whether the plan should offer the safety check: before it was ever
    /// taken, and again when RDP items signal coercion or a check-in said
    /// the person felt afraid.
    pub fn offers_screen(&self) -> bool {
        !self.screen_taken || self.has(RiskSignal::Coercion) || self.has(RiskSignal::CheckinSafety)
    }

    /// Whether couple features may not be safe for this person: a safety
    /// screen that said yes, a check-in that said they felt afraid, items
    /// that point to coercive control, or low shared power. Linking is then
    /// not offered, a link they have gets private advice on ending it
    /// quietly, and no plan step is done together.
    pub fn rules_out_couple_features(&self) -> bool {
        self.signals.iter().any(|s| {
            matches!(
                s,
                RiskSignal::ScreenUrgent
                    | RiskSignal::ScreenConcern
                    | RiskSignal::CheckinSafety
                    | RiskSignal::Coercion
                    | RiskSignal::LowPowerBalance
            )
        })
    }

    /// Whether the safety help should be shown with the results.
    pub fn shows_help(&self) -> bool {
        self.from_safety_answers()
    }
}

/// Whether shared power is in the low band.
pub fn low_power(scores: &Scores) -> bool {
    let band = |score: Option<&crate::scoring::Score>| {
        score
            .and_then(|s| s.band.as_ref())
            .is_some_and(|b| b.as_str() == "low")
    };
    band(scores.facets.get("PB")) || band(scores.indices.get("power_balance"))
}

/// Whether any item marked with `signal` was answered so that it signals
/// (agreed with, or disagreed with where it is marked so).
pub fn agrees_with_any(instrument: &Instrument, answers: &Answers, signal: Signal) -> bool {
    instrument.signalling(signal).any(|item| {
        answers
            .value(item.id.as_str())
            .is_some_and(|value| instrument.signals_at(item, value))
    })
}

/// Whether the check-in's safety item was answered at its worst: then the
/// check-in shows the help and offers the screen.
pub fn checkin_at_worst(instrument: &Instrument, answers: &Answers) -> bool {
    instrument.signalling(Signal::Safety).any(|item| {
        answers
            .value(item.id.as_str())
            .is_some_and(|value| instrument.signals_most_at(item, value))
    })
}

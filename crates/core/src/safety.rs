//! The safety screen's own result type.
//!
//! Safety answers never travel as [`crate::answers::Answers`] beyond parsing:
//! they become a [`SafetyScreen`], which no scoring, sharing or report
//! function for others accepts. The compiler keeps the promise, not a filter.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::answers::Answers;
use crate::ids::ItemId;
use crate::instrument::{AnswerCode, Instrument, Kind, SafetyLevel, ScoringRule};

/// Why answers could not be read as a safety screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not a safety screen")]
pub struct NotASafetyScreen(pub String);

/// The answers to one safety screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SafetyScreen {
    version: String,
    answers: BTreeMap<ItemId, i64>,
    declined: BTreeSet<ItemId>,
    levels: BTreeMap<ItemId, SafetyLevel>,
    asked: usize,
    positive_at: i64,
}

/// What a screen shows, graded (docs/DOMAIN.md, "Safety").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ScreenOutcome {
    /// Every item answered "No".
    Clear,
    /// Left blank, skipped or "Prefer not to say" somewhere, and no "Yes":
    /// nothing can be ruled out, so the help is shown, calmly.
    Unclear,
    /// A "Yes" to fear, control, monitoring, stalking, put-downs or online abuse.
    Concern,
    /// A "Yes" to harm, choking, sexual coercion, threats to kill, a weapon or feeling unsafe now.
    Urgent,
}

impl ScreenOutcome {
    /// The outcome as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clear => "clear",
            Self::Unclear => "unclear",
            Self::Concern => "concern",
            Self::Urgent => "urgent",
        }
    }

    /// The outcome spelled `text`, if there is one.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Clear, Self::Unclear, Self::Concern, Self::Urgent]
            .into_iter()
            .find(|outcome| outcome.as_str() == text)
    }
}

/// All that the risk context needs of a screen: its graded outcome and
/// whether it spoke of self-harm. An unkept screen is held as only this,
/// beside the session, until sign-out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ScreenSummary {
    /// The graded outcome.
    pub outcome: ScreenOutcome,
    /// Whether a "Yes" spoke of self-harm.
    pub self_harm: bool,
}

impl ScreenSummary {
    /// Whether the help should be shown: for every outcome but "Clear", and
    /// for thoughts of self-harm.
    pub fn shows_help(&self) -> bool {
        self.outcome != ScreenOutcome::Clear || self.self_harm
    }

    /// Whether domestic-abuse help fits: a concern, an urgent answer, or a
    /// screen left open (then shown calmly).
    pub fn shows_abuse_help(&self) -> bool {
        self.outcome != ScreenOutcome::Clear
    }
}

impl SafetyScreen {
    /// The graded outcome and the self-harm answer, all the risk context needs.
    pub fn summary(&self) -> ScreenSummary {
        ScreenSummary {
            outcome: self.outcome(),
            self_harm: self.self_harm(),
        }
    }

    /// Takes checked answers to the safety instrument; "Prefer not to say"
    /// is kept as declined, not as "No".
    pub fn from_answers(
        instrument: &Instrument,
        answers: Answers,
    ) -> Result<Self, NotASafetyScreen> {
        let ScoringRule::Flag { positive_at } = instrument.scoring else {
            return Err(NotASafetyScreen(instrument.id.to_string()));
        };
        if instrument.kind != Kind::Safety {
            return Err(NotASafetyScreen(instrument.id.to_string()));
        }
        let values = answers
            .iter()
            .filter_map(|(id, _)| Some((id.clone(), answers.value(id.as_str())?)))
            .collect();
        let declined = answers
            .iter()
            .filter(|(id, _)| answers.code(id.as_str()) == Some(AnswerCode::PreferNotToSay))
            .map(|(id, _)| id.clone())
            .collect();
        let levels = instrument
            .items
            .iter()
            .filter_map(|item| Some((item.id.clone(), item.level?)))
            .collect();
        Ok(Self {
            version: instrument.version.clone(),
            answers: values,
            declined,
            levels,
            asked: instrument.items.len(),
            positive_at,
        })
    }

    /// Whether any answer is positive: then safety resources are shown at once.
    pub fn is_positive(&self) -> bool {
        self.answers
            .values()
            .any(|value| *value >= self.positive_at)
    }

    /// Whether one answer is positive.
    pub fn is_positive_answer(&self, value: i64) -> bool {
        value >= self.positive_at
    }

    /// The most serious level among the positive answers about harm from
    /// others (self-harm is answered apart, by [`Self::self_harm`]).
    pub fn highest_level(&self) -> Option<SafetyLevel> {
        self.answers
            .iter()
            .filter(|(_, value)| self.is_positive_answer(**value))
            .map(|(item, _)| {
                self.levels
                    .get(item)
                    .copied()
                    .unwrap_or(SafetyLevel::Concern)
            })
            .filter(|level| *level != SafetyLevel::SelfHarm)
            .max()
    }

    /// What the screen shows about harm from others, graded. A screen with
    /// a "Yes" is at least a concern; without one, anything left open makes
    /// it unclear. Thoughts of self-harm are told apart ([`Self::self_harm`]),
    /// so they get a crisis line rather than domestic-abuse steps.
    pub fn outcome(&self) -> ScreenOutcome {
        match self.highest_level() {
            Some(SafetyLevel::Urgent | SafetyLevel::SelfHarm) => ScreenOutcome::Urgent,
            Some(SafetyLevel::Concern) => ScreenOutcome::Concern,
            None if self.declined.is_empty() && self.answers.len() >= self.asked => {
                ScreenOutcome::Clear
            }
            None => ScreenOutcome::Unclear,
        }
    }

    /// Whether a "Yes" says the person has thought of harming themselves:
    /// then a crisis line is shown.
    pub fn self_harm(&self) -> bool {
        self.answers.iter().any(|(item, value)| {
            self.is_positive_answer(*value) && self.levels.get(item) == Some(&SafetyLevel::SelfHarm)
        })
    }

    /// Whether the help should be shown: for every outcome but "Clear", and
    /// for thoughts of self-harm.
    pub fn shows_help(&self) -> bool {
        self.summary().shows_help()
    }

    /// The answers given as values, by item.
    pub fn answers(&self) -> &BTreeMap<ItemId, i64> {
        &self.answers
    }

    /// The items answered "Prefer not to say".
    pub fn declined(&self) -> &BTreeSet<ItemId> {
        &self.declined
    }

    /// The version of the screen these answers belong to.
    pub fn version(&self) -> &str {
        &self.version
    }
}

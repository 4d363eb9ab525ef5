//! The safety screen's own result type.
//!
//! Safety answers never travel as [`crate::answers::Answers`] beyond parsing:
//! they become a [`SafetyScreen`], which no scoring, sharing or report
//! function for others accepts. The compiler keeps the promise, not a filter.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::answers::Answers;
use crate::ids::ItemId;
use crate::instrument::{Instrument, Kind, ScoringRule};

/// Why answers could not be read as a safety screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not a safety screen")]
pub struct NotASafetyScreen(pub String);

/// The answers to one safety screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SafetyScreen {
    answers: BTreeMap<ItemId, i64>,
    positive_at: i64,
}

impl SafetyScreen {
    /// Takes checked answers to the safety instrument.
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
        let answers = answers
            .iter()
            .filter_map(|(id, _)| Some((id.clone(), answers.value(id.as_str())?)))
            .collect();
        Ok(Self {
            answers,
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

    /// The answers, by item.
    pub fn answers(&self) -> &BTreeMap<ItemId, i64> {
        &self.answers
    }
}

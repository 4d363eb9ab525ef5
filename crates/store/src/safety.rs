//! The safety screen as stored. Nothing here shares a type with the generic
//! answers, so no path that builds shared views can reach it.

use serde::Serialize;
use tandem_core::answers::{Answer, Answers};
use tandem_core::ids::ItemId;
use tandem_core::instrument::{AnswerCode, Instrument};
use tandem_core::safety::SafetyScreen;

use crate::{SafetyScreenId, StoreError};

/// A stored safety screen: when it was taken and what was answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SafetyScreenRecord {
    /// Its id.
    pub id: SafetyScreenId,
    /// When it began.
    pub started_at: String,
    /// When it was finished, if it was.
    pub completed_at: Option<String>,
    /// The version of the screen it was taken with.
    pub version: String,
    /// Answers by item.
    pub answers: Vec<(ItemId, i64)>,
    /// Items answered "Prefer not to say".
    pub declined: Vec<ItemId>,
}

impl SafetyScreenRecord {
    /// The screen as the core reads it, checked against the version it was
    /// taken with (`instrument`).
    pub fn to_screen(&self, instrument: &Instrument) -> Result<SafetyScreen, StoreError> {
        let mut answers = Answers::new();
        let given = self
            .answers
            .iter()
            .map(|(item, value)| (item, Answer::Value(*value)))
            .chain(
                self.declined
                    .iter()
                    .map(|item| (item, Answer::Code(AnswerCode::PreferNotToSay))),
            );
        for (item, answer) in given {
            answers
                .set(instrument, item.as_str(), answer)
                .map_err(|err| StoreError::corrupt(format!("safety screen {}: {err}", self.id)))?;
        }
        SafetyScreen::from_answers(instrument, answers)
            .map_err(|err| StoreError::corrupt(format!("safety screen {}: {err}", self.id)))
    }
}

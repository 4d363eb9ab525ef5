//! How safety answers and held screen outcomes are sealed: each with the
//! person's data key, under a context naming its row, so a sealed answer
//! copied to another item, screen or person does not open there: the same
//! as the SQLite engine, so a copied store opens here.

use tandem_core::instrument::AnswerCode;
use tandem_core::safety::{ScreenOutcome, ScreenSummary};

use crate::prelude::*;
use crate::seal::Sealer;
use tandem_store::contexts::{safety_answer_context, summary_context};

/// One safety answer as it is sealed: a point on the scale, or declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SealedAnswer {
    /// A value on the screen's scale.
    Value(i64),
    /// "Prefer not to say".
    Declined,
}

/// Every sealed answer and outcome is padded to this many bytes, so the
/// length of a ciphertext tells nothing of what it holds ("1" against
/// "prefer_not_to_say", "clear" against "urgent").
const PADDED: usize = 24;

fn padded(plain: &str) -> String {
    format!("{plain:<PADDED$}")
}

impl SealedAnswer {
    /// The answer sealed for this screen and item.
    pub(crate) fn seal(self, key: &Sealer, screen: i64, item: &str) -> Result<Vec<u8>, StoreError> {
        let plain = match self {
            Self::Value(value) => value.to_string(),
            Self::Declined => AnswerCode::PreferNotToSay.as_str().to_owned(),
        };
        key.seal_text(&safety_answer_context(screen, item), &padded(&plain))
    }

    /// Opens what [`SealedAnswer::seal`] made for this screen and item.
    pub(crate) fn open(
        key: &Sealer,
        screen: i64,
        item: &str,
        sealed: &[u8],
    ) -> Result<Self, StoreError> {
        let context = safety_answer_context(screen, item);
        let plain = key.open_text(&context, sealed)?;
        let plain = plain.trim_end();
        if plain == AnswerCode::PreferNotToSay.as_str() {
            return Ok(Self::Declined);
        }
        plain
            .parse()
            .map(Self::Value)
            .map_err(|_| StoreError::Crypto(format!("{context}: not a safety answer")))
    }
}

/// A held outcome sealed for the session whose token hashes to `token_hash`.
pub(crate) fn seal_summary(
    key: &Sealer,
    token_hash: &[u8],
    summary: ScreenSummary,
) -> Result<Vec<u8>, StoreError> {
    seal_outcome(key, &summary_context(token_hash), summary)
}

/// Opens what [`seal_summary`] made.
pub(crate) fn open_summary(
    key: &Sealer,
    token_hash: &[u8],
    sealed: &[u8],
) -> Result<ScreenSummary, StoreError> {
    open_outcome(key, &summary_context(token_hash), sealed)
}

/// A screen's outcome sealed under `context`, padded like an answer.
pub(crate) fn seal_outcome(
    key: &Sealer,
    context: &str,
    summary: ScreenSummary,
) -> Result<Vec<u8>, StoreError> {
    let plain = format!(
        "{} {}",
        summary.outcome.as_str(),
        u8::from(summary.self_harm)
    );
    key.seal_text(context, &padded(&plain))
}

/// Opens what [`seal_outcome`] made under `context`.
pub(crate) fn open_outcome(
    key: &Sealer,
    context: &str,
    sealed: &[u8],
) -> Result<ScreenSummary, StoreError> {
    let plain = key.open_text(context, sealed)?;
    let bad = || StoreError::Crypto(format!("{context}: not a screen outcome"));
    let (outcome, self_harm) = plain.trim_end().split_once(' ').ok_or_else(bad)?;
    Ok(ScreenSummary {
        outcome: ScreenOutcome::parse(outcome).ok_or_else(bad)?,
        self_harm: match self_harm {
            "0" => false,
            "1" => true,
            _ => return Err(bad()),
        },
    })
}

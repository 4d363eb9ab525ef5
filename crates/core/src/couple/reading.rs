//! "How I think my partner answered": a few RDP items on which each
//! partner guesses the other's answer, and how closely the guesses match.
//! Pure: which answers and guesses reach here is decided by the store,
//! with both partners' consent.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::instrument::{Instrument, Item};

/// The facets one item each is guessed from: the four patterns of the
/// profile and the healthy middle, leaving out boundaries and shared power,
/// whose items can tell of control.
pub const GUESS_FACETS: [&str; 6] = ["ER", "VS", "FA", "CT", "CN", "DT"];

/// The items asked in the guessing part: for each of [`GUESS_FACETS`], the
/// first item of that facet that speaks of the other person and can signal
/// nothing. Facets an instrument lacks are skipped.
pub fn guess_items(instrument: &Instrument) -> Vec<&Item> {
    GUESS_FACETS
        .iter()
        .filter_map(|facet| {
            instrument.items.iter().find(|item| {
                item.facet.as_ref().is_some_and(|f| f.as_str() == *facet)
                    && item.signals.is_none()
                    && item.text.contains("{other}")
            })
        })
        .collect()
}

/// Why a set of guesses cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuessError {
    /// The item is not one of [`guess_items`].
    #[error("item {0} is not one of the items to guess")]
    NotAsked(String),
    /// The value is not a point of the item's scale.
    #[error("item {item}: {value} is not between {min} and {max}")]
    OffScale {
        /// The item.
        item: String,
        /// The value given.
        value: i64,
        /// The scale's lowest point.
        min: i64,
        /// The scale's highest point.
        max: i64,
    },
}

/// Checks `guesses` (item id → the point guessed) against the items asked
/// and the scale.
pub fn check_guesses(
    instrument: &Instrument,
    guesses: &BTreeMap<String, i64>,
) -> Result<(), GuessError> {
    let asked = guess_items(instrument);
    let scale = &instrument.scale;
    for (item, &value) in guesses {
        if !asked.iter().any(|asked| asked.id.as_str() == item) {
            return Err(GuessError::NotAsked(item.clone()));
        }
        if !(scale.min..=scale.max).contains(&value) {
            return Err(GuessError::OffScale {
                item: item.clone(),
                value,
                min: scale.min,
                max: scale.max,
            });
        }
    }
    Ok(())
}

/// How closely one partner's guesses match the other's answers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reading {
    /// How many guessed items the other answered on the scale.
    pub compared: usize,
    /// How many of those were guessed exactly.
    pub exact: usize,
    /// `1 − mean |guess − answer| / (scale max − scale min)`: 1 when every
    /// guess is right, 0 when every guess is as far off as the scale allows.
    pub accuracy: f64,
}

/// The reading of `guesses` against `answers` on a scale `span` points
/// wide; `None` when no guessed item was answered on the scale.
pub fn reading(
    guesses: &BTreeMap<String, i64>,
    answers: &BTreeMap<String, i64>,
    span: i64,
) -> Option<Reading> {
    let distances: Vec<i64> = guesses
        .iter()
        .filter_map(|(item, guess)| Some((guess - answers.get(item)?).abs()))
        .collect();
    if distances.is_empty() || span <= 0 {
        return None;
    }
    let mean = distances.iter().sum::<i64>() as f64 / distances.len() as f64;
    Some(Reading {
        compared: distances.len(),
        exact: distances.iter().filter(|d| **d == 0).count(),
        accuracy: 1.0 - mean / span as f64,
    })
}

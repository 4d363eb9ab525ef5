//! Small text helpers for terminal output.

/// The date part of a stored timestamp.
pub fn date(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

pub use tandem_core::scoring::score_text as score;

pub use tandem_core::scoring::band_label as band;

//! Small text helpers for terminal output.

use tandem_core::scoring::Score;

/// The date part of a stored timestamp.
pub fn date(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

/// A score with its interval, or a dash when it is not scored.
pub fn score(score: &Score) -> String {
    match (score.score, score.low, score.high) {
        (Some(x), Some(low), Some(high)) => format!("{x:.2}  ({low:.2}–{high:.2})"),
        (Some(x), _, _) => format!("{x:.2}"),
        _ => "not scored".to_owned(),
    }
}

pub use tandem_core::scoring::band_label as band;

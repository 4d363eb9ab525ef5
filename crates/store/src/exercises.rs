//! Exercises as a person reads them back.

use serde::Serialize;
use zeroize::Zeroizing;

use crate::{ExerciseId, PlanItemId, StoreError};

/// One exercise as stored, its content opened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExerciseRecord {
    /// Its id.
    pub id: ExerciseId,
    /// What sort of exercise it is, such as `values` or `weekly-check`.
    pub kind: String,
    /// The plan item it belongs to, if any (and if that item still exists).
    pub plan_item: Option<PlanItemId>,
    /// What the person wrote.
    pub content: serde_json::Value,
    /// How far along, 0 to 100.
    pub progress: i64,
    /// Whether the person marked it done.
    pub done: bool,
    /// When it was begun (unix seconds).
    pub created_unix: i64,
    /// When it last changed (unix seconds).
    pub updated_unix: i64,
    /// The ISO weeks ticked off, such as `2026-W48`, in order.
    pub ticks: Vec<String>,
    /// Whether its owner chose to let a counsellor whose grant shows
    /// exercise texts read this one.
    pub shown: bool,
}

const KIND_MAX: usize = 32;

/// An exercise kind: 1 to 32 of a-z and `-`.
pub fn check_kind(kind: &str) -> Result<(), StoreError> {
    let allowed = |c: char| c.is_ascii_lowercase() || c == '-';
    if (1..=KIND_MAX).contains(&kind.len()) && kind.chars().all(allowed) {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "kind",
            format!("`{kind}` is not an exercise kind: use 1 to {KIND_MAX} of a-z and `-`"),
        ))
    }
}

/// Progress in percent, 0 to 100.
pub fn check_progress(progress: i64) -> Result<(), StoreError> {
    if (0..=100).contains(&progress) {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "progress",
            format!("progress {progress} is not between 0 and 100"),
        ))
    }
}

/// An ISO week such as `2026-W48`: four digits, `-W`, two digits from 01 to 53.
pub fn check_week(week: &str) -> Result<(), StoreError> {
    let bytes = week.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    let shaped = bytes.len() == 8 && digits(0..4) && &bytes[4..6] == b"-W" && digits(6..8);
    let number = if shaped { week[6..].parse().ok() } else { None };
    match number {
        Some(1..=53u8) => Ok(()),
        _ => Err(StoreError::invalid(
            "week",
            format!("`{week}` is not an ISO week such as 2026-W48"),
        )),
    }
}

/// An exercise's content as the bytes that are sealed.
pub fn serialize(content: &serde_json::Value) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    serde_json::to_vec(content)
        .map(Zeroizing::new)
        .map_err(|err| StoreError::invalid("content", format!("exercise content: {err}")))
}

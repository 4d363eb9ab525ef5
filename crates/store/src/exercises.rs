//! Exercises as a person reads them back.

use serde::Serialize;

use crate::{ExerciseId, PlanItemId};

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
}

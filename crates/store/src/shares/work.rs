//! What a share shows beside results, when its scope says so: the support
//! map, the plan's steps (never one that safety answers shaped) and the
//! exercises that go with them (their texts only when the scope says so;
//! never the journal, which is the person's alone). Read by
//! [`crate::Store::shared_work`]; the filters are here, pure.

use std::collections::BTreeSet;

use serde::Serialize;
use tandem_core::network::Supporter;

use super::Scope;
use crate::{ExerciseRecord, PlanItem, PlanItemId, PlanStatus, RelationshipId};

/// The exercise kind that is never shared: a private journal.
const JOURNAL: &str = "journal";

/// One step of a plan as a share shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedStep {
    /// The relationship whose plan it is in.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub relationship: RelationshipId,
    /// The strategy's id (its title comes from the guidance).
    pub strategy: String,
    /// Where it stands.
    pub status: PlanStatus,
    /// Its place in the plan shown, from 0.
    pub position: i64,
}

/// One exercise as a share shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedExercise {
    /// Its kind, such as `needs-statement` (its title comes from the forms).
    pub kind: String,
    /// How far along, 0 to 100.
    pub progress: i64,
    /// Whether the person marked it done.
    pub done: bool,
    /// When it last changed (unix seconds).
    pub updated_unix: i64,
    /// What the person wrote, when the share shows exercise texts and the
    /// person chose to show this one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub content: Option<serde_json::Value>,
}

/// What a share shows beside results; each part `None` when not shared.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SharedWork {
    /// The support map.
    pub support_map: Option<Vec<Supporter>>,
    /// The plans' steps.
    pub plan: Option<Vec<SharedStep>>,
    /// The exercises.
    pub exercises: Option<Vec<SharedExercise>>,
}

/// The words an audit entry gives to what `scope` shows beside results,
/// or `None` when it shows nothing more (then nothing is read).
pub fn work_detail(scope: &Scope) -> Option<String> {
    let parts: Vec<&str> = [
        (scope.support_map, "support map"),
        (scope.plan, "plan"),
        (scope.exercise_texts, "exercise texts"),
    ]
    .into_iter()
    .filter_map(|(on, word)| on.then_some(word))
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Whether the plan for `relationship` is in scope.
pub fn plan_covers(scope: &Scope, relationship: RelationshipId) -> bool {
    scope
        .relationships
        .as_ref()
        .is_none_or(|ids| ids.contains(&relationship))
}

/// The steps a share shows of one plan: never one from safety answers,
/// never one replaced, placed again from 0 so a gap tells nothing.
pub fn shown_steps(items: &[PlanItem]) -> Vec<SharedStep> {
    items
        .iter()
        .filter(|item| !item.from_safety && item.status != PlanStatus::Replaced)
        .enumerate()
        .map(|(place, item)| SharedStep {
            relationship: item.relationship,
            strategy: item.strategy.clone(),
            status: item.status,
            position: i64::try_from(place).unwrap_or(i64::MAX),
        })
        .collect()
}

/// The exercises a share shows: not the journal, and not one that
/// belongs to a plan step outside `shown_items` (one from safety answers,
/// or of a relationship not shared); texts only with `texts`, and only
/// of the exercises their owner chose one by one.
pub fn shown_exercises(
    exercises: &[ExerciseRecord],
    shown_items: &BTreeSet<PlanItemId>,
    texts: bool,
) -> Vec<SharedExercise> {
    exercises
        .iter()
        .filter(|exercise| exercise.kind != JOURNAL)
        .filter(|exercise| {
            exercise
                .plan_item
                .is_none_or(|item| shown_items.contains(&item))
        })
        .map(|exercise| SharedExercise {
            kind: exercise.kind.clone(),
            progress: exercise.progress,
            done: exercise.done,
            updated_unix: exercise.updated_unix,
            content: (texts && exercise.shown).then(|| exercise.content.clone()),
        })
        .collect()
}

//! A person's own plan, exercises and support map.

use async_trait::async_trait;
use tandem_core::network::Supporter;

use crate::{
    ExerciseId, ExerciseRecord, NewSuggestion, Owner, PlanItem, PlanItemId, PlanStatus,
    RelationshipId, StoreError, SupporterId, UserId,
};

/// A person's own action plans, one per relationship, and the plan rules
/// they were made by.
#[async_trait]
pub trait Plans: Send + Sync {
    /// Brings `owner`'s plan for `relationship` in line with new
    /// suggestions, in one transaction, and returns that plan. The plans of
    /// their other relationships are not touched.
    ///
    /// Each suggestion takes the position of its index. A strategy already in
    /// the plan keeps its item and status, with the new reason and position;
    /// a new one is added as suggested. An item still only suggested that is
    /// not in the list becomes replaced (kept as history); chosen, done and
    /// dropped items not in the list stay as the person left them, placed
    /// after the list; a suggestion shaped by safety answers that is no
    /// longer made is deleted, not kept as history. `updated_unix` moves
    /// only for items that changed.
    ///
    /// A strategy that is not a valid guidance id, or one given twice, is
    /// `Invalid` and nothing changes; an unknown owner, or a relationship
    /// that is not theirs, is `NotFound`.
    async fn refresh_plan(
        &self,
        owner: Owner,
        relationship: RelationshipId,
        suggestions: &[NewSuggestion],
        now: i64,
    ) -> Result<Vec<PlanItem>, StoreError>;

    /// `owner`'s current plan for `relationship`: every item but the
    /// replaced, by position (empty for a relationship that is not theirs).
    /// Only the first [`FOCUS`](tandem_core::plan::FOCUS) suggestions are `Suggested`; the ones after
    /// them read as `Later`, so a plan never asks for more than a few things
    /// at once.
    async fn plan(
        &self,
        owner: Owner,
        relationship: RelationshipId,
    ) -> Result<Vec<PlanItem>, StoreError>;

    /// Every item `owner`'s plan for `relationship` ever had, replaced ones
    /// included, the most recently changed first.
    async fn plan_history(
        &self,
        owner: Owner,
        relationship: RelationshipId,
    ) -> Result<Vec<PlanItem>, StoreError>;

    /// The relationships of `owner` whose plan has a current item, by id.
    async fn planned_relationships(&self, owner: Owner) -> Result<Vec<RelationshipId>, StoreError>;

    /// Attaches every plan item that has no relationship yet (from before
    /// plans were kept per relationship) to the relationship the plan was
    /// made from: that of the person's latest finished RDP, else of their
    /// latest finished administration, else their "my partner" one, made
    /// when missing. The number attached. Engines run it when they open a
    /// store, after [`attach_administrations`]; it is safe to run again.
    ///
    /// [`attach_administrations`]: crate::engine::Relationships::attach_administrations
    async fn attach_plan_items(&self) -> Result<usize, StoreError>;

    /// Sets where an item of `owner`'s current plan stands. `NotFound` for an
    /// item that is not theirs or is only history (replaced); `Invalid` for
    /// `Replaced`, which only a refresh sets.
    async fn set_plan_status(
        &self,
        owner: Owner,
        id: PlanItemId,
        status: PlanStatus,
        now: i64,
    ) -> Result<(), StoreError>;

    /// The fingerprint of the rules the stored plans were last made with.
    async fn plan_rules(&self) -> Result<Option<String>, StoreError>;

    /// Records the fingerprint of the rules every plan was just made with.
    async fn set_plan_rules(&self, fingerprint: &str) -> Result<(), StoreError>;

    /// Every account that has a plan, for remaking plans after an upgrade.
    /// An operator's task: the ids leave the store only to come back to it.
    async fn plan_owner_ids(&self) -> Result<Vec<UserId>, StoreError>;

    /// Moves these strategies out of `owner`'s current plan for
    /// `relationship`, whatever the
    /// person had made of them (chosen, done, dropped), into history as
    /// `replaced`: for steps that no longer fit, such as a joint step once
    /// something points to risk. Returns how many items moved.
    async fn retire_plan_items(
        &self,
        owner: Owner,
        relationship: RelationshipId,
        strategies: &[String],
        now: i64,
    ) -> Result<u64, StoreError>;

    /// Whether any current plan of `owner` holds anything shaped by safety
    /// answers: then a calm check-in is worth a refresh, to let it ease.
    async fn plan_has_safety_items(&self, owner: Owner) -> Result<bool, StoreError>;
}

/// What a person writes while working on a strategy, sealed.
#[async_trait]
pub trait Exercises: Send + Sync {
    /// Saves a new exercise of `owner`, its content sealed. `plan_item`, if
    /// given, must be an item of `owner`'s plan (else `NotFound`); `kind` is
    /// 1 to 32 of a–z and `-` (else `Invalid`).
    async fn save_exercise(
        &self,
        owner: Owner,
        kind: &str,
        plan_item: Option<PlanItemId>,
        content: &serde_json::Value,
        now: i64,
    ) -> Result<ExerciseId, StoreError>;

    /// Replaces the content, progress and done mark of `owner`'s exercise.
    /// Progress outside 0 to 100 is `Invalid`.
    async fn update_exercise(
        &self,
        owner: Owner,
        id: ExerciseId,
        content: &serde_json::Value,
        progress: i64,
        done: bool,
        now: i64,
    ) -> Result<(), StoreError>;

    /// One exercise of `owner`, its content opened.
    async fn exercise(&self, owner: Owner, id: ExerciseId) -> Result<ExerciseRecord, StoreError>;

    /// `owner`'s exercises, the newest first; `kind` narrows them.
    async fn exercises(
        &self,
        owner: Owner,
        kind: Option<&str>,
    ) -> Result<Vec<ExerciseRecord>, StoreError>;

    /// Ticks off (or, with `ticked` false, clears) an ISO week such as
    /// `2026-W48` for `owner`'s exercise. Ticking twice, or clearing a week
    /// never ticked, changes nothing. A week of another shape is `Invalid`.
    async fn tick_week(
        &self,
        owner: Owner,
        id: ExerciseId,
        week: &str,
        ticked: bool,
    ) -> Result<(), StoreError>;

    /// Deletes `owner`'s exercise with its ticks.
    async fn delete_exercise(&self, owner: Owner, id: ExerciseId) -> Result<(), StoreError>;

    /// Lets (or stops letting) a counsellor whose grant shows exercise
    /// texts read this one of `owner`'s exercises; its content and times
    /// stay as they are. `NotFound` when it is not theirs.
    async fn set_exercise_shown(
        &self,
        owner: Owner,
        id: ExerciseId,
        shown: bool,
    ) -> Result<(), StoreError>;
}

/// A person's own support map: the people they lean on and who lean on them, names sealed.
#[async_trait]
pub trait SupportMap: Send + Sync {
    /// Adds a person with their reliance per domain, in one transaction.
    async fn add_supporter(
        &self,
        owner: Owner,
        supporter: &Supporter,
    ) -> Result<SupporterId, StoreError>;

    /// Removes a person of this owner from the map.
    async fn remove_supporter(&self, owner: Owner, id: SupporterId) -> Result<(), StoreError>;

    /// This owner's support map, people in the order they were added.
    async fn support_map(&self, owner: Owner) -> Result<Vec<(SupporterId, Supporter)>, StoreError>;
}

//! The safety screen's own trait: reached only through its owner.

use async_trait::async_trait;
use tandem_core::ids::ItemId;
use tandem_core::instrument::Instrument;
use tandem_core::safety::{SafetyScreen, ScreenSummary};

use crate::{Owner, SafetyScreenId, SafetyScreenRecord, StoreError};

/// The safety screen's own tables, reached only through the owner: no shared view has a way to them.
#[async_trait]
pub trait SafetyScreens: Send + Sync {
    /// Begins a safety screen whose answers are saved one by one.
    async fn start_safety_screen(
        &self,
        owner: Owner,
        instrument: &Instrument,
    ) -> Result<SafetyScreenId, StoreError>;

    /// Saves one safety answer of this owner's unfinished screen: a value,
    /// or `None` for "Prefer not to say".
    async fn save_safety_answer(
        &self,
        owner: Owner,
        screen: SafetyScreenId,
        item: &ItemId,
        value: Option<i64>,
    ) -> Result<(), StoreError>;

    /// Marks a safety screen finished.
    async fn complete_safety_screen(
        &self,
        owner: Owner,
        screen: SafetyScreenId,
    ) -> Result<(), StoreError>;

    /// Stores a whole screen in one transaction.
    async fn record_safety_screen(
        &self,
        owner: Owner,
        instrument: &Instrument,
        screen: &SafetyScreen,
    ) -> Result<SafetyScreenId, StoreError>;

    /// This owner's safety screens, oldest first. Only the owner's own views call this.
    async fn safety_screens(&self, owner: Owner) -> Result<Vec<SafetyScreenRecord>, StoreError>;

    /// Deletes one of this owner's safety screens and its answers, for good,
    /// with every plan item that safety answers shaped (history included)
    /// and any screen outcome held beside their sessions; the caller remakes
    /// the plan from what is left. `secure_delete`
    /// overwrites the freed pages and a checkpoint empties the write-ahead
    /// log, so no copy lingers in the data dir. `NotFound` when it is not
    /// theirs.
    async fn delete_safety_screen(
        &self,
        owner: Owner,
        screen: SafetyScreenId,
    ) -> Result<(), StoreError>;

    /// Holds the outcome of a screen the person did not keep, beside their
    /// session, until it ends. Replaces what was held before.
    async fn hold_screen(
        &self,
        session_token: &str,
        summary: ScreenSummary,
    ) -> Result<(), StoreError>;

    /// Lets go of every screen outcome held beside `owner`'s sessions: after
    /// they delete a kept screen, nothing of it stays behind anywhere.
    async fn release_held_screens(&self, owner: Owner) -> Result<(), StoreError>;

    /// What this session holds of an unkept screen, if anything.
    async fn held_screen(&self, session_token: &str) -> Result<Option<ScreenSummary>, StoreError>;
}

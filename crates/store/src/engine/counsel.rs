//! A counsellor's assignments and notes, through a [`Grant`]; the client's
//! side of them through their [`Owner`].

use async_trait::async_trait;
use tandem_core::input::NoteText;

use crate::counsel::{Assignment, Note};
use crate::{AssignmentId, Grant, NoteId, Owner, StoreError};

/// Instruments asked for and notes kept, per grant.
#[async_trait]
pub trait Counsel: Send + Sync {
    /// Asks the grant's owner to answer `instrument` by `due_unix`.
    /// `Invalid` as [`crate::counsel::check_assignment`]; `NotFound` when
    /// the share has ended since the grant was minted.
    async fn assign(
        &self,
        grant: &Grant,
        instrument: &str,
        due_unix: i64,
        now: i64,
    ) -> Result<AssignmentId, StoreError>;

    /// What the grant's counsellor asked through it, newest first (`done`
    /// left unknown). `NotFound` when the share has ended.
    async fn assignments_for(&self, grant: &Grant, now: i64)
    -> Result<Vec<Assignment>, StoreError>;

    /// What counsellors asked `owner`, through shares current at `now`,
    /// newest first, with whether each was done since.
    async fn assignments_of(&self, owner: Owner, now: i64) -> Result<Vec<Assignment>, StoreError>;

    /// The owner says no to one of theirs. `NotFound` when it is not
    /// theirs, its share has ended, or it was declined already.
    async fn decline_assignment(
        &self,
        owner: Owner,
        id: AssignmentId,
        now: i64,
    ) -> Result<(), StoreError>;

    /// A note of the grant's counsellor about its owner, sealed with the
    /// counsellor's key; `shared` lets the owner read it. `NotFound` when
    /// the share has ended.
    async fn add_note(
        &self,
        grant: &Grant,
        text: &NoteText,
        shared: bool,
        now: i64,
    ) -> Result<NoteId, StoreError>;

    /// The grant's counsellor's notes about its owner, newest first.
    /// `NotFound` when the share has ended.
    async fn notes_for(&self, grant: &Grant, now: i64) -> Result<Vec<Note>, StoreError>;

    /// Every note `counsellor` wrote, current and former clients, newest
    /// first.
    async fn notes_by(&self, counsellor: Owner) -> Result<Vec<Note>, StoreError>;

    /// The notes counsellors shared with `owner`, newest first.
    async fn shared_notes(&self, owner: Owner) -> Result<Vec<Note>, StoreError>;

    /// Deletes one of `counsellor`'s notes for good. `NotFound` when it
    /// is not theirs.
    async fn delete_note(&self, counsellor: Owner, id: NoteId) -> Result<(), StoreError>;
}

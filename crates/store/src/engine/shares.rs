//! Shares of a person's results with someone else, and the reads through
//! them, each of which leaves an audit row.

use async_trait::async_trait;

use crate::{
    AuditEntry, Grant, GrantRow, Owner, Share, ShareId, ShareKind, ShareLevel, SharedScores,
    StoreError, UserId,
};

/// Shares made, changed and ended by their owner; reads through a [`Grant`].
#[async_trait]
pub trait Shares: Send + Sync {
    /// Lets `viewer` see `owner`'s finished RDP results at `level` from
    /// `now`, until `expires_unix` if given. `NotFound` when the viewer has
    /// no account; `Invalid` for oneself or an expiry not after `now`;
    /// `Conflict` when a current share with that viewer exists.
    async fn create_share(
        &self,
        owner: Owner,
        viewer: UserId,
        kind: ShareKind,
        level: ShareLevel,
        now: i64,
        expires_unix: Option<i64>,
    ) -> Result<ShareId, StoreError>;

    /// Changes how much a current share shows, at once for every read after.
    async fn set_share_level(
        &self,
        owner: Owner,
        id: ShareId,
        level: ShareLevel,
    ) -> Result<(), StoreError>;

    /// Ends a share at `now`; no grant is minted from it after. Ending one
    /// already ended is `NotFound`.
    async fn revoke_share(&self, owner: Owner, id: ShareId, now: i64) -> Result<(), StoreError>;

    /// The shares `owner` made, current and ended, oldest first.
    async fn shares_of(&self, owner: Owner) -> Result<Vec<Share>, StoreError>;

    /// The share `id` when it is for `viewer` and current at `now`.
    async fn grant_row(
        &self,
        viewer: Owner,
        id: ShareId,
        now: i64,
    ) -> Result<Option<GrantRow>, StoreError>;

    /// What the grant shows of its owner's finished RDP results, newest
    /// first, at the grant's level as the share stands now; appends one
    /// audit row (`scores`) in the same transaction. `NotFound` when the
    /// share has ended since the grant was minted (nothing is read, nothing
    /// logged).
    async fn shared_scores(&self, grant: &Grant, now: i64)
    -> Result<Vec<SharedScores>, StoreError>;

    /// Every read through `owner`'s shares, oldest first.
    async fn audit_trail(&self, owner: Owner) -> Result<Vec<AuditEntry>, StoreError>;
}

//! Shares of a person's data with a counsellor, and the reads through
//! them, each of which leaves an audit row.

use async_trait::async_trait;

use tandem_core::safety::ScreenSummary;

use crate::shares::{Client, Scope, SharedAdministration, SharedSafetyResult};
use crate::{Grant, GrantRow, Owner, SafetyScreenId, Share, ShareId, StoreError};

/// Shares made, changed and ended by their owner, accepted by an approved
/// counsellor; reads through a [`Grant`].
#[async_trait]
pub trait Shares: Send + Sync {
    /// Keeps a counsellor share of `owner`'s data with `scope`, waiting for
    /// the code that hashes to `code_hash` to be accepted before
    /// `code_expires_unix`, shown until `expires_unix` if given. `Invalid`
    /// for a scope that does not hold together or an end not after `now`;
    /// `NotFound` for a relationship in the scope that is not the owner's.
    async fn create_share(
        &self,
        owner: Owner,
        scope: &Scope,
        code_hash: &[u8; 32],
        now: i64,
        expires_unix: Option<i64>,
    ) -> Result<ShareId, StoreError>;

    /// Accepts the share whose code hashes to `code_hash`, for `viewer`,
    /// who must be an approved counsellor (`Conflict` otherwise); the code
    /// is used up in the same transaction.
    /// [`crate::shares::no_such_code`] for whatever makes the code unusable
    /// (unknown, used, expired, revoked, or one's own).
    async fn accept_share(
        &self,
        viewer: Owner,
        code_hash: &[u8; 32],
        now: i64,
    ) -> Result<ShareId, StoreError>;

    /// Changes what a share not yet ended shows, at once for every read
    /// after. `NotFound` as [`Shares::revoke_share`]; `Invalid` and
    /// `NotFound` for the scope as [`Shares::create_share`].
    async fn set_share_scope(
        &self,
        owner: Owner,
        id: ShareId,
        scope: &Scope,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Ends a share at `now`; no grant is minted from it after, and its
    /// code no longer works. Ending one already ended is `NotFound`.
    async fn revoke_share(&self, owner: Owner, id: ShareId, now: i64) -> Result<(), StoreError>;

    /// The shares `owner` made, waiting, current and ended, oldest first.
    async fn shares_of(&self, owner: Owner) -> Result<Vec<Share>, StoreError>;

    /// The share `id` when it is for `viewer` and current at `now`.
    async fn grant_row(
        &self,
        viewer: Owner,
        id: ShareId,
        now: i64,
    ) -> Result<Option<GrantRow>, StoreError>;

    /// The clients whose current shares `viewer` follows at `now`, oldest
    /// share first.
    async fn clients(&self, viewer: Owner, now: i64) -> Result<Vec<Client>, StoreError>;

    /// What the grant shows of its owner's finished administrations,
    /// oldest first, as the share's scope stands now; appends one audit row
    /// (`results`) in the same transaction. `NotFound` when the share has
    /// ended since the grant was minted (nothing is read, nothing logged).
    async fn shared_results(
        &self,
        grant: &Grant,
        now: i64,
    ) -> Result<Vec<SharedAdministration>, StoreError>;

    /// Shows the counsellor of `owner`'s current share `id` the result of
    /// one of `owner`'s finished safety screens, `summary` (which the
    /// caller read from that screen), sealed, and appends `SafetyShared`
    /// to the owner's chain. A share shows one, once: `Conflict` after
    /// that ([`crate::shares::shown_already`]). `NotFound` for a share not
    /// theirs or not current, or a screen not theirs;
    /// [`crate::shares::unfinished`] for a screen not finished. The
    /// shared result goes with the share and with the screen.
    async fn share_safety_result(
        &self,
        owner: Owner,
        id: ShareId,
        screen: SafetyScreenId,
        summary: ScreenSummary,
        now: i64,
    ) -> Result<SharedSafetyResult, StoreError>;

    /// The safety result the grant's owner showed through it, if any;
    /// reading one appends a `Read` of `safety result` to the owner's
    /// chain in the same transaction. `NotFound` as
    /// [`Shares::shared_results`].
    async fn shared_safety_result(
        &self,
        grant: &Grant,
        now: i64,
    ) -> Result<Option<SharedSafetyResult>, StoreError>;

    /// Appends a `Read` of `detail` to the grant's owner's chain, in a
    /// transaction that checks the share is current, and returns its scope
    /// as it stands: for reads the store makes after it (see
    /// [`crate::Store::shared_work`]), so no such read goes unlogged.
    /// `NotFound` when the share has ended (nothing is logged).
    async fn log_shared_read(
        &self,
        grant: &Grant,
        now: i64,
        detail: &str,
    ) -> Result<Scope, StoreError>;
}

//! The traits an engine implements, grouped by job. Each takes the access
//! value its job needs: a person's own data an [`Owner`](crate::Owner), which only
//! [`crate::Store`] mints. Where an engine must name a user it has not been
//! handed an owner for (a session lookup, the backfill's list), it returns
//! a row with a bare [`UserId`], which reaches nothing.

mod accounts;
mod answers;
mod audit;
mod counsel;
mod links;
mod passkeys;
mod plans;
mod relationships;
mod research;
mod safety;
mod sessions;
mod shares;

use std::path::Path;

use async_trait::async_trait;

pub use accounts::{Accounts, Preferences, RecoveryCodes};
pub use answers::{Administrations, KeptScores, UnscoredRow};
pub use audit::AuditLog;
pub use counsel::Counsel;
pub use links::Links;
pub use passkeys::Passkeys;
pub use plans::{Exercises, Plans, SupportMap};
pub use relationships::Relationships;
pub use research::ResearchData;
pub use safety::SafetyScreens;
pub use sessions::{NewSessionRow, SessionRow, Sessions, Throttle};
pub use shares::Shares;

use crate::copy::{Export, TableCheck};
use crate::{Operator, StoreError, UserId};

/// The operator's work on a whole store: a checked backup, rotating the
/// server key, the engine's own consistency check, and moving every table
/// to another engine (`export`, then the other's `import`).
#[async_trait]
pub trait Operations: Send + Sync {
    /// Writes a checked snapshot of the whole store to `dest`, which must not
    /// exist yet.
    async fn backup(&self, operator: &Operator, dest: &Path) -> Result<(), StoreError>;

    /// Replaces the server key and re-wraps every data key with it; the
    /// number re-wrapped.
    async fn rotate_key(&self, operator: &Operator) -> Result<usize, StoreError>;

    /// The engine's own consistency check; `Ok` only when it finds nothing.
    async fn integrity_check(&self, operator: &Operator) -> Result<(), StoreError>;

    /// Approves the counsellor account `name` at `now`, so it can accept
    /// shares. `NotFound` for no such account; `Conflict` for one that is
    /// not a counsellor's. Approving twice keeps the first time.
    async fn approve_counsellor(
        &self,
        operator: &Operator,
        name: &crate::UserName,
        now: i64,
    ) -> Result<(), StoreError>;

    /// One consistent snapshot of every table of [`crate::copy::TABLES`],
    /// read a table at a time; it holds a read transaction until dropped.
    async fn export(&self, operator: &Operator) -> Result<Box<dyn Export>, StoreError>;

    /// Copies every table of `from` into this store, in one transaction:
    /// refused (`Conflict`, nothing written) unless every table but `meta`
    /// is empty and the source's key check opens with this store's server
    /// key; ids kept as they are (identities restarted past them); then
    /// every table read back and its count and digest compared with what
    /// was written before the commit. The checks, a table each.
    async fn import(
        &self,
        operator: &Operator,
        from: &mut dyn Export,
    ) -> Result<Vec<TableCheck>, StoreError>;
}

/// Everything one engine does: every job's trait, and its own upkeep.
#[async_trait]
pub trait Engine:
    Accounts
    + RecoveryCodes
    + Preferences
    + Sessions
    + Throttle
    + Administrations
    + KeptScores
    + Relationships
    + Links
    + Plans
    + Exercises
    + SupportMap
    + SafetyScreens
    + ResearchData
    + Shares
    + Passkeys
    + AuditLog
    + Counsel
    + Operations
{
    /// The terminal's one user, created on first use.
    async fn local_user_id(&self) -> Result<UserId, StoreError>;

    /// How many times a connection was handed out: each is one statement or
    /// one transaction. Tests read it to bound the work one request does.
    fn acquisitions(&self) -> u64;

    /// Where the data lives, for an engine that keeps it in a file.
    fn path(&self) -> Option<&Path>;

    /// Closes every connection, flushing what is written.
    async fn close(&self);
}

//! Sessions and throttling: what every app instance on one database must
//! see the same.

use async_trait::async_trait;

use crate::throttle::{Attempt, Limits, Ticket};
use crate::{Owner, StoreError, UserId};

/// A session as the engine finds it: its user by bare id.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// Whose session it is.
    pub user: UserId,
    /// The token forms of this session carry.
    pub csrf_token: String,
    /// The SHA-256 of the session token in hex: the session's id.
    pub token_hash_hex: String,
    /// When it began (unix seconds).
    pub created_unix: i64,
    /// When it was last seen (unix seconds, at most a minute old).
    pub last_seen_unix: i64,
    /// The browser and system it was made from.
    pub label: String,
    /// Whether it began with a second factor.
    pub second_factor: bool,
}

impl std::fmt::Debug for SessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRow")
            .field("user", &self.user)
            .field("csrf_token", &"[redacted]")
            .field("token_hash_hex", &self.token_hash_hex)
            .finish_non_exhaustive()
    }
}

/// A session just made, before [`crate::Store`] names its owner.
#[derive(Clone, PartialEq, Eq)]
pub struct NewSessionRow {
    /// The session token: 64 hex digits of 32 random bytes.
    pub token: String,
    /// The token that state-changing forms of this session must carry.
    pub csrf_token: String,
}

impl std::fmt::Debug for NewSessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewSessionRow { .. }")
    }
}

/// Server-side sessions. The lookups return rows with bare ids; only [`crate::Store`] turns a live one into an [`Owner`].
#[async_trait]
pub trait Sessions: Send + Sync {
    /// Begins a session for this user (at sign-in: a new token every time,
    /// never one the browser brought). `NotFound` when the user does not exist.
    async fn new_session(
        &self,
        user: UserId,
        label: &str,
        second_factor: bool,
        now: i64,
    ) -> Result<NewSessionRow, StoreError>;

    /// The live session of this token. `None` when there is none, or when it
    /// has been idle for `idle_secs` or has lasted `absolute_secs` by `now`;
    /// an expired session is deleted on the way. A live one is marked as
    /// seen at `now` (at most once a minute).
    async fn session_row(
        &self,
        token: &str,
        now: i64,
        idle_secs: i64,
        absolute_secs: i64,
    ) -> Result<Option<SessionRow>, StoreError>;

    /// Ends the session of this token (sign-out). Ending one that is already
    /// gone is not an error: the outcome is the same.
    async fn end_session(&self, token: &str) -> Result<(), StoreError>;

    /// This user's sessions, newest first. Expired ones are listed until
    /// [`Sessions::prune_sessions`](crate::engine::Sessions::prune_sessions) or a lookup removes them.
    async fn session_rows_of(&self, user: Owner) -> Result<Vec<SessionRow>, StoreError>;

    /// Ends every session of this user but the one of `keep_token`; returns
    /// how many were ended.
    async fn end_other_sessions(&self, user: Owner, keep_token: &str) -> Result<u64, StoreError>;

    /// Ends one of this user's sessions, named as in
    /// [`SessionInfo::token_hash_hex`](crate::SessionInfo::token_hash_hex). `NotFound` when this user has no such
    /// session (another user's session looks the same as none); sessions are
    /// named by hash, not number, so the error's id is 0.
    async fn end_session_by_id(&self, user: Owner, token_hash_hex: &str) -> Result<(), StoreError>;

    /// Ends every session of this user; returns how many were ended.
    async fn end_all_sessions(&self, user: Owner) -> Result<u64, StoreError>;

    /// Deletes every session, of anyone, that is expired by `now` under the
    /// same rules as [`Store::session`](crate::Store::session); returns how many. Sessions that are
    /// never used again are removed only by this.
    async fn prune_sessions(
        &self,
        now: i64,
        idle_secs: i64,
        absolute_secs: i64,
    ) -> Result<u64, StoreError>;
}

/// Throttling sign-ins and password checks as one atomic decision per attempt, counted in the database so that every app instance sees the same count.
#[async_trait]
pub trait Throttle: Send + Sync {
    /// The key under which attempts about `text` (a name, an address) are
    /// counted: `kind:` and a keyed hash, never the text itself. Names are
    /// compared without case.
    async fn throttle_key(&self, kind: &str, text: &str) -> Result<String, StoreError>;

    /// Decides, in one write, whether an attempt on `account` (from
    /// `address`) may check a password now; an allowed one is recorded as a
    /// failure at once, until [`Throttle::attempt_succeeded`](crate::engine::Throttle::attempt_succeeded) says otherwise.
    async fn reserve_attempt(
        &self,
        account: Option<&str>,
        address: Option<&str>,
        now: i64,
        limits: Limits,
    ) -> Result<Attempt, StoreError>;

    /// The reserved attempt succeeded: it is no failure, and the account's
    /// run of failures ends.
    async fn attempt_succeeded(&self, ticket: Ticket) -> Result<(), StoreError>;

    /// The reserved attempt never checked a password (the server was busy):
    /// it is no failure, and the account's run of failures stays as it was.
    async fn release_attempt(&self, ticket: Ticket) -> Result<(), StoreError>;

    /// Records one failed sign-in at `now` under each key, in one transaction.
    async fn record_login_failure(&self, keys: &[&str], now: i64) -> Result<(), StoreError>;

    /// How many failures this key has at or after `since`.
    async fn recent_failures(&self, key: &str, since: i64) -> Result<u64, StoreError>;

    /// Forgets this key's failures (after a successful sign-in, say).
    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError>;

    /// Deletes every failure older than `before`; returns how many. Addresses
    /// are personal data, so they are kept no longer than throttling needs.
    async fn prune_login_failures(&self, before: i64) -> Result<u64, StoreError>;
}

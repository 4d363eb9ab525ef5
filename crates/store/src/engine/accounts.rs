//! Accounts, their recovery codes and a person's own settings.

use async_trait::async_trait;
use tandem_core::moments::TimeZoneName;

use crate::{AccountRole, Owner, RecoveryHash, Standing, StoreError, UserId, UserName};

/// Accounts: making one, finding it by name for sign-in, its password hash, its name, deleting it with everything of theirs, and the terminal's one user.
#[async_trait]
pub trait Accounts: Send + Sync {
    /// Creates an account that can sign in. A name already in use gives
    /// [`StoreError::Conflict`] with [`AccountError::NameTaken`](crate::AccountError::NameTaken)'s message.
    async fn create_account(
        &self,
        name: &UserName,
        password_hash: &str,
        now: i64,
    ) -> Result<UserId, StoreError> {
        self.create_account_as(name, password_hash, AccountRole::Person, now)
            .await
    }

    /// Creates an account with a role, as [`Accounts::create_account`]; a
    /// counsellor's waits for the operator's approval.
    async fn create_account_as(
        &self,
        name: &UserName,
        password_hash: &str,
        role: AccountRole,
        now: i64,
    ) -> Result<UserId, StoreError>;

    /// The account's role and approval.
    async fn standing(&self, user: Owner) -> Result<Standing, StoreError>;

    /// The account of this name and its password hash; `None` when there is
    /// no such account, or the user cannot sign in (has no password hash).
    async fn account_by_name(
        &self,
        name: &UserName,
    ) -> Result<Option<(UserId, String)>, StoreError>;

    /// This user's password hash; `NotFound` when the user does not exist or
    /// has no password (the terminal's user).
    async fn password_hash(&self, user: Owner) -> Result<String, StoreError>;

    /// Replaces this user's password hash. Ending their other sessions is the
    /// caller's decision (see [`Sessions::end_other_sessions`](crate::engine::Sessions::end_other_sessions)).
    async fn set_password_hash(&self, user: Owner, hash: &str) -> Result<(), StoreError>;

    /// This user's name, including the terminal's `local`.
    async fn user_name(&self, user: Owner) -> Result<String, StoreError>;

    /// Deletes the user and everything of theirs, in one transaction: their
    /// data key, administrations with the answers, safety screens with the
    /// answers, support map, plan, exercises, sessions (all by `ON DELETE
    /// CASCADE`), and the failed sign-ins counted against their name.
    /// `secure_delete` overwrites the freed pages, and with the data key gone
    /// no sealed text of theirs left anywhere in the file could be opened.
    /// Their audit chain goes too, leaving a tombstone at `now` in the
    /// operator's; each partner's chain records the link's end.
    async fn delete_account(&self, user: Owner, now: i64) -> Result<(), StoreError>;
}

/// Recovery codes, kept as hashes only: the sign-in path looks one up by the unverified account's id, the rest take the owner.
#[async_trait]
pub trait RecoveryCodes: Send + Sync {
    /// Replaces every recovery code of `user` with `codes`, in one
    /// transaction: the old ones stop working as the new ones start.
    /// `NotFound` when there is no such user.
    async fn replace_recovery_codes(
        &self,
        user: Owner,
        codes: &[RecoveryHash],
        now: i64,
    ) -> Result<(), StoreError>;

    /// The hash of `user`'s code with this selector, if they have one.
    async fn recovery_hash(
        &self,
        user: UserId,
        selector: &str,
    ) -> Result<Option<String>, StoreError>;

    /// Uses up a code: `true` when it was still there (and now is not), so
    /// two requests racing with one code cannot both succeed.
    async fn use_recovery_code(&self, user: Owner, selector: &str) -> Result<bool, StoreError>;

    /// Gets `user` back in with the code `selector`, in one transaction:
    /// the code is spent, the password set to `new_hash`, and every session
    /// ended (with whatever they held). `false`, and nothing changed, when
    /// the code was already spent — two requests racing with one code
    /// cannot both win.
    async fn recover_with_code(
        &self,
        user: UserId,
        selector: &str,
        new_hash: &str,
    ) -> Result<bool, StoreError>;

    /// How many unused codes `user` has.
    async fn recovery_codes_left(&self, user: Owner) -> Result<u64, StoreError>;
}

/// A person's own settings (their time zone, sealed).
#[async_trait]
pub trait Preferences: Send + Sync {
    /// The time zone `owner` chose; `None` if they never chose one (pages
    /// then show UTC). A name a later time zone database no longer knows
    /// reads as UTC, so a page never fails over it. `NotFound` when there
    /// is no such user.
    async fn time_zone(&self, owner: Owner) -> Result<Option<TimeZoneName>, StoreError>;

    /// Keeps `zone` as `owner`'s time zone. The name is padded before
    /// sealing, so the sealed length does not tell which zone it is.
    async fn set_time_zone(&self, owner: Owner, zone: &TimeZoneName) -> Result<(), StoreError>;
}

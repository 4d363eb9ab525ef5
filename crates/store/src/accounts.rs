//! Accounts for the web app: user names parsed once at the edge, the
//! password hash kept as the PHC string the web crate made, and the deletion
//! of an account with everything of theirs.
//!
//! Hashing and checking passwords is the web crate's work; the store never
//! sees a password.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::{Owner, Store, StoreError, UserId};

/// The name of the terminal's one user, which no account may take.
const RESERVED: &str = "local";
const MIN_LEN: usize = 3;
const MAX_LEN: usize = 40;

/// Why a user name or an account was refused. The messages are written for
/// the person signing up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// Too short, too long, or a character outside a–z, 0–9, `.`, `-`, `_`.
    #[error("A user name needs 3 to 40 letters, digits, dots, dashes or underscores.")]
    NameShape,
    /// The name is kept for the terminal's own user.
    #[error("That name is reserved.")]
    NameReserved,
    /// Another account has the name. The store reports this as
    /// [`StoreError::Conflict`] carrying this message.
    #[error("That name is taken.")]
    NameTaken,
}

/// A user name that can belong to an account: trimmed, lowercased, 3 to 40 of
/// `a`–`z`, `0`–`9`, `.`, `-`, `_`, and not the reserved `local`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct UserName(String);

impl UserName {
    /// Parses what a person typed. Case is folded (ASCII only, so that no
    /// look-alike letter folds into a name that someone else holds).
    pub fn parse(raw: &str) -> Result<Self, AccountError> {
        let name = raw.trim().to_ascii_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        // Every allowed character is one byte, so the byte length is the count.
        if !(MIN_LEN..=MAX_LEN).contains(&name.len()) || !name.chars().all(allowed) {
            return Err(AccountError::NameShape);
        }
        if name == RESERVED {
            return Err(AccountError::NameReserved);
        }
        Ok(Self(name))
    }

    /// The name as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UserName {
    type Error = AccountError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl Serialize for UserName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl fmt::Display for UserName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A PHC string begins with `$`; this catches a password passed by mistake
/// where its hash belongs (most of them, at least) before it is written down.
pub(crate) fn check_phc(password_hash: &str) -> Result<(), StoreError> {
    if password_hash.starts_with('$') {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "password_hash",
            "a password hash must be a PHC string such as $argon2id$…",
        ))
    }
}

impl Store {
    /// Creates an account that can sign in. A name already in use gives
    /// [`StoreError::Conflict`] with [`AccountError::NameTaken`]'s message.
    pub async fn create_account(
        &self,
        name: &UserName,
        password_hash: &str,
        now: i64,
    ) -> Result<UserId, StoreError> {
        check_phc(password_hash)?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO users (id, name, password_hash, created_unix) VALUES (
                 max((SELECT coalesce(max(id), 0) FROM users),
                     (SELECT coalesce(max(id), 0) FROM high_water WHERE tbl = 'users')) + 1,
                 ?, ?, ?)
             ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(name.as_str())
        .bind(password_hash)
        .bind(now)
        .fetch_optional(&self.writer)
        .await?;
        id.map(UserId)
            .ok_or_else(|| StoreError::Conflict(AccountError::NameTaken.to_string()))
    }

    /// The account of this name and its password hash; `None` when there is
    /// no such account, or the user cannot sign in (has no password hash).
    pub async fn account_by_name(
        &self,
        name: &UserName,
    ) -> Result<Option<(UserId, String)>, StoreError> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, password_hash FROM users WHERE name = ? AND password_hash IS NOT NULL",
        )
        .bind(name.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, hash)| (UserId(id), hash)))
    }

    /// This user's password hash; `NotFound` when the user does not exist or
    /// has no password (the terminal's user).
    pub async fn password_hash(&self, user: Owner) -> Result<String, StoreError> {
        let user = user.id();
        let hash: Option<String> = sqlx::query_scalar(
            "SELECT password_hash FROM users WHERE id = ? AND password_hash IS NOT NULL",
        )
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await?;
        hash.ok_or(StoreError::NotFound {
            what: "account",
            id: user.0,
        })
    }

    /// Replaces this user's password hash. Ending their other sessions is the
    /// caller's decision (see [`Store::end_other_sessions`]).
    pub async fn set_password_hash(&self, user: Owner, hash: &str) -> Result<(), StoreError> {
        let user = user.id();
        check_phc(hash)?;
        let changed = sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(hash)
            .bind(user.0)
            .execute(&self.writer)
            .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "user",
                id: user.0,
            });
        }
        Ok(())
    }

    /// This user's name, including the terminal's `local`.
    pub async fn user_name(&self, user: Owner) -> Result<String, StoreError> {
        let user = user.id();
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE id = ?")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?;
        name.ok_or(StoreError::NotFound {
            what: "user",
            id: user.0,
        })
    }

    /// Deletes the user and everything of theirs, in one transaction: their
    /// data key, administrations with the answers, safety screens with the
    /// answers, support map, plan, exercises, sessions (all by `ON DELETE
    /// CASCADE`), and the failed sign-ins counted against their name.
    /// `secure_delete` overwrites the freed pages, and with the data key gone
    /// no sealed text of theirs left anywhere in the file could be opened.
    pub async fn delete_account(&self, user: Owner) -> Result<(), StoreError> {
        let user = user.id();
        // The throttle counts a name under a keyed hash of it (no foreign
        // key: unknown names are throttled too). The key is made before the
        // transaction, which holds the one writer the hashing secret may need.
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE id = ?")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?;
        let throttled = match &name {
            Some(name) => Some(self.throttle_key("user", name).await?),
            None => None,
        };
        self.deleting_user(user, async {
            let mut tx = self.writer.begin().await?;
            if let Some(key) = &throttled {
                sqlx::query("DELETE FROM login_failures WHERE key = ?")
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
            }
            let gone = sqlx::query("DELETE FROM users WHERE id = ?")
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
            if gone.rows_affected() == 0 {
                return Err(StoreError::NotFound {
                    what: "user",
                    id: user.0,
                });
            }
            tx.commit().await?;
            // The account's old pages live on in the WAL, and in the
            // database file until a checkpoint copies the zeroed versions
            // (`secure_delete`) over them; as for a deleted safety screen, a
            // truncating checkpoint now leaves nothing of it in any file.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.writer)
                .await?;
            Ok(())
        })
        .await
    }
}

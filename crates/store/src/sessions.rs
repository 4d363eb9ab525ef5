//! Server-side sessions for the web app. A session token is 256 random bits
//! that only the browser keeps; the database holds its SHA-256, so reading
//! the file (or a backup of it) gives no one a way in. Timeouts are checked
//! against a clock the caller passes in.

use std::fmt;

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Owner, Store, StoreError, UserId};

/// Random bytes in a session token and in a CSRF token.
const TOKEN_BYTES: usize = 32;

/// `last_seen_unix` is written at most this often, so that a busy session
/// does not turn every read into a write. The idle timeout therefore counts
/// from a moment up to this much earlier than the last request.
const TOUCH_EVERY_SECS: i64 = 60;

/// A session just made. The token goes into the cookie and nowhere else.
#[derive(Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The session token: 64 hex digits of 32 random bytes.
    pub token: String,
    /// The token that state-changing forms of this session must carry:
    /// 64 hex digits of 32 random bytes.
    pub csrf_token: String,
    /// Whose session it is: the request that made it acts for them.
    pub owner: Owner,
}

impl fmt::Debug for NewSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSession")
            .field("token", &"[redacted]")
            .field("csrf_token", &"[redacted]")
            .finish()
    }
}

/// A live session as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// Whose session it is.
    pub user: Owner,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// The token's SHA-256 in hex: names the session in the list of a
    /// person's sessions without revealing the token.
    pub token_hash_hex: String,
    /// When it began (unix seconds).
    pub created_unix: i64,
    /// When it was last used (unix seconds; updated at most once a minute).
    pub last_seen_unix: i64,
    /// Such as "Chrome on Linux".
    pub label: String,
}

impl fmt::Debug for SessionInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionInfo")
            .field("user", &self.user)
            .field("csrf_token", &"[redacted]")
            .field("token_hash_hex", &self.token_hash_hex)
            .field("created_unix", &self.created_unix)
            .field("last_seen_unix", &self.last_seen_unix)
            .field("label", &self.label)
            .finish()
    }
}

fn random_hex() -> Result<String, StoreError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|err| StoreError::Crypto(format!("no randomness for a token: {err}")))?;
    Ok(to_hex(&bytes))
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|byte| {
            [
                char::from(DIGITS[usize::from(byte >> 4)]),
                char::from(DIGITS[usize::from(byte & 0x0f)]),
            ]
        })
        .collect()
}

/// Decodes exactly 64 hex digits (either case); anything else is `None`.
fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 2 * TOKEN_BYTES {
        return None;
    }
    // `to_digit` rather than `u8::from_str_radix`, which would take a sign.
    let digit = |byte: u8| {
        char::from(byte)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    hex.as_bytes()
        .chunks_exact(2)
        .map(|pair| Some((digit(pair[0])? << 4) | digit(pair[1])?))
        .collect()
}

/// The stored form of a token. Only the shape of a token this store makes
/// is accepted; anything else cannot be a session and costs no query.
pub(crate) fn token_hash(token: &str) -> Option<Vec<u8>> {
    from_hex(token)?;
    Some(Sha256::digest(token.as_bytes()).to_vec())
}

/// The id a session has in [`SessionInfo::token_hash_hex`], from its token:
/// lets a page mark the session it was asked from in the list.
pub fn token_hash_hex(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

fn session_from(row: &sqlx::sqlite::SqliteRow) -> Result<SessionInfo, StoreError> {
    let hash: Vec<u8> = row.try_get("token_hash")?;
    Ok(SessionInfo {
        user: Owner::vouched(UserId(row.try_get("user_id")?)),
        csrf_token: row.try_get("csrf_token")?,
        token_hash_hex: to_hex(&hash),
        created_unix: row.try_get("created_unix")?,
        last_seen_unix: row.try_get("last_seen_unix")?,
        label: row.try_get("label")?,
    })
}

impl Store {
    /// Begins a session for this user (at sign-in: a new token every time,
    /// never one the browser brought). `NotFound` when the user does not exist.
    pub async fn create_session(
        &self,
        user: UserId,
        label: &str,
        now: i64,
    ) -> Result<NewSession, StoreError> {
        let token = random_hex()?;
        let csrf_token = random_hex()?;
        let hash = Sha256::digest(token.as_bytes()).to_vec();
        let made = sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_unix, last_seen_unix, label)
             SELECT ?, id, ?, ?, ?, ? FROM users WHERE id = ?",
        )
        .bind(hash)
        .bind(&csrf_token)
        .bind(now)
        .bind(now)
        .bind(label)
        .bind(user.0)
        .execute(&self.writer)
        .await?;
        if made.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "user",
                id: user.0,
            });
        }
        Ok(NewSession {
            token,
            csrf_token,
            owner: Owner::vouched(user),
        })
    }

    /// The live session of this token. `None` when there is none, or when it
    /// has been idle for `idle_secs` or has lasted `absolute_secs` by `now`;
    /// an expired session is deleted on the way. A live one is marked as
    /// seen at `now` (at most once a minute).
    pub async fn session(
        &self,
        token: &str,
        now: i64,
        idle_secs: i64,
        absolute_secs: i64,
    ) -> Result<Option<SessionInfo>, StoreError> {
        let Some(hash) = token_hash(token) else {
            return Ok(None);
        };
        let row = sqlx::query(
            "SELECT token_hash, user_id, csrf_token, created_unix, last_seen_unix, label
             FROM sessions WHERE token_hash = ?",
        )
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut info = session_from(&row)?;
        let idle = now.saturating_sub(info.last_seen_unix) >= idle_secs;
        let too_old = now.saturating_sub(info.created_unix) >= absolute_secs;
        if idle || too_old {
            sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
                .bind(&hash)
                .execute(&self.writer)
                .await?;
            return Ok(None);
        }
        if now.saturating_sub(info.last_seen_unix) >= TOUCH_EVERY_SECS {
            // `max` keeps a slower concurrent request from moving it back.
            sqlx::query(
                "UPDATE sessions SET last_seen_unix = max(last_seen_unix, ?) WHERE token_hash = ?",
            )
            .bind(now)
            .bind(&hash)
            .execute(&self.writer)
            .await?;
            info.last_seen_unix = now;
        }
        Ok(Some(info))
    }

    /// Ends the session of this token (sign-out). Ending one that is already
    /// gone is not an error: the outcome is the same.
    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        let Some(hash) = token_hash(token) else {
            return Ok(());
        };
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// This user's sessions, newest first. Expired ones are listed until
    /// [`Store::prune_sessions`] or a lookup removes them.
    pub async fn sessions_of(&self, user: Owner) -> Result<Vec<SessionInfo>, StoreError> {
        let user = user.id();
        sqlx::query(
            "SELECT token_hash, user_id, csrf_token, created_unix, last_seen_unix, label
             FROM sessions WHERE user_id = ? ORDER BY created_unix DESC, rowid DESC",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(session_from)
        .collect()
    }

    /// Ends every session of this user but the one of `keep_token`; returns
    /// how many were ended.
    pub async fn end_other_sessions(
        &self,
        user: Owner,
        keep_token: &str,
    ) -> Result<u64, StoreError> {
        let user = user.id();
        let keep = token_hash(keep_token).unwrap_or_default();
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?")
            .bind(user.0)
            .bind(keep)
            .execute(&self.writer)
            .await?;
        Ok(ended.rows_affected())
    }

    /// Ends one of this user's sessions, named as in
    /// [`SessionInfo::token_hash_hex`]. `NotFound` when this user has no such
    /// session (another user's session looks the same as none); sessions are
    /// named by hash, not number, so the error's id is 0.
    pub async fn end_session_by_id(
        &self,
        user: Owner,
        token_hash_hex: &str,
    ) -> Result<(), StoreError> {
        let user = user.id();
        let not_found = StoreError::NotFound {
            what: "session",
            id: 0,
        };
        let Some(hash) = from_hex(token_hash_hex) else {
            return Err(not_found);
        };
        let ended = sqlx::query("DELETE FROM sessions WHERE token_hash = ? AND user_id = ?")
            .bind(hash)
            .bind(user.0)
            .execute(&self.writer)
            .await?;
        if ended.rows_affected() == 0 {
            return Err(not_found);
        }
        Ok(())
    }

    /// Ends every session of this user; returns how many were ended.
    pub async fn end_all_sessions(&self, user: Owner) -> Result<u64, StoreError> {
        let user = user.id();
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(user.0)
            .execute(&self.writer)
            .await?;
        Ok(ended.rows_affected())
    }

    /// Deletes every session, of anyone, that is expired by `now` under the
    /// same rules as [`Store::session`]; returns how many. Sessions that are
    /// never used again are removed only by this.
    pub async fn prune_sessions(
        &self,
        now: i64,
        idle_secs: i64,
        absolute_secs: i64,
    ) -> Result<u64, StoreError> {
        let pruned = sqlx::query(
            "DELETE FROM sessions WHERE ? - last_seen_unix >= ? OR ? - created_unix >= ?",
        )
        .bind(now)
        .bind(idle_secs)
        .bind(now)
        .bind(absolute_secs)
        .execute(&self.writer)
        .await?;
        Ok(pruned.rows_affected())
    }
}

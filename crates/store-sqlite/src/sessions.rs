//! Server-side sessions for the web app. A session token is 256 random bits
//! that only the browser keeps; the database holds its SHA-256, so reading
//! the file (or a backup of it) gives no one a way in. Timeouts are checked
//! against a clock the caller passes in.

use sha2::{Digest, Sha256};
use sqlx::Row;

use tandem_store::audit::{AuditKind, Event, sign_in_detail};

use crate::prelude::*;

/// `last_seen_unix` is written at most this often, so that a busy session
/// does not turn every read into a write. The idle timeout therefore counts
/// from a moment up to this much earlier than the last request.
const TOUCH_EVERY_SECS: i64 = 60;

fn session_from(row: &sqlx::sqlite::SqliteRow) -> Result<SessionRow, StoreError> {
    let hash: Vec<u8> = row.try_get("token_hash")?;
    Ok(SessionRow {
        user: UserId(row.try_get("user_id")?),
        csrf_token: row.try_get("csrf_token")?,
        token_hash_hex: to_hex(&hash),
        created_unix: row.try_get("created_unix")?,
        last_seen_unix: row.try_get("last_seen_unix")?,
        label: row.try_get("label")?,
        second_factor: row.try_get("second_factor")?,
    })
}

#[async_trait::async_trait]
impl tandem_store::engine::Sessions for SqliteStore {
    async fn new_session(
        &self,
        user: UserId,
        label: &str,
        second_factor: bool,
        now: i64,
    ) -> Result<NewSessionRow, StoreError> {
        let token = random_hex()?;
        let csrf_token = random_hex()?;
        let hash = Sha256::digest(token.as_bytes()).to_vec();
        // The sign-in and its audit entry, together.
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let actor =
            crate::audit::name_of(&mut tx, user)
                .await
                .map_err(|_| StoreError::NotFound {
                    what: "user",
                    id: user.0,
                })?;
        sqlx::query(
            "INSERT INTO sessions
                 (token_hash, user_id, csrf_token, created_unix, last_seen_unix, label,
                  second_factor)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(hash)
        .bind(user.0)
        .bind(&csrf_token)
        .bind(now)
        .bind(now)
        .bind(label)
        .bind(second_factor)
        .execute(&mut *tx)
        .await?;
        let event = Event::new(AuditKind::SignedIn, actor, sign_in_detail(second_factor));
        crate::audit::append(&mut tx, user.0, now, event).await?;
        tx.commit().await?;
        Ok(NewSessionRow { token, csrf_token })
    }

    async fn session_row(
        &self,
        token: &str,
        now: i64,
        idle_secs: i64,
        absolute_secs: i64,
    ) -> Result<Option<SessionRow>, StoreError> {
        let Some(hash) = token_hash(token) else {
            return Ok(None);
        };
        let row = sqlx::query(
            "SELECT token_hash, user_id, csrf_token, created_unix, last_seen_unix, label, second_factor
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

    async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        let Some(hash) = token_hash(token) else {
            return Ok(());
        };
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn session_rows_of(&self, user: Owner) -> Result<Vec<SessionRow>, StoreError> {
        let user = user.id();
        sqlx::query(
            "SELECT token_hash, user_id, csrf_token, created_unix, last_seen_unix, label, second_factor
             FROM sessions WHERE user_id = ? ORDER BY created_unix DESC, rowid DESC",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(session_from)
        .collect()
    }

    async fn end_other_sessions(&self, user: Owner, keep_token: &str) -> Result<u64, StoreError> {
        let user = user.id();
        let keep = token_hash(keep_token).unwrap_or_default();
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?")
            .bind(user.0)
            .bind(keep)
            .execute(&self.writer)
            .await?;
        Ok(ended.rows_affected())
    }

    async fn end_session_by_id(&self, user: Owner, token_hash_hex: &str) -> Result<(), StoreError> {
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

    async fn end_all_sessions(&self, user: Owner) -> Result<u64, StoreError> {
        let user = user.id();
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(user.0)
            .execute(&self.writer)
            .await?;
        Ok(ended.rows_affected())
    }

    async fn prune_sessions(
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

//! Throttling sign-ins and password checks as one atomic decision: an
//! attempt is reserved — counted and recorded in one write — before any
//! password is hashed, so parallel requests cannot all slip past the count.
//!
//! Per account: after [`Limits::free`] consecutive failures, each further
//! attempt must wait 2^(n − free) seconds since the last one, up to
//! [`Limits::cap_secs`]; an early attempt is refused, right password or not,
//! so a stranger can slow the owner down but not lock them out for long.
//! Per address: at most [`Limits::per_address_per_hour`] failures an hour.
//! Keys are keyed hashes (a secret of this store's, kept in `meta`), so the
//! typed name, which is sometimes a password typed in the wrong box, and
//! the address are never stored.

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::prelude::*;

/// The `meta` key of the hashing secret.
const PEPPER_KEY: &str = "throttle-pepper";

impl PgStore {
    async fn pepper(&self) -> Result<&[u8; 32], StoreError> {
        self.pepper
            .get_or_try_init(|| async {
                let mut fresh = [0u8; 32];
                getrandom::fill(&mut fresh).map_err(|err| StoreError::Crypto(err.to_string()))?;
                // Idempotent: whoever inserts first, every instance then
                // reads the same secret.
                write_tx!(self, |tx| {
                    sqlx::query(
                        "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                    )
                    .bind(PEPPER_KEY)
                    .bind(fresh.as_slice())
                    .execute(&mut *tx)
                    .await?;
                })?;
                let stored: Vec<u8> = sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
                    .bind(PEPPER_KEY)
                    .fetch_one(&self.pool)
                    .await?;
                <[u8; 32]>::try_from(stored.as_slice())
                    .map_err(|_| StoreError::Settings("the throttling secret is damaged".into()))
            })
            .await
    }
}

#[async_trait::async_trait]
impl tandem_store::engine::Throttle for PgStore {
    async fn throttle_key(&self, kind: &str, text: &str) -> Result<String, StoreError> {
        let pepper = self.pepper().await?;
        let digest = Sha256::new()
            .chain_update(pepper)
            .chain_update(kind.as_bytes())
            .chain_update([0u8])
            .chain_update(text.trim().to_lowercase().as_bytes())
            .finalize();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        Ok(format!("{kind}:{hex}"))
    }

    async fn reserve_attempt(
        &self,
        account: Option<&str>,
        address: Option<&str>,
        now: i64,
        limits: Limits,
    ) -> Result<Attempt, StoreError> {
        // The counts decide the insert, so no other reservation (of this
        // instance or another) may come between: each locks the throttling
        // secret's row first, which serializes them as SQLite's one writer
        // did. Sign-ins are few, and the password hashing happens outside.
        self.pepper().await?;
        write_tx!(self, |tx| {
            sqlx::query("SELECT key FROM meta WHERE key = $1 FOR UPDATE")
                .bind(PEPPER_KEY)
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM login_failures WHERE at_unix < $1")
                .bind(now - FORGET_AFTER_SECS)
                .execute(&mut *tx)
                .await?;
            if let Some(key) = account {
                let row = sqlx::query(
                    "SELECT count(*) AS failures, max(at_unix) AS last FROM login_failures
                     WHERE key = $1",
                )
                .bind(key)
                .fetch_one(&mut *tx)
                .await?;
                let failures: i64 = row.try_get("failures")?;
                let last: Option<i64> = row.try_get("last")?;
                let wait = backoff(&limits, u64::try_from(failures).unwrap_or(0));
                if let Some(last) = last
                    && wait > 0
                    && now < last + wait
                {
                    return Ok(Attempt::Refused {
                        retry_after: last + wait - now,
                    });
                }
            }
            if let Some(key) = address {
                let row = sqlx::query(
                    "SELECT count(*) AS failures, min(at_unix) AS first FROM login_failures
                     WHERE key = $1 AND at_unix > $2",
                )
                .bind(key)
                .bind(now - 3600)
                .fetch_one(&mut *tx)
                .await?;
                let failures: i64 = row.try_get("failures")?;
                let first: Option<i64> = row.try_get("first")?;
                if u64::try_from(failures).unwrap_or(0) >= limits.per_address_per_hour {
                    let retry_after = first.map_or(3600, |first| (first + 3600 - now).max(1));
                    return Ok(Attempt::Refused { retry_after });
                }
            }
            let mut rows = Vec::new();
            for key in account.iter().chain(address.iter()) {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO login_failures (key, at_unix) VALUES ($1, $2) RETURNING id",
                )
                .bind(*key)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                rows.push(id);
            }
            Attempt::Allowed(Ticket {
                account: account.map(str::to_owned),
                rows,
            })
        })
    }

    async fn attempt_succeeded(&self, ticket: Ticket) -> Result<(), StoreError> {
        write_tx!(self, |tx| {
            sqlx::query("DELETE FROM login_failures WHERE id = ANY($1)")
                .bind(&ticket.rows)
                .execute(&mut *tx)
                .await?;
            if let Some(key) = &ticket.account {
                sqlx::query("DELETE FROM login_failures WHERE key = $1")
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
            }
        })
    }

    async fn release_attempt(&self, ticket: Ticket) -> Result<(), StoreError> {
        write_tx!(self, |tx| {
            sqlx::query("DELETE FROM login_failures WHERE id = ANY($1)")
                .bind(&ticket.rows)
                .execute(&mut *tx)
                .await?;
        })
    }

    async fn record_login_failure(&self, keys: &[&str], now: i64) -> Result<(), StoreError> {
        // Not idempotent, but a lost commit is never retried (see `retry`).
        write_tx!(self, |tx| {
            for key in keys {
                sqlx::query("INSERT INTO login_failures (key, at_unix) VALUES ($1, $2)")
                    .bind(*key)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
        })
    }

    async fn recent_failures(&self, key: &str, since: i64) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM login_failures WHERE key = $1 AND at_unix >= $2",
        )
        .bind(key)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        write_tx!(self, |tx| {
            sqlx::query("DELETE FROM login_failures WHERE key = $1")
                .bind(key)
                .execute(&mut *tx)
                .await?;
        })
    }

    async fn prune_login_failures(&self, before: i64) -> Result<u64, StoreError> {
        let pruned = write_tx!(self, |tx| {
            sqlx::query("DELETE FROM login_failures WHERE at_unix < $1")
                .bind(before)
                .execute(&mut *tx)
                .await?
        })?;
        Ok(pruned.rows_affected())
    }
}

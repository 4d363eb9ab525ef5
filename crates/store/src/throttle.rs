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

use crate::{Store, StoreError};

/// The `meta` key of the hashing secret.
const PEPPER_KEY: &str = "throttle-pepper";

/// Failures older than this are forgotten.
pub const FORGET_AFTER_SECS: i64 = 24 * 60 * 60;

/// The throttling policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Consecutive failures per account before attempts must wait.
    pub free: u32,
    /// The longest wait between attempts on one account, in seconds.
    pub cap_secs: i64,
    /// Failures per address in an hour, across accounts.
    pub per_address_per_hour: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            free: 5,
            cap_secs: 15 * 60,
            per_address_per_hour: 50,
        }
    }
}

/// What the limiter decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Go on and check the password; report back with the ticket.
    Allowed(Ticket),
    /// Refused before any hashing: come back after this many seconds.
    Refused {
        /// Seconds to wait.
        retry_after: i64,
    },
}

/// A reserved attempt: recorded as a failure until it is known to have
/// succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    account: Option<String>,
    rows: Vec<i64>,
}

/// The wait an account with `failures` consecutive failures owes since its
/// last one.
pub fn backoff(limits: &Limits, failures: u64) -> i64 {
    let free = u64::from(limits.free);
    if failures < free {
        return 0;
    }
    let power = (failures - free).min(62);
    (1i64 << power).min(limits.cap_secs)
}

impl Store {
    async fn pepper(&self) -> Result<&[u8; 32], StoreError> {
        self.pepper
            .get_or_try_init(|| async {
                let mut fresh = [0u8; 32];
                getrandom::fill(&mut fresh).map_err(|err| StoreError::Crypto(err.to_string()))?;
                sqlx::query(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                )
                .bind(PEPPER_KEY)
                .bind(fresh.as_slice())
                .execute(&self.writer)
                .await?;
                let stored: Vec<u8> = sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
                    .bind(PEPPER_KEY)
                    .fetch_one(&self.writer)
                    .await?;
                <[u8; 32]>::try_from(stored.as_slice())
                    .map_err(|_| StoreError::Settings("the throttling secret is damaged".into()))
            })
            .await
    }

    /// The key under which attempts about `text` (a name, an address) are
    /// counted: `kind:` and a keyed hash, never the text itself. Names are
    /// compared without case.
    pub async fn throttle_key(&self, kind: &str, text: &str) -> Result<String, StoreError> {
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

    /// Decides, in one write, whether an attempt on `account` (from
    /// `address`) may check a password now; an allowed one is recorded as a
    /// failure at once, until [`Store::attempt_succeeded`] says otherwise.
    pub async fn reserve_attempt(
        &self,
        account: Option<&str>,
        address: Option<&str>,
        now: i64,
        limits: Limits,
    ) -> Result<Attempt, StoreError> {
        // Immediate: the counts decide the insert, so no writer may come between.
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("DELETE FROM login_failures WHERE at_unix < ?")
            .bind(now - FORGET_AFTER_SECS)
            .execute(&mut *tx)
            .await?;
        if let Some(key) = account {
            let row = sqlx::query(
                "SELECT count(*) AS failures, max(at_unix) AS last FROM login_failures WHERE key = ?",
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
                 WHERE key = ? AND at_unix > ?",
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
                "INSERT INTO login_failures (key, at_unix) VALUES (?, ?) RETURNING rowid",
            )
            .bind(*key)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            rows.push(id);
        }
        tx.commit().await?;
        Ok(Attempt::Allowed(Ticket {
            account: account.map(str::to_owned),
            rows,
        }))
    }

    /// The reserved attempt succeeded: it is no failure, and the account's
    /// run of failures ends.
    pub async fn attempt_succeeded(&self, ticket: Ticket) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        for row in &ticket.rows {
            sqlx::query("DELETE FROM login_failures WHERE rowid = ?")
                .bind(row)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(key) = &ticket.account {
            sqlx::query("DELETE FROM login_failures WHERE key = ?")
                .bind(key)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The reserved attempt never checked a password (the server was busy):
    /// it is no failure, and the account's run of failures stays as it was.
    pub async fn release_attempt(&self, ticket: Ticket) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        for row in &ticket.rows {
            sqlx::query("DELETE FROM login_failures WHERE rowid = ?")
                .bind(row)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records one failed sign-in at `now` under each key, in one transaction.
    pub async fn record_login_failure(&self, keys: &[&str], now: i64) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        for key in keys {
            sqlx::query("INSERT INTO login_failures (key, at_unix) VALUES (?, ?)")
                .bind(*key)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many failures this key has at or after `since`.
    pub async fn recent_failures(&self, key: &str, since: i64) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM login_failures WHERE key = ? AND at_unix >= ?",
        )
        .bind(key)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Forgets this key's failures (after a successful sign-in, say).
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE key = ?")
            .bind(key)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Deletes every failure older than `before`; returns how many. Addresses
    /// are personal data, so they are kept no longer than throttling needs.
    pub async fn prune_login_failures(&self, before: i64) -> Result<u64, StoreError> {
        let pruned = sqlx::query("DELETE FROM login_failures WHERE at_unix < ?")
            .bind(before)
            .execute(&self.writer)
            .await?;
        Ok(pruned.rows_affected())
    }
}

//! The record of failed sign-ins that login throttling counts, by key: the
//! web crate uses `user:<name>` per account and `addr:<ip>` per address.
//! Rows carry their time so a window can be counted and old ones pruned;
//! the limits themselves are the web crate's policy.

use crate::{Store, StoreError};

impl Store {
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

//! How a plan item's strategy, reason and safety mark are sealed, and the
//! one-time sealing of the plain plan items an older store kept.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::prelude::*;
use crate::seal::Sealer;
use tandem_store::contexts::plan_item_context;

/// What of a plan item is sealed: everything that could tell what the
/// person's answers said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SealedItem {
    /// The strategy (a guidance id).
    pub strategy: String,
    /// Why it was suggested (JSON made by the program).
    pub reason: serde_json::Value,
    /// Whether safety answers shaped it.
    pub from_safety: bool,
}

/// Sealed plan items are padded to a multiple of this many bytes; every
/// item the built-in guidance makes fits in one.
const BUCKET: usize = 512;

impl SealedItem {
    /// Sealed for the plan item `id`, padded with spaces (which JSON
    /// ignores) to a multiple of [`BUCKET`] bytes, so the length of the
    /// ciphertext does not tell one strategy or reason from another.
    pub(crate) fn seal(&self, key: &Sealer, id: i64) -> Result<Vec<u8>, StoreError> {
        let mut plain = serde_json::to_vec(self)
            .map_err(|err| StoreError::corrupt(format!("plan item {id}: {err}")))?;
        plain.resize(plain.len().div_ceil(BUCKET).max(1) * BUCKET, b' ');
        key.seal(&plan_item_context(id), &plain)
    }

    /// Opens what [`SealedItem::seal`] made for `id`.
    pub(crate) fn open(key: &Sealer, id: i64, sealed: &[u8]) -> Result<Self, StoreError> {
        let plain = key.open(&plan_item_context(id), sealed)?;
        serde_json::from_slice(&plain)
            .map_err(|err| StoreError::Crypto(format!("{}: {err}", plan_item_context(id))))
    }
}

impl SqliteStore {
    /// Seals the plain plan items a store from before migration 0008 kept:
    /// every row moves, with its id, into `plan_items_sealed`, which then
    /// takes the name `plan_items` — one transaction, foreign keys off for
    /// the swap and checked before it commits. Does nothing once done.
    pub(crate) async fn seal_legacy_plan_items(&self) -> Result<(), StoreError> {
        let pending: Option<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'plan_items_sealed'",
        )
        .fetch_optional(&self.pool)
        .await?;
        if pending.is_none() {
            return Ok(());
        }
        // Keys first: loading one may write, and the swap holds the writer.
        let owners: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT owner_id FROM plan_items")
            .fetch_all(&self.pool)
            .await?;
        let mut keys: HashMap<i64, Arc<Sealer>> = HashMap::new();
        for owner in owners {
            keys.insert(owner, self.data_key(UserId(owner)).await?);
        }
        let mut conn = self.writer.acquire().await?;
        sqlx::query("PRAGMA foreign_keys = OFF")
            .execute(&mut *conn)
            .await?;
        let swapped = swap(&mut conn, &keys).await;
        let restored = sqlx::query("PRAGMA foreign_keys = ON")
            .execute(&mut *conn)
            .await;
        if swapped.is_err() || restored.is_err() {
            // A connection left in any doubt is not given back to the pool.
            conn.close().await?;
        }
        swapped?;
        restored?;
        Ok(())
    }

    /// Gives `plan_items` its `relationship_id` column, once: a step here,
    /// not a migration, since the table it belongs to is the one
    /// [`seal_legacy_plan_items`](Self::seal_legacy_plan_items) puts in
    /// place after every migration has run. Checked again inside an
    /// immediate transaction, as another process may open the store at once.
    pub(crate) async fn add_plan_relationships(&self) -> Result<(), StoreError> {
        const HAS_COLUMN: &str = "SELECT COUNT(*) FROM pragma_table_info('plan_items')
             WHERE name = 'relationship_id'";
        let present: i64 = sqlx::query_scalar(HAS_COLUMN).fetch_one(&self.pool).await?;
        if present > 0 {
            return Ok(());
        }
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let present: i64 = sqlx::query_scalar(HAS_COLUMN).fetch_one(&mut *tx).await?;
        if present == 0 {
            sqlx::query(
                "ALTER TABLE plan_items
                 ADD COLUMN relationship_id INTEGER REFERENCES relationships (id)",
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "CREATE INDEX plan_items_by_relationship
                 ON plan_items (owner_id, relationship_id, status)",
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

async fn swap(
    conn: &mut sqlx::SqliteConnection,
    keys: &HashMap<i64, Arc<Sealer>>,
) -> Result<(), StoreError> {
    // Immediate, and checked again inside: another process opening the same
    // store at once may have made the swap first.
    let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
    let pending: Option<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'plan_items_sealed'",
    )
    .fetch_optional(&mut *tx)
    .await?;
    if pending.is_none() {
        return Ok(());
    }
    let rows = sqlx::query(
        "SELECT id, owner_id, strategy_id, reason, from_safety, status, position,
                created_unix, updated_unix FROM plan_items",
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        let owner: i64 = row.try_get("owner_id")?;
        let reason: String = row.try_get("reason")?;
        let item = SealedItem {
            strategy: row.try_get("strategy_id")?,
            reason: serde_json::from_str(&reason)
                .map_err(|err| StoreError::corrupt(format!("plan item {id}: reason: {err}")))?,
            from_safety: row.try_get("from_safety")?,
        };
        let key = keys.get(&owner).ok_or(StoreError::NotFound {
            what: "user",
            id: owner,
        })?;
        sqlx::query(
            "INSERT INTO plan_items_sealed
                 (id, owner_id, item_sealed, status, position, created_unix, updated_unix)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(owner)
        .bind(item.seal(key, id)?)
        .bind(row.try_get::<String, _>("status")?)
        .bind(row.try_get::<i64, _>("position")?)
        .bind(row.try_get::<i64, _>("created_unix")?)
        .bind(row.try_get::<i64, _>("updated_unix")?)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DROP TABLE plan_items")
        .execute(&mut *tx)
        .await?;
    sqlx::query("ALTER TABLE plan_items_sealed RENAME TO plan_items")
        .execute(&mut *tx)
        .await?;
    sqlx::query("CREATE INDEX plan_items_by_owner ON plan_items (owner_id, status)")
        .execute(&mut *tx)
        .await?;
    let broken: Vec<sqlx::sqlite::SqliteRow> = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut *tx)
        .await?;
    if !broken.is_empty() {
        return Err(StoreError::Settings(format!(
            "sealing plan items would break {} foreign key(s); nothing was changed",
            broken.len()
        )));
    }
    tx.commit().await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

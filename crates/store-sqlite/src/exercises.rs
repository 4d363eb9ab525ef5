//! Exercises: what a person writes while working on a strategy, kept as JSON
//! sealed with their data key, with how far they got, whether it is done,
//! and the weeks they ticked it off.

use std::collections::HashMap;

use sqlx::Row;
use zeroize::Zeroizing;

use crate::prelude::*;
use crate::seal::Sealer;
use tandem_store::contexts::content_context;
use tandem_store::exercises::{check_kind, check_progress, check_week, serialize};

fn record_from(
    key: &Sealer,
    row: &sqlx::sqlite::SqliteRow,
    ticks: Vec<String>,
) -> Result<ExerciseRecord, StoreError> {
    let id = ExerciseId(row.try_get("id")?);
    let sealed: Vec<u8> = row.try_get("content_sealed")?;
    let plain = Zeroizing::new(key.open(&content_context(id), &sealed)?);
    let plan_item: Option<i64> = row.try_get("plan_item_id")?;
    Ok(ExerciseRecord {
        id,
        kind: row.try_get("kind")?,
        plan_item: plan_item.map(PlanItemId),
        content: serde_json::from_slice(&plain)
            .map_err(|err| StoreError::corrupt(format!("exercise {id}: content: {err}")))?,
        progress: row.try_get("progress")?,
        done: row.try_get("done")?,
        created_unix: row.try_get("created_unix")?,
        updated_unix: row.try_get("updated_unix")?,
        ticks,
        shown: row.try_get("shown")?,
    })
}

/// `NotFound` unless `plan_item` is none or an item of `owner`'s plan.
async fn check_plan_item(
    db: impl sqlx::SqliteExecutor<'_>,
    owner: UserId,
    plan_item: Option<PlanItemId>,
) -> Result<(), StoreError> {
    let Some(item) = plan_item else {
        return Ok(());
    };
    let theirs: Option<i64> =
        sqlx::query_scalar("SELECT id FROM plan_items WHERE id = ? AND owner_id = ?")
            .bind(item.0)
            .bind(owner.0)
            .fetch_optional(db)
            .await?;
    match theirs {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound {
            what: "plan item",
            id: item.0,
        }),
    }
}

/// `NotFound` unless `id` is an exercise of `owner`.
async fn check_exercise(
    db: impl sqlx::SqliteExecutor<'_>,
    owner: UserId,
    id: ExerciseId,
) -> Result<(), StoreError> {
    let theirs: Option<i64> =
        sqlx::query_scalar("SELECT id FROM exercises WHERE id = ? AND owner_id = ?")
            .bind(id.0)
            .bind(owner.0)
            .fetch_optional(db)
            .await?;
    match theirs {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound {
            what: "exercise",
            id: id.0,
        }),
    }
}

#[async_trait::async_trait]
impl tandem_store::engine::Exercises for SqliteStore {
    async fn save_exercise(
        &self,
        owner: Owner,
        kind: &str,
        plan_item: Option<PlanItemId>,
        content: &serde_json::Value,
        now: i64,
    ) -> Result<ExerciseId, StoreError> {
        let owner = owner.id();
        check_kind(kind)?;
        let plain = serialize(content)?;
        // Checked before the key is loaded (a refused call changes nothing,
        // not even by making a key) and again in the transaction.
        check_plan_item(&self.pool, owner, plan_item).await?;
        let key = self.data_key(owner).await?;
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        check_plan_item(&mut *tx, owner, plan_item).await?;
        // The content is sealed under the row's id, so the row comes first;
        // the empty value never leaves this transaction.
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO exercises (owner_id, kind, plan_item_id, content_sealed, created_unix, updated_unix)
             VALUES (?, ?, ?, X'', ?, ?) RETURNING id",
        )
        .bind(owner.0)
        .bind(kind)
        .bind(plan_item.map(|item| item.0))
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id = ExerciseId(id);
        sqlx::query("UPDATE exercises SET content_sealed = ? WHERE id = ?")
            .bind(key.seal(&content_context(id), &plain)?)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_exercise(
        &self,
        owner: Owner,
        id: ExerciseId,
        content: &serde_json::Value,
        progress: i64,
        done: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        let owner = owner.id();
        check_progress(progress)?;
        let plain = serialize(content)?;
        // Looked up first so that a refused call makes no key.
        check_exercise(&self.pool, owner, id).await?;
        let sealed = self
            .data_key(owner)
            .await?
            .seal(&content_context(id), &plain)?;
        let changed = sqlx::query(
            "UPDATE exercises SET content_sealed = ?, progress = ?, done = ?, updated_unix = ?
             WHERE id = ? AND owner_id = ?",
        )
        .bind(sealed)
        .bind(progress)
        .bind(done)
        .bind(now)
        .bind(id.0)
        .bind(owner.0)
        .execute(&self.writer)
        .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "exercise",
                id: id.0,
            });
        }
        Ok(())
    }

    async fn exercise(&self, owner: Owner, id: ExerciseId) -> Result<ExerciseRecord, StoreError> {
        let owner = owner.id();
        let row = sqlx::query(
            "SELECT id, kind, plan_item_id, content_sealed, progress, done, created_unix, updated_unix, shown
             FROM exercises WHERE id = ? AND owner_id = ?",
        )
        .bind(id.0)
        .bind(owner.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound {
            what: "exercise",
            id: id.0,
        })?;
        // Scoped by owner through the exercise row above.
        let ticks: Vec<String> = sqlx::query_scalar(
            "SELECT week FROM exercise_ticks WHERE exercise_id = ? ORDER BY week",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        record_from(&*self.data_key(owner).await?, &row, ticks)
    }

    async fn exercises(
        &self,
        owner: Owner,
        kind: Option<&str>,
    ) -> Result<Vec<ExerciseRecord>, StoreError> {
        let owner = owner.id();
        let rows = sqlx::query(
            "SELECT id, kind, plan_item_id, content_sealed, progress, done, created_unix, updated_unix, shown
             FROM exercises WHERE owner_id = ? AND (? IS NULL OR kind = ?)
             ORDER BY created_unix DESC, id DESC",
        )
        .bind(owner.0)
        .bind(kind)
        .bind(kind)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ticks: Vec<(i64, String)> = sqlx::query_as(
            "SELECT t.exercise_id, t.week FROM exercise_ticks t
             JOIN exercises e ON e.id = t.exercise_id
             WHERE e.owner_id = ? ORDER BY t.week",
        )
        .bind(owner.0)
        .fetch_all(&self.pool)
        .await?;
        let mut by_exercise: HashMap<i64, Vec<String>> = HashMap::new();
        for (exercise, week) in ticks {
            by_exercise.entry(exercise).or_default().push(week);
        }
        let key = self.data_key(owner).await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                record_from(&key, row, by_exercise.remove(&id).unwrap_or_default())
            })
            .collect()
    }

    async fn tick_week(
        &self,
        owner: Owner,
        id: ExerciseId,
        week: &str,
        ticked: bool,
    ) -> Result<(), StoreError> {
        let owner = owner.id();
        check_week(week)?;
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        check_exercise(&mut *tx, owner, id).await?;
        if ticked {
            sqlx::query(
                "INSERT INTO exercise_ticks (exercise_id, week) VALUES (?, ?)
                 ON CONFLICT (exercise_id, week) DO NOTHING",
            )
            .bind(id.0)
            .bind(week)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query("DELETE FROM exercise_ticks WHERE exercise_id = ? AND week = ?")
                .bind(id.0)
                .bind(week)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn delete_exercise(&self, owner: Owner, id: ExerciseId) -> Result<(), StoreError> {
        let owner = owner.id();
        let gone = sqlx::query("DELETE FROM exercises WHERE id = ? AND owner_id = ?")
            .bind(id.0)
            .bind(owner.0)
            .execute(&self.writer)
            .await?;
        if gone.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "exercise",
                id: id.0,
            });
        }
        Ok(())
    }

    async fn set_exercise_shown(
        &self,
        owner: Owner,
        id: ExerciseId,
        shown: bool,
    ) -> Result<(), StoreError> {
        let changed = sqlx::query("UPDATE exercises SET shown = ? WHERE id = ? AND owner_id = ?")
            .bind(shown)
            .bind(id.0)
            .bind(owner.id().0)
            .execute(&self.writer)
            .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "exercise",
                id: id.0,
            });
        }
        Ok(())
    }
}

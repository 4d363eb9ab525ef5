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
    row: &sqlx::postgres::PgRow,
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
    db: impl sqlx::PgExecutor<'_>,
    owner: UserId,
    plan_item: Option<PlanItemId>,
    lock: bool,
) -> Result<(), StoreError> {
    let Some(item) = plan_item else {
        return Ok(());
    };
    let sql = if lock {
        "SELECT id FROM plan_items WHERE id = $1 AND owner_id = $2 FOR SHARE"
    } else {
        "SELECT id FROM plan_items WHERE id = $1 AND owner_id = $2"
    };
    let theirs: Option<i64> = sqlx::query_scalar(sql)
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
    db: impl sqlx::PgExecutor<'_>,
    owner: UserId,
    id: ExerciseId,
) -> Result<(), StoreError> {
    let theirs: Option<i64> =
        sqlx::query_scalar("SELECT id FROM exercises WHERE id = $1 AND owner_id = $2")
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
impl tandem_store::engine::Exercises for PgStore {
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
        check_plan_item(&self.pool, owner, plan_item, false).await?;
        let key = self.data_key(owner).await?;
        let id = write_tx!(self, |tx| {
            // Share-locked, so the item cannot go before the insert.
            check_plan_item(&mut *tx, owner, plan_item, true).await?;
            // The content is sealed under the row's id, so the row comes first;
            // the empty value never leaves this transaction.
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO exercises (owner_id, kind, plan_item_id, content_sealed, created_unix, updated_unix)
                 VALUES ($1, $2, $3, ''::bytea, $4, $4) RETURNING id",
            )
            .bind(owner.0)
            .bind(kind)
            .bind(plan_item.map(|item| item.0))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let id = ExerciseId(id);
            sqlx::query("UPDATE exercises SET content_sealed = $1 WHERE id = $2")
                .bind(key.seal(&content_context(id), &plain)?)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            id
        })?;
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
        let changed = write_tx!(self, |tx| {
            sqlx::query(
                "UPDATE exercises SET content_sealed = $1, progress = $2, done = $3, updated_unix = $4
                 WHERE id = $5 AND owner_id = $6",
            )
            .bind(&sealed)
            .bind(progress)
            .bind(done)
            .bind(now)
            .bind(id.0)
            .bind(owner.0)
            .execute(&mut *tx)
            .await?
        })?;
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
             FROM exercises WHERE id = $1 AND owner_id = $2",
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
            "SELECT week FROM exercise_ticks WHERE exercise_id = $1 ORDER BY week",
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
             FROM exercises WHERE owner_id = $1 AND ($2::text IS NULL OR kind = $2)
             ORDER BY created_unix DESC, id DESC",
        )
        .bind(owner.0)
        .bind(kind)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ticks: Vec<(i64, String)> = sqlx::query_as(
            "SELECT t.exercise_id, t.week FROM exercise_ticks t
             JOIN exercises e ON e.id = t.exercise_id
             WHERE e.owner_id = $1 ORDER BY t.week",
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
        write_tx!(self, |tx| {
            // The exercise row is share-locked, so it cannot go between the
            // check and the tick (whose foreign key would refuse it anyway).
            let theirs: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM exercises WHERE id = $1 AND owner_id = $2 FOR SHARE",
            )
            .bind(id.0)
            .bind(owner.0)
            .fetch_optional(&mut *tx)
            .await?;
            if theirs.is_none() {
                return Err(StoreError::NotFound {
                    what: "exercise",
                    id: id.0,
                });
            }
            if ticked {
                sqlx::query(
                    "INSERT INTO exercise_ticks (exercise_id, week) VALUES ($1, $2)
                     ON CONFLICT (exercise_id, week) DO NOTHING",
                )
                .bind(id.0)
                .bind(week)
                .execute(&mut *tx)
                .await?;
            } else {
                sqlx::query("DELETE FROM exercise_ticks WHERE exercise_id = $1 AND week = $2")
                    .bind(id.0)
                    .bind(week)
                    .execute(&mut *tx)
                    .await?;
            }
        })
    }

    async fn delete_exercise(&self, owner: Owner, id: ExerciseId) -> Result<(), StoreError> {
        let owner = owner.id();
        let gone = write_tx!(self, |tx| {
            sqlx::query("DELETE FROM exercises WHERE id = $1 AND owner_id = $2")
                .bind(id.0)
                .bind(owner.0)
                .execute(&mut *tx)
                .await?
        })?;
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
        let changed =
            sqlx::query("UPDATE exercises SET shown = $1 WHERE id = $2 AND owner_id = $3")
                .bind(shown)
                .bind(id.0)
                .bind(owner.id().0)
                .execute(&self.pool)
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

//! The action plan: strategies suggested from a person's results, which they
//! may choose, finish or drop. A refresh re-orders the current plan after new
//! suggestions; a suggestion no longer made is kept as history ('replaced'),
//! while what the person chose stays theirs.

use std::collections::{HashMap, HashSet};

use sqlx::Row;
use tandem_core::ids::GuidanceId;
use tandem_core::plan::FOCUS;

use crate::plan_seal::SealedItem;
use crate::prelude::*;
use crate::seal::Sealer;

fn item_from(key: &Sealer, row: &sqlx::sqlite::SqliteRow) -> Result<PlanItem, StoreError> {
    let id: i64 = row.try_get("id")?;
    let sealed: Vec<u8> = row.try_get("item_sealed")?;
    let status: String = row.try_get("status")?;
    let SealedItem {
        strategy,
        reason,
        from_safety,
    } = SealedItem::open(key, id, &sealed)?;
    Ok(PlanItem {
        id: PlanItemId(id),
        relationship: RelationshipId(row.try_get("relationship_id")?),
        strategy,
        reason,
        from_safety,
        status: status
            .parse()
            .map_err(|err| StoreError::corrupt(format!("plan item {id}: {err}")))?,
        position: row.try_get("position")?,
        created_unix: row.try_get("created_unix")?,
        updated_unix: row.try_get("updated_unix")?,
    })
}

impl SqliteStore {
    /// `owner`'s plan items for `relationship` (or for every relationship),
    /// opened: the current ones by position, or with history, the most
    /// recently changed first.
    async fn plan_items(
        &self,
        owner: UserId,
        relationship: Option<RelationshipId>,
        with_history: bool,
    ) -> Result<Vec<PlanItem>, StoreError> {
        let rows = if with_history {
            sqlx::query(
                "SELECT id, relationship_id, item_sealed, status, position, created_unix, updated_unix
                 FROM plan_items WHERE owner_id = ?1 AND (?2 IS NULL OR relationship_id = ?2)
                 ORDER BY updated_unix DESC, id DESC",
            )
            .bind(owner.0)
            .bind(relationship.map(|r| r.0))
            .fetch_all(&self.pool)
            .await?
        } else {
            sqlx::query(
                "SELECT id, relationship_id, item_sealed, status, position, created_unix, updated_unix
                 FROM plan_items WHERE owner_id = ?1 AND (?2 IS NULL OR relationship_id = ?2)
                 AND status <> 'replaced' ORDER BY position, id",
            )
            .bind(owner.0)
            .bind(relationship.map(|r| r.0))
            .fetch_all(&self.pool)
            .await?
        };
        let mut key = self.lazy_key(owner);
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            items.push(item_from(key.get().await?, row)?);
        }
        Ok(items)
    }
}

/// The `meta` key under which the plan rules' fingerprint is kept.
const PLAN_RULES_KEY: &str = "plan-rules";

/// Deletes every item of `owner`'s plan, history included, that safety
/// answers shaped, inside the caller's transaction.
pub(crate) async fn delete_safety_shaped(
    conn: &mut sqlx::SqliteConnection,
    key: &Sealer,
    owner: UserId,
) -> Result<(), StoreError> {
    let rows = sqlx::query(
        "SELECT id, relationship_id, item_sealed, status, position, created_unix, updated_unix
         FROM plan_items WHERE owner_id = ?",
    )
    .bind(owner.0)
    .fetch_all(&mut *conn)
    .await?;
    for row in &rows {
        let item = item_from(key, row)?;
        if item.from_safety {
            sqlx::query("DELETE FROM plan_items WHERE id = ?")
                .bind(item.id.0)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl tandem_store::engine::Plans for SqliteStore {
    async fn refresh_plan(
        &self,
        owner: Owner,
        relationship: RelationshipId,
        suggestions: &[NewSuggestion],
        now: i64,
    ) -> Result<Vec<PlanItem>, StoreError> {
        let (access, owner) = (owner, owner.id());
        let mut seen = HashSet::new();
        let mut prepared = Vec::with_capacity(suggestions.len());
        for (index, suggestion) in suggestions.iter().enumerate() {
            GuidanceId::new(suggestion.strategy.as_str()).map_err(|err| {
                StoreError::invalid(format!("suggestions[{index}]"), err.to_string())
            })?;
            if !seen.insert(suggestion.strategy.as_str()) {
                return Err(StoreError::invalid(
                    format!("suggestions[{index}]"),
                    format!(
                        "suggestion {index}: strategy `{}` is suggested twice",
                        suggestion.strategy
                    ),
                ));
            }
            let position = i64::try_from(index)
                .map_err(|_| StoreError::invalid("suggestions", "too many suggestions"))?;
            prepared.push((suggestion, position));
        }

        // The key before the transaction: loading it may write, and an
        // unknown owner is refused here.
        let key = self.data_key(owner).await?;
        // Immediate: the reads below decide the writes, so no other writer
        // may come between them.
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let user: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = ?")
            .bind(owner.0)
            .fetch_optional(&mut *tx)
            .await?;
        if user.is_none() {
            return Err(StoreError::NotFound {
                what: "user",
                id: owner.0,
            });
        }
        crate::relationships::ensure_theirs(&mut tx, owner, relationship).await?;
        let rows = sqlx::query(
            "SELECT id, relationship_id, item_sealed, status, position, created_unix, updated_unix
             FROM plan_items WHERE owner_id = ? AND relationship_id = ? AND status <> 'replaced'
             ORDER BY position, id",
        )
        .bind(owner.0)
        .bind(relationship.0)
        .fetch_all(&mut *tx)
        .await?;
        let current = rows
            .iter()
            .map(|row| item_from(&key, row))
            .collect::<Result<Vec<_>, _>>()?;
        // One current item per strategy: this transaction is the only place
        // items are added, and it looks before it adds.
        let by_strategy: HashMap<&str, &PlanItem> = current
            .iter()
            .map(|item| (item.strategy.as_str(), item))
            .collect();

        for (suggestion, position) in &prepared {
            let sealed = SealedItem {
                strategy: suggestion.strategy.clone(),
                reason: suggestion.reason.clone(),
                from_safety: suggestion.from_safety,
            };
            match by_strategy.get(suggestion.strategy.as_str()) {
                Some(item) => {
                    let same = item.reason == suggestion.reason
                        && item.from_safety == suggestion.from_safety
                        && item.position == *position;
                    if !same {
                        sqlx::query(
                            "UPDATE plan_items SET item_sealed = ?, position = ?, updated_unix = ?
                             WHERE id = ?",
                        )
                        .bind(sealed.seal(&key, item.id.0)?)
                        .bind(position)
                        .bind(now)
                        .bind(item.id.0)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                None => {
                    // The id is the seal's context, so the row comes first.
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO plan_items (owner_id, relationship_id, item_sealed, status,
                             position, created_unix, updated_unix)
                         VALUES (?, ?, x'', 'suggested', ?, ?, ?) RETURNING id",
                    )
                    .bind(owner.0)
                    .bind(relationship.0)
                    .bind(position)
                    .bind(now)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    sqlx::query("UPDATE plan_items SET item_sealed = ? WHERE id = ?")
                        .bind(sealed.seal(&key, id)?)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }

        let mut next = i64::try_from(prepared.len())
            .map_err(|_| StoreError::invalid("suggestions", "too many suggestions"))?;
        for item in &current {
            if seen.contains(item.strategy.as_str()) {
                continue;
            }
            let id = item.id.0;
            if item.status == PlanStatus::Suggested && item.from_safety {
                // A suggestion that safety answers shaped keeps no history:
                // the answers may never have been kept, or since deleted.
                sqlx::query("DELETE FROM plan_items WHERE id = ?")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            } else if item.status == PlanStatus::Suggested {
                sqlx::query(
                    "UPDATE plan_items SET status = 'replaced', updated_unix = ? WHERE id = ?",
                )
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            } else if item.position != next {
                sqlx::query("UPDATE plan_items SET position = ?, updated_unix = ? WHERE id = ?")
                    .bind(next)
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                next += 1;
            } else {
                next += 1;
            }
        }
        tx.commit().await?;
        self.plan(access, relationship).await
    }

    async fn plan(
        &self,
        owner: Owner,
        relationship: RelationshipId,
    ) -> Result<Vec<PlanItem>, StoreError> {
        let owner = owner.id();
        let mut items = self.plan_items(owner, Some(relationship), false).await?;
        items
            .iter_mut()
            .filter(|item| item.status == PlanStatus::Suggested)
            .skip(FOCUS)
            .for_each(|item| item.status = PlanStatus::Later);
        Ok(items)
    }

    async fn plan_history(
        &self,
        owner: Owner,
        relationship: RelationshipId,
    ) -> Result<Vec<PlanItem>, StoreError> {
        let owner = owner.id();
        self.plan_items(owner, Some(relationship), true).await
    }

    async fn planned_relationships(&self, owner: Owner) -> Result<Vec<RelationshipId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT relationship_id FROM plan_items
             WHERE owner_id = ? AND status <> 'replaced' AND relationship_id IS NOT NULL
             ORDER BY relationship_id",
        )
        .bind(owner.id().0)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(RelationshipId).collect())
    }

    async fn attach_plan_items(&self) -> Result<usize, StoreError> {
        let owners: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT owner_id FROM plan_items WHERE relationship_id IS NULL ORDER BY owner_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut attached = 0;
        for owner in owners {
            let owner = UserId(owner);
            let made_from: Option<i64> = sqlx::query_scalar(
                "SELECT relationship_id FROM administrations
                 WHERE owner_id = ? AND relationship_id IS NOT NULL AND completed_at IS NOT NULL
                 ORDER BY CASE WHEN instrument_id = 'rdp' THEN 0 ELSE 1 END, completed_at DESC, id DESC
                 LIMIT 1",
            )
            .bind(owner.0)
            .fetch_optional(&self.pool)
            .await?;
            let relationship = match made_from {
                Some(id) => RelationshipId(id),
                None => {
                    let key = self.data_key(owner).await?;
                    let name = tandem_core::input::About::default();
                    self.relationship_for_about(&key, owner, name.as_str())
                        .await?
                }
            };
            attached += sqlx::query(
                "UPDATE plan_items SET relationship_id = ? WHERE owner_id = ? AND relationship_id IS NULL",
            )
            .bind(relationship.0)
            .bind(owner.0)
            .execute(&self.writer)
            .await?
            .rows_affected();
        }
        Ok(usize::try_from(attached).unwrap_or(usize::MAX))
    }

    async fn set_plan_status(
        &self,
        owner: Owner,
        id: PlanItemId,
        status: PlanStatus,
        now: i64,
    ) -> Result<(), StoreError> {
        let owner = owner.id();
        if status == PlanStatus::Replaced {
            return Err(StoreError::Conflict(
                "an item is replaced only when a new plan no longer suggests it".into(),
            ));
        }
        // "Later" is where a suggestion stands by its place, not a choice.
        let status = if status == PlanStatus::Later {
            PlanStatus::Suggested
        } else {
            status
        };
        let changed = sqlx::query(
            "UPDATE plan_items SET status = ?, updated_unix = ?
             WHERE id = ? AND owner_id = ? AND status <> 'replaced'",
        )
        .bind(status.as_str())
        .bind(now)
        .bind(id.0)
        .bind(owner.0)
        .execute(&self.writer)
        .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "plan item",
                id: id.0,
            });
        }
        Ok(())
    }

    async fn plan_rules(&self) -> Result<Option<String>, StoreError> {
        let value: Option<Vec<u8>> = sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(PLAN_RULES_KEY)
            .fetch_optional(&self.pool)
            .await?;
        Ok(value.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
    }

    async fn set_plan_rules(&self, fingerprint: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(PLAN_RULES_KEY)
        .bind(fingerprint.as_bytes())
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn plan_owner_ids(&self) -> Result<Vec<UserId>, StoreError> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT DISTINCT owner_id FROM plan_items ORDER BY owner_id")
                .fetch_all(&self.pool)
                .await?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    async fn retire_plan_items(
        &self,
        owner: Owner,
        relationship: RelationshipId,
        strategies: &[String],
        now: i64,
    ) -> Result<u64, StoreError> {
        let owner = owner.id();
        if strategies.is_empty() {
            return Ok(0);
        }
        let mut moved = 0;
        for item in self.plan_items(owner, Some(relationship), false).await? {
            if !strategies.contains(&item.strategy) {
                continue;
            }
            moved += sqlx::query(
                "UPDATE plan_items SET status = 'replaced', updated_unix = ?
                 WHERE id = ? AND owner_id = ? AND status <> 'replaced'",
            )
            .bind(now)
            .bind(item.id.0)
            .bind(owner.0)
            .execute(&self.writer)
            .await?
            .rows_affected();
        }
        Ok(moved)
    }

    async fn plan_has_safety_items(&self, owner: Owner) -> Result<bool, StoreError> {
        let owner = owner.id();
        Ok(self
            .plan_items(owner, None, false)
            .await?
            .iter()
            .any(|item| item.from_safety))
    }
}

//! The action plan: strategies suggested from a person's results, which they
//! may choose, finish or drop. A refresh re-orders the current plan after new
//! suggestions; a suggestion no longer made is kept as history ('replaced'),
//! while what the person chose stays theirs.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sqlx::Row;
use tandem_core::ids::GuidanceId;
use tandem_core::plan::FOCUS;

use crate::plan_seal::SealedItem;
use crate::seal::Sealer;
use crate::{Owner, PlanItemId, Store, StoreError, UserId};

/// Where an item of the plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PlanStatus {
    /// Suggested, not yet taken up: one of the first few suggestions.
    Suggested,
    /// Suggested too, but beyond the first few: shown folded, for later.
    /// Never stored; [`Store::plan`] reads suggestions past the focus as this.
    Later,
    /// The person chose to work on it.
    Chosen,
    /// The person finished it.
    Done,
    /// The person set it aside.
    Dropped,
    /// No longer suggested by a later refresh; kept only as history.
    Replaced,
}

impl PlanStatus {
    /// Every status, in the order of a plan's life.
    pub const ALL: [Self; 6] = [
        Self::Suggested,
        Self::Later,
        Self::Chosen,
        Self::Done,
        Self::Dropped,
        Self::Replaced,
    ];

    /// The status as stored and serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Suggested => "suggested",
            Self::Later => "later",
            Self::Chosen => "chosen",
            Self::Done => "done",
            Self::Dropped => "dropped",
            Self::Replaced => "replaced",
        }
    }
}

impl fmt::Display for PlanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A plan status that is none of the five.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a plan status: use suggested, later, chosen, done, dropped or replaced")]
pub struct UnknownPlanStatus(pub String);

impl FromStr for PlanStatus {
    type Err = UnknownPlanStatus;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == raw)
            .ok_or_else(|| UnknownPlanStatus(raw.to_owned()))
    }
}

/// One item of a person's plan, current or past.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    /// Its id.
    pub id: PlanItemId,
    /// The strategy (a guidance id).
    pub strategy: String,
    /// Why it was suggested, as the program described it (never free text).
    pub reason: serde_json::Value,
    /// Whether it was suggested because of safety answers. Such an item must
    /// never appear in a view shared with anyone else.
    pub from_safety: bool,
    /// Where it stands.
    pub status: PlanStatus,
    /// Its place in the plan, from 0.
    pub position: i64,
    /// When it was first suggested (unix seconds).
    pub created_unix: i64,
    /// When it last changed (unix seconds).
    pub updated_unix: i64,
}

/// One suggestion for [`Store::refresh_plan`], in plan order.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSuggestion {
    /// The strategy (a guidance id).
    pub strategy: String,
    /// Why it is suggested, as JSON made by the program (never free text).
    pub reason: serde_json::Value,
    /// Whether it comes from safety answers.
    pub from_safety: bool,
}

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

impl Store {
    /// `owner`'s plan items, opened: the current ones by position, or with
    /// history, the most recently changed first.
    async fn plan_items(
        &self,
        owner: UserId,
        with_history: bool,
    ) -> Result<Vec<PlanItem>, StoreError> {
        let rows = if with_history {
            sqlx::query(
                "SELECT id, item_sealed, status, position, created_unix, updated_unix
                 FROM plan_items WHERE owner_id = ? ORDER BY updated_unix DESC, id DESC",
            )
            .bind(owner.0)
            .fetch_all(&self.pool)
            .await?
        } else {
            sqlx::query(
                "SELECT id, item_sealed, status, position, created_unix, updated_unix
                 FROM plan_items WHERE owner_id = ? AND status <> 'replaced' ORDER BY position, id",
            )
            .bind(owner.0)
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

impl Store {
    /// Brings `owner`'s plan in line with new suggestions, in one
    /// transaction, and returns the plan.
    ///
    /// Each suggestion takes the position of its index. A strategy already in
    /// the plan keeps its item and status, with the new reason and position;
    /// a new one is added as suggested. An item still only suggested that is
    /// not in the list becomes replaced (kept as history); chosen, done and
    /// dropped items not in the list stay as the person left them, placed
    /// after the list; a suggestion shaped by safety answers that is no
    /// longer made is deleted, not kept as history. `updated_unix` moves
    /// only for items that changed.
    ///
    /// A strategy that is not a valid guidance id, or one given twice, is
    /// `Invalid` and nothing changes; an unknown owner is `NotFound`.
    pub async fn refresh_plan(
        &self,
        owner: Owner,
        suggestions: &[NewSuggestion],
        now: i64,
    ) -> Result<Vec<PlanItem>, StoreError> {
        let owner = owner.id();
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
        let rows = sqlx::query(
            "SELECT id, item_sealed, status, position, created_unix, updated_unix
             FROM plan_items WHERE owner_id = ? AND status <> 'replaced' ORDER BY position, id",
        )
        .bind(owner.0)
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
                        "INSERT INTO plan_items
                             (owner_id, item_sealed, status, position, created_unix, updated_unix)
                         VALUES (?, x'', 'suggested', ?, ?, ?) RETURNING id",
                    )
                    .bind(owner.0)
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
        self.plan(Owner::vouched(owner)).await
    }

    /// `owner`'s current plan: every item but the replaced, by position.
    /// Only the first [`FOCUS`] suggestions are `Suggested`; the ones after
    /// them read as `Later`, so a plan never asks for more than a few things
    /// at once.
    pub async fn plan(&self, owner: Owner) -> Result<Vec<PlanItem>, StoreError> {
        let owner = owner.id();
        let mut items = self.plan_items(owner, false).await?;
        items
            .iter_mut()
            .filter(|item| item.status == PlanStatus::Suggested)
            .skip(FOCUS)
            .for_each(|item| item.status = PlanStatus::Later);
        Ok(items)
    }

    /// Every item `owner`'s plan ever had, replaced ones included, the most
    /// recently changed first.
    pub async fn plan_history(&self, owner: Owner) -> Result<Vec<PlanItem>, StoreError> {
        let owner = owner.id();
        self.plan_items(owner, true).await
    }

    /// Sets where an item of `owner`'s current plan stands. `NotFound` for an
    /// item that is not theirs or is only history (replaced); `Invalid` for
    /// `Replaced`, which only a refresh sets.
    pub async fn set_plan_status(
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
}

/// The `meta` key under which the plan rules' fingerprint is kept.
const PLAN_RULES_KEY: &str = "plan-rules";

impl Store {
    /// The fingerprint of the rules the stored plans were last made with.
    pub async fn plan_rules(&self) -> Result<Option<String>, StoreError> {
        let value: Option<Vec<u8>> = sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(PLAN_RULES_KEY)
            .fetch_optional(&self.pool)
            .await?;
        Ok(value.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// Records the fingerprint of the rules every plan was just made with.
    pub async fn set_plan_rules(&self, fingerprint: &str) -> Result<(), StoreError> {
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

    /// Every account that has a plan, for remaking plans after an upgrade.
    /// An operator's task: the ids leave the store only to come back to it.
    pub async fn owners_with_plans(&self) -> Result<Vec<Owner>, StoreError> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT DISTINCT owner_id FROM plan_items ORDER BY owner_id")
                .fetch_all(&self.pool)
                .await?;
        Ok(ids
            .into_iter()
            .map(|id| Owner::vouched(UserId(id)))
            .collect())
    }
}

impl Store {
    /// Moves these strategies out of `owner`'s current plan, whatever the
    /// person had made of them (chosen, done, dropped), into history as
    /// `replaced`: for steps that no longer fit, such as a joint step once
    /// something points to risk. Returns how many items moved.
    pub async fn retire_plan_items(
        &self,
        owner: Owner,
        strategies: &[String],
        now: i64,
    ) -> Result<u64, StoreError> {
        let owner = owner.id();
        if strategies.is_empty() {
            return Ok(0);
        }
        let mut moved = 0;
        for item in self.plan_items(owner, false).await? {
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
}

impl Store {
    /// Whether `owner`'s current plan holds anything shaped by safety
    /// answers: then a calm check-in is worth a refresh, to let it ease.
    pub async fn plan_has_safety_items(&self, owner: Owner) -> Result<bool, StoreError> {
        let owner = owner.id();
        Ok(self
            .plan_items(owner, false)
            .await?
            .iter()
            .any(|item| item.from_safety))
    }
}

/// Deletes every item of `owner`'s plan, history included, that safety
/// answers shaped, inside the caller's transaction.
pub(crate) async fn delete_safety_shaped(
    conn: &mut sqlx::SqliteConnection,
    key: &Sealer,
    owner: UserId,
) -> Result<(), StoreError> {
    let rows = sqlx::query(
        "SELECT id, item_sealed, status, position, created_unix, updated_unix
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

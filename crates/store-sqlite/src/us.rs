//! "How I see us" on SQLite: each person's own answers about one of their
//! relationships, and the other side's as a partner's grant reads them.

use std::collections::BTreeMap;

use sqlx::Row;
use tandem_store::us::shown_us;
use tandem_store::{LinkLevel, PartnerGrant, PartnerUs, RelationshipId};

use crate::prelude::*;

impl SqliteStore {
    /// `owner`'s answers for `relationship`, read on `conn`.
    pub(crate) async fn us_on(
        conn: &mut sqlx::SqliteConnection,
        owner: UserId,
        relationship: RelationshipId,
    ) -> Result<BTreeMap<String, i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT item_id, value FROM us_answers WHERE relationship_id = ? AND owner_id = ?",
        )
        .bind(relationship.0)
        .bind(owner.0)
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("item_id")?, row.try_get("value")?)))
            .collect()
    }

    /// Replaces `owner`'s answers for their `relationship`.
    pub(crate) async fn save_us_answers(
        &self,
        owner: UserId,
        relationship: RelationshipId,
        answers: &BTreeMap<String, i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        crate::relationships::ensure_theirs(&mut tx, owner, relationship).await?;
        sqlx::query("DELETE FROM us_answers WHERE relationship_id = ?")
            .bind(relationship.0)
            .execute(&mut *tx)
            .await?;
        for (item, value) in answers {
            sqlx::query(
                "INSERT INTO us_answers (relationship_id, owner_id, item_id, value, answered_unix)
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(relationship.0)
            .bind(owner.0)
            .bind(item)
            .bind(value)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The other side's answers through `grant`, at their level now, in
    /// one read transaction with the link check.
    pub(crate) async fn read_partner_us(
        &self,
        grant: &PartnerGrant,
    ) -> Result<Option<PartnerUs>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let side = sqlx::query(crate::links::OTHER_SIDE)
            .bind(grant.link().0)
            .bind(grant.viewer().0)
            .fetch_optional(&mut *tx)
            .await?;
        let level = match side {
            Some(row) if UserId(row.try_get("owner_id")?) == grant.owner() => {
                LinkLevel::stored(&row.try_get::<String, _>("sharing")?)?
            }
            _ => LinkLevel::None,
        };
        if level == LinkLevel::None {
            return Err(StoreError::NotFound {
                what: "link",
                id: grant.link().0,
            });
        }
        let answers = Self::us_on(&mut tx, grant.owner(), grant.relationship()).await?;
        tx.commit().await?;
        Ok(shown_us(level, answers))
    }
}

//! Shares of a person's RDP results, and the audit row every read through
//! one leaves, written in the read's own transaction.

use sqlx::Row;
use tandem_core::scoring::SCORER_VERSION;
use tandem_store::{
    AuditEntry, Grant, GrantRow, Share, ShareId, ShareKind, ShareLevel, SharedScores,
};

use crate::prelude::*;

/// The one instrument a share shows.
const SHARED_INSTRUMENT: &str = "rdp";

#[async_trait::async_trait]
impl tandem_store::engine::Shares for SqliteStore {
    async fn create_share(
        &self,
        owner: Owner,
        viewer: UserId,
        kind: ShareKind,
        level: ShareLevel,
        now: i64,
        expires_unix: Option<i64>,
    ) -> Result<ShareId, StoreError> {
        tandem_store::shares::check_new(owner, viewer, now, expires_unix)?;
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = ?")
            .bind(viewer.0)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound {
                what: "account",
                id: viewer.0,
            });
        }
        let current: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM shares
             WHERE owner_id = ? AND viewer_id = ? AND revoked_unix IS NULL
               AND (expires_unix IS NULL OR expires_unix > ?)",
        )
        .bind(owner.id().0)
        .bind(viewer.0)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if current > 0 {
            return Err(StoreError::Conflict(
                "There is already a share with this person.".into(),
            ));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO shares (owner_id, viewer_id, kind, level, created_unix, expires_unix)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(owner.id().0)
        .bind(viewer.0)
        .bind(kind.as_str())
        .bind(level.as_str())
        .bind(now)
        .bind(expires_unix)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(ShareId(id))
    }

    async fn set_share_level(
        &self,
        owner: Owner,
        id: ShareId,
        level: ShareLevel,
    ) -> Result<(), StoreError> {
        let changed = sqlx::query(
            "UPDATE shares SET level = ? WHERE id = ? AND owner_id = ? AND revoked_unix IS NULL",
        )
        .bind(level.as_str())
        .bind(id.0)
        .bind(owner.id().0)
        .execute(&self.writer)
        .await?;
        tandem_store::shares::changed_one(changed.rows_affected(), id)
    }

    async fn revoke_share(&self, owner: Owner, id: ShareId, now: i64) -> Result<(), StoreError> {
        let changed = sqlx::query(
            "UPDATE shares SET revoked_unix = ? WHERE id = ? AND owner_id = ? AND revoked_unix IS NULL",
        )
        .bind(now)
        .bind(id.0)
        .bind(owner.id().0)
        .execute(&self.writer)
        .await?;
        tandem_store::shares::changed_one(changed.rows_affected(), id)
    }

    async fn shares_of(&self, owner: Owner) -> Result<Vec<Share>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, viewer_id, kind, level, created_unix, expires_unix, revoked_unix
             FROM shares WHERE owner_id = ? ORDER BY id",
        )
        .bind(owner.id().0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                let level: String = row.try_get("level")?;
                Ok(Share {
                    id: ShareId(row.try_get("id")?),
                    viewer: UserId(row.try_get("viewer_id")?),
                    kind: tandem_store::shares::stored_kind(&kind)?,
                    level: tandem_store::shares::stored_level(&level)?,
                    created_unix: row.try_get("created_unix")?,
                    expires_unix: row.try_get("expires_unix")?,
                    revoked_unix: row.try_get("revoked_unix")?,
                })
            })
            .collect()
    }

    async fn grant_row(
        &self,
        viewer: Owner,
        id: ShareId,
        now: i64,
    ) -> Result<Option<GrantRow>, StoreError> {
        let row = sqlx::query(
            "SELECT owner_id, level FROM shares
             WHERE id = ? AND viewer_id = ? AND revoked_unix IS NULL
               AND (expires_unix IS NULL OR expires_unix > ?)",
        )
        .bind(id.0)
        .bind(viewer.id().0)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let level: String = row.try_get("level")?;
            Ok(GrantRow {
                share: id,
                owner: UserId(row.try_get("owner_id")?),
                level: tandem_store::shares::stored_level(&level)?,
            })
        })
        .transpose()
    }

    async fn shared_scores(
        &self,
        grant: &Grant,
        now: i64,
    ) -> Result<Vec<SharedScores>, StoreError> {
        // One transaction: the share is checked, read and logged together,
        // so a read the trail does not show never happened.
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let level: Option<String> = sqlx::query_scalar(
            "SELECT level FROM shares
             WHERE id = ? AND owner_id = ? AND viewer_id = ? AND revoked_unix IS NULL
               AND (expires_unix IS NULL OR expires_unix > ?)",
        )
        .bind(grant.share().0)
        .bind(grant.owner().0)
        .bind(grant.viewer().0)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(level) = level else {
            return Err(StoreError::NotFound {
                what: "share",
                id: grant.share().0,
            });
        };
        let level = tandem_store::shares::stored_level(&level)?;
        let rows = sqlx::query(
            "SELECT a.id, s.facets, s.indices
             FROM administrations a
             JOIN scorings s ON s.administration_id = a.id
                AND s.scorer_version >= ? AND s.complete = 1
             WHERE a.owner_id = ? AND a.instrument_id = ? AND a.completed_at IS NOT NULL
             ORDER BY a.id DESC",
        )
        .bind(SCORER_VERSION)
        .bind(grant.owner().0)
        .bind(SHARED_INSTRUMENT)
        .fetch_all(&mut *tx)
        .await?;
        let mut shown = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let indices: String = row.try_get("indices")?;
            let facets: String = row.try_get("facets")?;
            shown.push(tandem_store::shares::shown(id, &indices, &facets, level)?);
        }
        sqlx::query("INSERT INTO share_reads (share_id, viewer_id, at_unix, what) VALUES (?, ?, ?, 'scores')")
            .bind(grant.share().0)
            .bind(grant.viewer().0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(shown)
    }

    async fn audit_trail(&self, owner: Owner) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.share_id, r.viewer_id, r.at_unix, r.what
             FROM share_reads r JOIN shares s ON s.id = r.share_id
             WHERE s.owner_id = ? ORDER BY r.id",
        )
        .bind(owner.id().0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    share: ShareId(row.try_get("share_id")?),
                    viewer: UserId(row.try_get("viewer_id")?),
                    at_unix: row.try_get("at_unix")?,
                    what: row.try_get("what")?,
                })
            })
            .collect()
    }
}

//! Shares of a person's data with a counsellor. Making, taking, changing
//! and ending one, and every read through one, append an entry to the
//! owner's audit chain in the same transaction.

use std::collections::BTreeMap;

use sqlx::Row;
use tandem_core::safety::ScreenSummary;
use tandem_core::scoring::SCORER_VERSION;
use tandem_store::audit::{AuditKind, Event};
use tandem_store::contexts::text_context;
use tandem_store::shares::{
    self, Client, FinishedRow, Needs, Scope, SharedAdministration, SharedSafetyResult,
};
use tandem_store::{Grant, GrantRow, Share, ShareId};

use crate::audit;
use crate::prelude::*;

/// Checks every relationship a scope names is the owner's.
async fn check_scope(
    conn: &mut sqlx::PgConnection,
    owner: UserId,
    scope: &Scope,
) -> Result<(), StoreError> {
    scope.check()?;
    for relationship in scope.relationships.iter().flatten() {
        crate::relationships::ensure_theirs(conn, owner, *relationship).await?;
    }
    Ok(())
}

/// The condition of a share that can be read through at the `now` bound as
/// the parameter given.
macro_rules! current {
    ($now:literal) => {
        concat!(
            "accepted_unix IS NOT NULL AND revoked_unix IS NULL
             AND (expires_unix IS NULL OR expires_unix > ",
            $now,
            ")"
        )
    };
}

#[async_trait::async_trait]
impl tandem_store::engine::Shares for PgStore {
    async fn create_share(
        &self,
        owner: Owner,
        scope: &Scope,
        code_hash: &[u8; 32],
        now: i64,
        expires_unix: Option<i64>,
    ) -> Result<ShareId, StoreError> {
        shares::check_new(scope, now, expires_unix)?;
        let stored = scope.to_stored()?;
        let id = write_tx!(self, |tx| {
            check_scope(tx, owner.id(), scope).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO shares (owner_id, kind, scope, code_hash, code_expires_unix,
                                     created_unix, expires_unix)
                 VALUES ($1, 'counsellor', $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(owner.id().0)
            .bind(&stored)
            .bind(&code_hash[..])
            .bind(shares::code_expiry(now, expires_unix))
            .bind(now)
            .bind(expires_unix)
            .fetch_one(&mut *tx)
            .await?;
            let actor = audit::name_of(tx, owner.id()).await?;
            let event = Event::new(AuditKind::Shared, actor, scope.results.as_str()).about(id);
            audit::append(tx, owner.id().0, now, event).await?;
            id
        })?;
        Ok(ShareId(id))
    }

    async fn accept_share(
        &self,
        viewer: Owner,
        code_hash: &[u8; 32],
        now: i64,
    ) -> Result<ShareId, StoreError> {
        let id = write_tx!(self, |tx| {
            let (role, approved): (String, Option<i64>) =
                sqlx::query_as("SELECT role, approved_unix FROM users WHERE id = $1")
                    .bind(viewer.id().0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound {
                        what: "account",
                        id: viewer.id().0,
                    })?;
            shares::refuse_unless_counsellor(&role, approved)?;
            // Locked, so two counsellors with one code cannot both take it.
            let found: Option<(i64, i64)> = sqlx::query_as(
                "SELECT id, owner_id FROM shares
                 WHERE code_hash = $1 AND viewer_id IS NULL AND revoked_unix IS NULL
                   AND code_expires_unix > $2
                 FOR UPDATE",
            )
            .bind(&code_hash[..])
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let (id, owner) = found.ok_or_else(shares::no_such_code)?;
            shares::refuse_own(UserId(owner), viewer)?;
            sqlx::query(
                "UPDATE shares SET viewer_id = $1, accepted_unix = $2, code_hash = NULL
                 WHERE id = $3",
            )
            .bind(viewer.id().0)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let actor = audit::name_of(tx, viewer.id()).await?;
            let event = Event::new(AuditKind::Accepted, actor, "counsellor").about(id);
            audit::append(tx, owner, now, event).await?;
            id
        })?;
        Ok(ShareId(id))
    }

    async fn set_share_scope(
        &self,
        owner: Owner,
        id: ShareId,
        scope: &Scope,
        now: i64,
    ) -> Result<(), StoreError> {
        let stored = scope.to_stored()?;
        write_tx!(self, |tx| {
            check_scope(tx, owner.id(), scope).await?;
            let changed = sqlx::query(
                "UPDATE shares SET scope = $1
                 WHERE id = $2 AND owner_id = $3 AND revoked_unix IS NULL",
            )
            .bind(&stored)
            .bind(id.0)
            .bind(owner.id().0)
            .execute(&mut *tx)
            .await?;
            shares::changed_one(changed.rows_affected(), id)?;
            let actor = audit::name_of(tx, owner.id()).await?;
            let event =
                Event::new(AuditKind::ScopeChanged, actor, scope.results.as_str()).about(id.0);
            audit::append(tx, owner.id().0, now, event).await?;
        })
    }

    async fn revoke_share(&self, owner: Owner, id: ShareId, now: i64) -> Result<(), StoreError> {
        write_tx!(self, |tx| {
            let changed = sqlx::query(
                "UPDATE shares SET revoked_unix = $1, code_hash = NULL
                 WHERE id = $2 AND owner_id = $3 AND revoked_unix IS NULL",
            )
            .bind(now)
            .bind(id.0)
            .bind(owner.id().0)
            .execute(&mut *tx)
            .await?;
            shares::changed_one(changed.rows_affected(), id)?;
            let actor = audit::name_of(tx, owner.id()).await?;
            let event = Event::new(AuditKind::Revoked, actor, "by you").about(id.0);
            audit::append(tx, owner.id().0, now, event).await?;
        })
    }

    async fn shares_of(&self, owner: Owner) -> Result<Vec<Share>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, s.viewer_id, u.name AS viewer_name, s.kind, s.scope, s.created_unix,
                    s.code_expires_unix, s.accepted_unix, s.expires_unix, s.revoked_unix,
                    x.shared_unix AS safety_shared_unix
             FROM shares s LEFT JOIN users u ON u.id = s.viewer_id
             LEFT JOIN shared_safety x ON x.share_id = s.id
             WHERE s.owner_id = $1 ORDER BY s.id",
        )
        .bind(owner.id().0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                let scope: String = row.try_get("scope")?;
                let viewer: Option<i64> = row.try_get("viewer_id")?;
                Ok(Share {
                    id: ShareId(row.try_get("id")?),
                    viewer: viewer.map(UserId),
                    viewer_name: row.try_get("viewer_name")?,
                    kind: shares::stored_kind(&kind)?,
                    scope: Scope::stored(&scope)?,
                    created_unix: row.try_get("created_unix")?,
                    code_expires_unix: row.try_get("code_expires_unix")?,
                    accepted_unix: row.try_get("accepted_unix")?,
                    expires_unix: row.try_get("expires_unix")?,
                    revoked_unix: row.try_get("revoked_unix")?,
                    safety_shared_unix: row.try_get("safety_shared_unix")?,
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
        let row: Option<(i64, String)> = sqlx::query_as(concat!(
            "SELECT owner_id, scope FROM shares WHERE id = $1 AND viewer_id = $2 AND ",
            current!("$3")
        ))
        .bind(id.0)
        .bind(viewer.id().0)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(owner, scope)| {
            Ok(GrantRow {
                share: id,
                owner: UserId(owner),
                scope: Scope::stored(&scope)?,
            })
        })
        .transpose()
    }

    async fn clients(&self, viewer: Owner, now: i64) -> Result<Vec<Client>, StoreError> {
        let rows: Vec<(i64, String, String, i64, Option<i64>)> = sqlx::query_as(concat!(
            "SELECT s.id, u.name, s.scope, s.accepted_unix, s.expires_unix
             FROM shares s JOIN users u ON u.id = s.owner_id
             WHERE s.viewer_id = $1 AND ",
            current!("$2"),
            " ORDER BY s.id"
        ))
        .bind(viewer.id().0)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, name, scope, since_unix, expires_unix)| {
                Ok(Client {
                    share: ShareId(id),
                    name,
                    scope: Scope::stored(&scope)?,
                    since_unix,
                    expires_unix,
                })
            })
            .collect()
    }

    async fn shared_results(
        &self,
        grant: &Grant,
        now: i64,
    ) -> Result<Vec<SharedAdministration>, StoreError> {
        // One transaction: the share is checked, read and logged together,
        // so a read the trail does not show never happened. The share row
        // is locked for the read: a revocation waits for it, and a read
        // waits for a revocation under way.
        let mut key = self.lazy_key(grant.owner());
        let shown = write_tx!(self, |tx| {
            let scope: Option<String> = sqlx::query_scalar(concat!(
                "SELECT scope FROM shares WHERE id = $1 AND viewer_id = $2 AND ",
                current!("$3"),
                " AND owner_id = $4 FOR SHARE"
            ))
            .bind(grant.share().0)
            .bind(grant.viewer().0)
            .bind(now)
            .bind(grant.owner().0)
            .fetch_optional(&mut *tx)
            .await?;
            let scope = Scope::stored(&scope.ok_or(StoreError::NotFound {
                what: "share",
                id: grant.share().0,
            })?)?;
            let rows = sqlx::query(concat!(
                "SELECT a.id, a.instrument_id, a.instrument_version, a.relationship_id, ",
                moment!("a.completed_at"),
                " AS completed_at, s.facets, s.indices
                 FROM administrations a
                 JOIN scorings s ON s.administration_id = a.id
                    AND s.scorer_version >= $1 AND s.complete
                 WHERE a.owner_id = $2 AND a.completed_at IS NOT NULL
                   AND a.instrument_id <> 'safety'
                 ORDER BY a.completed_at, a.id"
            ))
            .bind(SCORER_VERSION)
            .bind(grant.owner().0)
            .fetch_all(&mut *tx)
            .await?;
            let needs = Needs::of(&scope);
            let mut shown = Vec::new();
            for row in &rows {
                let relationship: Option<i64> = row.try_get("relationship_id")?;
                let finished = FinishedRow {
                    id: row.try_get("id")?,
                    instrument: row.try_get("instrument_id")?,
                    version: row.try_get("instrument_version")?,
                    relationship: relationship.map(RelationshipId).ok_or_else(|| {
                        StoreError::corrupt("an administration with no relationship")
                    })?,
                    completed_at: row.try_get("completed_at")?,
                    indices: row.try_get("indices")?,
                    facets: row.try_get("facets")?,
                };
                if !shares::row_shown(&scope, &finished) {
                    continue;
                }
                let mut values = BTreeMap::new();
                let mut texts = BTreeMap::new();
                if needs.items || needs.notes {
                    let answers: Vec<(String, Option<i64>, Option<Vec<u8>>)> = sqlx::query_as(
                        "SELECT item_id, value, text_sealed FROM answers
                         WHERE administration_id = $1",
                    )
                    .bind(finished.id)
                    .fetch_all(&mut *tx)
                    .await?;
                    for (item, value, sealed) in answers {
                        match (value, sealed) {
                            (Some(value), _) if needs.items => {
                                values.insert(item, value);
                            }
                            (None, Some(sealed)) if needs.notes => {
                                let context = text_context(AdministrationId(finished.id), &item);
                                let text = key.get().await?.open_text(&context, &sealed)?;
                                texts.insert(item, text);
                            }
                            _ => {}
                        }
                    }
                }
                shown.push(shares::shown(&scope, &finished, &values, &texts)?);
            }
            let actor = audit::name_of(tx, grant.viewer()).await?;
            let event = Event::new(AuditKind::Read, actor, "results").about(grant.share().0);
            audit::append(tx, grant.owner().0, now, event).await?;
            shown
        })?;
        Ok(shown)
    }

    async fn share_safety_result(
        &self,
        owner: Owner,
        id: ShareId,
        screen: SafetyScreenId,
        summary: ScreenSummary,
        now: i64,
    ) -> Result<SharedSafetyResult, StoreError> {
        crate::shared_safety::share(self, owner, id, screen, summary, now).await
    }

    async fn shared_safety_result(
        &self,
        grant: &Grant,
        now: i64,
    ) -> Result<Option<SharedSafetyResult>, StoreError> {
        crate::shared_safety::read(self, grant, now).await
    }

    async fn log_shared_read(
        &self,
        grant: &Grant,
        now: i64,
        detail: &str,
    ) -> Result<Scope, StoreError> {
        write_tx!(self, |tx| {
            let scope: Option<String> = sqlx::query_scalar(concat!(
                "SELECT scope FROM shares WHERE id = $1 AND viewer_id = $2 AND ",
                current!("$3"),
                " AND owner_id = $4 FOR SHARE"
            ))
            .bind(grant.share().0)
            .bind(grant.viewer().0)
            .bind(now)
            .bind(grant.owner().0)
            .fetch_optional(&mut *tx)
            .await?;
            let scope = Scope::stored(&scope.ok_or(StoreError::NotFound {
                what: "share",
                id: grant.share().0,
            })?)?;
            let actor = audit::name_of(tx, grant.viewer()).await?;
            let event = Event::new(AuditKind::Read, actor, detail).about(grant.share().0);
            audit::append(tx, grant.owner().0, now, event).await?;
            scope
        })
    }
}

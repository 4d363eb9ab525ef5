//! The one safety result a client shows through a share: written by the
//! client's own act, read by the share's counsellor, each appending to the
//! client's audit chain in the same transaction. The share row is locked
//! for either, so a revocation waits for it.

use tandem_core::safety::ScreenSummary;
use tandem_store::audit::{AuditKind, Event};
use tandem_store::contexts::shared_safety_context;
use tandem_store::shares::{self, SharedSafetyResult};
use tandem_store::{Grant, ShareId};

use crate::audit;
use crate::prelude::*;
use crate::safety_seal::{open_outcome, seal_outcome};

pub(crate) async fn share(
    store: &PgStore,
    owner: Owner,
    id: ShareId,
    screen: SafetyScreenId,
    summary: ScreenSummary,
    now: i64,
) -> Result<SharedSafetyResult, StoreError> {
    let key = store.data_key(owner.id()).await?;
    let sealed = seal_outcome(&key, &shared_safety_context(id), summary)?;
    let taken_unix = write_tx!(store, |tx| {
        let current: Option<i32> = sqlx::query_scalar(
            "SELECT 1 FROM shares WHERE id = $1 AND owner_id = $2
               AND accepted_unix IS NOT NULL AND revoked_unix IS NULL
               AND (expires_unix IS NULL OR expires_unix > $3) FOR UPDATE",
        )
        .bind(id.0)
        .bind(owner.id().0)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        if current.is_none() {
            return Err(StoreError::NotFound {
                what: "grant",
                id: id.0,
            });
        }
        let completed: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT floor(extract(epoch FROM completed_at))::bigint
             FROM safety_screens WHERE id = $1 AND owner_id = $2",
        )
        .bind(screen.0)
        .bind(owner.id().0)
        .fetch_optional(&mut *tx)
        .await?;
        let taken_unix = completed
            .ok_or(StoreError::NotFound {
                what: "safety screen",
                id: screen.0,
            })?
            .ok_or_else(shares::unfinished)?;
        let written = sqlx::query(
            "INSERT INTO shared_safety (share_id, screen_id, summary_sealed, taken_unix, shared_unix)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (share_id) DO NOTHING",
        )
        .bind(id.0)
        .bind(screen.0)
        .bind(&sealed)
        .bind(taken_unix)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if written.rows_affected() == 0 {
            return Err(shares::shown_already(id));
        }
        let actor = audit::name_of(tx, owner.id()).await?;
        let event = Event::new(AuditKind::SafetyShared, actor, "one safety result").about(id.0);
        audit::append(tx, owner.id().0, now, event).await?;
        taken_unix
    })?;
    Ok(SharedSafetyResult {
        summary,
        taken_unix,
        shared_unix: now,
    })
}

/// A current share's row joined with what it shows, if anything: the
/// sealed outcome, when the screen was taken, when it was shown.
type SharedRow = (Option<Vec<u8>>, Option<i64>, Option<i64>);

pub(crate) async fn read(
    store: &PgStore,
    grant: &Grant,
    now: i64,
) -> Result<Option<SharedSafetyResult>, StoreError> {
    let key = store.data_key(grant.owner()).await?;
    write_tx!(store, |tx| {
        let row: Option<SharedRow> = sqlx::query_as(
            "SELECT x.summary_sealed, x.taken_unix, x.shared_unix
             FROM shares s LEFT JOIN shared_safety x ON x.share_id = s.id
             WHERE s.id = $1 AND s.owner_id = $2 AND s.viewer_id = $3
               AND s.accepted_unix IS NOT NULL AND s.revoked_unix IS NULL
               AND (s.expires_unix IS NULL OR s.expires_unix > $4)
             FOR SHARE OF s",
        )
        .bind(grant.share().0)
        .bind(grant.owner().0)
        .bind(grant.viewer().0)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(StoreError::NotFound {
                what: "share",
                id: grant.share().0,
            });
        };
        match row {
            (Some(sealed), Some(taken_unix), Some(shared_unix)) => {
                let summary = open_outcome(&key, &shared_safety_context(grant.share()), &sealed)?;
                let actor = audit::name_of(tx, grant.viewer()).await?;
                let event =
                    Event::new(AuditKind::Read, actor, "safety result").about(grant.share().0);
                audit::append(tx, grant.owner().0, now, event).await?;
                Some(SharedSafetyResult {
                    summary,
                    taken_unix,
                    shared_unix,
                })
            }
            _ => None,
        }
    })
}

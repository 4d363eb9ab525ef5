//! The one safety result a client shows through a share: written by the
//! client's own act, read by the share's counsellor, each appending to the
//! client's audit chain in the same transaction.

use tandem_core::safety::ScreenSummary;
use tandem_store::audit::{AuditKind, Event};
use tandem_store::contexts::shared_safety_context;
use tandem_store::shares::{self, SharedSafetyResult};
use tandem_store::{Grant, ShareId};

use crate::audit;
use crate::prelude::*;
use crate::safety_seal::{open_outcome, seal_outcome};

/// Whether share `id` is current at `now` and reaches `owner`'s data, as
/// its condition in SQL (binds: id, owner, now).
const CURRENT_SHARE: &str = "SELECT 1 FROM shares WHERE id = ? AND owner_id = ?
    AND accepted_unix IS NOT NULL AND revoked_unix IS NULL
    AND (expires_unix IS NULL OR expires_unix > ?)";

pub(crate) async fn share(
    store: &SqliteStore,
    owner: Owner,
    id: ShareId,
    screen: SafetyScreenId,
    summary: ScreenSummary,
    now: i64,
) -> Result<SharedSafetyResult, StoreError> {
    let key = store.data_key(owner.id()).await?;
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    let current: Option<i64> = sqlx::query_scalar(CURRENT_SHARE)
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
    let completed: Option<Option<String>> =
        sqlx::query_scalar("SELECT completed_at FROM safety_screens WHERE id = ? AND owner_id = ?")
            .bind(screen.0)
            .bind(owner.id().0)
            .fetch_optional(&mut *tx)
            .await?;
    let completed = completed.ok_or(StoreError::NotFound {
        what: "safety screen",
        id: screen.0,
    })?;
    let taken_unix = completed
        .as_deref()
        .map(|at| {
            tandem_core::dates::unix_of(at)
                .ok_or_else(|| StoreError::corrupt(format!("safety screen {screen}: time {at:?}")))
        })
        .transpose()?
        .ok_or_else(shares::unfinished)?;
    let sealed = seal_outcome(&key, &shared_safety_context(id), summary)?;
    let written = sqlx::query(
        "INSERT INTO shared_safety (share_id, screen_id, summary_sealed, taken_unix, shared_unix)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (share_id) DO NOTHING",
    )
    .bind(id.0)
    .bind(screen.0)
    .bind(sealed)
    .bind(taken_unix)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if written.rows_affected() == 0 {
        return Err(shares::shown_already(id));
    }
    let actor = audit::name_of(&mut tx, owner.id()).await?;
    let event = Event::new(AuditKind::SafetyShared, actor, "one safety result").about(id.0);
    audit::append(&mut tx, owner.id().0, now, event).await?;
    tx.commit().await?;
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
    store: &SqliteStore,
    grant: &Grant,
    now: i64,
) -> Result<Option<SharedSafetyResult>, StoreError> {
    let key = store.data_key(grant.owner()).await?;
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    let row: Option<SharedRow> = sqlx::query_as(
        "SELECT x.summary_sealed, x.taken_unix, x.shared_unix
         FROM shares s LEFT JOIN shared_safety x ON x.share_id = s.id
         WHERE s.id = ? AND s.owner_id = ? AND s.viewer_id = ?
           AND s.accepted_unix IS NOT NULL AND s.revoked_unix IS NULL
           AND (s.expires_unix IS NULL OR s.expires_unix > ?)",
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
    let (Some(sealed), Some(taken_unix), Some(shared_unix)) = row else {
        return Ok(None);
    };
    let summary = open_outcome(&key, &shared_safety_context(grant.share()), &sealed)?;
    let actor = audit::name_of(&mut tx, grant.viewer()).await?;
    let event = Event::new(AuditKind::Read, actor, "safety result").about(grant.share().0);
    audit::append(&mut tx, grant.owner().0, now, event).await?;
    tx.commit().await?;
    Ok(Some(SharedSafetyResult {
        summary,
        taken_unix,
        shared_unix,
    }))
}

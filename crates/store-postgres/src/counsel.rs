//! A counsellor's assignments and notes. Each reach through a grant checks
//! the share is still current; notes are sealed with the counsellor's key
//! under their own id.

use sqlx::{PgConnection, Row};
use tandem_core::input::NoteText;
use tandem_store::contexts::note_context;
use tandem_store::counsel::{self, Assignment, Note};
use tandem_store::{AssignmentId, Grant, NoteId, ShareId};

use crate::prelude::*;

/// The condition of a share `s` current at the `now` bound as the
/// parameter given.
macro_rules! current {
    ($now:literal) => {
        concat!(
            "s.accepted_unix IS NOT NULL AND s.revoked_unix IS NULL
             AND (s.expires_unix IS NULL OR s.expires_unix > ",
            $now,
            ")"
        )
    };
}

/// `NotFound` unless the grant's share is still current at `now`; the
/// share row is held for the rest of the transaction.
async fn still_current(conn: &mut PgConnection, grant: &Grant, now: i64) -> Result<(), StoreError> {
    let found: Option<i32> = sqlx::query_scalar(concat!(
        "SELECT 1 FROM shares s WHERE s.id = $1 AND s.owner_id = $2 AND s.viewer_id = $3 AND ",
        current!("$4"),
        " FOR SHARE"
    ))
    .bind(grant.share().0)
    .bind(grant.owner().0)
    .bind(grant.viewer().0)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    found
        .map(|_| ())
        .ok_or_else(|| counsel::not_found("share", grant.share().0))
}

/// What deleting an account does to notes, in its transaction: the notes
/// it wrote as a counsellor go; of the notes about it as a client, shared
/// ones go and private ones stay their counsellor's as a former client's.
pub(crate) async fn leave_former_client(
    conn: &mut PgConnection,
    client: UserId,
    now: i64,
) -> Result<(), StoreError> {
    // Their own notes, as a counsellor, go with them (named here rather
    // than left to the cascades, whose order would decide the rest).
    sqlx::query("DELETE FROM counsel_notes WHERE counsellor_id = $1")
        .bind(client.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "DELETE FROM counsel_notes WHERE shared
         AND share_id IN (SELECT id FROM shares WHERE owner_id = $1)",
    )
    .bind(client.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE counsel_notes SET share_id = NULL, former_unix = $1
         WHERE share_id IN (SELECT id FROM shares WHERE owner_id = $2)",
    )
    .bind(now)
    .bind(client.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn assignment_of(row: &sqlx::postgres::PgRow, done: bool) -> Result<Assignment, StoreError> {
    Ok(Assignment {
        id: AssignmentId(row.try_get("id")?),
        share: ShareId(row.try_get("share_id")?),
        instrument: row.try_get("instrument_id")?,
        due_unix: row.try_get("due_unix")?,
        created_unix: row.try_get("created_unix")?,
        declined_unix: row.try_get("declined_unix")?,
        counsellor: row.try_get("counsellor")?,
        done: if done {
            Some(row.try_get::<bool, _>("done")?)
        } else {
            None
        },
    })
}

impl PgStore {
    /// The notes the rows hold, opened with their counsellors' keys.
    async fn notes_of(&self, rows: Vec<sqlx::postgres::PgRow>) -> Result<Vec<Note>, StoreError> {
        let mut notes = Vec::with_capacity(rows.len());
        for row in rows {
            let id = NoteId(row.try_get("id")?);
            let key = self.data_key(UserId(row.try_get("counsellor_id")?)).await?;
            let sealed: Vec<u8> = row.try_get("text_sealed")?;
            let share: Option<i64> = row.try_get("share_id")?;
            notes.push(Note {
                id,
                share: share.map(ShareId),
                client: row.try_get("client")?,
                counsellor: row.try_get("counsellor")?,
                shared: row.try_get("shared")?,
                text: key.open_text(&note_context(id), &sealed)?,
                created_unix: row.try_get("created_unix")?,
                former_unix: row.try_get("former_unix")?,
            });
        }
        Ok(notes)
    }
}

/// The columns every note read selects, from `counsel_notes n`, `shares s`
/// (left), the client `u` (left) and the counsellor `c`.
macro_rules! note_columns {
    () => {
        "SELECT n.id, n.counsellor_id, n.share_id, n.shared, n.text_sealed,
                n.created_unix, n.former_unix, u.name AS client, c.name AS counsellor
         FROM counsel_notes n
         LEFT JOIN shares s ON s.id = n.share_id
         LEFT JOIN users u ON u.id = s.owner_id
         JOIN users c ON c.id = n.counsellor_id"
    };
}

#[async_trait::async_trait]
impl tandem_store::engine::Counsel for PgStore {
    async fn assign(
        &self,
        grant: &Grant,
        instrument: &str,
        due_unix: i64,
        now: i64,
    ) -> Result<AssignmentId, StoreError> {
        counsel::check_assignment(instrument, due_unix, now)?;
        let id = write_tx!(self, |tx| {
            still_current(tx, grant, now).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO assignments (share_id, instrument_id, due_unix, created_unix)
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(grant.share().0)
            .bind(instrument)
            .bind(due_unix)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            id
        })?;
        Ok(AssignmentId(id))
    }

    async fn assignments_for(
        &self,
        grant: &Grant,
        now: i64,
    ) -> Result<Vec<Assignment>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        still_current(&mut conn, grant, now).await?;
        let rows = sqlx::query(
            "SELECT x.*, c.name AS counsellor FROM assignments x
             JOIN shares s ON s.id = x.share_id JOIN users c ON c.id = s.viewer_id
             WHERE x.share_id = $1 ORDER BY x.id DESC",
        )
        .bind(grant.share().0)
        .fetch_all(&mut *conn)
        .await?;
        rows.iter().map(|row| assignment_of(row, false)).collect()
    }

    async fn assignments_of(&self, owner: Owner, now: i64) -> Result<Vec<Assignment>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT x.*, c.name AS counsellor,
                    EXISTS (SELECT 1 FROM administrations a
                            WHERE a.owner_id = s.owner_id AND a.instrument_id = x.instrument_id
                              AND a.completed_at IS NOT NULL
                              AND extract(epoch FROM a.completed_at) >= x.created_unix)
                        AS done
             FROM assignments x
             JOIN shares s ON s.id = x.share_id JOIN users c ON c.id = s.viewer_id
             WHERE s.owner_id = $1 AND ",
            current!("$2"),
            " ORDER BY x.id DESC"
        ))
        .bind(owner.id().0)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| assignment_of(row, true)).collect()
    }

    async fn decline_assignment(
        &self,
        owner: Owner,
        id: AssignmentId,
        now: i64,
    ) -> Result<(), StoreError> {
        let changed = sqlx::query(concat!(
            "UPDATE assignments SET declined_unix = $1
             WHERE id = $2 AND declined_unix IS NULL
               AND share_id IN (SELECT s.id FROM shares s WHERE s.owner_id = $3 AND ",
            current!("$1"),
            ")"
        ))
        .bind(now)
        .bind(id.0)
        .bind(owner.id().0)
        .execute(&self.pool)
        .await?;
        if changed.rows_affected() == 0 {
            return Err(counsel::not_found("assignment", id.0));
        }
        Ok(())
    }

    async fn add_note(
        &self,
        grant: &Grant,
        text: &NoteText,
        shared: bool,
        now: i64,
    ) -> Result<NoteId, StoreError> {
        let key = self.data_key(grant.viewer()).await?;
        let id = write_tx!(self, |tx| {
            still_current(tx, grant, now).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO counsel_notes (counsellor_id, share_id, shared, text_sealed, created_unix)
                 VALUES ($1, $2, $3, ''::bytea, $4) RETURNING id",
            )
            .bind(grant.viewer().0)
            .bind(grant.share().0)
            .bind(shared)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let sealed = key.seal_text(&note_context(NoteId(id)), text.as_str())?;
            sqlx::query("UPDATE counsel_notes SET text_sealed = $1 WHERE id = $2")
                .bind(sealed)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            id
        })?;
        Ok(NoteId(id))
    }

    async fn notes_for(&self, grant: &Grant, now: i64) -> Result<Vec<Note>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        still_current(&mut conn, grant, now).await?;
        let rows = sqlx::query(concat!(
            note_columns!(),
            " WHERE n.counsellor_id = $1 AND n.share_id = $2 ORDER BY n.id DESC"
        ))
        .bind(grant.viewer().0)
        .bind(grant.share().0)
        .fetch_all(&mut *conn)
        .await?;
        drop(conn);
        self.notes_of(rows).await
    }

    async fn notes_by(&self, counsellor: Owner) -> Result<Vec<Note>, StoreError> {
        let rows = sqlx::query(concat!(
            note_columns!(),
            " WHERE n.counsellor_id = $1 ORDER BY n.id DESC"
        ))
        .bind(counsellor.id().0)
        .fetch_all(&self.pool)
        .await?;
        self.notes_of(rows).await
    }

    async fn shared_notes(&self, owner: Owner) -> Result<Vec<Note>, StoreError> {
        let rows = sqlx::query(concat!(
            note_columns!(),
            " WHERE n.shared AND s.owner_id = $1 ORDER BY n.id DESC"
        ))
        .bind(owner.id().0)
        .fetch_all(&self.pool)
        .await?;
        self.notes_of(rows).await
    }

    async fn delete_note(&self, counsellor: Owner, id: NoteId) -> Result<(), StoreError> {
        let gone = sqlx::query("DELETE FROM counsel_notes WHERE id = $1 AND counsellor_id = $2")
            .bind(id.0)
            .bind(counsellor.id().0)
            .execute(&self.pool)
            .await?;
        if gone.rows_affected() == 0 {
            return Err(counsel::not_found("note", id.0));
        }
        Ok(())
    }
}

//! The audit chains on PostgreSQL: an entry appended in the transaction of
//! the act it records, with its chain's head locked (`FOR UPDATE`) so two
//! appends to one chain wait for each other, and the chain of a deleted
//! account replaced by a tombstone in the operator's.

use sqlx::PgConnection;
use tandem_store::Operator;
use tandem_store::audit::{
    self, AuditCheck, AuditEntry, AuditKind, Entry, Event, GENESIS, Head, OPERATOR_CHAIN,
};

use crate::prelude::*;

/// Appends `event` at `at_unix` to `chain`.
pub(crate) async fn append(
    conn: &mut PgConnection,
    chain: i64,
    at_unix: i64,
    event: Event,
) -> Result<(), StoreError> {
    let head = locked_head(conn, chain).await?;
    let entry = Entry::after(&head, at_unix, event);
    sqlx::query(
        "INSERT INTO audit_entries (chain, seq, at_unix, kind, actor, subject, detail,
                                    prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(entry.chain)
    .bind(entry.seq)
    .bind(entry.at_unix)
    .bind(entry.event.kind.as_str())
    .bind(&entry.event.actor)
    .bind(entry.event.subject)
    .bind(&entry.event.detail)
    .bind(&entry.prev_hash[..])
    .bind(&entry.hash[..])
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_heads SET seq = $2, hash = $3 WHERE chain = $1")
        .bind(entry.chain)
        .bind(entry.seq)
        .bind(&entry.hash[..])
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The head of `chain`, made if it has none, locked until the transaction
/// ends.
async fn locked_head(conn: &mut PgConnection, chain: i64) -> Result<Head, StoreError> {
    sqlx::query(
        "INSERT INTO audit_heads (chain, seq, hash) VALUES ($1, 0, $2)
         ON CONFLICT (chain) DO NOTHING",
    )
    .bind(chain)
    .bind(&GENESIS[..])
    .execute(&mut *conn)
    .await?;
    let (seq, hash): (i64, Vec<u8>) =
        sqlx::query_as("SELECT seq, hash FROM audit_heads WHERE chain = $1 FOR UPDATE")
            .bind(chain)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Head {
        chain,
        seq,
        hash: audit::hash_of(&hash)?,
    })
}

/// The user name of `user`, for an entry's actor.
pub(crate) async fn name_of(conn: &mut PgConnection, user: UserId) -> Result<String, StoreError> {
    sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            what: "account",
            id: user.0,
        })
}

/// Appends `kind` about `link` to both sides' chains, each naming the
/// other side as the actor; the lower chain first, so two such appends
/// cannot wait on each other.
pub(crate) async fn both_sides(
    conn: &mut PgConnection,
    mut sides: [UserId; 2],
    link: i64,
    at_unix: i64,
    kind: AuditKind,
) -> Result<(), StoreError> {
    sides.sort_by_key(|side| side.0);
    let names = [
        name_of(conn, sides[0]).await?,
        name_of(conn, sides[1]).await?,
    ];
    for (side, other) in [(0, 1), (1, 0)] {
        let event = Event::new(kind, names[other].clone(), "partner").about(link);
        append(conn, sides[side].0, at_unix, event).await?;
    }
    Ok(())
}

/// Deletes `user`'s chain and leaves a tombstone in the operator's: the
/// account's id, how many entries went and the hash they ended on.
pub(crate) async fn replace_with_tombstone(
    conn: &mut PgConnection,
    user: UserId,
    at_unix: i64,
) -> Result<(), StoreError> {
    let head = locked_head(conn, user.0).await?;
    for statement in [
        "DELETE FROM audit_entries WHERE chain = $1",
        "DELETE FROM audit_heads WHERE chain = $1",
    ] {
        sqlx::query(statement)
            .bind(user.0)
            .execute(&mut *conn)
            .await?;
    }
    let detail = audit::tombstone_detail(&head);
    let event = Event::new(AuditKind::AccountDeleted, "", detail).about(user.0);
    append(conn, OPERATOR_CHAIN, at_unix, event).await
}

async fn entries(conn: &mut PgConnection, chain: Option<i64>) -> Result<Vec<Entry>, StoreError> {
    let rows: Vec<audit::StoredRow> = sqlx::query_as(
        "SELECT chain, seq, at_unix, kind, actor, subject, detail, prev_hash, hash
         FROM audit_entries WHERE $1::BIGINT IS NULL OR chain = $1 ORDER BY chain, seq",
    )
    .bind(chain)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(audit::entry_of).collect()
}

/// Turns the reads kept before the audit chains (`share_reads`, dropped
/// after) into entries of their owners' chains, oldest first, in one
/// transaction: nothing recorded is lost across the upgrade.
pub(crate) async fn chain_legacy_share_reads(store: &PgStore) -> Result<(), StoreError> {
    write_tx!(store, |tx| {
        let exists: Option<String> = sqlx::query_scalar("SELECT to_regclass('share_reads')::TEXT")
            .fetch_one(&mut *tx)
            .await?;
        if exists.is_some() {
            let reads: Vec<(i64, i64, Option<String>, i64, String)> = sqlx::query_as(
                "SELECT s.owner_id, r.share_id, u.name, r.at_unix, r.what
                 FROM share_reads r JOIN shares s ON s.id = r.share_id
                 LEFT JOIN users u ON u.id = r.viewer_id ORDER BY r.id",
            )
            .fetch_all(&mut *tx)
            .await?;
            for (owner, share, name, at_unix, what) in reads {
                let actor = name.unwrap_or_else(|| tandem_store::shares::GONE.to_owned());
                let event = Event::new(AuditKind::Read, actor, what).about(share);
                append(tx, owner, at_unix, event).await?;
            }
            sqlx::query("DROP TABLE share_reads")
                .execute(&mut *tx)
                .await?;
        }
    })
}

#[async_trait::async_trait]
impl tandem_store::engine::AuditLog for PgStore {
    async fn audit_trail(&self, owner: Owner) -> Result<Vec<AuditEntry>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Ok(entries(&mut conn, Some(owner.id().0))
            .await?
            .into_iter()
            .map(AuditEntry::from)
            .collect())
    }

    async fn verify_audit(&self, _operator: &Operator) -> Result<AuditCheck, StoreError> {
        // One snapshot, so entries and heads are of one moment.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?;
        let entries = entries(&mut tx, None).await?;
        let heads: Vec<(i64, i64, Vec<u8>)> =
            sqlx::query_as("SELECT chain, seq, hash FROM audit_heads")
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        let heads = heads
            .into_iter()
            .map(audit::head_of)
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(audit::verify(&entries, &heads))
    }
}

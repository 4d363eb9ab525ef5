//! Point scores kept beside each finished administration, written in the
//! transaction that finishes it, so that what reads history (results, trends,
//! "the latest complete profile") reads one row per administration instead of
//! scoring every answer again on every view.
//!
//! The answers stay the record; these rows are derived from them by the
//! scoring rules of [`SCORER_VERSION`] and count while no older rules made
//! them (a newer build's rows, during a rolling upgrade, count and are never
//! overwritten by an older one). A finished administration without a current row (from before
//! this table, or scored by older rules) is listed by [`SqliteStore::unscored`],
//! for its reader or the server's backfill to score with
//! [`SqliteStore::keep_scores`]. Intervals are not kept: they rest on reliability,
//! which estimates can change.

use std::collections::BTreeMap;

use sqlx::{Row, SqliteConnection};
use tandem_core::scoring::{SCORER_VERSION, Scores};

use crate::prelude::*;

/// Replaces an administration's kept scores with `scores` and raises its
/// owner's scores version, on a connection inside the caller's transaction.
pub(crate) async fn write(
    conn: &mut SqliteConnection,
    owner: UserId,
    id: AdministrationId,
    scores: &Scores,
) -> Result<(), StoreError> {
    let points = |scales: Vec<(&str, f64)>| -> Result<String, StoreError> {
        let map: BTreeMap<&str, f64> = scales.into_iter().collect();
        serde_json::to_string(&map).map_err(|err| StoreError::corrupt(err.to_string()))
    };
    let facets = points(
        scores
            .facets
            .iter()
            .filter_map(|(scale, s)| Some((scale.as_str(), s.score?)))
            .collect(),
    )?;
    let indices = points(
        scores
            .indices
            .iter()
            .filter_map(|(scale, s)| Some((scale.as_str(), s.score?)))
            .collect(),
    )?;
    // One statement, for a new administration and a rescored one alike; only
    // of this owner's finished administration (it may have been deleted since
    // it was read), and never over scores a newer build's rules made (during
    // a rolling upgrade, instances of both builds share the database).
    let done = sqlx::query(
        "INSERT INTO scorings (administration_id, scorer_version, complete, facets, indices)
         SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM administrations
             WHERE id = ? AND owner_id = ? AND completed_at IS NOT NULL)
         ON CONFLICT (administration_id) DO UPDATE SET scorer_version = excluded.scorer_version,
             complete = excluded.complete, facets = excluded.facets, indices = excluded.indices
         WHERE excluded.scorer_version >= scorings.scorer_version",
    )
    .bind(id.0)
    .bind(SCORER_VERSION)
    .bind(scores.is_complete())
    .bind(facets)
    .bind(indices)
    .bind(id.0)
    .bind(owner.0)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        let finished: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM administrations
                 WHERE id = ? AND owner_id = ? AND completed_at IS NOT NULL)",
        )
        .bind(id.0)
        .bind(owner.0)
        .fetch_one(&mut *conn)
        .await?;
        if !finished {
            return Err(StoreError::NotFound {
                what: "finished administration",
                id: id.0,
            });
        }
        // Newer rules' scores stand; nothing changed.
        return Ok(());
    }
    bump(conn, owner).await
}

/// Raises `owner`'s scores version: whatever was drawn from their kept
/// scores is stale.
pub(crate) async fn bump(conn: &mut SqliteConnection, owner: UserId) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET scores_version = scores_version + 1 WHERE id = ?")
        .bind(owner.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Scores must be of the administration's own instrument and version.
pub(crate) fn check_matches(
    administration: &Administration,
    scores: &Scores,
) -> Result<(), StoreError> {
    if administration.instrument != scores.instrument.as_str()
        || administration.version != scores.version
    {
        return Err(StoreError::invalid(
            "instrument",
            format!(
                "administration {} was taken with {} {}, not {} {}",
                administration.id,
                administration.instrument,
                administration.version,
                scores.instrument,
                scores.version
            ),
        ));
    }
    Ok(())
}

#[async_trait::async_trait]
impl tandem_store::engine::KeptScores for SqliteStore {
    async fn keep_scores(
        &self,
        owner: Owner,
        id: AdministrationId,
        scores: &Scores,
    ) -> Result<(), StoreError> {
        let (access, owner) = (owner, owner.id());
        let administration = self.administration(access, id).await?;
        check_matches(&administration, scores)?;
        if administration.completed_at.is_none() {
            return Err(StoreError::Conflict(format!(
                "administration {id} is not finished, so it has no scores to keep"
            )));
        }
        let mut tx = self.writer.begin().await?;
        write(&mut tx, owner, id, scores).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn unscored_rows(&self, owner: Option<Owner>) -> Result<Vec<UnscoredRow>, StoreError> {
        let owner = owner.map(Owner::id);
        // Two statements, not `? IS NULL OR owner_id = ?`: a reader's check
        // runs on every view and must use the owner's index, not scan
        // everyone's administrations.
        let rows = match owner {
            Some(owner) => {
                sqlx::query(
                    "SELECT a.owner_id, a.id, a.instrument_id, a.instrument_version
                     FROM administrations a
                     LEFT JOIN scorings s ON s.administration_id = a.id AND s.scorer_version >= ?
                     WHERE a.owner_id = ? AND a.completed_at IS NOT NULL
                       AND s.administration_id IS NULL
                     ORDER BY a.id",
                )
                .bind(SCORER_VERSION)
                .bind(owner.0)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(
                    "SELECT a.owner_id, a.id, a.instrument_id, a.instrument_version
                     FROM administrations a
                     LEFT JOIN scorings s ON s.administration_id = a.id AND s.scorer_version >= ?
                     WHERE a.completed_at IS NOT NULL AND s.administration_id IS NULL
                     ORDER BY a.id",
                )
                .bind(SCORER_VERSION)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter()
            .map(|row| {
                Ok(UnscoredRow {
                    owner: UserId(row.try_get("owner_id")?),
                    id: AdministrationId(row.try_get("id")?),
                    instrument: row.try_get("instrument_id")?,
                    version: row.try_get("instrument_version")?,
                })
            })
            .collect()
    }

    async fn score_points(&self, owner: Owner) -> Result<Vec<ScorePoint>, StoreError> {
        let owner = owner.id();
        let rows = sqlx::query(
            "SELECT a.id, a.instrument_id, a.relationship_id, a.completed_at, s.complete, s.indices
             FROM administrations a
             JOIN scorings s ON s.administration_id = a.id AND s.scorer_version >= ?
             WHERE a.owner_id = ? AND a.completed_at IS NOT NULL
             ORDER BY a.completed_at, a.id",
        )
        .bind(SCORER_VERSION)
        .bind(owner.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let id = AdministrationId(row.try_get("id")?);
                let indices: String = row.try_get("indices")?;
                let relationship: Option<i64> = row.try_get("relationship_id")?;
                Ok(ScorePoint {
                    id,
                    instrument: row.try_get("instrument_id")?,
                    relationship: relationship.map(tandem_store::RelationshipId).ok_or_else(
                        || StoreError::corrupt("an administration with no relationship"),
                    )?,
                    completed_at: row.try_get("completed_at")?,
                    complete: row.try_get("complete")?,
                    indices: serde_json::from_str(&indices).map_err(|err| {
                        StoreError::corrupt(format!("kept scores of administration {id}: {err}"))
                    })?,
                })
            })
            .collect()
    }

    async fn latest_complete(
        &self,
        owner: Owner,
        instrument: &str,
        before: Option<AdministrationId>,
    ) -> Result<Option<Administration>, StoreError> {
        let owner = owner.id();
        let row = sqlx::query(
            "SELECT a.id, a.instrument_id, a.instrument_version, a.about_sealed, a.relationship_id, a.position, a.item_seed,
                    a.started_at, a.completed_at
             FROM administrations a
             JOIN scorings s ON s.administration_id = a.id
                AND s.scorer_version >= ? AND s.complete = 1
             WHERE a.owner_id = ? AND a.instrument_id = ? AND a.completed_at IS NOT NULL
               AND (? IS NULL OR a.id < ?)
             ORDER BY a.id DESC LIMIT 1",
        )
        .bind(SCORER_VERSION)
        .bind(owner.0)
        .bind(instrument)
        .bind(before.map(|b| b.0))
        .bind(before.map(|b| b.0))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(Self::administration_from(
                &*self.data_key(owner).await?,
                owner,
                &row,
            )?)),
            None => Ok(None),
        }
    }

    async fn scores_version(&self, owner: Owner) -> Result<i64, StoreError> {
        let owner = owner.id();
        sqlx::query_scalar("SELECT scores_version FROM users WHERE id = ?")
            .bind(owner.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound {
                what: "user",
                id: owner.0,
            })
    }
}

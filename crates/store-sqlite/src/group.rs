//! Group commit for recorded administrations (the web's check-in path):
//! concurrent recordings are written in one transaction, each under its own
//! savepoint, so many of them share one fsync. Each caller hears back only
//! after the commit that made its rows durable; a failed recording rolls
//! back to its savepoint and leaves the others in the batch untouched.

use std::sync::Arc;

use sqlx::{Connection, Row, SqliteConnection, SqlitePool};
use tandem_core::answers::Answer;
use tandem_core::scoring::Scores;
use tokio::sync::{mpsc, oneshot};

use crate::prelude::*;
use crate::seal::Sealer;

/// Recordings gathered into one transaction at most.
const BATCH: usize = 64;

/// One administration to record.
pub(crate) struct Job {
    pub owner: UserId,
    pub instrument_id: String,
    pub version: String,
    pub about_sealed: Vec<u8>,
    /// The relationship it belongs to, found before the job was sent.
    pub relationship: tandem_store::RelationshipId,
    pub position: i64,
    pub answers: Vec<(String, Answer)>,
    /// Its scores, kept in the same savepoint as its answers.
    pub scores: Scores,
    pub key: Arc<Sealer>,
    pub reply: Reply,
}

/// Where a job's outcome goes.
pub(crate) type Reply = oneshot::Sender<Result<Recorded, StoreError>>;

/// What the insert returned.
pub(crate) struct Recorded {
    pub id: AdministrationId,
    pub started_at: String,
    pub completed_at: Option<String>,
}

/// The sending side; the writing task ends when it is dropped.
pub(crate) type Queue = mpsc::Sender<Job>;

/// Starts the task that writes batches through `writer`.
pub(crate) fn start(writer: SqlitePool) -> Queue {
    let (send, receive) = mpsc::channel(1024);
    tokio::spawn(run(writer, receive));
    send
}

async fn run(writer: SqlitePool, mut receive: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(BATCH);
    while receive.recv_many(&mut batch, BATCH).await > 0 {
        let jobs = std::mem::take(&mut batch);
        match writer.acquire().await {
            Ok(mut conn) => write_batch(&mut conn, jobs).await,
            Err(err) => {
                for job in jobs {
                    let _ = job.reply.send(Err(StoreError::shared(&err)));
                }
            }
        }
    }
}

async fn write_batch(conn: &mut SqliteConnection, jobs: Vec<Job>) {
    let mut results: Vec<(Reply, Result<Recorded, StoreError>)> = Vec::with_capacity(jobs.len());
    let mut tx = match conn.begin().await {
        Ok(tx) => tx,
        Err(err) => {
            for job in jobs {
                let _ = job.reply.send(Err(StoreError::shared(&err)));
            }
            return;
        }
    };
    let mut jobs = jobs.into_iter();
    while let Some(job) = jobs.next() {
        let outcome = async {
            sqlx::query("SAVEPOINT recording").execute(&mut *tx).await?;
            let written = write_one(&mut tx, &job).await;
            match &written {
                Ok(_) => sqlx::query("RELEASE recording").execute(&mut *tx).await?,
                Err(_) => {
                    sqlx::query("ROLLBACK TO recording")
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("RELEASE recording").execute(&mut *tx).await?
                }
            };
            written
        }
        .await;
        if matches!(outcome, Err(StoreError::Full)) {
            // A full disk makes SQLite roll back the whole transaction, so
            // nothing of this batch is kept: every job in it hears so.
            drop(tx);
            for (reply, _) in results {
                let _ = reply.send(Err(StoreError::Full));
            }
            let _ = job.reply.send(Err(StoreError::Full));
            for job in jobs {
                let _ = job.reply.send(Err(StoreError::Full));
            }
            return;
        }
        results.push((job.reply, outcome));
    }
    let committed = tx.commit().await;
    for (reply, outcome) in results {
        let outcome = match (&committed, outcome) {
            (Ok(()), outcome) => outcome,
            // Nothing of the batch was kept; a full disk says so.
            (Err(err), _) => Err(StoreError::shared(err)),
        };
        let _ = reply.send(outcome);
    }
}

async fn write_one(tx: &mut SqliteConnection, job: &Job) -> Result<Recorded, StoreError> {
    let row = sqlx::query(
        "INSERT INTO administrations
             (owner_id, instrument_id, instrument_version, about_sealed, relationship_id,
              position, completed_at)
         VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         RETURNING id, started_at, completed_at",
    )
    .bind(job.owner.0)
    .bind(&job.instrument_id)
    .bind(&job.version)
    .bind(&job.about_sealed)
    .bind(job.relationship.0)
    .bind(job.position)
    .fetch_one(&mut *tx)
    .await?;
    let id = AdministrationId(row.try_get("id")?);
    if !job.answers.is_empty() {
        let mut rows = Vec::with_capacity(job.answers.len());
        for (item, answer) in &job.answers {
            rows.push((
                item.as_str(),
                crate::columns::answer_columns(&job.key, id, item, answer)?,
            ));
        }
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO answers (administration_id, item_id, value, text_sealed, code) ",
        );
        insert.push_values(rows, |mut b, (item, (value, text, code))| {
            b.push_bind(id.0)
                .push_bind(item)
                .push_bind(value)
                .push_bind(text)
                .push_bind(code);
        });
        insert.build().execute(&mut *tx).await?;
    }
    crate::scorings::write(tx, job.owner, id, &job.scores).await?;
    Ok(Recorded {
        id,
        started_at: row.try_get("started_at")?,
        completed_at: row.try_get("completed_at")?,
    })
}

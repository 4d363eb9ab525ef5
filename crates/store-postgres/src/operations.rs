//! The operator's work: a checked backup with `pg_dump`, rotating the
//! server key, and a consistency check of what the engine relies on.
//!
//! A backup holds what people wrote, their safety answers and their plans
//! only as ciphertext; the other answers are plain numbers, so it needs the
//! same care as the database, and the key file is kept apart from it.

use std::path::Path;
use std::process::Command;

use sqlx::postgres::PgPool;

use crate::prelude::*;

/// Refuses a server that may lose committed writes: `fsync` off, or full
/// page writes off (a torn page after a crash). `synchronous_commit = off`
/// is allowed to stand: it may lose the last moments before a crash but
/// never corrupts, and it is the operator's choice.
pub(crate) async fn check_settings(pool: &PgPool) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    let fsync: String = sqlx::query_scalar("SELECT current_setting('fsync')")
        .fetch_one(&mut *conn)
        .await?;
    let full_page_writes: String = sqlx::query_scalar("SELECT current_setting('full_page_writes')")
        .fetch_one(&mut *conn)
        .await?;
    if fsync != "on" || full_page_writes != "on" {
        return Err(StoreError::Settings(format!(
            "fsync={fsync} full_page_writes={full_page_writes}"
        )));
    }
    Ok(())
}

/// Runs a program to its end off the async threads; `Ok(None)` when it is
/// not installed.
async fn run(mut command: Command) -> Result<Option<std::process::Output>, StoreError> {
    let outcome = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|err| StoreError::Unavailable(format!("the backup task stopped: {err}")))?;
    match outcome {
        Ok(output) => Ok(Some(output)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(StoreError::Database(format!("cannot run pg_dump: {err}"))),
    }
}

impl PgStore {
    /// Writes a `pg_dump` archive (custom format, one consistent snapshot
    /// taken while the store keeps working) to `dest`, which must not exist
    /// yet, made 0600 before its first byte; then reads its table of
    /// contents back with `pg_restore --list` when that is installed.
    ///
    /// The URL, password included if it has one, is passed to `pg_dump` on
    /// its command line; prefer a password file or peer authentication.
    pub(crate) async fn dump(&self, dest: &Path) -> Result<(), StoreError> {
        if dest.exists() {
            return Err(StoreError::invalid(
                "file",
                format!(
                    "{} already exists; a backup never overwrites a file",
                    dest.display()
                ),
            ));
        }
        crate::modes::create_private(dest)?;
        let mut dump = Command::new("pg_dump");
        dump.arg("--format=custom")
            .arg("--no-owner")
            .arg("--file")
            .arg(dest)
            .arg("--dbname")
            .arg(self.url.as_str());
        let failed = |message: String| {
            // A half-written archive is no backup.
            let _ = std::fs::remove_file(dest);
            Err(StoreError::invalid("file", message))
        };
        let Some(output) = run(dump).await? else {
            return failed(
                "a backup of a PostgreSQL store needs pg_dump (from the PostgreSQL client tools) on the PATH".into(),
            );
        };
        if !output.status.success() {
            return failed(format!(
                "pg_dump failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        std::fs::File::open(dest)
            .and_then(|file| file.sync_all())
            .map_err(|source| StoreError::Io {
                path: dest.to_owned(),
                source,
            })?;
        let mut list = Command::new("pg_restore");
        list.arg("--list").arg(dest);
        if let Some(output) = run(list).await? {
            let toc = String::from_utf8_lossy(&output.stdout);
            if !output.status.success() || !toc.contains("TABLE DATA public users") {
                return Err(StoreError::Settings(format!(
                    "the backup at {} cannot be read back: {}",
                    dest.display(),
                    String::from_utf8_lossy(&output.stderr).trim()
                )));
            }
        }
        Ok(())
    }

    /// The key check opens with the server key, every data key unwraps, and
    /// the server keeps writes durable.
    pub(crate) async fn check(&self) -> Result<(), StoreError> {
        check_settings(&self.pool).await?;
        self.check_keys().await?;
        // What the schema's constraints say, asked again: a damaged page or
        // an index out of step with its table shows up here.
        let broken: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM answers WHERE num_nonnulls(value, text_sealed, code) <> 1)
                  + (SELECT count(*) FROM administrations a
                     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = a.owner_id))
                  + (SELECT count(*) FROM user_keys k
                     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = k.user_id))
                  + (SELECT count(*) FROM (SELECT name FROM users GROUP BY name
                                           HAVING count(*) > 1) AS twice)",
        )
        .fetch_one(&self.pool)
        .await?;
        if broken != 0 {
            return Err(StoreError::Settings(format!(
                "integrity check: {broken} rows break the schema's rules"
            )));
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl Operations for PgStore {
    async fn backup(&self, _: &tandem_store::Operator, dest: &Path) -> Result<(), StoreError> {
        self.dump(dest).await
    }

    async fn rotate_key(&self, _: &tandem_store::Operator) -> Result<usize, StoreError> {
        self.rotate_server_key().await
    }

    async fn integrity_check(&self, _: &tandem_store::Operator) -> Result<(), StoreError> {
        self.check().await
    }
}

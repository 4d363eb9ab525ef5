//! `tandem admin`: backups, restoring one, copying a store to PostgreSQL,
//! key rotation. Each opens the store itself, before any local user is
//! made: a copy or a restore must find its target as it was.

use std::io::{IsTerminal, Read};
use std::path::Path;

use tandem_store::copy::{Export, TABLES, Table, TableCheck};
use tandem_store::{Operator, Store, StoreError};
use tandem_store_sqlite::SqliteStore;

use crate::args::AdminCommand;
use crate::config::{self, FileConfig};
use crate::database::Database;
use crate::failure::bad_input;

/// Runs one `admin` command on the store `database` names.
pub async fn run(
    command: &AdminCommand,
    database: &Database,
    file: &FileConfig,
) -> anyhow::Result<()> {
    match command {
        AdminCommand::Backup { file: dest } => {
            let (store, rights) = config::open_store(database, file).await?;
            let done = store.backup(&rights.operator, dest).await;
            store.close().await;
            done.map_err(invalid_is_bad_input)?;
            let how = match database {
                Database::Sqlite { .. } => "a copy of tandem.db, integrity-checked",
                Database::Postgres { .. } => {
                    "a pg_dump archive in custom format: one consistent snapshot, read back with pg_restore --list"
                }
            };
            println!(
                "Backed up to {} ({how}); only your user account on this computer can read the file. What people wrote, their safety-check answers and their plans are in it only as ciphertext; the other answers (the profile's and the check-in's, including the questions that can point to fear or control) and the scores made from them are plain numbers, so keep it as private as the store. Keep secret.key too, somewhere else.",
                dest.display()
            );
            Ok(())
        }
        AdminCommand::RotateKey => {
            let (store, rights) = config::open_store(database, file).await?;
            let rewrapped = store.rotate_key(&rights.operator).await;
            store.close().await;
            let count = rewrapped?;
            println!(
                "New server key in place; {count} data key(s) re-wrapped. Back up the new secret.key."
            );
            Ok(())
        }
        AdminCommand::ApproveCounsellor { name } => {
            let name = tandem_store::UserName::parse(name)
                .map_err(|err| bad_input(format!("{name:?}: {err}")))?;
            let (store, rights) = config::open_store(database, file).await?;
            let approved = store
                .approve_counsellor(&rights.operator, &name, crate::commands::plan::now())
                .await;
            store.close().await;
            approved.map_err(invalid_is_bad_input)?;
            println!("{name} is an approved counsellor: clients can now give them a code.");
            Ok(())
        }
        AdminCommand::Audit { command } => super::audit::run(command, database, file).await,
        AdminCommand::CopyStore { to, json } => copy_store(database, file, to, *json).await,
        AdminCommand::Restore { file: backup, json } => {
            restore(database, file, backup, *json).await
        }
    }
}

/// A refusal the store phrased for the person who gave the value is exit 3.
fn invalid_is_bad_input(err: StoreError) -> anyhow::Error {
    match err {
        StoreError::Invalid { message, .. } | StoreError::Conflict(message) => bad_input(message),
        other => other.into(),
    }
}

async fn copy_store(
    database: &Database,
    file: &FileConfig,
    to: &str,
    json: bool,
) -> anyhow::Result<()> {
    let target = Database::choose(Some(to), database.dir())?;
    let Database::Postgres { url, .. } = &target else {
        return Err(bad_input(format!(
            "--to `{}`: copy-store copies into a PostgreSQL database (postgres://USER@HOST/DATABASE); to move to another SQLite folder, copy its files",
            shown(to)
        )));
    };
    if let Database::Postgres { url: from, .. } = database
        && from.trim() == url.trim()
    {
        return Err(bad_input(format!(
            "--to `{}` is the store being copied",
            shown(url)
        )));
    }
    refuse_foreign_tables(&target).await?;
    let (source, rights) = config::open_store(database, file).await?;
    let copied = async {
        let (target_store, _) = config::open_engine(&target, file).await?;
        let copied = copy_between(&source, &target_store, &rights.operator).await;
        target_store.close().await;
        copied
    }
    .await;
    source.close().await;
    let checks = copied?;
    report(
        &checks,
        json,
        &format!("Copied the store into {}", shown(url)),
    );
    Ok(())
}

/// Copies every table of `from` into `into`, then runs the target's own
/// consistency check (for PostgreSQL: the key check and every data key).
async fn copy_between(
    from: &Store,
    into: &Store,
    operator: &Operator,
) -> anyhow::Result<Vec<TableCheck>> {
    let export = from.export(operator).await?;
    let mut shown = Progress::new(export);
    let checks = into.import(operator, &mut shown).await;
    shown.done();
    // A target that holds something is the wrong place to copy to.
    let checks = checks.map_err(|err| match err {
        StoreError::Conflict(message) => bad_input(message),
        other => other.into(),
    })?;
    into.integrity_check(operator).await?;
    Ok(checks)
}

async fn restore(
    database: &Database,
    file: &FileConfig,
    backup: &Path,
    json: bool,
) -> anyhow::Result<()> {
    let place = backup.display();
    let mut head = [0u8; 16];
    std::fs::File::open(backup)
        .and_then(|mut opened| opened.read_exact(&mut head))
        .map_err(|err| bad_input(format!("{place}: cannot read a backup from it: {err}")))?;
    if head.starts_with(b"PGDMP") {
        return Err(bad_input(format!(
            "{place} is a pg_dump archive (the backup of a PostgreSQL store): restore it into a new, empty database with `pg_restore --no-owner --single-transaction --exit-on-error --dbname URL {place}`, then point Tandem at that database"
        )));
    }
    if &head != b"SQLite format 3\0" {
        return Err(bad_input(format!(
            "{place} is not a Tandem backup (neither a SQLite database nor a pg_dump archive)"
        )));
    }
    // The backup is opened from a private copy, so nothing of it changes:
    // opening runs this build's migrations on it.
    let scratch = tempfile::Builder::new()
        .prefix("tandem-restore-")
        .tempdir()?;
    let copy = scratch.path().join(tandem_store_sqlite::DB_FILE);
    std::fs::copy(backup, &copy)
        .map_err(|err| anyhow::anyhow!("copying {place} to {}: {err}", copy.display()))?;
    let unusable = |err: StoreError| bad_input(format!("{place}: not a usable backup: {err}"));
    let source = match config::server_key(file)? {
        Some(key) => SqliteStore::open_with_key(scratch.path(), key).await,
        None => {
            let key_file = tandem_store::seal::key_path(database.dir());
            if !key_file.is_file() {
                return Err(bad_input(format!(
                    "restoring needs the server key the backup was made with: put its secret.key at {} (or set TANDEM_KEY), then restore again",
                    key_file.display()
                )));
            }
            std::fs::copy(&key_file, tandem_store::seal::key_path(scratch.path())).map_err(
                |err| anyhow::anyhow!("copying {}: {err}", key_file.display()),
            )?;
            SqliteStore::open(scratch.path()).await
        }
    }
    .map_err(unusable)?;
    let (source, rights) = Store::with_rights(source);
    let restored = async {
        source
            .integrity_check(&rights.operator)
            .await
            .map_err(unusable)?;
        refuse_foreign_tables(database).await?;
        let (target, _) = config::open_engine(database, file).await?;
        let copied = copy_between(&source, &target, &rights.operator).await;
        target.close().await;
        copied
    }
    .await;
    source.close().await;
    let checks = restored?;
    let into = match database {
        Database::Sqlite { dir, .. } => dir.display().to_string(),
        Database::Postgres { url, .. } => shown(url),
    };
    report(&checks, json, &format!("Restored {place} into {into}"));
    Ok(())
}

/// Refuses a PostgreSQL database that holds tables of another
/// application's: opening it would add Tandem's beside them.
async fn refuse_foreign_tables(database: &Database) -> anyhow::Result<()> {
    let Database::Postgres { url, .. } = database else {
        return Ok(());
    };
    let foreign = tandem_store_postgres::foreign_tables(url).await?;
    if foreign.is_empty() {
        return Ok(());
    }
    Err(bad_input(format!(
        "{} holds tables that are not Tandem's ({}); copy into a new, empty database, and nothing was written",
        shown(url),
        foreign.join(", ")
    )))
}

/// Prints what was copied: a line per table, or JSON.
fn report(checks: &[TableCheck], json: bool, done: &str) {
    if json {
        println!("{}", serde_json::json!({ "tables": checks }));
        return;
    }
    println!("{done}; every table was read back and matches what was copied:");
    for check in checks {
        println!(
            "  {:<16} {:>8} rows  SHA-256 {}",
            check.table, check.rows, check.digest
        );
    }
    println!(
        "Ids, ciphertext and wrapped data keys are as they were, so the same server key opens them. Not copied: the migration bookkeeping each engine keeps for itself."
    );
}

/// `url` without a password (in its user info or its query), to print.
fn shown(url: &str) -> String {
    let (url, query) = match url.split_once('?') {
        Some((bare, query)) if query.contains("password") => (bare, "?***"),
        Some((bare, query)) => (bare, &url[bare.len()..bare.len() + 1 + query.len()]),
        None => (url, ""),
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return format!("{url}{query}");
    };
    let end = rest.find('/').unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => match rest[..at].split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***{}{query}", &rest[at..]),
            None => format!("{url}{query}"),
        },
        None => format!("{url}{query}"),
    }
}

/// An export that shows, on a terminal, which table is being copied.
struct Progress {
    inner: Box<dyn Export>,
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(inner: Box<dyn Export>) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(TABLES.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} tables {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Self { inner, bar }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[async_trait::async_trait]
impl Export for Progress {
    async fn rows(
        &mut self,
        table: &'static Table,
    ) -> Result<Vec<tandem_store::copy::Row>, StoreError> {
        if let Some(bar) = &self.bar {
            bar.set_message(table.name);
        }
        let rows = self.inner.rows(table).await;
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn a_password_is_never_printed() {
        assert_eq!(
            shown("postgres://ann:s3cret@db:5432/tandem"),
            "postgres://ann:***@db:5432/tandem"
        );
        assert_eq!(
            shown("postgres://ann@db/tandem"),
            "postgres://ann@db/tandem"
        );
        assert_eq!(shown("postgres://db/t?password=x"), "postgres://db/t?***");
        assert_eq!(
            shown("postgres://a:b@db/t?sslmode=require"),
            "postgres://a:***@db/t?sslmode=require"
        );
    }
}

//! The baseline for the web benchmark (`bench/web/run`): how many single-row
//! insert transactions per second SQLite commits on this machine, with the
//! settings `Store::open` uses (WAL, `synchronous=FULL`, foreign keys,
//! `secure_delete`), one connection, each row in its own transaction.
//!
//! Usage: `tandem-bench-raw-insert [SECONDS] [DIR]` (defaults: 5 seconds, a
//! fresh temporary directory, removed afterwards). Put `DIR` on the same
//! filesystem as the server's data directory, or the comparison is unfair.
//!
//! Prints one line: `rows_per_sec=R rows=N seconds=S`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};

/// What one run measured.
struct Measured {
    rows: u64,
    elapsed: Duration,
}

/// Opens a fresh database in `dir` with the store's settings and inserts one
/// row per transaction until `run_for` has passed.
async fn measure(dir: &Path, run_for: Duration) -> Result<Measured, sqlx::Error> {
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(dir.join("raw-insert.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .pragma("secure_delete", "on")
        .busy_timeout(Duration::from_secs(5));
    let mut conn = options.connect().await?;
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await?;
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut conn)
        .await?;
    if journal != "wal" || synchronous != 2 {
        return Err(sqlx::Error::Protocol(format!(
            "expected journal_mode=wal and synchronous=2 (FULL), found {journal} and {synchronous}"
        )));
    }
    sqlx::query(
        "CREATE TABLE owners (id INTEGER PRIMARY KEY);
         INSERT INTO owners (id) VALUES (1);
         CREATE TABLE rows (
             id INTEGER PRIMARY KEY,
             owner_id INTEGER NOT NULL REFERENCES owners (id),
             value INTEGER NOT NULL,
             created_at TEXT NOT NULL
         )",
    )
    .execute(&mut conn)
    .await?;
    let started = Instant::now();
    let mut rows = 0u64;
    while started.elapsed() < run_for {
        let mut tx = conn.begin().await?;
        sqlx::query(
            "INSERT INTO rows (owner_id, value, created_at)
             VALUES (1, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        )
        .bind(i64::try_from(rows % 5).unwrap_or(0))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        rows += 1;
    }
    let elapsed = started.elapsed();
    conn.close().await?;
    Ok(Measured { rows, elapsed })
}

/// Seconds and directory from the command line.
fn parse_args() -> Result<(Duration, Option<PathBuf>), String> {
    let mut args = std::env::args().skip(1);
    let seconds = match args.next() {
        Some(text) => text
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s > 0.0)
            .ok_or_else(|| format!("SECONDS must be a positive number, not `{text}`"))?,
        None => 5.0,
    };
    let dir = args.next().map(PathBuf::from);
    if let Some(extra) = args.next() {
        return Err(format!("unexpected argument `{extra}`"));
    }
    Ok((Duration::from_secs_f64(seconds), dir))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (run_for, dir) = match parse_args() {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("error: {message}\nusage: tandem-bench-raw-insert [SECONDS] [DIR]");
            return ExitCode::from(2);
        }
    };
    // A fresh directory inside DIR (or the system's temporary one), removed
    // when done.
    let scratch = match dir {
        Some(parent) => tempfile::Builder::new()
            .prefix("raw-insert-")
            .tempdir_in(parent),
        None => tempfile::Builder::new().prefix("raw-insert-").tempdir(),
    };
    let scratch = match scratch {
        Ok(scratch) => scratch,
        Err(err) => {
            eprintln!("error: cannot make a temporary directory: {err}");
            return ExitCode::FAILURE;
        }
    };
    match measure(scratch.path(), run_for).await {
        Ok(Measured { rows, elapsed }) => {
            let secs = elapsed.as_secs_f64();
            let rate = rows as f64 / secs;
            println!("rows_per_sec={rate:.1} rows={rows} seconds={secs:.3}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

//! Persistence for Tandem: an embedded SQLite store with versioned migrations,
//! answers saved the moment they are given, the safety screen in tables of
//! its own, the support map, and free text sealed at rest.
//!
//! Every method that reads or writes personal data takes the [`UserId`] that
//! owns it and scopes its query by it; there is no unscoped read. The one
//! lookup without a user is [`Store::session`], whose token is the credential
//! that names the user. Methods that need the time take `now` (unix seconds).

mod accounts;
mod error;
mod ids;
pub mod network;
mod responses;
mod safety;
pub mod seal;
mod sessions;
mod throttle;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqliteSynchronous};

pub use accounts::{AccountError, UserName};
pub use error::StoreError;
pub use ids::{AdministrationId, SafetyScreenId, SupporterId, UserId};
pub use responses::Administration;
pub use safety::SafetyScreenRecord;
pub use sessions::{NewSession, SessionInfo, token_hash_hex};

use seal::Sealer;

/// The database file's name inside the data dir.
pub const DB_FILE: &str = "tandem.db";

const KEY_CHECK: &str = "key-check";

/// The SQLite store.
pub struct Store {
    pool: SqlitePool,
    sealer: Sealer,
    path: PathBuf,
}

impl Store {
    /// Opens (or creates) the store in `data_dir`: creates the dir, the key
    /// file and the database as needed, runs migrations, and checks that the
    /// durability settings and the key are what they must be.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::Io {
            path: data_dir.to_owned(),
            source,
        })?;
        let path = data_dir.join(DB_FILE);
        let fresh = !path.exists();
        let sealer = Sealer::from_key_file(&seal::key_path(data_dir), fresh)?;
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(StoreError::Database)?
            .filename(&path)
            .create_if_missing(fresh)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .pragma("secure_delete", "on")
            .busy_timeout(std::time::Duration::from_secs(5));
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        let store = Self { pool, sealer, path };
        store.check_settings().await?;
        store.check_key().await?;
        Ok(store)
    }

    /// Where the database file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the pool, flushing the write-ahead log.
    pub async fn close(self) {
        self.pool.close().await;
    }

    async fn check_settings(&self) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await?;
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *conn)
            .await?;
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&mut *conn)
            .await?;
        let secure_delete: i64 = sqlx::query_scalar("PRAGMA secure_delete")
            .fetch_one(&mut *conn)
            .await?;
        // synchronous: 2 = FULL.
        if journal != "wal" || synchronous != 2 || foreign_keys != 1 || secure_delete != 1 {
            return Err(StoreError::Settings(format!(
                "journal_mode={journal} synchronous={synchronous} foreign_keys={foreign_keys} secure_delete={secure_delete}"
            )));
        }
        Ok(())
    }

    /// A wrong key file must stop the store at start, not corrupt data later.
    async fn check_key(&self) -> Result<(), StoreError> {
        let stored: Option<Vec<u8>> = sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(KEY_CHECK)
            .fetch_optional(&self.pool)
            .await?;
        match stored {
            Some(sealed) => self.sealer.open(KEY_CHECK, &sealed).map(drop),
            None => {
                let sealed = self.sealer.seal(KEY_CHECK, b"tandem")?;
                sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?)")
                    .bind(KEY_CHECK)
                    .bind(sealed)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    }

    /// The one user of a terminal install, created on first use.
    pub async fn local_user(&self) -> Result<UserId, StoreError> {
        sqlx::query("INSERT INTO users (name) VALUES ('local') ON CONFLICT (name) DO NOTHING")
            .execute(&self.pool)
            .await?;
        let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE name = 'local'")
            .fetch_one(&self.pool)
            .await?;
        Ok(UserId(id))
    }

    /// Runs SQLite's own consistency check; `Ok` only when it says "ok".
    pub async fn integrity_check(&self) -> Result<(), StoreError> {
        let result: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&self.pool)
            .await?;
        if result == "ok" {
            Ok(())
        } else {
            Err(StoreError::Settings(format!("integrity check: {result}")))
        }
    }
}

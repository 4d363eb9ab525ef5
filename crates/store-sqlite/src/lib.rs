//! Tandem's embedded engine: a SQLite store with versioned migrations,
//! answers saved the moment they are given, the safety screen in tables of
//! its own, the support map, the action plan and exercises, and free text
//! sealed at rest with a data key per person, wrapped by the server key.
//!
//! It implements [`tandem_store::engine`]'s traits; [`open`] hands out the
//! [`Store`] that the web app and the terminal use. The single writer and the
//! group commit (`group`) are SQLite's answer to one write lock and one
//! fsync per commit, so they live here and nowhere else.

mod accounts;
mod audit;
mod backup;
mod columns;
mod copy;
mod counsel;
mod exercises;
mod group;
mod keys;
mod links;
mod network;
mod passkeys;
mod plan;
mod plan_seal;
mod recovery;
mod relationships;
mod research;
mod responses;
mod safety;
mod safety_seal;
mod scorings;
mod sessions;
mod settings;
mod shared_safety;
mod shares;
mod throttle;
mod us;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqliteSynchronous};
use tandem_store::engine::{Engine, Operations};
pub(crate) use tandem_store::{Operator, StoreError, UserId, modes, seal};
use tandem_store::{Rights, Store};

/// What every module of this engine speaks in: the interface's types, ids
/// and traits.
mod prelude {
    pub(crate) use crate::SqliteStore;
    pub(crate) use tandem_store::engine::*;
    pub(crate) use tandem_store::throttle::{Attempt, FORGET_AFTER_SECS, Limits, Ticket, backoff};
    pub(crate) use tandem_store::{
        AccountError, Administration, AdministrationId, ExerciseId, ExerciseRecord, NewSuggestion,
        Owner, PlanItem, PlanItemId, PlanStatus, RecoveryHash, RelationshipId, SafetyScreenId,
        SafetyScreenRecord, ScorePoint, StoreError, SupporterId, UserId, UserName, check_phc,
        from_hex, random_hex, to_hex, token_hash,
    };
}

use seal::{KEY_LEN, Sealer};
use zeroize::Zeroizing;

/// The database file's name inside the data dir.
pub const DB_FILE: &str = "tandem.db";

/// The SQLite store.
pub struct SqliteStore {
    /// Readers: WAL lets them run beside the writer.
    pool: SqlitePool,
    /// The one writer. Every write goes through this single connection, so
    /// writes queue in the pool (async, in order) instead of colliding on
    /// SQLite's lock and sleeping in its busy handler.
    writer: SqlitePool,
    /// Recorded administrations, written in groups that share a commit.
    recordings: group::Queue,
    keys: keys::Keys,
    path: PathBuf,
    /// The secret that throttling keys are hashed with, read once.
    pepper: tokio::sync::OnceCell<[u8; 32]>,
    /// Connections handed out by either pool (see [`SqliteStore::acquisitions`]).
    acquisitions: Acquisitions,
}

/// A count shared by both pools' acquire hooks.
type Acquisitions = std::sync::Arc<std::sync::atomic::AtomicU64>;

impl SqliteStore {
    /// Opens (or creates) the store in `data_dir` with the server key in its
    /// key file, `secret.key`: creates the dir, the key file (mode 0600) and
    /// the database as needed, settles an interrupted key rotation, checks
    /// the key and the durability settings, and runs migrations.
    ///
    /// A missing key file for an existing database, or a key that does not
    /// fit it, stops the store before anything is written.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let path = Self::prepare_dir(data_dir)?;
        let fresh = !path.exists();
        let key_file = seal::key_path(data_dir);
        let pending = seal::pending_key_path(data_dir);
        if fresh {
            // A rotation needs a database; a new key without one is noise.
            keys::discard_pending(&pending)?;
        }
        // Without a usable key nothing may be touched, so the key file is
        // read before connecting, unless a rotation has to be settled first.
        let early = if pending.exists() {
            None
        } else {
            Some(Sealer::from_key_file(&key_file, fresh)?)
        };
        let acquisitions = Acquisitions::default();
        let pool = Self::connect(&path, fresh, &acquisitions).await?;
        let opened = async {
            let stored = keys::stored_check(&pool).await?;
            let sealer = match early {
                Some(sealer) => sealer,
                None => {
                    keys::settle_pending(&pending, &key_file, stored.as_deref())?;
                    Sealer::from_key_file(&key_file, false)?
                }
            };
            Self::finish_open(&pool, sealer, stored, Some(key_file.clone())).await
        }
        .await;
        Self::assemble(pool, path, opened, acquisitions).await
    }

    /// Opens (or creates) the store in `data_dir` with a server key given by
    /// the caller (from configuration or the environment); no key file is
    /// read or written. A key that does not fit an existing database stops
    /// the store before anything is written. Such a store cannot
    /// [`rotate_key`](SqliteStore::rotate_key).
    pub async fn open_with_key(data_dir: &Path, key: [u8; KEY_LEN]) -> Result<Self, StoreError> {
        let key = Zeroizing::new(key);
        let path = Self::prepare_dir(data_dir)?;
        let fresh = !path.exists();
        let sealer = Sealer::from_key(&key);
        let acquisitions = Acquisitions::default();
        let pool = Self::connect(&path, fresh, &acquisitions).await?;
        let opened = async {
            let stored = keys::stored_check(&pool).await?;
            Self::finish_open(&pool, sealer, stored, None).await
        }
        .await;
        Self::assemble(pool, path, opened, acquisitions).await
    }

    /// Creates the data dir if needed and makes it, and the database files
    /// in it, readable by their owner alone.
    fn prepare_dir(data_dir: &Path) -> Result<PathBuf, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::Io {
            path: data_dir.to_owned(),
            source,
        })?;
        modes::restrict_dir(data_dir)?;
        modes::restrict_file(&seal::key_path(data_dir))?;
        let db = data_dir.join(DB_FILE);
        modes::restrict_database(&db)?;
        Ok(db)
    }

    async fn connect(
        path: &Path,
        fresh: bool,
        acquisitions: &Acquisitions,
    ) -> Result<SqlitePool, StoreError> {
        Self::connect_with(path, fresh, 4, acquisitions).await
    }

    async fn connect_with(
        path: &Path,
        fresh: bool,
        connections: u32,
        acquisitions: &Acquisitions,
    ) -> Result<SqlitePool, StoreError> {
        use std::sync::atomic::Ordering::Relaxed;
        let (on_connect, on_acquire) = (acquisitions.clone(), acquisitions.clone());
        if fresh && !path.exists() {
            // Made here, 0600, so SQLite never creates it with the umask's mode.
            modes::create_private(path)?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(StoreError::from)?
            .filename(path)
            .create_if_missing(fresh)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .pragma("secure_delete", "on")
            .busy_timeout(std::time::Duration::from_secs(5));
        Ok(sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(connections)
            // When the disk fills, SQLite rolls a transaction back by itself;
            // sqlx's own rollback then fails and it still counts the
            // transaction as open, so each later transaction on that
            // connection would be a savepoint of a dead one. Such a
            // connection is closed (once its queued rollback has run) and
            // the pool opens a fresh one.
            // A new connection's first use, and every later one, is counted.
            .after_connect(move |_, _| {
                on_connect.fetch_add(1, Relaxed);
                Box::pin(async { Ok(()) })
            })
            .before_acquire(move |conn, _| {
                on_acquire.fetch_add(1, Relaxed);
                Box::pin(async move {
                    sqlx::Connection::ping(conn).await?;
                    Ok(!sqlx::Connection::is_in_transaction(conn))
                })
            })
            .connect_with(options)
            .await?)
    }

    /// The key is checked before migrations and settings before either
    /// writes, so a store that must not open changes nothing.
    async fn finish_open(
        pool: &SqlitePool,
        sealer: Sealer,
        stored: Option<Vec<u8>>,
        key_file: Option<PathBuf>,
    ) -> Result<keys::Keys, StoreError> {
        keys::verify(&sealer, stored.as_deref())?;
        check_settings(pool).await?;
        sqlx::migrate!("./migrations/sqlite").run(pool).await?;
        keys::establish(pool, sealer, stored, key_file).await
    }

    async fn assemble(
        pool: SqlitePool,
        path: PathBuf,
        opened: Result<keys::Keys, StoreError>,
        acquisitions: Acquisitions,
    ) -> Result<Self, StoreError> {
        match opened {
            Ok(keys) => {
                let writer = Self::connect_with(&path, false, 1, &acquisitions).await?;
                let store = Self {
                    pool,
                    recordings: group::start(writer.clone()),
                    writer,
                    keys,
                    path,
                    pepper: tokio::sync::OnceCell::new(),
                    acquisitions,
                };
                // Needs the data keys, so it runs once the store is whole,
                // after every SQL migration: a later migration must not
                // touch `safety_answers`, `session_screens` or `plan_items`
                // of a store these steps have not yet sealed (see 0006 and
                // 0008) — make it a step here instead.
                store.seal_legacy_safety_rows().await?;
                store.seal_legacy_plan_items().await?;
                audit::chain_legacy_share_reads(&store).await?;
                store.add_plan_relationships().await?;
                // Administrations from before relationships were kept, then
                // plan items from before plans were kept per relationship.
                tandem_store::engine::Relationships::attach_administrations(&store).await?;
                tandem_store::engine::Plans::attach_plan_items(&store).await?;
                Ok(store)
            }
            Err(err) => {
                pool.close().await;
                Err(err)
            }
        }
    }
}

/// Opens (or creates) the store in `data_dir` with the server key in its key
/// file, as [`SqliteStore::open`] does, ready for the app.
pub async fn open(data_dir: &Path) -> Result<Store, StoreError> {
    Ok(Store::new(SqliteStore::open(data_dir).await?))
}

/// Opens (or creates) the store in `data_dir` as [`open`] does, with the
/// rights that reach across people, for the composition root to hand on.
pub async fn open_with_rights(data_dir: &Path) -> Result<(Store, Rights), StoreError> {
    Ok(Store::with_rights(SqliteStore::open(data_dir).await?))
}

/// Opens (or creates) the store in `data_dir` with a server key given by the
/// caller, as [`SqliteStore::open_with_key`] does, ready for the app.
pub async fn open_with_key(data_dir: &Path, key: [u8; KEY_LEN]) -> Result<Store, StoreError> {
    Ok(Store::new(SqliteStore::open_with_key(data_dir, key).await?))
}

#[async_trait::async_trait]
impl Engine for SqliteStore {
    async fn local_user_id(&self) -> Result<UserId, StoreError> {
        sqlx::query(
            "INSERT INTO users (id, name) VALUES (
                 max((SELECT coalesce(max(id), 0) FROM users),
                     (SELECT coalesce(max(id), 0) FROM high_water WHERE tbl = 'users')) + 1,
                 'local')
             ON CONFLICT (name) DO NOTHING",
        )
        .execute(&self.writer)
        .await?;
        let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE name = 'local'")
            .fetch_one(&self.pool)
            .await?;
        Ok(UserId(id))
    }

    fn acquisitions(&self) -> u64 {
        self.acquisitions.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn path(&self) -> Option<&Path> {
        Some(&self.path)
    }

    /// Closes both pools, flushing the write-ahead log.
    async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

#[async_trait::async_trait]
impl Operations for SqliteStore {
    async fn backup(&self, _: &Operator, dest: &Path) -> Result<(), StoreError> {
        self.vacuum_into(dest).await
    }

    async fn rotate_key(&self, _: &Operator) -> Result<usize, StoreError> {
        self.rotate_server_key().await
    }

    /// Runs SQLite's own consistency check; `Ok` only when it says "ok".
    async fn integrity_check(&self, _: &Operator) -> Result<(), StoreError> {
        let result: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&self.pool)
            .await?;
        if result == "ok" {
            Ok(())
        } else {
            Err(StoreError::Settings(format!("integrity check: {result}")))
        }
    }

    async fn export(
        &self,
        _: &Operator,
    ) -> Result<Box<dyn tandem_store::copy::Export>, StoreError> {
        self.export_tables().await
    }

    async fn approve_counsellor(
        &self,
        _: &Operator,
        name: &tandem_store::UserName,
        now: i64,
    ) -> Result<(), StoreError> {
        self.approve(name, now).await
    }

    async fn import(
        &self,
        _: &Operator,
        from: &mut dyn tandem_store::copy::Export,
    ) -> Result<Vec<tandem_store::copy::TableCheck>, StoreError> {
        self.import_tables(from).await
    }
}

async fn check_settings(pool: &SqlitePool) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
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

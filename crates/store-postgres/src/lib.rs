//! Tandem's server engine: the store's traits on PostgreSQL 15 or later,
//! with the same sealing as the embedded engine (a data key per person,
//! wrapped by the server key, the same contexts and padding), so a store
//! copied from SQLite opens with the same key.
//!
//! Every write is one pooled transaction, retried a few times when the
//! server reports a serialization failure or a deadlock, or the connection
//! is lost before the commit was sent (see `retry.rs`). Where the SQLite
//! engine relied on its single writer (`BEGIN IMMEDIATE`) to make a
//! read-then-write decision, this one locks the row the decision is about
//! with `SELECT … FOR UPDATE`. Sessions and throttling live in the database,
//! so several app instances can share one.
//!
//! [`open`] and [`open_with_key`] hand out the [`Store`] the app uses.

#[macro_use]
mod retry;

mod accounts;
mod answers_read;
mod audit;
mod copy;
mod counsel;
mod exercises;
mod keys;
mod links;
mod network;
mod operations;
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

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use tandem_store::Store;
use tandem_store::engine::Engine;
pub(crate) use tandem_store::{StoreError, UserId, modes, seal};
use zeroize::Zeroizing;

use seal::{KEY_LEN, Sealer};

pub use copy::foreign_tables;

/// What every module of this engine speaks in: the interface's types, ids
/// and traits.
mod prelude {
    pub(crate) use crate::PgStore;
    pub(crate) use tandem_store::engine::*;
    pub(crate) use tandem_store::throttle::{Attempt, FORGET_AFTER_SECS, Limits, Ticket, backoff};
    pub(crate) use tandem_store::{
        AccountError, Administration, AdministrationId, ExerciseId, ExerciseRecord, NewSuggestion,
        Owner, PlanItem, PlanItemId, PlanStatus, RecoveryHash, RelationshipId, SafetyScreenId,
        SafetyScreenRecord, ScorePoint, StoreError, SupporterId, UserId, UserName, check_phc,
        from_hex, random_hex, to_hex, token_hash,
    };
}

/// Connections the pool keeps open at most.
const CONNECTIONS: u32 = 8;

/// How long a request waits for a connection before it is `Unavailable`.
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// The PostgreSQL store.
pub struct PgStore {
    pool: PgPool,
    keys: keys::Keys,
    /// The connection URL, for `pg_dump`.
    url: Zeroizing<String>,
    /// The secret that throttling keys are hashed with, read once.
    pepper: tokio::sync::OnceCell<[u8; 32]>,
    /// Connections handed out by the pool (see [`Engine::acquisitions`]).
    acquisitions: Arc<AtomicU64>,
}

impl PgStore {
    /// Opens the store at `url` with the server key in the key file
    /// `secret.key` of `key_dir` (created, with the dir, when the database
    /// holds no sealed data yet), settles an interrupted key rotation,
    /// checks the key and the durability settings, and runs migrations.
    ///
    /// A missing key file for a database that holds a key check, or a key
    /// that does not fit it, stops the store before anything is written.
    pub async fn open(url: &str, key_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(key_dir).map_err(|source| StoreError::Io {
            path: key_dir.to_owned(),
            source,
        })?;
        modes::restrict_dir(key_dir)?;
        let key_file = seal::key_path(key_dir);
        modes::restrict_file(&key_file)?;
        let pending = seal::pending_key_path(key_dir);
        let (pool, acquisitions) = connect(url).await?;
        let opened = async {
            let stored = keys::stored_check(&pool).await?;
            let sealer = match &stored {
                // A rotation needs sealed data; a new key without it is noise.
                None => {
                    keys::discard_pending(&pending)?;
                    Sealer::from_key_file(&key_file, true)?
                }
                Some(check) => {
                    if pending.exists() {
                        keys::settle_pending(&pending, &key_file, Some(check))?;
                    }
                    Sealer::from_key_file(&key_file, false)?
                }
            };
            finish_open(&pool, sealer, stored, Some(key_file.clone())).await
        }
        .await;
        assemble(pool, url, opened, acquisitions).await
    }

    /// Opens the store at `url` with a server key given by the caller (from
    /// configuration or the environment); no key file is read or written.
    /// Such a store cannot rotate its key.
    pub async fn open_with_key(url: &str, key: [u8; KEY_LEN]) -> Result<Self, StoreError> {
        let key = Zeroizing::new(key);
        let sealer = Sealer::from_key(&key);
        let (pool, acquisitions) = connect(url).await?;
        let opened = async {
            let stored = keys::stored_check(&pool).await?;
            finish_open(&pool, sealer, stored, None).await
        }
        .await;
        assemble(pool, url, opened, acquisitions).await
    }
}

async fn connect(url: &str) -> Result<(PgPool, Arc<AtomicU64>), StoreError> {
    let acquisitions = Arc::new(AtomicU64::new(0));
    let (on_connect, on_acquire) = (acquisitions.clone(), acquisitions.clone());
    // No statement waits for ever on a lock or runs away: a stalled write
    // ends as `Unavailable` (55P03, 57014) instead of holding a connection.
    let options = PgConnectOptions::from_str(url)
        .map_err(|err| StoreError::invalid("url", format!("not a PostgreSQL URL: {err}")))?
        .options([("lock_timeout", "10s"), ("statement_timeout", "60s")]);
    let pool = PgPoolOptions::new()
        .max_connections(CONNECTIONS)
        // While the server is away a request waits this long for a
        // connection, then answers `Unavailable` (a 503 with Retry-After):
        // long enough to ride out a connection being remade, short enough
        // that nobody stares at a hung page.
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // A new connection's first use, and every later one, is counted.
        .after_connect(move |_, _| {
            on_connect.fetch_add(1, Relaxed);
            Box::pin(async { Ok(()) })
        })
        .before_acquire(move |_, _| {
            on_acquire.fetch_add(1, Relaxed);
            Box::pin(async { Ok(true) })
        })
        .connect_with(options)
        .await?;
    Ok((pool, acquisitions))
}

/// The key is checked before migrations and settings before either writes,
/// so a store that must not open changes nothing.
async fn finish_open(
    pool: &PgPool,
    sealer: Sealer,
    stored: Option<Vec<u8>>,
    key_file: Option<std::path::PathBuf>,
) -> Result<keys::Keys, StoreError> {
    keys::verify(&sealer, stored.as_deref())?;
    operations::check_settings(pool).await?;
    let mut migrator = sqlx::migrate!("./migrations");
    // No advisory locks (Citus, YugabyteDB): run migrations from one
    // instance at a time, ideally from a deploy step.
    migrator.set_locking(false);
    migrator.run(pool).await?;
    keys::establish(pool, sealer, stored, key_file).await
}

async fn assemble(
    pool: PgPool,
    url: &str,
    opened: Result<keys::Keys, StoreError>,
    acquisitions: Arc<AtomicU64>,
) -> Result<PgStore, StoreError> {
    match opened {
        Ok(keys) => {
            let store = PgStore {
                pool,
                keys,
                url: Zeroizing::new(url.to_owned()),
                pepper: tokio::sync::OnceCell::new(),
                acquisitions,
            };
            // Administrations from before relationships were kept.
            audit::chain_legacy_share_reads(&store).await?;
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

/// Opens the store at `url` with the server key in the key file of
/// `key_dir`, as [`PgStore::open`] does, ready for the app.
pub async fn open(url: &str, key_dir: &Path) -> Result<Store, StoreError> {
    Ok(Store::new(PgStore::open(url, key_dir).await?))
}

/// Opens the store at `url` with a server key given by the caller, as
/// [`PgStore::open_with_key`] does, ready for the app.
pub async fn open_with_key(url: &str, key: [u8; KEY_LEN]) -> Result<Store, StoreError> {
    Ok(Store::new(PgStore::open_with_key(url, key).await?))
}

#[async_trait::async_trait]
impl Engine for PgStore {
    async fn local_user_id(&self) -> Result<UserId, StoreError> {
        // Idempotent: the name is unique, and the id comes from the identity.
        write_tx!(self, |tx| {
            sqlx::query("INSERT INTO users (name) VALUES ('local') ON CONFLICT (name) DO NOTHING")
                .execute(&mut *tx)
                .await?;
        })?;
        let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE name = 'local'")
            .fetch_one(&self.pool)
            .await?;
        Ok(UserId(id))
    }

    fn acquisitions(&self) -> u64 {
        self.acquisitions.load(Relaxed)
    }

    /// The data lives on a server, not in a file.
    fn path(&self) -> Option<&Path> {
        None
    }

    /// Closes the pool; what is committed is on the server already.
    async fn close(&self) {
        self.pool.close().await;
    }
}

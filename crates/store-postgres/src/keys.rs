//! Per-user data keys and the server key that wraps them. A person's free
//! text is sealed with a random key of their own, which the database holds
//! only wrapped by the server key; rotating the server key re-wraps those
//! keys and touches nothing else, and deleting an account deletes its key.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use sqlx::postgres::PgPool;
use tokio::sync::RwLock;
use zeroize::Zeroizing;

use crate::prelude::*;
use crate::seal::{self, KEY_LEN, Sealer};
use tandem_store::contexts::wrap_context;

/// The `meta` row whose sealed value shows that the server key is the one
/// the database was sealed with.
const KEY_CHECK: &str = "key-check";
const KEY_CHECK_PLAIN: &[u8] = b"tandem";

/// Unwrapped data keys kept at most; beyond this the cache starts over, so
/// that memory does not grow with the number of people.
const CACHE_MAX: usize = 1024;

/// The server key with the key-check value it sealed, as the database holds it.
struct ServerKey {
    sealer: Sealer,
    /// A new data key is written only while the database still holds this
    /// value, so a store whose server key was rotated by another process
    /// cannot wrap a data key with a key the database no longer uses.
    check: Vec<u8>,
}

/// The server key and a small cache of unwrapped data keys.
/// Lets [`write_tx!`] run on a bare pool, before the store is whole.
struct PoolOf<'a> {
    pool: &'a PgPool,
}

pub(crate) struct Keys {
    /// Read-locked while a data key is loaded or made; write-locked while
    /// the server key is rotated or an account (and with it a key) deleted,
    /// so that neither can interleave with a load.
    server: RwLock<ServerKey>,
    /// The key file, for stores opened with one; `None` for a key from
    /// configuration.
    key_file: Option<PathBuf>,
    data: Mutex<HashMap<UserId, Arc<Sealer>>>,
}

impl Keys {
    /// Whether this server key opens `check`, a key-check value from
    /// another store, before a copy of that store is written here.
    pub(crate) async fn opens_check(&self, check: &[u8]) -> Result<(), StoreError> {
        let server = self.server.read().await;
        server.sealer.open(KEY_CHECK, check).map(drop).map_err(|_| {
            StoreError::Crypto(
                "the store being copied was sealed with another server key than this one's".into(),
            )
        })
    }

    fn cached(&self, user: UserId) -> Option<Arc<Sealer>> {
        // A panic while the map was held cannot leave it half-changed in a
        // way that matters: every entry is a whole key or absent.
        self.data
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&user)
            .cloned()
    }

    fn remember(&self, user: UserId, key: Arc<Sealer>) {
        let mut data = self.data.lock().unwrap_or_else(PoisonError::into_inner);
        if data.len() >= CACHE_MAX {
            data.clear();
        }
        data.insert(user, key);
    }
}

/// The key-check value, if the database has one yet (it has none before the
/// first migration, either).
pub(crate) async fn stored_check(pool: &PgPool) -> Result<Option<Vec<u8>>, StoreError> {
    let has_meta: bool = sqlx::query_scalar("SELECT to_regclass('meta') IS NOT NULL")
        .fetch_one(pool)
        .await?;
    if !has_meta {
        return Ok(None);
    }
    Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
        .bind(KEY_CHECK)
        .fetch_optional(pool)
        .await?)
}

/// Refuses a server key that does not open the stored key check. Called
/// before migrations, so that a wrong key writes nothing.
pub(crate) fn verify(sealer: &Sealer, stored: Option<&[u8]>) -> Result<(), StoreError> {
    match stored {
        Some(sealed) => sealer.open(KEY_CHECK, sealed).map(drop),
        None => Ok(()),
    }
}

/// Builds the store's keys, writing the key check first if the database has
/// none yet.
pub(crate) async fn establish(
    pool: &PgPool,
    sealer: Sealer,
    stored: Option<Vec<u8>>,
    key_file: Option<PathBuf>,
) -> Result<Keys, StoreError> {
    let check = match stored {
        Some(check) => check,
        None => {
            let sealed = sealer.seal(KEY_CHECK, KEY_CHECK_PLAIN)?;
            // Idempotent, so retried freely.
            write_tx!(PoolOf { pool }, |tx| {
                sqlx::query(
                    "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                )
                .bind(KEY_CHECK)
                .bind(&sealed)
                .execute(&mut *tx)
                .await?;
            })?;
            // Another process opening the same new database may have won.
            let check = stored_check(pool)
                .await?
                .ok_or_else(|| StoreError::Crypto("the key check was not stored".into()))?;
            verify(&sealer, Some(&check))?;
            check
        }
    };
    Ok(Keys {
        server: RwLock::new(ServerKey { sealer, check }),
        key_file,
        data: Mutex::new(HashMap::new()),
    })
}

/// Removes a new key left by a rotation that never reached the database.
pub(crate) fn discard_pending(pending: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(pending) {
        Ok(()) => sync_parent(pending),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(StoreError::Io {
            path: pending.to_owned(),
            source,
        }),
    }
}

/// Settles a rotation that stopped between writing the new key file and
/// renaming it over the old one: if the database was re-wrapped with the new
/// key (its key check opens with it), the rename is finished; otherwise the
/// new key was never used and is removed.
pub(crate) fn settle_pending(
    pending: &Path,
    key_file: &Path,
    stored: Option<&[u8]>,
) -> Result<(), StoreError> {
    let fits = match (stored, Sealer::from_key_file(pending, false)) {
        (Some(check), Ok(sealer)) => sealer.open(KEY_CHECK, check).is_ok(),
        // A key of the wrong length was not written whole, so never used.
        (_, Err(StoreError::Key { .. })) | (None, Ok(_)) => false,
        // Unreadable is not the same as unused: leave it for a person to see.
        (_, Err(err)) => return Err(err),
    };
    if !fits {
        return discard_pending(pending);
    }
    std::fs::rename(pending, key_file).map_err(|source| StoreError::Io {
        path: key_file.to_owned(),
        source,
    })?;
    sync_parent(key_file)
}

fn sync_parent(path: &Path) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    seal::sync_dir(dir).map_err(|source| StoreError::Io {
        path: dir.to_owned(),
        source,
    })
}

/// A person's data key, loaded on first use: reads that find nothing
/// sealed need no key.
pub(crate) struct LazyKey<'a> {
    store: &'a PgStore,
    owner: UserId,
    key: Option<Arc<Sealer>>,
}

impl LazyKey<'_> {
    /// The key, loaded (or made) the first time.
    pub(crate) async fn get(&mut self) -> Result<&Sealer, StoreError> {
        let key = match self.key.take() {
            Some(key) => key,
            None => self.store.data_key(self.owner).await?,
        };
        Ok(self.key.insert(key))
    }
}

impl PgStore {
    /// `owner`'s data key, to be loaded when first needed.
    pub(crate) fn lazy_key(&self, owner: UserId) -> LazyKey<'_> {
        LazyKey {
            store: self,
            owner,
            key: None,
        }
    }

    /// `owner`'s data key, loaded already: for a transaction that holds row
    /// locks, which must not wait on the key lock inside this process (a
    /// deletion holding it may be waiting on those rows, and PostgreSQL
    /// cannot see that deadlock).
    pub(crate) fn loaded_key(&self, owner: UserId, key: Arc<Sealer>) -> LazyKey<'_> {
        LazyKey {
            store: self,
            owner,
            key: Some(key),
        }
    }

    /// The data key of `owner`, made on first need. `NotFound` when there is
    /// no such user.
    pub(crate) async fn data_key(&self, owner: UserId) -> Result<Arc<Sealer>, StoreError> {
        if let Some(key) = self.keys.cached(owner) {
            return Ok(key);
        }
        let server = self.keys.server.read().await;
        let context = wrap_context(owner);
        let mut wrapped: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT wrapped FROM user_keys WHERE user_id = $1")
                .bind(owner.0)
                .fetch_optional(&self.pool)
                .await?;
        if wrapped.is_none() {
            let new = seal::random_key()?;
            let sealed = server.sealer.seal(&context, new.as_slice())?;
            // A no-op for an unknown user and for a database whose server
            // key is no longer this one. The key check is share-locked, so a
            // rotation (which locks it for update) cannot re-wrap the keys
            // between this check and the insert; once a rotation commits,
            // the check no longer matches and nothing is inserted.
            // Idempotent (`DO NOTHING`), so retried freely.
            write_tx!(self, |tx| {
                let current: Option<Vec<u8>> = sqlx::query_scalar(
                    "SELECT value FROM meta WHERE key = 'key-check' AND value = $1 FOR SHARE",
                )
                .bind(&server.check)
                .fetch_optional(&mut *tx)
                .await?;
                if current.is_some() {
                    sqlx::query(
                        "INSERT INTO user_keys (user_id, wrapped)
                         SELECT id, $1 FROM users WHERE id = $2
                         ON CONFLICT (user_id) DO NOTHING",
                    )
                    .bind(&sealed)
                    .bind(owner.0)
                    .execute(&mut *tx)
                    .await?;
                }
            })?;
            // Whoever inserted first, this is the key now.
            wrapped = sqlx::query_scalar("SELECT wrapped FROM user_keys WHERE user_id = $1")
                .bind(owner.0)
                .fetch_optional(&self.pool)
                .await?;
        }
        let Some(wrapped) = wrapped else {
            let user: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1")
                .bind(owner.0)
                .fetch_optional(&self.pool)
                .await?;
            return Err(match user {
                None => StoreError::NotFound {
                    what: "user",
                    id: owner.0,
                },
                Some(_) => StoreError::Crypto(
                    "the server key has changed since this store was opened (rotated by another process?); open the store again".into(),
                ),
            });
        };
        let plain = Zeroizing::new(server.sealer.open(&context, &wrapped)?);
        let bytes: &[u8; KEY_LEN] = plain
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::Crypto(format!("{context}: not a {KEY_LEN}-byte key")))?;
        let key = Arc::new(Sealer::from_key(bytes));
        // Still under the read lock, so an account deletion cannot slip in
        // between loading the key and caching it.
        self.keys.remember(owner, Arc::clone(&key));
        Ok(key)
    }

    /// Runs `delete` (which deletes a user, and by cascade their data key)
    /// so that no load of that key interleaves, then forgets the cached key.
    /// (PostgreSQL never gives a later user the same id, but a cached key
    /// of a deleted person has no business staying in memory.)
    pub(crate) async fn deleting_user<T>(
        &self,
        user: UserId,
        delete: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let _server = self.keys.server.write().await;
        let result = delete.await;
        self.keys
            .data
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&user);
        result
    }

    /// Replaces the server key of a store opened with a key file, and
    /// returns how many data keys were re-wrapped with the new one.
    ///
    /// The new key is first written to `secret.key.new` (0600, synced); then
    /// one transaction re-wraps every data key and the key check; then the
    /// new file is renamed over `secret.key`. A crash in between is settled
    /// at the next [`PgStore::open`], which keeps whichever key the database
    /// holds. Free text is not touched: it is sealed with the data keys.
    ///
    /// Other processes with the same store open keep working with the keys
    /// they have loaded, but cannot load or make other keys until they open
    /// the store again; rotate with the server stopped.
    pub(crate) async fn rotate_server_key(&self) -> Result<usize, StoreError> {
        let Some(key_file) = &self.keys.key_file else {
            return Err(StoreError::invalid(
                "server_key",
                "this store's server key comes from the configuration, not a key file; it cannot be rotated here",
            ));
        };
        let dir = key_file.parent().unwrap_or(Path::new("."));
        let pending = seal::pending_key_path(dir);
        let new_key = seal::random_key()?;
        seal::write_private(&pending, new_key.as_slice()).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                StoreError::Key {
                    path: pending.clone(),
                    message: "a key rotation is under way or was interrupted; open the store again to settle it".into(),
                }
            } else {
                StoreError::Io {
                    path: pending.clone(),
                    source,
                }
            }
        })?;
        // The new key must be on disk before any row depends on it.
        if let Err(err) = sync_parent(&pending) {
            // Should this fail too, the next open discards the unused key.
            let _ = discard_pending(&pending);
            return Err(err);
        }
        let new = Sealer::from_key(&new_key);

        let mut server = self.keys.server.write().await;
        let prepared = async {
            // Not retried: a rotation is an operator's one-off command.
            let mut tx = self.pool.begin().await?;
            // Locked first, so no data key is made while the keys are re-wrapped.
            let stored: Option<Vec<u8>> =
                sqlx::query_scalar("SELECT value FROM meta WHERE key = $1 FOR UPDATE")
                    .bind(KEY_CHECK)
                    .fetch_optional(&mut *tx)
                    .await?;
            verify(&server.sealer, stored.as_deref())?;
            let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
                "SELECT user_id, wrapped FROM user_keys ORDER BY user_id FOR UPDATE",
            )
            .fetch_all(&mut *tx)
            .await?;
            for (user, wrapped) in &rows {
                let context = wrap_context(UserId(*user));
                let plain = Zeroizing::new(server.sealer.open(&context, wrapped)?);
                sqlx::query("UPDATE user_keys SET wrapped = $1 WHERE user_id = $2")
                    .bind(new.seal(&context, &plain)?)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
            }
            let check = new.seal(KEY_CHECK, KEY_CHECK_PLAIN)?;
            sqlx::query("UPDATE meta SET value = $1 WHERE key = $2")
                .bind(&check)
                .bind(KEY_CHECK)
                .execute(&mut *tx)
                .await?;
            Ok::<_, StoreError>((tx, rows.len(), check))
        }
        .await;
        let (tx, count, check) = match prepared {
            Ok(prepared) => prepared,
            Err(err) => {
                // Rolled back: the new key was never used. Should removing it
                // fail, the next open finds that it does not fit and removes it.
                let _ = discard_pending(&pending);
                return Err(err);
            }
        };
        // A failed commit may still have reached the disk; the new key file
        // stays, and the next open keeps whichever key the database holds.
        tx.commit().await?;
        *server = ServerKey { sealer: new, check };
        drop(server);

        std::fs::rename(&pending, key_file).map_err(|source| StoreError::Io {
            path: key_file.clone(),
            source,
        })?;
        sync_parent(key_file)?;
        Ok(count)
    }
}

impl PgStore {
    /// The stored key check opens with the server key, and so does every
    /// wrapped data key.
    pub(crate) async fn check_keys(&self) -> Result<(), StoreError> {
        let server = self.keys.server.read().await;
        let stored = stored_check(&self.pool).await?;
        if stored.is_none() {
            return Err(StoreError::Settings(
                "integrity check: the key check is missing".into(),
            ));
        }
        verify(&server.sealer, stored.as_deref())?;
        let rows: Vec<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT user_id, wrapped FROM user_keys ORDER BY user_id")
                .fetch_all(&self.pool)
                .await?;
        for (user, wrapped) in &rows {
            let plain = Zeroizing::new(server.sealer.open(&wrap_context(UserId(*user)), wrapped)?);
            if plain.len() != KEY_LEN {
                return Err(StoreError::Settings(format!(
                    "integrity check: the data key of user {user} is not {KEY_LEN} bytes"
                )));
            }
        }
        Ok(())
    }
}

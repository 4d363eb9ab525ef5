//! Shared set-up: a store in a temporary data dir, the built-in instruments,
//! and a raw connection for looking behind the store's back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use tandem_core::answers::{Answer, Answers};
use tandem_core::instrument::Instrument;
use tandem_core::instrument::builtin::{builtin_by_id, builtin_version};
use tandem_store::seal::{key_path, pending_key_path};
use tandem_store::{Owner, Store, UserId};
use tandem_store_sqlite::DB_FILE;
use tempfile::TempDir;

/// A fresh store in its own temporary data dir, with its local user.
pub async fn fresh() -> (TempDir, Store, Owner) {
    let dir = tempfile::tempdir().unwrap();
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    let owner = store.local_user().await.unwrap();
    (dir, store, owner)
}

/// A built-in instrument by id, in version 1.0.0: the store does not care
/// which version it keeps, and these tests were written against its items.
pub fn instrument(id: &str) -> Instrument {
    builtin_version(id, "1.0.0").unwrap().unwrap()
}

/// The current version of a built-in instrument.
pub fn current(id: &str) -> Instrument {
    builtin_by_id(id).unwrap().unwrap()
}

/// Checked answers from `(item, answer)` pairs.
pub fn answers(instrument: &Instrument, pairs: &[(&str, Answer)]) -> Answers {
    let mut answers = Answers::new();
    for (item, answer) in pairs {
        answers.set(instrument, item, answer.clone()).unwrap();
    }
    answers
}

/// A connection pool of its own to the database file, bypassing the store.
pub async fn raw(data_dir: &Path) -> SqlitePool {
    let options = SqliteConnectOptions::new()
        .filename(data_dir.join(DB_FILE))
        .create_if_missing(false)
        .busy_timeout(std::time::Duration::from_secs(5));
    SqlitePool::connect_with(options).await.unwrap()
}

/// Adds a second user straight into `users`; the store has no API for it.
pub async fn other_user(store: &Store, data_dir: &Path, name: &str) -> Owner {
    let pool = raw(data_dir).await;
    let id: i64 = sqlx::query_scalar("INSERT INTO users (name) VALUES (?) RETURNING id")
        .bind(name)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    owner(store, UserId(id)).await
}

/// The right to act for `user`, got as the web app gets it: from a session
/// the store has just made (the one way to mint an [`Owner`] for an account).
/// The session is ended at once, so it leaves no row behind.
pub async fn owner(store: &Store, user: UserId) -> Owner {
    let session = store.create_session(user, "test", 0).await.unwrap();
    store.end_session(&session.token).await.unwrap();
    session.owner
}

/// An owner whose account is gone: what a forged or stale id would reach.
pub async fn nobody(store: &Store, data_dir: &Path) -> Owner {
    let gone = other_user(store, data_dir, "gone-account").await;
    store.delete_account(gone, 2_000_000_000).await.unwrap();
    gone
}

/// Every file of the data dir but the key files, with its bytes.
pub fn database_files(data_dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::read_dir(data_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| *path != key_path(data_dir) && *path != pending_key_path(data_dir))
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect()
}

/// How many rows each table of personal data holds, by table.
pub async fn row_counts(data_dir: &Path) -> Vec<(&'static str, i64)> {
    let pool = raw(data_dir).await;
    let mut counts = Vec::new();
    // Literal statements: sqlx takes only audited SQL, and these are few.
    for (table, sql) in [
        ("users", "SELECT count(*) FROM users"),
        ("administrations", "SELECT count(*) FROM administrations"),
        ("answers", "SELECT count(*) FROM answers"),
        ("safety_screens", "SELECT count(*) FROM safety_screens"),
        ("safety_answers", "SELECT count(*) FROM safety_answers"),
        ("supporters", "SELECT count(*) FROM supporters"),
        ("reliance", "SELECT count(*) FROM reliance"),
        ("sessions", "SELECT count(*) FROM sessions"),
        ("login_failures", "SELECT count(*) FROM login_failures"),
        ("user_keys", "SELECT count(*) FROM user_keys"),
        ("plan_items", "SELECT count(*) FROM plan_items"),
        ("exercises", "SELECT count(*) FROM exercises"),
        ("exercise_ticks", "SELECT count(*) FROM exercise_ticks"),
    ] {
        let count: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
        counts.push((table, count));
    }
    pool.close().await;
    counts
}

/// The rights that reach across people (operator, research), as a
/// composition root gets them: by opening an engine, here a throwaway one.
pub async fn rights() -> tandem_store::Rights {
    let dir = tempfile::tempdir().unwrap();
    let (store, rights) = tandem_store_sqlite::open_with_rights(dir.path())
        .await
        .unwrap();
    store.close().await;
    rights
}

//! Shared set-up: a PostgreSQL database of the test's own, a store on it
//! with a key file in a temporary dir, and the built-in instruments.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use tandem_core::answers::{Answer, Answers};
use tandem_core::instrument::Instrument;
use tandem_core::instrument::builtin::builtin_version;
use tandem_store::{Owner, Store, UserId, UserName};
use tempfile::TempDir;

/// A PHC string the store accepts as a password hash.
pub const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A database of this test's own: a throwaway cluster, stopped on drop, or
/// a new database on the server of `TANDEM_PG_URL`.
pub struct Database {
    /// The URL of the database.
    pub url: String,
    cluster: Option<TempDir>,
}

impl Database {
    pub fn new() -> Self {
        if let Ok(base) = std::env::var("TANDEM_PG_URL") {
            return Self::on_server(&base);
        }
        let dir = tempfile::Builder::new()
            .prefix("tandem-pg-")
            .tempdir_in("/tmp")
            .unwrap();
        let script = repo_root().join("scripts/pg-cluster");
        let output = Command::new(&script)
            .arg("start")
            .arg(dir.path())
            .output()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}", script.display()));
        if !output.status.success() {
            panic!(
                "these tests need PostgreSQL 15+: `scripts/pg-cluster start` failed \
                 (install PostgreSQL, or set TANDEM_PG_URL to a server whose user may \
                 create databases):\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let url = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        assert!(url.starts_with("postgres://"), "pg-cluster printed {url:?}");
        Self {
            url,
            cluster: Some(dir),
        }
    }

    /// A new database on an existing server, named after this process and
    /// a counter; left there for the operator to drop.
    fn on_server(base: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "tandem_it_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let status = Command::new("psql")
            .arg(base)
            .arg("-v")
            .arg("ON_ERROR_STOP=1")
            .arg("-c")
            .arg(format!("CREATE DATABASE {name}"))
            .status()
            .expect("psql is needed to make a database on TANDEM_PG_URL's server");
        assert!(
            status.success(),
            "cannot create a database on TANDEM_PG_URL"
        );
        let (head, _) = base
            .rsplit_once('/')
            .expect("TANDEM_PG_URL names a database");
        Self {
            url: format!("{head}/{name}"),
            cluster: None,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(dir) = &self.cluster {
            let _ = Command::new(repo_root().join("scripts/pg-cluster"))
                .arg("stop")
                .arg(dir.path())
                .output();
        }
    }
}

/// A store of its own: the database, the dir of its key file, the store
/// and its local user.
pub struct Fresh {
    pub store: Store,
    pub owner: Owner,
    pub keys: TempDir,
    pub db: Database,
}

pub async fn fresh() -> Fresh {
    let db = Database::new();
    let keys = tempfile::tempdir().unwrap();
    let store = tandem_store_postgres::open(&db.url, keys.path())
        .await
        .unwrap();
    let owner = store.local_user().await.unwrap();
    Fresh {
        store,
        owner,
        keys,
        db,
    }
}

/// A pool of its own on the database, bypassing the store.
pub async fn raw(url: &str) -> sqlx::PgPool {
    sqlx::PgPool::connect(url).await.unwrap()
}

/// A built-in instrument by id, in version 1.0.0.
pub fn instrument(id: &str) -> Instrument {
    builtin_version(id, "1.0.0").unwrap().unwrap()
}

/// Checked answers from `(item, answer)` pairs.
pub fn answers(instrument: &Instrument, pairs: &[(&str, Answer)]) -> Answers {
    let mut answers = Answers::new();
    for (item, answer) in pairs {
        answers.set(instrument, item, answer.clone()).unwrap();
    }
    answers
}

pub fn name(raw: &str) -> UserName {
    UserName::parse(raw).unwrap()
}

/// A new account and the right to act for it, got as the web app gets it.
pub async fn account(store: &Store, raw: &str) -> Owner {
    let id = store.create_account(&name(raw), HASH, 1).await.unwrap();
    owner(store, id).await
}

/// The right to act for `user`, from a session made and ended at once.
pub async fn owner(store: &Store, user: UserId) -> Owner {
    let session = store.create_session(user, "test", 0).await.unwrap();
    store.end_session(&session.token).await.unwrap();
    session.owner
}

//! The store's contract: what every engine must do, as one suite of tests
//! written once against the interface's traits (in `tests/`) and run on
//! each engine. This library is the suite's harness: a fresh store on
//! either engine, the ways a test gets an [`Owner`] (through sessions, as
//! the app does), and a raw look at the stored bytes for the tests that
//! check what is sealed at rest.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod cluster;
mod raw;

use std::path::Path;

use tandem_core::answers::{Answer, Answers};
use tandem_core::instrument::Instrument;
use tandem_core::instrument::builtin::{builtin_by_id, builtin_version};
use tandem_store::{Owner, Rights, Store, UserId, UserName};
use tempfile::TempDir;

pub use cluster::Database;
pub use raw::Raw;

/// A PHC string the store accepts as a password hash (the store keeps
/// hashes; it never checks them).
pub const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Embedded, in a file in the data dir.
    Sqlite,
    /// A database of the test's own on a PostgreSQL server.
    Postgres,
}

/// A store of a test's own, on one engine, with its local user.
pub struct Fresh {
    /// The store.
    pub store: Store,
    /// The rights that reach across people, as whoever opens an engine gets them.
    pub rights: Rights,
    /// The terminal's own user.
    pub owner: Owner,
    /// The engine it runs on.
    pub kind: Kind,
    /// The data dir: SQLite's file, or PostgreSQL's key file.
    dir: TempDir,
    /// The database, for PostgreSQL.
    db: Option<Database>,
}

impl Fresh {
    /// A store on `kind`.
    pub async fn new(kind: Kind) -> Self {
        match kind {
            Kind::Sqlite => Self::sqlite().await,
            Kind::Postgres => Self::postgres().await,
        }
    }

    /// A store in a temporary data dir.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let engine = tandem_store_sqlite::open_with_rights(dir.path())
            .await
            .unwrap();
        Self::finish(engine, Kind::Sqlite, dir, None).await
    }

    /// A store on a new database of the test process's PostgreSQL server.
    pub async fn postgres() -> Self {
        let db = Database::new();
        let dir = tempfile::tempdir().unwrap();
        let engine = tandem_store_postgres::PgStore::open(&db.url, dir.path())
            .await
            .unwrap();
        let (store, rights) = Store::with_rights(engine);
        Self::finish((store, rights), Kind::Postgres, dir, Some(db)).await
    }

    async fn finish(
        (store, rights): (Store, Rights),
        kind: Kind,
        dir: TempDir,
        db: Option<Database>,
    ) -> Self {
        let owner = store.local_user().await.unwrap();
        Self {
            store,
            rights,
            owner,
            kind,
            dir,
            db,
        }
    }

    /// The data dir the store was opened with.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// A second instance on the same database (as a second app process
    /// would open it), with the server key from the data dir.
    pub async fn reopen(&self) -> Store {
        match &self.db {
            Some(db) => tandem_store_postgres::open(&db.url, self.dir.path())
                .await
                .unwrap(),
            None => tandem_store_sqlite::open(self.dir.path()).await.unwrap(),
        }
    }

    /// A second instance on the same database with a server key given by
    /// the caller instead of the data dir's.
    pub async fn reopen_with_key(
        &self,
        key: [u8; tandem_store::seal::KEY_LEN],
    ) -> Result<Store, tandem_store::StoreError> {
        match &self.db {
            Some(db) => tandem_store_postgres::open_with_key(&db.url, key).await,
            None => tandem_store_sqlite::open_with_key(self.dir.path(), key).await,
        }
    }

    /// A connection of its own to the database, behind the store's back.
    pub async fn raw(&self) -> Raw {
        match &self.db {
            Some(db) => Raw::postgres(&db.url).await,
            None => Raw::sqlite(self.dir.path()).await,
        }
    }

    /// How many rows each table of personal data holds, by table: a test
    /// that expects a refusal to change nothing compares these.
    pub async fn row_counts(&self) -> Vec<(&'static str, i64)> {
        let raw = self.raw().await;
        let mut counts = Vec::new();
        // Literal statements: sqlx takes only audited SQL, and these are few.
        for (table, sql) in [
            ("users", "SELECT CAST(count(*) AS BIGINT) FROM users"),
            (
                "administrations",
                "SELECT CAST(count(*) AS BIGINT) FROM administrations",
            ),
            ("answers", "SELECT CAST(count(*) AS BIGINT) FROM answers"),
            ("scorings", "SELECT CAST(count(*) AS BIGINT) FROM scorings"),
            (
                "safety_screens",
                "SELECT CAST(count(*) AS BIGINT) FROM safety_screens",
            ),
            (
                "safety_answers",
                "SELECT CAST(count(*) AS BIGINT) FROM safety_answers",
            ),
            (
                "supporters",
                "SELECT CAST(count(*) AS BIGINT) FROM supporters",
            ),
            ("reliance", "SELECT CAST(count(*) AS BIGINT) FROM reliance"),
            ("sessions", "SELECT CAST(count(*) AS BIGINT) FROM sessions"),
            (
                "session_screens",
                "SELECT CAST(count(*) AS BIGINT) FROM session_screens",
            ),
            (
                "login_failures",
                "SELECT CAST(count(*) AS BIGINT) FROM login_failures",
            ),
            (
                "user_keys",
                "SELECT CAST(count(*) AS BIGINT) FROM user_keys",
            ),
            (
                "plan_items",
                "SELECT CAST(count(*) AS BIGINT) FROM plan_items",
            ),
            (
                "exercises",
                "SELECT CAST(count(*) AS BIGINT) FROM exercises",
            ),
            (
                "exercise_ticks",
                "SELECT CAST(count(*) AS BIGINT) FROM exercise_ticks",
            ),
            (
                "recovery_codes",
                "SELECT CAST(count(*) AS BIGINT) FROM recovery_codes",
            ),
            ("shares", "SELECT CAST(count(*) AS BIGINT) FROM shares"),
            (
                "relationships",
                "SELECT CAST(count(*) AS BIGINT) FROM relationships",
            ),
            (
                "audit_entries",
                // Not the operator's chain, where `nobody` leaves a tombstone.
                "SELECT CAST(count(*) AS BIGINT) FROM audit_entries WHERE chain <> 0",
            ),
        ] {
            counts.push((table, raw.integer(sql, &[]).await));
        }
        raw.close().await;
        counts
    }

    /// A new account and the right to act for it, got as the web app gets it.
    pub async fn account(&self, raw_name: &str) -> Owner {
        account(&self.store, raw_name).await
    }

    /// A counsellor account the operator has approved, and the right to act
    /// for it.
    pub async fn counsellor(&self, raw_name: &str) -> Owner {
        let id = self
            .store
            .create_account_as(
                &name(raw_name),
                HASH,
                tandem_store::AccountRole::Counsellor,
                1,
            )
            .await
            .unwrap();
        self.store
            .approve_counsellor(&self.rights.operator, &name(raw_name), 2)
            .await
            .unwrap();
        owner(&self.store, id).await
    }

    /// An owner whose account is gone: what a forged or stale id would reach.
    pub async fn nobody(&self) -> Owner {
        let gone = self.account("gone-account").await;
        self.store
            .delete_account(gone, 2_000_000_000)
            .await
            .unwrap();
        gone
    }
}

/// The right to act for `user`, got as the web app gets it: from a session
/// the store has just made (the one way to mint an [`Owner`] for an
/// account). The session is ended at once, so it leaves no row behind.
pub async fn owner(store: &Store, user: UserId) -> Owner {
    let session = store.create_session(user, "test", 0).await.unwrap();
    store.end_session(&session.token).await.unwrap();
    session.owner
}

/// A user name the store accepts.
pub fn name(raw: &str) -> UserName {
    UserName::parse(raw).unwrap()
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

/// A new account on `store` and the right to act for it.
pub async fn account(store: &Store, raw_name: &str) -> Owner {
    let id = store
        .create_account(&name(raw_name), HASH, 1)
        .await
        .unwrap();
    owner(store, id).await
}

/// The owner's "my partner" relationship, made on first use: where a plan
/// is kept when a test does not care which relationship it is about.
pub async fn partner_of(store: &Store, owner: Owner) -> tandem_store::RelationshipId {
    store
        .relationship_for(owner, &tandem_core::input::About::default())
        .await
        .unwrap()
}

//! Shared set-up: a PostgreSQL database of the test's own, a store on it
//! with a key file in a temporary dir, and the built-in instruments.

use tandem_core::answers::{Answer, Answers};
use tandem_core::instrument::Instrument;
use tandem_core::instrument::builtin::builtin_version;
use tandem_store::{Owner, Rights, Store, UserId, UserName};
use tempfile::TempDir;

pub use crate::cluster::Database;

/// A PHC string the store accepts as a password hash.
pub const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

/// A store of its own: the database, the dir of its key file, the store
/// and its local user.
pub struct Fresh {
    pub store: Store,
    /// The rights that reach across people, as whoever opens an engine gets them.
    pub rights: Rights,
    pub owner: Owner,
    pub keys: TempDir,
    pub db: Database,
}

pub async fn fresh() -> Fresh {
    let db = Database::new();
    let keys = tempfile::tempdir().unwrap();
    let engine = tandem_store_postgres::PgStore::open(&db.url, keys.path())
        .await
        .unwrap();
    let (store, rights) = Store::with_rights(engine);
    let owner = store.local_user().await.unwrap();
    Fresh {
        store,
        rights,
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

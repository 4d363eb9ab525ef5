//! Per-user data keys: each person's text is sealed with a key of their own,
//! kept only wrapped by the server key; deleting the account deletes the key;
//! and a server key may come from configuration instead of a key file.

use std::path::Path;

use serde_json::json;
use tandem_core::network::{Role, Supporter};
use tandem_store::seal::{Sealer, key_path, pending_key_path};
use tandem_store::{Owner, StoreError};
use tandem_store_sqlite::DB_FILE;

use crate::common::{database_files, fresh, other_user, raw, row_counts};

/// A user's data key, unwrapped behind the store's back with the key file.
async fn unwrapped_key(data_dir: &Path, user: Owner) -> [u8; 32] {
    let server = Sealer::from_key_file(&key_path(data_dir), false).unwrap();
    let pool = raw(data_dir).await;
    let wrapped: Vec<u8> = sqlx::query_scalar("SELECT wrapped FROM user_keys WHERE user_id = ?")
        .bind(user.id().0)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    server
        .open(&format!("user-key:{user}"), &wrapped)
        .unwrap()
        .try_into()
        .unwrap()
}

async fn supporter_name_sealed(data_dir: &Path, owner: Owner) -> Vec<u8> {
    let pool = raw(data_dir).await;
    let sealed = sqlx::query_scalar("SELECT name_sealed FROM supporters WHERE owner_id = ?")
        .bind(owner.id().0)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    sealed
}

fn crypto<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::Crypto(_))),
        "expected a crypto error, got {result:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn each_person_s_text_is_sealed_with_a_key_of_their_own() {
    let (dir, store, a) = fresh().await;
    let b = other_user(&store, dir.path(), "bob").await;
    // No key is made before there is something to seal.
    assert_eq!(store.support_map(a).await.unwrap(), vec![]);
    assert_eq!(store.exercises(b, None).await.unwrap(), vec![]);
    assert!(row_counts(dir.path()).await.contains(&("user_keys", 0)));

    store
        .add_supporter(a, &Supporter::new("Ann's sister", Role::Family))
        .await
        .unwrap();
    store
        .add_supporter(b, &Supporter::new("Bob's brother", Role::Family))
        .await
        .unwrap();
    assert!(row_counts(dir.path()).await.contains(&("user_keys", 2)));

    // Two different keys, neither of them the server key.
    let (a_key, b_key) = (
        unwrapped_key(dir.path(), a).await,
        unwrapped_key(dir.path(), b).await,
    );
    assert_ne!(a_key, b_key);
    let server = Sealer::from_key_file(&key_path(dir.path()), false).unwrap();
    assert_ne!(
        a_key.as_slice(),
        std::fs::read(key_path(dir.path())).unwrap()
    );
    let a_sealed = supporter_name_sealed(dir.path(), a).await;
    let context = format!("supporter-name:{a}");
    assert_eq!(
        Sealer::from_key(&a_key)
            .open_text(&context, &a_sealed)
            .unwrap(),
        "Ann's sister"
    );
    crypto(Sealer::from_key(&b_key).open_text(&context, &a_sealed));
    crypto(server.open_text(&context, &a_sealed));

    // A's sealed name copied into B's row does not open there.
    let pool = raw(dir.path()).await;
    sqlx::query(
        "UPDATE supporters SET name_sealed = (SELECT name_sealed FROM supporters WHERE owner_id = ?)
         WHERE owner_id = ?",
    )
    .bind(a.id().0)
    .bind(b.id().0)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    crypto(store.support_map(b).await);
    assert_eq!(
        store.support_map(a).await.unwrap()[0].1.name,
        "Ann's sister"
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrapped_key_moved_to_another_person_does_not_open() {
    let (dir, store, a) = fresh().await;
    let b = other_user(&store, dir.path(), "bob").await;
    store
        .add_supporter(a, &Supporter::new("Ann's sister", Role::Family))
        .await
        .unwrap();
    store
        .add_supporter(b, &Supporter::new("Bob's brother", Role::Family))
        .await
        .unwrap();
    store.close().await;
    let pool = raw(dir.path()).await;
    sqlx::query(
        "UPDATE user_keys SET wrapped = (SELECT wrapped FROM user_keys WHERE user_id = ?)
         WHERE user_id = ?",
    )
    .bind(a.id().0)
    .bind(b.id().0)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    // Reopened, so that no key is cached.
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    crypto(store.support_map(b).await);
    assert_eq!(
        store.support_map(a).await.unwrap()[0].1.name,
        "Ann's sister"
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_an_account_deletes_its_key_and_a_later_user_gets_a_new_one() {
    let (dir, store, local) = fresh().await;
    let bob = other_user(&store, dir.path(), "bob").await;
    store
        .add_supporter(local, &Supporter::new("Ann's sister", Role::Family))
        .await
        .unwrap();
    store
        .add_supporter(bob, &Supporter::new("Bob's brother", Role::Family))
        .await
        .unwrap();
    let bob_key = unwrapped_key(dir.path(), bob).await;
    store.delete_account(bob, 2_000_000_000).await.unwrap();
    let pool = raw(dir.path()).await;
    let keys: Vec<i64> = sqlx::query_scalar("SELECT user_id FROM user_keys ORDER BY user_id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(keys, vec![local.id().0]);
    pool.close().await;

    // SQLite gives the highest id out again; the newcomer must not inherit
    // the deleted person's key, even from the store's memory.
    let carl = other_user(&store, dir.path(), "carl").await;
    assert_eq!(carl, bob);
    store
        .add_supporter(carl, &Supporter::new("Carl's cousin", Role::Family))
        .await
        .unwrap();
    assert_ne!(unwrapped_key(dir.path(), carl).await, bob_key);
    store.close().await;
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    assert_eq!(
        store.support_map(carl).await.unwrap()[0].1.name,
        "Carl's cousin"
    );
    assert_eq!(
        store.support_map(local).await.unwrap()[0].1.name,
        "Ann's sister"
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sealing_for_nobody_is_not_found() {
    let (dir, store, _local) = fresh().await;
    let nobody = crate::common::nobody(&store, dir.path()).await;
    let result = store
        .add_supporter(nobody, &Supporter::new("Nobody's friend", Role::Friend))
        .await;
    assert!(
        matches!(result, Err(StoreError::NotFound { what: "user", .. })),
        "{result:?}"
    );
    let result = store
        .save_exercise(nobody, "values", None, &json!({}), 1)
        .await;
    assert!(
        matches!(result, Err(StoreError::NotFound { what: "user", .. })),
        "{result:?}"
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_key_from_configuration_needs_no_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let key = [7u8; 32];
    let store = tandem_store_sqlite::open_with_key(dir.path(), key)
        .await
        .unwrap();
    let owner = store.local_user().await.unwrap();
    let exercise = store
        .save_exercise(owner, "values", None, &json!({"kept": "under the key"}), 5)
        .await
        .unwrap();
    store.close().await;
    assert!(!key_path(dir.path()).exists());
    assert!(!pending_key_path(dir.path()).exists());

    let store = tandem_store_sqlite::open_with_key(dir.path(), key)
        .await
        .unwrap();
    assert_eq!(
        store.exercise(owner, exercise).await.unwrap().content,
        json!({"kept": "under the key"})
    );
    // Rotation is for key files; a configured key is changed in the configuration.
    assert!(matches!(
        store
            .rotate_key(&crate::common::rights().await.operator)
            .await,
        Err(StoreError::Invalid { .. })
    ));
    store.close().await;

    let before = database_files(dir.path());
    let counts = row_counts(dir.path()).await;
    let db = dir.path().join(DB_FILE);

    // Another key: refused by the key check, nothing written.
    let mut wrong = key;
    wrong[31] ^= 1;
    let err = match tandem_store_sqlite::open_with_key(dir.path(), wrong).await {
        Ok(_) => panic!("opened with a wrong key"),
        Err(err) => err,
    };
    assert!(matches!(err, StoreError::Crypto(_)), "{err:?}");
    assert_eq!(std::fs::read(&db).unwrap(), before[&db]);

    // Nor does a key file appear when the store is opened the other way.
    let err = match tandem_store_sqlite::open(dir.path()).await {
        Ok(_) => panic!("opened without its key"),
        Err(err) => err,
    };
    assert!(matches!(err, StoreError::Key { .. }), "{err:?}");
    assert!(!key_path(dir.path()).exists());
    assert_eq!(database_files(dir.path()), before);
    assert_eq!(row_counts(dir.path()).await, counts);

    // The same key in a key file opens the same store.
    std::fs::write(key_path(dir.path()), key).unwrap();
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    assert_eq!(
        store.exercise(owner, exercise).await.unwrap().content,
        json!({"kept": "under the key"})
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_made_with_a_key_file_opens_with_that_key_from_configuration() {
    let (dir, store, owner) = fresh().await;
    store
        .add_supporter(owner, &Supporter::new("Ann's sister", Role::Family))
        .await
        .unwrap();
    store.close().await;
    let key: [u8; 32] = std::fs::read(key_path(dir.path()))
        .unwrap()
        .try_into()
        .unwrap();
    let store = tandem_store_sqlite::open_with_key(dir.path(), key)
        .await
        .unwrap();
    assert_eq!(
        store.support_map(owner).await.unwrap()[0].1.name,
        "Ann's sister"
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_need_from_many_requests_at_once_makes_one_key() {
    let (dir, store, owner) = fresh().await;
    let store = std::sync::Arc::new(store);
    let tasks: Vec<_> = (0..8)
        .map(|n| {
            let store = std::sync::Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .add_supporter(owner, &Supporter::new(format!("friend {n}"), Role::Friend))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert!(row_counts(dir.path()).await.contains(&("user_keys", 1)));
    let mut names: Vec<String> = store
        .support_map(owner)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, person)| person.name)
        .collect();
    names.sort();
    assert_eq!(
        names,
        (0..8).map(|n| format!("friend {n}")).collect::<Vec<_>>()
    );
}

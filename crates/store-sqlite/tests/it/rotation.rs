//! Rotating the server key: every data key is re-wrapped in one transaction,
//! everything still opens afterwards, and a rotation cut short is settled at
//! the next start in favour of whichever key the database holds.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde_json::json;
use tandem_core::answers::Answer;
use tandem_core::network::{Role, Supporter};
use tandem_store::seal::{key_path, pending_key_path};
use tandem_store::{AdministrationId, ExerciseId, Owner, Store, StoreError};

use crate::common::{answers, database_files, fresh, instrument, other_user, row_counts};

/// What each of two people wrote, to be read back after the key changes.
struct Written {
    people: [(Owner, AdministrationId, ExerciseId); 2],
}

async fn write_for_two(data_dir: &Path, store: &Store, local: Owner) -> Written {
    let checkin = instrument("checkin");
    let bob = other_user(store, data_dir, "bob").await;
    let mut people = Vec::new();
    for (owner, who) in [(local, "local"), (bob, "bob")] {
        let given = answers(
            &checkin,
            &[
                ("CI1", Answer::Value(2)),
                ("CI6", Answer::Text(format!("{who}'s answer"))),
            ],
        );
        let administration = store
            .record_administration(owner, &checkin, &format!("{who}'s partner"), &given)
            .await
            .unwrap();
        store
            .add_supporter(
                owner,
                &Supporter::new(format!("{who}'s friend"), Role::Friend),
            )
            .await
            .unwrap();
        let exercise = store
            .save_exercise(owner, "values", None, &json!({ "who": who }), 1)
            .await
            .unwrap();
        people.push((owner, administration.id, exercise));
    }
    Written {
        people: people.try_into().unwrap(),
    }
}

async fn read_back(store: &Store, written: &Written) {
    let checkin = instrument("checkin");
    for ((owner, administration, exercise), who) in written.people.iter().zip(["local", "bob"]) {
        assert_eq!(
            store
                .administration(*owner, *administration)
                .await
                .unwrap()
                .about,
            format!("{who}'s partner")
        );
        assert_eq!(
            store
                .answers(*owner, &checkin, *administration)
                .await
                .unwrap(),
            answers(
                &checkin,
                &[
                    ("CI1", Answer::Value(2)),
                    ("CI6", Answer::Text(format!("{who}'s answer"))),
                ],
            )
        );
        assert_eq!(
            store.support_map(*owner).await.unwrap()[0].1.name,
            format!("{who}'s friend")
        );
        assert_eq!(
            store.exercise(*owner, *exercise).await.unwrap().content,
            json!({ "who": who })
        );
    }
}

fn key_bytes(data_dir: &Path) -> [u8; 32] {
    std::fs::read(key_path(data_dir))
        .unwrap()
        .try_into()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn rotation_rewraps_every_data_key_and_everything_still_opens() {
    let (dir, store, local) = fresh().await;
    let written = write_for_two(dir.path(), &store, local).await;
    let old = key_bytes(dir.path());
    let counts = row_counts(dir.path()).await;

    assert_eq!(
        store
            .rotate_key(&crate::common::rights().await.operator)
            .await
            .unwrap(),
        2
    );
    let new = key_bytes(dir.path());
    assert_ne!(new, old);
    let mode = std::fs::metadata(key_path(dir.path()))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    assert!(!pending_key_path(dir.path()).exists());
    assert_eq!(row_counts(dir.path()).await, counts);
    // The store that rotated carries on, and so does one opened afresh.
    read_back(&store, &written).await;
    store.close().await;
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    read_back(&store, &written).await;

    // And again, with the store that was just opened.
    assert_eq!(
        store
            .rotate_key(&crate::common::rights().await.operator)
            .await
            .unwrap(),
        2
    );
    assert_ne!(key_bytes(dir.path()), new);
    store.close().await;
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    read_back(&store, &written).await;
    store
        .integrity_check(&crate::common::rights().await.operator)
        .await
        .unwrap();
    store.close().await;

    // The old key opens nothing any more.
    let err = match tandem_store_sqlite::open_with_key(dir.path(), old).await {
        Ok(_) => panic!("the old key still opens the store"),
        Err(err) => err,
    };
    assert!(matches!(err, StoreError::Crypto(_)), "{err:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_leftover_new_key_that_does_not_fit_is_discarded() {
    let (dir, store, local) = fresh().await;
    let written = write_for_two(dir.path(), &store, local).await;
    store.close().await;
    let key = key_bytes(dir.path());
    let pending = pending_key_path(dir.path());

    // A whole key the database was never re-wrapped with (the crash came
    // before the commit), and a key cut short while it was written.
    for leftover in [vec![9u8; 32], vec![9u8; 5]] {
        std::fs::write(&pending, &leftover).unwrap();
        let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
        assert!(!pending.exists());
        assert_eq!(key_bytes(dir.path()), key);
        read_back(&store, &written).await;
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_key_the_database_was_rewrapped_with_is_put_in_place() {
    let (dir, store, local) = fresh().await;
    let written = write_for_two(dir.path(), &store, local).await;
    let old = key_bytes(dir.path());
    store
        .rotate_key(&crate::common::rights().await.operator)
        .await
        .unwrap();
    store.close().await;
    let new = key_bytes(dir.path());

    // As if the rotation stopped after the commit, before the rename.
    std::fs::rename(key_path(dir.path()), pending_key_path(dir.path())).unwrap();
    std::fs::write(key_path(dir.path()), old).unwrap();
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    assert!(!pending_key_path(dir.path()).exists());
    assert_eq!(key_bytes(dir.path()), new);
    read_back(&store, &written).await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rotation_under_way_is_not_started_twice() {
    let (dir, store, local) = fresh().await;
    let written = write_for_two(dir.path(), &store, local).await;
    let key = key_bytes(dir.path());
    let pending = pending_key_path(dir.path());
    std::fs::write(&pending, [3u8; 32]).unwrap();
    let before = database_files(dir.path());

    let err = store
        .rotate_key(&crate::common::rights().await.operator)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Key { path, .. } if *path == pending),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&pending).unwrap(), [3u8; 32]);
    assert_eq!(key_bytes(dir.path()), key);
    assert_eq!(
        database_files(dir.path())[&dir.path().join("tandem.db")],
        before[&dir.path().join("tandem.db")]
    );
    read_back(&store, &written).await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_without_data_keys_rotates_too() {
    let (dir, store, _local) = fresh().await;
    let old = key_bytes(dir.path());
    assert_eq!(
        store
            .rotate_key(&crate::common::rights().await.operator)
            .await
            .unwrap(),
        0
    );
    assert_ne!(key_bytes(dir.path()), old);
    store.close().await;
    tandem_store_sqlite::open(dir.path())
        .await
        .unwrap()
        .close()
        .await;
}

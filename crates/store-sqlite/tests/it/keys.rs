//! The key file: created once and private, required ever after, and checked
//! at start so that a wrong key stops the store before it touches any data.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use tandem_core::answers::Answer;
use tandem_store::StoreError;
use tandem_store::seal::key_path;

use crate::common::{answers, database_files, fresh, instrument, row_counts};

/// What `Store::open` refused with; panics if it opened.
async fn open_err(data_dir: &Path) -> StoreError {
    match tandem_store_sqlite::open(data_dir).await {
        Ok(_) => panic!("the store opened"),
        Err(err) => err,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_file_is_created_private_and_32_bytes() {
    let (dir, store, _owner) = fresh().await;
    let key = key_path(dir.path());
    let mode = std::fs::metadata(&key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    assert_eq!(std::fs::read(&key).unwrap().len(), 32);
    let first = std::fs::read(&key).unwrap();
    store.close().await;
    // Reopening keeps the key it has.
    tandem_store_sqlite::open(dir.path())
        .await
        .unwrap()
        .close()
        .await;
    assert_eq!(std::fs::read(&key).unwrap(), first);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_or_wrong_key_stops_the_store_and_leaves_the_data_alone() {
    let checkin = instrument("checkin");
    let (dir, store, owner) = fresh().await;
    let given = answers(
        &checkin,
        &[
            ("CI1", Answer::Value(2)),
            ("CI6", Answer::Text("kept under the key".into())),
        ],
    );
    let recorded = store
        .record_administration(owner, &checkin, "my partner", &given)
        .await
        .unwrap();
    store.close().await;
    let key = key_path(dir.path());
    let original_key = std::fs::read(&key).unwrap();
    let before = database_files(dir.path());
    let counts = row_counts(dir.path()).await;
    assert!(before.contains_key(&dir.path().join("tandem.db")));

    // The key file deleted: refused with a word about the key, and no new key made.
    std::fs::remove_file(&key).unwrap();
    let err = open_err(dir.path()).await;
    assert!(
        matches!(&err, StoreError::Key { path, .. } if *path == key),
        "{err:?}"
    );
    assert!(err.to_string().contains("key"), "{err}");
    assert!(!key.exists(), "a new key file was made over sealed data");
    assert_eq!(database_files(dir.path()), before);

    // A different key of the right length: refused by the key check at start.
    let mut other = original_key.clone();
    other[0] ^= 0xff;
    std::fs::write(&key, &other).unwrap();
    let err = open_err(dir.path()).await;
    assert!(matches!(err, StoreError::Crypto(_)), "{err:?}");
    assert_eq!(std::fs::read(&key).unwrap(), other);
    assert_eq!(
        std::fs::read(dir.path().join("tandem.db")).unwrap(),
        before[&dir.path().join("tandem.db")]
    );

    // A key of the wrong length is refused as a key problem.
    std::fs::write(&key, [7u8; 16]).unwrap();
    let err = open_err(dir.path()).await;
    assert!(matches!(err, StoreError::Key { .. }), "{err:?}");

    // With the right key back, everything is as it was.
    std::fs::write(&key, &original_key).unwrap();
    assert_eq!(row_counts(dir.path()).await, counts);
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    assert_eq!(
        store.answers(owner, &checkin, recorded.id).await.unwrap(),
        given
    );
    store
        .integrity_check(&crate::common::rights().await.operator)
        .await
        .unwrap();
}

//! Files only Tandem can read: the data dir 0700; the database, its WAL and
//! SHM, the key and backups 0600 — after opening, after a backup, after a
//! key rotation, and for a store an older build left readable.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use tandem_core::answers::Answer;

use crate::common::{answers, current};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every file of the data dir with its mode, and the dir's own.
fn modes(dir: &Path) -> (u32, Vec<(String, u32)>) {
    let mut files: Vec<(String, u32)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                mode(&path),
            )
        })
        .collect();
    files.sort();
    (mode(dir), files)
}

fn all_private(dir: &Path, expected: &[&str]) {
    let (dir_mode, files) = modes(dir);
    assert_eq!(dir_mode, 0o700, "the data dir");
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for name in expected {
        assert!(names.contains(name), "{name} missing from {names:?}");
    }
    for (name, file_mode) in &files {
        assert_eq!(*file_mode, 0o600, "{name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_file_is_for_tandem_alone_after_open_backup_and_rotation() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    let store = tandem_store_sqlite::open(&dir).await.unwrap();
    let owner = store.local_user().await.unwrap();
    let checkin = current("checkin");
    store
        .record_administration(
            owner,
            &checkin,
            "my partner",
            &answers(&checkin, &[("CI1", Answer::Value(4))]),
        )
        .await
        .unwrap();
    all_private(
        &dir,
        &["tandem.db", "tandem.db-wal", "tandem.db-shm", "secret.key"],
    );

    let backup = parent.path().join("backup.db");
    store
        .backup(&crate::common::rights().await.operator, &backup)
        .await
        .unwrap();
    assert_eq!(mode(&backup), 0o600, "the backup");

    store
        .rotate_key(&crate::common::rights().await.operator)
        .await
        .unwrap();
    all_private(&dir, &["tandem.db", "secret.key"]);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_left_readable_by_an_older_build_is_closed_at_open() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    tandem_store_sqlite::open(&dir).await.unwrap().close().await;
    for (path, loose) in [
        (dir.clone(), 0o755),
        (dir.join("tandem.db"), 0o644),
        (dir.join("secret.key"), 0o644),
    ] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(loose)).unwrap();
    }
    let store = tandem_store_sqlite::open(&dir).await.unwrap();
    store.local_user().await.unwrap();
    all_private(&dir, &["tandem.db", "secret.key"]);
    store.close().await;
}

//! Opening the store: the file lands where the data dir says, and SQLite
//! finds it consistent. (The pragmas are per connection, so `Store::open`
//! checks them on its own connection; succeeding here is that check passing.)

use tandem_store_sqlite::DB_FILE;

use crate::common::fresh;

#[tokio::test(flavor = "multi_thread")]
async fn the_database_lives_in_the_data_dir_and_checks_out() {
    let (dir, store, _owner) = fresh().await;
    let db = dir.path().join(DB_FILE);
    assert_eq!(DB_FILE, "tandem.db");
    assert!(db.is_file());
    assert_eq!(store.path(), Some(db.as_path()));
    store
        .integrity_check(&crate::common::rights().await.operator)
        .await
        .unwrap();
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_data_dir_is_created() {
    let parent = tempfile::tempdir().unwrap();
    let data_dir = parent.path().join("nested").join("data");
    let store = tandem_store_sqlite::open(&data_dir).await.unwrap();
    assert!(data_dir.join(DB_FILE).is_file());
    store
        .integrity_check(&crate::common::rights().await.operator)
        .await
        .unwrap();
    // The local user is made once and found again.
    let first = store.local_user().await.unwrap();
    assert_eq!(store.local_user().await.unwrap(), first);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_write_ahead_log_is_in_use() {
    // journal_mode=wal is a property of the file, so an outside connection sees it.
    let (dir, store, _owner) = fresh().await;
    let pool = crate::common::raw(dir.path()).await;
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(journal, "wal");
    pool.close().await;
    store.close().await;
}

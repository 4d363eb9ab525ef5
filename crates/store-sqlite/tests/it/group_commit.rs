//! Concurrent recordings share commits, and every one of them is kept.

use std::sync::Arc;

use tandem_core::answers::Answer;

use crate::common::{answers, fresh, instrument};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_recordings_are_all_kept() {
    let checkin = Arc::new(instrument("checkin"));
    let (dir, store, owner) = fresh().await;
    let store = Arc::new(store);
    let mut tasks = Vec::new();
    for k in 0..60i64 {
        let (store, checkin) = (store.clone(), checkin.clone());
        tasks.push(tokio::spawn(async move {
            let given = answers(
                &checkin,
                &[
                    ("CI1", Answer::Value(1 + k % 5)),
                    ("CI6", Answer::Text(format!("note {k}"))),
                ],
            );
            store
                .record_administration(owner, &checkin, "my partner", &given)
                .await
                .map(|a| (k, a.id))
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.unwrap().unwrap());
    }
    let mut distinct: Vec<_> = ids.iter().map(|(_, id)| *id).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 60);
    // Every answer reads back as given, after the store is closed and opened again.
    Arc::try_unwrap(store).ok().unwrap().close().await;
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    for (k, id) in ids {
        let read = store.answers(owner, &checkin, id).await.unwrap();
        assert_eq!(read.value("CI1"), Some(1 + k % 5));
        assert_eq!(read.get("CI6"), Some(&Answer::Text(format!("note {k}"))));
    }
    assert_eq!(
        store
            .administrations(owner, Some("checkin"))
            .await
            .unwrap()
            .len(),
        60
    );
}

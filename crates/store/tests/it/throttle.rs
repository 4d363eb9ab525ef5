//! Failed sign-ins are counted per key within a window, cleared on success,
//! and pruned by age.

use crate::common::fresh;

#[tokio::test(flavor = "multi_thread")]
async fn failures_are_counted_per_key_within_the_window() {
    let (_dir, store, _) = fresh().await;
    let (ann, addr, other) = ("user:ann", "addr:192.0.2.7", "addr:198.51.100.1");
    for now in [100, 200, 300] {
        store.record_login_failure(&[ann, addr], now).await.unwrap();
    }
    store.record_login_failure(&[addr], 400).await.unwrap();
    store.record_login_failure(&[], 400).await.unwrap();

    // `since` is inclusive.
    for (key, since, expected) in [
        (ann, 0, 3),
        (ann, 100, 3),
        (ann, 101, 2),
        (ann, 300, 1),
        (ann, 301, 0),
        (addr, 0, 4),
        (addr, 250, 2),
        (other, 0, 0),
        ("user:bob", 0, 0),
    ] {
        assert_eq!(
            store.recent_failures(key, since).await.unwrap(),
            expected,
            "{key} since {since}"
        );
    }

    // A success clears the account's count, not the address's.
    store.clear_login_failures(ann).await.unwrap();
    assert_eq!(store.recent_failures(ann, 0).await.unwrap(), 0);
    assert_eq!(store.recent_failures(addr, 0).await.unwrap(), 4);
    store.clear_login_failures("user:nobody").await.unwrap();

    // Pruning drops what is older than the cut-off, of every key.
    store.record_login_failure(&[ann], 500).await.unwrap();
    assert_eq!(store.prune_login_failures(300).await.unwrap(), 2);
    assert_eq!(store.recent_failures(addr, 0).await.unwrap(), 2);
    assert_eq!(store.recent_failures(ann, 0).await.unwrap(), 1);
    assert_eq!(store.prune_login_failures(1_000).await.unwrap(), 3);
    assert_eq!(store.recent_failures(addr, 0).await.unwrap(), 0);
}

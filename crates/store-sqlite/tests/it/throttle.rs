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

#[test]
fn the_wait_doubles_after_five_failures_and_stops_at_fifteen_minutes() {
    use tandem_store::throttle::{Limits, backoff};
    let limits = Limits::default();
    for (failures, wait) in [
        (0, 0),
        (4, 0),
        (5, 1),
        (6, 2),
        (9, 16),
        (14, 512),
        (15, 900),
        (99, 900),
        (u64::MAX, 900),
    ] {
        assert_eq!(backoff(&limits, failures), wait, "{failures} failures");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_attempt_is_reserved_before_any_password_is_checked() {
    use tandem_store::throttle::{Attempt, Limits};
    let (_dir, store, _) = fresh().await;
    let limits = Limits::default();
    let account = store.throttle_key("user", "Ann").await.unwrap();
    assert_eq!(account, store.throttle_key("user", " ann ").await.unwrap());
    assert!(!account.contains("ann"));
    let address = store.throttle_key("addr", "192.0.2.7").await.unwrap();
    // Five reservations in the same second go through (each counts at once);
    // the sixth is refused before anything is checked.
    let mut tickets = Vec::new();
    for _ in 0..5 {
        match store
            .reserve_attempt(Some(&account), Some(&address), 1000, limits)
            .await
            .unwrap()
        {
            Attempt::Allowed(ticket) => tickets.push(ticket),
            refused => panic!("{refused:?}"),
        }
    }
    assert_eq!(
        store
            .reserve_attempt(Some(&account), Some(&address), 1000, limits)
            .await
            .unwrap(),
        Attempt::Refused { retry_after: 1 }
    );
    // A second later one more goes through; then two seconds are owed.
    let Attempt::Allowed(sixth) = store
        .reserve_attempt(Some(&account), Some(&address), 1001, limits)
        .await
        .unwrap()
    else {
        panic!("the wait was over");
    };
    assert_eq!(
        store
            .reserve_attempt(Some(&account), None, 1002, limits)
            .await
            .unwrap(),
        Attempt::Refused { retry_after: 1 }
    );
    // A success ends the run of failures for the account.
    store.attempt_succeeded(sixth).await.unwrap();
    assert!(matches!(
        store
            .reserve_attempt(Some(&account), None, 1002, limits)
            .await
            .unwrap(),
        Attempt::Allowed(_)
    ));
    // Per address: at most 50 failures an hour, across accounts.
    let mut refused = 0;
    for k in 0..60 {
        let other = store.throttle_key("user", &format!("n{k}")).await.unwrap();
        if let Attempt::Refused { retry_after } = store
            .reserve_attempt(Some(&other), Some(&address), 2000, limits)
            .await
            .unwrap()
        {
            assert!(retry_after > 0 && retry_after <= 3600);
            refused += 1;
        }
    }
    // Five failures of this address came before in the same hour (the
    // sixth attempt succeeded, so it is no failure).
    assert_eq!(refused, 60 - (50 - 5));
}

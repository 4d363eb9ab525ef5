//! Throttling counted in the database: reserve, success, release, and the
//! per-account backoff and per-address limit; failed sign-ins are counted
//! per key within a window, cleared on success, and pruned by age.

use tandem_store::throttle::{Attempt, Limits};

fn allowed(attempt: Attempt) -> tandem_store::throttle::Ticket {
    match attempt {
        Attempt::Allowed(ticket) => ticket,
        Attempt::Refused { retry_after } => panic!("refused, retry after {retry_after}"),
    }
}

contract! {
    async fn attempts_are_reserved_counted_refused_and_forgiven(f) {
        let store = &f.store;
        let limits = Limits {
            free: 2,
            cap_secs: 60,
            per_address_per_hour: 5,
        };
        let account = store.throttle_key("user", " Erin ").await.unwrap();
        assert_eq!(account, store.throttle_key("user", "erin").await.unwrap());
        assert!(account.starts_with("user:") && !account.contains("erin"));
        let address = store.throttle_key("addr", "192.0.2.1").await.unwrap();

        let t1 = allowed(
            store
                .reserve_attempt(Some(&account), Some(&address), 100, limits)
                .await
                .unwrap(),
        );
        assert_eq!(t1.rows.len(), 2);
        assert_eq!(t1.account.as_deref(), Some(account.as_str()));
        allowed(
            store
                .reserve_attempt(Some(&account), Some(&address), 100, limits)
                .await
                .unwrap(),
        );
        assert_eq!(store.recent_failures(&account, 0).await.unwrap(), 2);
        // Two failures: the third must wait 2^0 = 1 second since the last.
        assert_eq!(
            store
                .reserve_attempt(Some(&account), None, 100, limits)
                .await
                .unwrap(),
            Attempt::Refused { retry_after: 1 }
        );
        let t3 = allowed(
            store
                .reserve_attempt(Some(&account), Some(&address), 101, limits)
                .await
                .unwrap(),
        );
        // Released: no failure after all.
        store.release_attempt(t3).await.unwrap();
        assert_eq!(store.recent_failures(&account, 0).await.unwrap(), 2);
        assert_eq!(store.recent_failures(&address, 0).await.unwrap(), 2);
        let t4 = allowed(
            store
                .reserve_attempt(Some(&account), Some(&address), 102, limits)
                .await
                .unwrap(),
        );
        // Succeeded: the account's run of failures ends; the address keeps
        // the earlier ones.
        store.attempt_succeeded(t4).await.unwrap();
        assert_eq!(store.recent_failures(&account, 0).await.unwrap(), 0);
        assert_eq!(store.recent_failures(&address, 0).await.unwrap(), 2);

        store
            .record_login_failure(&[&address, &address, &address], 103)
            .await
            .unwrap();
        assert_eq!(store.recent_failures(&address, 0).await.unwrap(), 5);
        assert_eq!(
            store
                .reserve_attempt(None, Some(&address), 110, limits)
                .await
                .unwrap(),
            Attempt::Refused {
                retry_after: 100 + 3600 - 110
            }
        );
        store.clear_login_failures(&address).await.unwrap();
        assert_eq!(store.recent_failures(&address, 0).await.unwrap(), 0);
        store.record_login_failure(&[&address], 50).await.unwrap();
        assert_eq!(store.prune_login_failures(60).await.unwrap(), 1);
    }

    async fn racing_reservations_never_slip_past_the_count(f) {
        let limits = Limits {
            free: 3,
            cap_secs: 60,
            per_address_per_hour: 1000,
        };
        let account = f.store.throttle_key("user", "frank").await.unwrap();
        let mut tasks = Vec::new();
        for _ in 0..12 {
            let store = f.store.clone();
            let account = account.clone();
            tasks.push(tokio::spawn(async move {
                store
                    .reserve_attempt(Some(&account), None, 500, limits)
                    .await
                    .unwrap()
            }));
        }
        let mut allowed = 0;
        for task in tasks {
            if matches!(task.await.unwrap(), Attempt::Allowed(_)) {
                allowed += 1;
            }
        }
        // Three free attempts at one moment, then each must wait.
        assert_eq!(allowed, 3);
        assert_eq!(f.store.recent_failures(&account, 0).await.unwrap(), 3);
    }
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

contract! {
    async fn failures_are_counted_per_key_within_the_window(f) {
        let store = f.store.clone();
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

    async fn an_attempt_is_reserved_before_any_password_is_checked(f) {
        use tandem_store::throttle::{Attempt, Limits};
        let store = f.store.clone();
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
}

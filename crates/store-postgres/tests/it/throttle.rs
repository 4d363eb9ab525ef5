//! Throttling counted in the database: reserve, success, release, and the
//! per-account backoff and per-address limit.

use tandem_store::throttle::{Attempt, Limits};

use crate::common::fresh;

fn allowed(attempt: Attempt) -> tandem_store::throttle::Ticket {
    match attempt {
        Attempt::Allowed(ticket) => ticket,
        Attempt::Refused { retry_after } => panic!("refused, retry after {retry_after}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn attempts_are_reserved_counted_refused_and_forgiven() {
    let f = fresh().await;
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

#[tokio::test(flavor = "multi_thread")]
async fn racing_reservations_never_slip_past_the_count() {
    let f = fresh().await;
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

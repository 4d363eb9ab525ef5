//! Sessions in the database: made, looked up, touched, expired, ended.

use tandem_store::StoreError;

use crate::common::{account, fresh};

#[tokio::test(flavor = "multi_thread")]
async fn sessions_are_looked_up_touched_expired_and_ended() {
    let f = fresh().await;
    let store = &f.store;
    let carol = account(store, "carol").await;
    let user = carol.id();
    let first = store
        .create_session(user, "Firefox on Linux", 1000)
        .await
        .unwrap();
    let second = store
        .create_session(user, "Chrome on Mac", 1000)
        .await
        .unwrap();
    let third = store.create_session(user, "Safari", 1001).await.unwrap();
    assert_eq!(first.owner, carol);
    assert_eq!(first.token.len(), 64);

    let found = store
        .session(&first.token, 1010, 600, 86_400)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.user, carol);
    assert_eq!(found.csrf_token, first.csrf_token);
    assert_eq!(found.label, "Firefox on Linux");
    assert_eq!(found.created_unix, 1000);
    // Seen less than a minute ago: not touched.
    assert_eq!(found.last_seen_unix, 1000);
    let touched = store
        .session(&first.token, 1100, 600, 86_400)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(touched.last_seen_unix, 1100);
    // A slower request with an older clock does not move it back.
    let again = store
        .session(&first.token, 1100, 600, 86_400)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.last_seen_unix, 1100);
    assert!(
        store
            .session("not-a-token", 1100, 600, 86_400)
            .await
            .unwrap()
            .is_none()
    );

    // Newest first; the same second is ordered by creation.
    let listed: Vec<String> = store
        .sessions_of(carol)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.label)
        .collect();
    assert_eq!(listed, ["Safari", "Chrome on Mac", "Firefox on Linux"]);

    // Idle too long: gone, and deleted on the way.
    assert!(
        store
            .session(&second.token, 1000 + 600, 600, 86_400)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.sessions_of(carol).await.unwrap().len(), 2);

    assert_eq!(
        store.end_other_sessions(carol, &first.token).await.unwrap(),
        1
    );
    assert!(
        store
            .session(&third.token, 1101, 600, 86_400)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .session(&first.token, 1101, 600, 86_400)
            .await
            .unwrap()
            .is_some()
    );

    let other = account(store, "dave").await;
    let theirs = store.create_session(other.id(), "x", 1000).await.unwrap();
    let hash = tandem_store::token_hash_hex(&theirs.token);
    assert!(matches!(
        store.end_session_by_id(carol, &hash).await,
        Err(StoreError::NotFound { .. })
    ));
    store.end_session_by_id(other, &hash).await.unwrap();
    assert!(
        store
            .session(&theirs.token, 1001, 600, 86_400)
            .await
            .unwrap()
            .is_none()
    );

    // Lasted too long, however busy.
    assert!(
        store
            .session(&first.token, 1000 + 86_400, 1_000_000, 86_400)
            .await
            .unwrap()
            .is_none()
    );
    let late = store.create_session(user, "late", 5000).await.unwrap();
    store.create_session(user, "later", 9000).await.unwrap();
    assert_eq!(store.prune_sessions(9100, 600, 86_400).await.unwrap(), 1);
    assert!(
        store
            .session(&late.token, 5001, 600, 86_400)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.end_all_sessions(carol).await.unwrap(), 1);
    store.end_session(&late.token).await.unwrap();
    assert!(matches!(
        store
            .create_session(tandem_store::UserId(999_999), "x", 1)
            .await,
        Err(StoreError::NotFound { .. })
    ));
}

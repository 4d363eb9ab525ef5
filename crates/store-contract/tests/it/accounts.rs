//! Accounts: made, found by name, renamed nowhere, deleted with everything
//! of theirs; ids never given out twice; preferences and recovery codes.

use tandem_core::moments::TimeZoneName;
use tandem_store::{RecoveryHash, StoreError};

use tandem_store_contract::{HASH, account, name, owner};

contract! {
    async fn accounts_are_made_found_and_deleted_and_ids_are_never_reused(f) {
        let store = &f.store;
        let alice = store
            .create_account(&name("alice"), HASH, 1_700_000_000)
            .await
            .unwrap();
        assert!(matches!(
            store
                .create_account(&name("alice"), HASH, 1_700_000_001)
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            store.account_by_name(&name("alice")).await.unwrap(),
            Some((alice, HASH.to_owned()))
        );
        assert_eq!(store.account_by_name(&name("noone")).await.unwrap(), None);
        // The terminal's user has no password, so cannot sign in by name.
        assert!(matches!(
            store.password_hash(f.owner).await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(store.user_name(f.owner).await.unwrap(), "local");

        let access = owner(store, alice).await;
        assert_eq!(store.user_name(access).await.unwrap(), "alice");
        assert_eq!(store.password_hash(access).await.unwrap(), HASH);
        let other = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0$b3RoZXJoYXNob3RoZXJoYXNo";
        store.set_password_hash(access, other).await.unwrap();
        assert_eq!(store.password_hash(access).await.unwrap(), other);
        assert!(matches!(
            store.set_password_hash(access, "plain").await,
            Err(StoreError::Invalid { .. })
        ));

        let session = store.create_session(alice, "Firefox", 10).await.unwrap();
        let key = store.throttle_key("user", "alice").await.unwrap();
        store.record_login_failure(&[&key], 5).await.unwrap();
        store.delete_account(access, 2_000_000_000).await.unwrap();
        assert_eq!(store.account_by_name(&name("alice")).await.unwrap(), None);
        assert!(
            store
                .session(&session.token, 11, 100, 100)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(store.recent_failures(&key, 0).await.unwrap(), 0);
        assert!(matches!(
            store.user_name(access).await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.delete_account(access, 2_000_000_000).await,
            Err(StoreError::NotFound { .. })
        ));

        // The same name again gets a new id, never the deleted one.
        let again = store.create_account(&name("alice"), HASH, 2).await.unwrap();
        assert!(again.0 > alice.0, "{again:?} after {alice:?}");
        let raw = f.raw().await;
        let keys = raw
            .integer(
                "SELECT CAST(count(*) AS BIGINT) FROM user_keys WHERE user_id = $1",
                &[alice.0],
            )
            .await;
        assert_eq!(keys, 0);
    }

    async fn time_zones_are_sealed_and_recovery_codes_are_used_once(f) {
        let store = &f.store;
        let bob = account(store, "bob").await;
        assert_eq!(store.time_zone(bob).await.unwrap(), None);
        let zone = TimeZoneName::parse("Europe/Berlin").unwrap();
        store.set_time_zone(bob, &zone).await.unwrap();
        assert_eq!(store.time_zone(bob).await.unwrap(), Some(zone));
        let raw = f.raw().await;
        let sealed = raw
            .bytes("SELECT time_zone_sealed FROM users WHERE id = $1", &[bob.id().0])
            .await;
        assert_eq!(sealed.len(), 1);
        assert!(!String::from_utf8_lossy(&sealed[0]).contains("Berlin"));

        let codes = [
            RecoveryHash {
                selector: "aaaa".into(),
                hash: "hash-a".into(),
            },
            RecoveryHash {
                selector: "bbbb".into(),
                hash: "hash-b".into(),
            },
        ];
        store.replace_recovery_codes(bob, &codes, 5).await.unwrap();
        assert_eq!(store.recovery_codes_left(bob).await.unwrap(), 2);
        assert_eq!(
            store
                .recovery_hash(bob.id(), "aaaa")
                .await
                .unwrap()
                .as_deref(),
            Some("hash-a")
        );
        assert!(store.use_recovery_code(bob, "aaaa").await.unwrap());
        assert!(!store.use_recovery_code(bob, "aaaa").await.unwrap());
        let session = store.create_session(bob.id(), "x", 10).await.unwrap();
        assert!(
            store
                .recover_with_code(bob.id(), "bbbb", HASH)
                .await
                .unwrap()
        );
        assert!(
            !store
                .recover_with_code(bob.id(), "bbbb", HASH)
                .await
                .unwrap()
        );
        assert_eq!(store.recovery_codes_left(bob).await.unwrap(), 0);
        assert!(
            store
                .session(&session.token, 11, 100, 100)
                .await
                .unwrap()
                .is_none()
        );
    }
}

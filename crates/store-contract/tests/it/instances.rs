//! Two app instances on one database, reopening with the key, backups,
//! the consistency check and key rotation.

use tandem_store::StoreError;

use tandem_store_contract::{HASH, Kind, account, instrument, name, owner};

contract! {
    async fn two_instances_on_one_database_see_each_others_writes(f) {
        let one = &f.store;
        let two = f.reopen().await;
        assert_eq!(two.local_user().await.unwrap(), f.owner);
        assert_eq!(two.path().is_none(), f.kind == Kind::Postgres);

        let gus = one.create_account(&name("gus"), HASH, 1).await.unwrap();
        assert_eq!(
            two.account_by_name(&name("gus")).await.unwrap(),
            Some((gus, HASH.to_owned()))
        );
        // A session made on one instance is live on the other, and ended there.
        let session = one.create_session(gus, "x", 100).await.unwrap();
        let seen = two
            .session(&session.token, 101, 600, 86_400)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(seen.user.id(), gus);
        two.end_session(&session.token).await.unwrap();
        assert!(
            one.session(&session.token, 102, 600, 86_400)
                .await
                .unwrap()
                .is_none()
        );
        // Sealed text written by one opens on the other: one server key, one data key.
        let owner = owner(one, gus).await;
        let about = one
            .start_administration(owner, &instrument("rdp"), "my partner")
            .await
            .unwrap();
        assert_eq!(
            two.administration(owner, about.id).await.unwrap().about,
            "my partner"
        );
        // The throttle counts across instances.
        let key = one.throttle_key("user", "gus").await.unwrap();
        assert_eq!(key, two.throttle_key("user", "gus").await.unwrap());
        one.record_login_failure(&[&key], 5).await.unwrap();
        assert_eq!(two.recent_failures(&key, 0).await.unwrap(), 1);
        // Deleted on one, gone on the other.
        two.delete_account(owner, 2_000_000_000).await.unwrap();
        assert!(matches!(
            one.administration(owner, about.id).await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(one.acquisitions() > 0);
        two.close().await;
    }

    async fn a_store_reopens_with_its_key_only_and_backs_up_and_rotates(f) {
        let owner = account(&f.store, "hana").await;
        let rdp = instrument("rdp");
        let made = f
            .store
            .start_administration(owner, &rdp, "secret about")
            .await
            .unwrap();
        f.store.integrity_check(&f.rights.operator).await.unwrap();

        let wrong = f.reopen_with_key([7u8; 32]).await;
        assert!(
            matches!(wrong, Err(StoreError::Crypto(_))),
            "{:?}",
            wrong.err()
        );
        let key: [u8; 32] = std::fs::read(tandem_store::seal::key_path(f.data_dir()))
            .unwrap()
            .try_into()
            .unwrap();
        let by_key = f.reopen_with_key(key).await.unwrap();
        assert_eq!(
            by_key.administration(owner, made.id).await.unwrap().about,
            "secret about"
        );
        assert!(matches!(
            by_key.rotate_key(&f.rights.operator).await,
            Err(StoreError::Invalid { .. })
        ));
        by_key.close().await;

        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("backup");
        f.store.backup(&f.rights.operator, &dest).await.unwrap();
        assert!(std::fs::metadata(&dest).unwrap().len() > 0);
        assert!(matches!(
            f.store.backup(&f.rights.operator, &dest).await,
            Err(StoreError::Invalid { .. })
        ));

        // Two data keys (the local user's was made at open? only if used) are re-wrapped.
        let rotated = f.store.rotate_key(&f.rights.operator).await.unwrap();
        assert!(rotated >= 1);
        assert_eq!(
            f.store.administration(owner, made.id).await.unwrap().about,
            "secret about"
        );
        f.store.integrity_check(&f.rights.operator).await.unwrap();
        f.store.close().await;
        let again = f.reopen().await;
        assert_eq!(
            again.administration(owner, made.id).await.unwrap().about,
            "secret about"
        );
        let old = f.reopen_with_key(key).await;
        assert!(matches!(old, Err(StoreError::Crypto(_))));
    }
}

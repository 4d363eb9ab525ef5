//! Recovery codes: replaced as a set, found by selector, used once.

use tandem_store::{RecoveryHash, StoreError};

fn code(selector: &str, hash: &str) -> RecoveryHash {
    RecoveryHash {
        selector: selector.into(),
        hash: hash.into(),
    }
}

contract! {
    async fn codes_are_replaced_as_a_set_and_each_works_once(f) {
        let store = f.store.clone();
        let owner = f.owner;
        let other = f.account("other").await;
        store
            .replace_recovery_codes(owner, &[code("AAAA", "h1"), code("BBBB", "h2")], 1)
            .await
            .unwrap();
        store
            .replace_recovery_codes(other, &[code("AAAA", "theirs")], 1)
            .await
            .unwrap();
        assert_eq!(store.recovery_codes_left(owner).await.unwrap(), 2);
        assert_eq!(
            store
                .recovery_hash(owner.id(), "AAAA")
                .await
                .unwrap()
                .as_deref(),
            Some("h1")
        );
        // Another person's selector finds only their own row.
        assert_eq!(
            store
                .recovery_hash(other.id(), "AAAA")
                .await
                .unwrap()
                .as_deref(),
            Some("theirs")
        );
        assert_eq!(store.recovery_hash(other.id(), "BBBB").await.unwrap(), None);

        // Once used, gone; a second use fails.
        assert!(store.use_recovery_code(owner, "AAAA").await.unwrap());
        assert!(!store.use_recovery_code(owner, "AAAA").await.unwrap());
        assert_eq!(store.recovery_hash(owner.id(), "AAAA").await.unwrap(), None);
        assert_eq!(store.recovery_codes_left(owner).await.unwrap(), 1);
        assert_eq!(store.recovery_codes_left(other).await.unwrap(), 1);

        // New codes replace every old one.
        store
            .replace_recovery_codes(owner, &[code("CCCC", "h3")], 2)
            .await
            .unwrap();
        assert_eq!(store.recovery_hash(owner.id(), "BBBB").await.unwrap(), None);
        assert_eq!(store.recovery_codes_left(owner).await.unwrap(), 1);

        // Codes for nobody are refused.
        let nobody = f.nobody().await;
        assert!(matches!(
            store
                .replace_recovery_codes(nobody, &[code("DDDD", "h4")], 3)
                .await,
            Err(StoreError::NotFound { .. })
        ));
    }
}

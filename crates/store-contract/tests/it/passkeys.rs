//! Passkeys: kept per account with credential ids no two accounts share,
//! read for sign-in by the unverified account's id, updated after use,
//! removed by their owner alone; ceremonies taken once, only for their
//! purpose and before their time, and gone with the account.

use tandem_store::StoreError;
use tandem_store::passkeys::Ceremony;

const NOW: i64 = 1_800_000_000;

contract! {
    async fn passkeys_are_each_accounts_own_and_ceremonies_are_taken_once(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let first = store.add_passkey(ann, b"cred-1", "{\"k\":1}", "Chrome on Linux", NOW).await.unwrap();
        store.add_passkey(ann, b"cred-2", "{\"k\":2}", "Firefox on Mac", NOW + 1).await.unwrap();
        assert!(matches!(
            store.add_passkey(ben, b"cred-1", "{}", "x", NOW).await,
            Err(StoreError::Conflict(_))
        ));
        let listed = store.passkeys(ann).await.unwrap();
        assert_eq!(listed.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["Chrome on Linux", "Firefox on Mac"]);
        assert_eq!(store.sign_in_passkeys(ann.id()).await.unwrap(), listed);
        assert!(store.passkeys(ben).await.unwrap().is_empty());

        store.passkey_used(ann.id(), b"cred-1", "{\"k\":9}", NOW + 5).await.unwrap();
        // Another account's id reaches nothing.
        store.passkey_used(ben.id(), b"cred-2", "{\"k\":0}", NOW + 5).await.unwrap();
        let listed = store.passkeys(ann).await.unwrap();
        assert_eq!((listed[0].credential.as_str(), listed[0].last_used_unix), ("{\"k\":9}", Some(NOW + 5)));
        assert_eq!((listed[1].credential.as_str(), listed[1].last_used_unix), ("{\"k\":2}", None));

        assert!(matches!(store.remove_passkey(ben, first).await, Err(StoreError::NotFound { .. })));
        store.remove_passkey(ann, first).await.unwrap();
        assert_eq!(store.passkeys(ann).await.unwrap().len(), 1);

        let key = [7u8; 32];
        store.keep_ceremony(&key, ann.id(), Ceremony::SignIn, "state", NOW, NOW + 300).await.unwrap();
        assert!(store.take_ceremony(&key, Ceremony::Register, NOW).await.unwrap().is_none(), "another purpose");
        let taken = store.take_ceremony(&key, Ceremony::SignIn, NOW + 1).await.unwrap().unwrap();
        assert_eq!((taken.user, taken.state.as_str()), (ann.id(), "state"));
        assert!(store.take_ceremony(&key, Ceremony::SignIn, NOW + 2).await.unwrap().is_none(), "once");
        let late = [8u8; 32];
        store.keep_ceremony(&late, ann.id(), Ceremony::Register, "s", NOW, NOW + 300).await.unwrap();
        assert!(store.take_ceremony(&late, Ceremony::Register, NOW + 300).await.unwrap().is_none(), "past its time");
        let gone = f.nobody().await;
        assert!(matches!(
            store.keep_ceremony(&[9u8; 32], gone.id(), Ceremony::SignIn, "s", NOW, NOW + 300).await,
            Err(StoreError::NotFound { .. })
        ));

        store.keep_ceremony(&[1u8; 32], ann.id(), Ceremony::SignIn, "s", NOW, NOW + 300).await.unwrap();
        store.delete_account(ann, 2_000_000_000).await.unwrap();
        assert!(store.take_ceremony(&[1u8; 32], Ceremony::SignIn, NOW).await.unwrap().is_none());
        assert!(store.sign_in_passkeys(ann.id()).await.unwrap().is_empty());
    }
}

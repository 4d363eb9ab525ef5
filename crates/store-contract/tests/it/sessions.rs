//! Sessions in the database: made, looked up, touched, expired, ended;
//! tokens never reach the disk, timeouts end them on the clock the caller
//! gives, and a person ends their own sessions and no one else's.

use std::path::Path;

use sha2::{Digest, Sha256};
use tandem_store::{Owner, SessionInfo, Store, StoreError, UserId, UserName};
use tandem_store_contract::Kind;

contract! {
    async fn sessions_are_looked_up_touched_expired_and_ended(f) {
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
}

const IDLE: i64 = 30 * 60;
const ABSOLUTE: i64 = 12 * 60 * 60;
const T0: i64 = 1_700_000_000;

async fn account(store: &Store, name: &str) -> Owner {
    let id = store
        .create_account(&UserName::parse(name).unwrap(), "$argon2id$x", T0)
        .await
        .unwrap();
    tandem_store_contract::owner(store, id).await
}

async fn live(store: &Store, token: &str, now: i64) -> Option<SessionInfo> {
    store.session(token, now, IDLE, ABSOLUTE).await.unwrap()
}

/// Whether `needle` occurs in any file of the data dir.
fn on_disk(data_dir: &Path, needle: &[u8]) -> bool {
    std::fs::read_dir(data_dir).unwrap().any(|entry| {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        bytes.windows(needle.len()).any(|window| window == needle)
    })
}

contract! {
    async fn the_token_is_random_and_only_its_hash_is_stored(f) {
        let store = f.store.clone();
        let ann = account(&store, "ann").await;
        let first = store
            .create_session(ann.id(), "Firefox on Linux", T0)
            .await
            .unwrap();
        let second = store
            .create_session(ann.id(), "Firefox on Linux", T0)
            .await
            .unwrap();
        for token in [&first.token, &first.csrf_token] {
            assert_eq!(token.len(), 64);
            assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        }
        assert_ne!(first.token, second.token);
        assert_ne!(first.csrf_token, second.csrf_token);
        assert_ne!(first.token, first.csrf_token);
        // Debug output is for logs, so it does not show the tokens.
        assert!(!format!("{first:?}").contains(&first.token));

        let mut stored = f
            .raw()
            .await
            .bytes(
                "SELECT token_hash FROM sessions WHERE user_id = $1",
                &[ann.id().0],
            )
            .await;
        stored.sort();
        let mut hashes = [&first.token, &second.token]
            .map(|token| Sha256::digest(token.as_bytes()).to_vec())
            .to_vec();
        hashes.sort();
        assert_eq!(stored, hashes);

        // Neither in SQLite's database nor in its write-ahead log, open or closed.
        if f.kind == Kind::Sqlite {
            for token in [&first.token, &second.token] {
                assert!(!on_disk(f.data_dir(), token.as_bytes()));
            }
        }
        let info = live(&store, &first.token, T0 + 1).await.unwrap();
        assert!(!format!("{info:?}").contains(&first.csrf_token));
        store.close().await;
        if f.kind == Kind::Sqlite {
            for token in [&first.token, &second.token] {
                assert!(!on_disk(f.data_dir(), token.as_bytes()));
            }
        }
    }

    async fn a_session_reads_back_and_is_seen_at_most_once_a_minute(f) {
        let store = f.store.clone();
        let ann = account(&store, "ann").await;
        let new = store
            .create_session(ann.id(), "Chrome on Linux", T0)
            .await
            .unwrap();

        let info = live(&store, &new.token, T0 + 10).await.unwrap();
        assert_eq!(info.user, ann);
        assert_eq!(info.csrf_token, new.csrf_token);
        assert_eq!(info.label, "Chrome on Linux");
        assert_eq!(info.created_unix, T0);
        assert_eq!(info.token_hash_hex.len(), 64);
        // Within a minute of the last write, nothing is written.
        assert_eq!(info.last_seen_unix, T0);
        assert_eq!(
            live(&store, &new.token, T0 + 59)
                .await
                .unwrap()
                .last_seen_unix,
            T0
        );
        // A minute on, it is.
        assert_eq!(
            live(&store, &new.token, T0 + 60)
                .await
                .unwrap()
                .last_seen_unix,
            T0 + 60
        );
        assert_eq!(
            live(&store, &new.token, T0 + 61)
                .await
                .unwrap()
                .last_seen_unix,
            T0 + 60
        );
        assert_eq!(
            store.sessions_of(ann).await.unwrap()[0].last_seen_unix,
            T0 + 60
        );

        // Tokens that are not this store's shape, or not known, are no session.
        for token in [
            "",
            "x",
            &new.token.to_uppercase(),
            &new.token[..63],
            &format!("{}0", new.token),
            &"0".repeat(64),
            &info.token_hash_hex,
        ] {
            assert_eq!(live(&store, token, T0 + 62).await, None, "{token:?}");
        }
        // A user that does not exist gets no session.
        assert!(matches!(
            store.create_session(UserId(9_999), "x", T0).await,
            Err(StoreError::NotFound { .. })
        ));
    }

    async fn an_idle_session_expires(f) {
        let store = f.store.clone();
        let ann = account(&store, "ann").await;
        let new = store.create_session(ann.id(), "a", T0).await.unwrap();

        // Used now and then, it lives longer than one idle period.
        assert!(live(&store, &new.token, T0 + IDLE - 1).await.is_some());
        assert!(live(&store, &new.token, T0 + 2 * IDLE - 2).await.is_some());
        // Left alone for the idle period, it is gone, and stays gone.
        let last = T0 + 2 * IDLE - 2;
        assert_eq!(live(&store, &new.token, last + IDLE).await, None);
        assert_eq!(store.sessions_of(ann).await.unwrap(), vec![]);
        assert_eq!(live(&store, &new.token, last + 1).await, None);

        // Exactly at the idle timeout counts as expired.
        let other = store.create_session(ann.id(), "b", T0).await.unwrap();
        assert_eq!(live(&store, &other.token, T0 + IDLE).await, None);
    }

    async fn a_session_in_constant_use_still_ends_at_the_absolute_timeout(f) {
        let store = f.store.clone();
        let ann = account(&store, "ann").await;
        let new = store.create_session(ann.id(), "a", T0).await.unwrap();
        let mut now = T0;
        while now + IDLE / 2 < T0 + ABSOLUTE {
            now += IDLE / 2;
            assert!(live(&store, &new.token, now).await.is_some(), "at {now}");
        }
        assert!(live(&store, &new.token, T0 + ABSOLUTE - 1).await.is_some());
        assert_eq!(live(&store, &new.token, T0 + ABSOLUTE).await, None);
        assert_eq!(store.sessions_of(ann).await.unwrap(), vec![]);
    }

    async fn expired_sessions_are_pruned(f) {
        let store = f.store.clone();
        let ann = account(&store, "ann").await;
        let old = store.create_session(ann.id(), "old", T0).await.unwrap();
        let fresh = store
            .create_session(ann.id(), "new", T0 + IDLE)
            .await
            .unwrap();
        assert_eq!(
            store
                .prune_sessions(T0 + IDLE, IDLE, ABSOLUTE)
                .await
                .unwrap(),
            1
        );
        assert_eq!(live(&store, &old.token, T0 + IDLE).await, None);
        assert!(live(&store, &fresh.token, T0 + IDLE).await.is_some());
    }

    async fn signing_out_ends_the_session_server_side(f) {
        let store = f.store.clone();
        let ann = account(&store, "ann").await;
        let one = store.create_session(ann.id(), "one", T0).await.unwrap();
        let two = store.create_session(ann.id(), "two", T0).await.unwrap();
        store.end_session(&one.token).await.unwrap();
        assert_eq!(live(&store, &one.token, T0 + 1).await, None);
        assert!(live(&store, &two.token, T0 + 1).await.is_some());
        // Again, or with nonsense: nothing to do, and no error.
        store.end_session(&one.token).await.unwrap();
        store.end_session("not a token").await.unwrap();
        assert_eq!(store.sessions_of(ann).await.unwrap().len(), 1);
    }

    async fn ending_the_other_sessions_keeps_this_one_and_touches_no_one_else(f) {
        let store = f.store.clone();
        let ann = account(&store, "ann").await;
        let bob = account(&store, "bob").await;
        let here = store
            .create_session(ann.id(), "here", T0 + 1)
            .await
            .unwrap();
        let phone = store
            .create_session(ann.id(), "phone", T0 + 2)
            .await
            .unwrap();
        let laptop = store
            .create_session(ann.id(), "laptop", T0 + 3)
            .await
            .unwrap();
        let bobs = store.create_session(bob.id(), "bob's", T0).await.unwrap();

        let labels = |sessions: Vec<SessionInfo>| {
            sessions
                .into_iter()
                .map(|session| session.label)
                .collect::<Vec<_>>()
        };
        // Newest first.
        assert_eq!(
            labels(store.sessions_of(ann).await.unwrap()),
            ["laptop", "phone", "here"]
        );
        assert_eq!(store.end_other_sessions(ann, &here.token).await.unwrap(), 2);
        assert_eq!(labels(store.sessions_of(ann).await.unwrap()), ["here"]);
        assert!(live(&store, &here.token, T0 + 4).await.is_some());
        for gone in [&phone, &laptop] {
            assert_eq!(live(&store, &gone.token, T0 + 4).await, None);
        }
        // Bob's session is not Ann's to end, even by naming it as hers to keep.
        assert!(live(&store, &bobs.token, T0 + 4).await.is_some());
        assert_eq!(store.end_other_sessions(ann, &bobs.token).await.unwrap(), 1);
        assert!(live(&store, &bobs.token, T0 + 4).await.is_some());
        assert_eq!(store.sessions_of(ann).await.unwrap(), vec![]);

        store.create_session(ann.id(), "x", T0).await.unwrap();
        store.create_session(ann.id(), "y", T0).await.unwrap();
        assert_eq!(store.end_all_sessions(ann).await.unwrap(), 2);
        assert_eq!(store.sessions_of(ann).await.unwrap(), vec![]);
        assert_eq!(store.sessions_of(bob).await.unwrap().len(), 1);
    }

    async fn a_session_is_ended_by_its_id_only_by_its_owner(f) {
        let store = f.store.clone();
        let ann = account(&store, "ann").await;
        let bob = account(&store, "bob").await;
        let anns = store.create_session(ann.id(), "ann's", T0).await.unwrap();
        let id = store.sessions_of(ann).await.unwrap()[0]
            .token_hash_hex
            .clone();
        assert_eq!(
            id,
            live(&store, &anns.token, T0).await.unwrap().token_hash_hex
        );
        assert_eq!(id, tandem_store::token_hash_hex(&anns.token));

        let not_found = |result: Result<(), StoreError>| {
            assert!(
                matches!(result, Err(StoreError::NotFound { .. })),
                "{result:?}"
            );
        };
        not_found(store.end_session_by_id(bob, &id).await);
        assert!(live(&store, &anns.token, T0 + 1).await.is_some());
        // The token itself is not the id, and malformed ids are simply not found.
        not_found(store.end_session_by_id(ann, &anns.token).await);
        for bad in ["", "zz", &id[..62], &format!("+{}", &id[1..])] {
            not_found(store.end_session_by_id(ann, bad).await);
        }
        assert!(live(&store, &anns.token, T0 + 1).await.is_some());

        store.end_session_by_id(ann, &id).await.unwrap();
        assert_eq!(live(&store, &anns.token, T0 + 1).await, None);
        not_found(store.end_session_by_id(ann, &id).await);
    }
}

//! Shares: made by their owner, read through a grant the store mints only
//! for the viewer of a current share, at the level the share stands at as
//! it is read, each read leaving a row in the owner's trail in the same
//! transaction; revoking or expiry ends it at once, and a refusal tells
//! nothing of why.

use tandem_core::answers::Answer;
use tandem_core::safety::SafetyScreen;
use tandem_core::scoring::score;
use tandem_store::{Owner, ShareKind, ShareLevel, Store, StoreError};
use tandem_store_contract::{answers, current};

/// A finished RDP for `owner`, every item answered `value`, with its kept
/// scores; the index scores it keeps.
async fn finished_rdp(store: &Store, owner: Owner, value: i64) -> Vec<(String, f64)> {
    let rdp = current("rdp");
    let ids: Vec<String> = rdp.items.iter().map(|item| item.id.to_string()).collect();
    let pairs: Vec<(&str, Answer)> = ids
        .iter()
        .map(|id| (id.as_str(), Answer::Value(value)))
        .collect();
    let given = answers(&rdp, &pairs);
    let recorded = store
        .record_administration(owner, &rdp, "my partner", &given)
        .await
        .unwrap();
    let scores = score(&rdp, &given).unwrap();
    store
        .keep_scores(owner, recorded.id, &scores)
        .await
        .unwrap();
    let points = store.score_points(owner).await.unwrap();
    let point = points.iter().find(|p| p.id == recorded.id).unwrap();
    point.indices.iter().map(|(k, v)| (k.clone(), *v)).collect()
}

const NOW: i64 = 1_800_000_000;

contract! {
    async fn a_share_is_read_at_its_level_logged_changed_and_ended(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let cat = f.account("cat").await;
        let first = finished_rdp(store, ann, 2).await;
        let second = finished_rdp(store, ann, 4).await;
        // What a share never shows: check-ins and safety checks.
        let checkin = current("checkin");
        let item = checkin.items[0].id.to_string();
        store
            .record_administration(ann, &checkin, "week", &answers(&checkin, &[(&item, Answer::Value(1))]))
            .await
            .unwrap();
        let safety = tandem_store_contract::instrument("safety");
        let screen = SafetyScreen::from_answers(&safety, answers(&safety, &[("SF1", Answer::Value(1))]))
            .unwrap();
        store.record_safety_screen(ann, &safety, &screen).await.unwrap();

        let share = store
            .create_share(ann, ben.id(), ShareKind::Partner, ShareLevel::Indices, NOW, None)
            .await
            .unwrap();
        assert!(matches!(
            store
                .create_share(ann, ben.id(), ShareKind::Partner, ShareLevel::Facets, NOW, None)
                .await,
            Err(StoreError::Conflict(_))
        ));

        // Only the viewer gets a grant; the owner and a third person do not.
        assert!(store.grant(cat, share, NOW).await.unwrap().is_none());
        assert!(store.grant(ann, share, NOW).await.unwrap().is_none());
        let grant = store.grant(ben, share, NOW).await.unwrap().unwrap();
        assert_eq!(grant.owner(), ann.id());
        assert_eq!(grant.level(), ShareLevel::Indices);

        let shown = store.shared_scores(&grant, NOW + 1).await.unwrap();
        assert_eq!(shown.len(), 2, "the two RDP results, nothing else: {shown:?}");
        // Newest first, the scores as kept, no facets at this level.
        let indices = |i: usize| shown[i].indices.iter().map(|(k, v)| (k.clone(), *v)).collect::<Vec<_>>();
        assert_eq!(indices(0), second);
        assert_eq!(indices(1), first);
        assert!(shown.iter().all(|s| s.facets.is_none()));

        // A new level holds at once, for a grant minted before it.
        store.set_share_level(ann, share, ShareLevel::Facets).await.unwrap();
        let shown = store.shared_scores(&grant, NOW + 2).await.unwrap();
        assert!(shown.iter().all(|s| s.facets.as_ref().is_some_and(|f| !f.is_empty())));
        assert!(matches!(
            store.set_share_level(ben, share, ShareLevel::Indices).await,
            Err(StoreError::NotFound { .. })
        ));

        // The trail: one row per read, for the owner alone.
        let trail = store.audit_trail(ann).await.unwrap();
        assert_eq!(
            trail.iter().map(|e| (e.share, e.viewer, e.at_unix, e.what.as_str())).collect::<Vec<_>>(),
            vec![(share, ben.id(), NOW + 1, "scores"), (share, ben.id(), NOW + 2, "scores")]
        );
        assert!(store.audit_trail(ben).await.unwrap().is_empty());

        // Revoked: the grant in hand reads nothing and logs nothing, and no
        // new one is minted.
        assert!(matches!(
            store.revoke_share(ben, share, NOW + 3).await,
            Err(StoreError::NotFound { .. })
        ));
        store.revoke_share(ann, share, NOW + 3).await.unwrap();
        assert!(matches!(
            store.shared_scores(&grant, NOW + 4).await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(store.audit_trail(ann).await.unwrap().len(), 2);
        assert!(store.grant(ben, share, NOW + 4).await.unwrap().is_none());
        assert!(matches!(
            store.revoke_share(ann, share, NOW + 5).await,
            Err(StoreError::NotFound { .. })
        ));
        let shares = store.shares_of(ann).await.unwrap();
        assert_eq!(shares.len(), 1);
        assert_eq!(shares[0].revoked_unix, Some(NOW + 3));
        assert_eq!(shares[0].level, ShareLevel::Facets);
        // A new share with the same person may follow the ended one.
        store
            .create_share(ann, ben.id(), ShareKind::Partner, ShareLevel::Indices, NOW + 6, None)
            .await
            .unwrap();
    }

    async fn a_share_expires_by_itself_and_bad_shares_are_refused(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let before = f.row_counts().await;
        for (viewer, expires, field) in [
            (ann.id(), None, "viewer"),
            (ben.id(), Some(NOW), "expires"),
            (ben.id(), Some(NOW - 1), "expires"),
        ] {
            match store
                .create_share(ann, viewer, ShareKind::Counsellor, ShareLevel::Indices, NOW, expires)
                .await
            {
                Err(StoreError::Invalid { field: got, .. }) => assert_eq!(got, field),
                other => panic!("{viewer:?} {expires:?}: {other:?}"),
            }
        }
        let gone = f.nobody().await;
        assert!(matches!(
            store
                .create_share(ann, gone.id(), ShareKind::Partner, ShareLevel::Indices, NOW, None)
                .await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(f.row_counts().await.iter().filter(|(t, _)| *t != "users" && *t != "user_keys").collect::<Vec<_>>(),
            before.iter().filter(|(t, _)| *t != "users" && *t != "user_keys").collect::<Vec<_>>());

        let share = store
            .create_share(ann, ben.id(), ShareKind::Counsellor, ShareLevel::Indices, NOW, Some(NOW + 60))
            .await
            .unwrap();
        let grant = store.grant(ben, share, NOW + 59).await.unwrap().unwrap();
        assert!(store.shared_scores(&grant, NOW + 59).await.unwrap().is_empty());
        assert!(store.grant(ben, share, NOW + 60).await.unwrap().is_none());
        assert!(matches!(
            store.shared_scores(&grant, NOW + 60).await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(store.audit_trail(ann).await.unwrap().len(), 1);
    }

    async fn a_share_goes_with_either_account(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.account("ben").await;
        let cat = f.account("cat").await;
        let to_ben = store
            .create_share(ann, ben.id(), ShareKind::Partner, ShareLevel::Indices, NOW, None)
            .await
            .unwrap();
        let from_cat = store
            .create_share(cat, ann.id(), ShareKind::Partner, ShareLevel::Indices, NOW, None)
            .await
            .unwrap();
        let grant = store.grant(ben, to_ben, NOW).await.unwrap().unwrap();
        store.shared_scores(&grant, NOW).await.unwrap();
        store.delete_account(ann).await.unwrap();
        assert!(store.grant(ben, to_ben, NOW).await.unwrap().is_none());
        assert!(matches!(
            store.shared_scores(&grant, NOW).await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(store.shares_of(cat).await.unwrap().iter().all(|s| s.id != from_cat));
        let raw = f.raw().await;
        for sql in [
            "SELECT CAST(count(*) AS BIGINT) FROM shares",
            "SELECT CAST(count(*) AS BIGINT) FROM share_reads",
        ] {
            assert_eq!(raw.integer(sql, &[]).await, 0, "{sql}");
        }
    }
}

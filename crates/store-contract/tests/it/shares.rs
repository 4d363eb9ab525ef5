//! Shares with counsellors: made by their owner as a single-use code,
//! accepted only by an approved counsellor, read through a grant the store
//! mints only for that counsellor while the share is current, within the
//! scope as it stands at the read, each read leaving a row in the owner's
//! trail in the same transaction; revoking or expiry ends it at once, and
//! a refusal tells nothing of why. No read ever holds a safety answer or
//! an item that signals risk.

use tandem_core::answers::Answer;
use tandem_core::instrument::Instrument;
use tandem_core::safety::SafetyScreen;
use tandem_core::scoring::score;
use tandem_store::audit::AuditKind;
use tandem_store::links::{code_hash, new_code};
use tandem_store::{AccountRole, AuditEntry, Owner, Scope, ShareId, ShareLevel, Store, StoreError};
use tandem_store_contract::{answers, current, name};

const NOW: i64 = 1_800_000_000;

/// A finished administration of `instrument` about `about`, every scale
/// item answered `value` and every text item `text`, with its kept scores.
async fn finished(store: &Store, owner: Owner, instrument: &Instrument, about: &str, value: i64) {
    let pairs: Vec<(String, Answer)> = instrument
        .items
        .iter()
        .map(|item| {
            let answer = match item.response {
                tandem_core::instrument::ResponseKind::Scale => Answer::Value(value),
                tandem_core::instrument::ResponseKind::Text => {
                    Answer::Text("We talked on Sunday.".into())
                }
            };
            (item.id.to_string(), answer)
        })
        .collect();
    let borrowed: Vec<(&str, Answer)> = pairs
        .iter()
        .map(|(id, a)| (id.as_str(), a.clone()))
        .collect();
    let given = answers(instrument, &borrowed);
    let recorded = store
        .record_administration(owner, instrument, about, &given)
        .await
        .unwrap();
    let scores = score(instrument, &given).unwrap();
    store
        .keep_scores(owner, recorded.id, &scores)
        .await
        .unwrap();
}

/// A share of `owner`'s with `scope`, accepted by `counsellor`.
async fn accepted(
    store: &Store,
    owner: Owner,
    counsellor: Owner,
    scope: &Scope,
    expires: Option<i64>,
) -> ShareId {
    let code = new_code().unwrap();
    let made = store
        .create_share(owner, scope, &code_hash(&code).unwrap(), NOW, expires)
        .await
        .unwrap();
    let taken = store
        .accept_share(counsellor, &code_hash(&code).unwrap(), NOW + 1)
        .await
        .unwrap();
    assert_eq!(made, taken);
    made
}

fn scope(results: ShareLevel) -> Scope {
    Scope {
        results,
        ..Scope::default()
    }
}

contract! {
    async fn a_share_is_read_within_its_scope_logged_changed_and_ended(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.counsellor("ben").await;
        let cat = f.counsellor("cat").await;
        let rdp = current("rdp");
        let checkin = current("checkin");
        finished(store, ann, &rdp, "my partner", 2).await;
        finished(store, ann, &rdp, "Mum", 4).await;
        finished(store, ann, &checkin, "my partner", 5).await;
        let safety = tandem_store_contract::instrument("safety");
        let screen = SafetyScreen::from_answers(&safety, answers(&safety, &[("SF1", Answer::Value(1))]))
            .unwrap();
        store.record_safety_screen(ann, &safety, &screen).await.unwrap();

        let share = accepted(store, ann, ben, &scope(ShareLevel::Indices), None).await;

        // Only the counsellor who accepted gets a grant.
        assert!(store.grant(cat, share, NOW).await.unwrap().is_none());
        assert!(store.grant(ann, share, NOW).await.unwrap().is_none());
        let grant = store.grant(ben, share, NOW).await.unwrap().unwrap();
        assert_eq!(grant.owner(), ann.id());

        let shown = store.shared_results(&grant, NOW + 2).await.unwrap();
        assert_eq!(
            shown.iter().map(|s| s.instrument.as_str()).collect::<Vec<_>>(),
            ["rdp", "rdp", "checkin"],
            "every finished result but the safety check, oldest first"
        );
        assert!(shown.iter().all(|s| s.indices.is_some() && s.facets.is_none() && s.items.is_none() && s.note.is_none()));

        // A narrower scope holds at once, for a grant minted before it.
        let relationships = store.relationships(ann).await.unwrap();
        let mum = relationships.iter().find(|r| r.name.as_str() == "Mum").unwrap().id;
        let narrow = Scope {
            results: ShareLevel::Items,
            instruments: Some(vec!["rdp".into()]),
            relationships: Some(vec![mum]),
            ..Scope::default()
        };
        store.set_share_scope(ann, share, &narrow, NOW + 3).await.unwrap();
        let shown = store.shared_results(&grant, NOW + 3).await.unwrap();
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].relationship, mum);
        let items = shown[0].items.as_ref().unwrap();
        assert!(shown[0].facets.as_ref().is_some_and(|f| !f.is_empty()));
        // Every plain item, and none that signals coercion.
        let plain: Vec<&str> = rdp.items.iter().filter(|i| i.signals.is_none()).map(|i| i.id.as_str()).collect();
        assert_eq!(items.keys().map(String::as_str).collect::<Vec<_>>().len(), plain.len());
        assert!(rdp.items.iter().filter(|i| i.signals.is_some()).all(|i| !items.contains_key(i.id.as_str())));
        assert!(items.values().all(|v| *v == 4));
        assert!(matches!(
            store.set_share_scope(ben, share, &narrow, NOW + 3).await,
            Err(StoreError::NotFound { .. })
        ));

        // The check-in: its note when notes are shared, never its safety item.
        let notes = Scope {
            results: ShareLevel::Items,
            instruments: Some(vec!["checkin".into()]),
            checkin_notes: true,
            ..Scope::default()
        };
        store.set_share_scope(ann, share, &notes, NOW + 4).await.unwrap();
        let shown = store.shared_results(&grant, NOW + 4).await.unwrap();
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].note.as_deref(), Some("We talked on Sunday."));
        let items = shown[0].items.as_ref().unwrap();
        for item in &checkin.items {
            assert_eq!(items.contains_key(item.id.as_str()), item.signals.is_none() && item.facet.is_some(), "{}", item.id);
        }

        // The trail: one entry per read, for the owner alone.
        let reads = |trail: Vec<AuditEntry>| -> Vec<(Option<i64>, String, i64, String)> {
            trail.into_iter().filter(|e| e.kind == AuditKind::Read).map(|e| (e.subject, e.actor, e.at_unix, e.detail)).collect()
        };
        let read = |at| (Some(share.0), "ben".to_owned(), at, "results".to_owned());
        assert_eq!(reads(store.audit_trail(ann).await.unwrap()), vec![read(NOW + 2), read(NOW + 3), read(NOW + 4)]);
        assert!(reads(store.audit_trail(ben).await.unwrap()).is_empty());

        // Revoked: the grant in hand reads nothing and logs nothing.
        assert!(matches!(store.revoke_share(ben, share, NOW + 5).await, Err(StoreError::NotFound { .. })));
        store.revoke_share(ann, share, NOW + 5).await.unwrap();
        assert!(matches!(store.shared_results(&grant, NOW + 6).await, Err(StoreError::NotFound { .. })));
        let trail = store.audit_trail(ann).await.unwrap();
        let kinds: Vec<AuditKind> = trail.iter().map(|e| e.kind).filter(|k| *k != AuditKind::SignedIn).collect();
        use AuditKind::*;
        assert_eq!(kinds, [Shared, Accepted, Read, ScopeChanged, Read, ScopeChanged, Read, Revoked]);
        assert_eq!((trail.last().unwrap().actor.as_str(), trail.last().unwrap().at_unix), ("ann", NOW + 5));
        assert!(store.grant(ben, share, NOW + 6).await.unwrap().is_none());
        assert!(store.clients(ben, NOW + 6).await.unwrap().is_empty());
        let shares = store.shares_of(ann).await.unwrap();
        assert_eq!(shares.len(), 1);
        assert_eq!(shares[0].revoked_unix, Some(NOW + 5));
        assert_eq!(shares[0].viewer_name.as_deref(), Some("ben"));
        assert_eq!(shares[0].scope, notes);
    }

    async fn only_an_approved_counsellor_accepts_a_code_and_only_once(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let person = f.account("pat").await;
        let waiting = store
            .create_account_as(&name("wes"), tandem_store_contract::HASH, AccountRole::Counsellor, 1)
            .await
            .unwrap();
        let waiting = tandem_store_contract::owner(store, waiting).await;
        assert_eq!(store.standing(waiting).await.unwrap().approved_unix, None);
        let ben = f.counsellor("ben").await;
        assert!(store.standing(ben).await.unwrap().is_approved_counsellor());
        assert_eq!(store.standing(ann).await.unwrap().role, AccountRole::Person);

        let code = new_code().unwrap();
        let hash = code_hash(&code).unwrap();
        let share = store.create_share(ann, &scope(ShareLevel::Facets), &hash, NOW, None).await.unwrap();
        for who in [person, waiting] {
            assert!(matches!(store.accept_share(who, &hash, NOW).await, Err(StoreError::Conflict(_))));
        }
        // The code is still there for the counsellor, and only once.
        assert_eq!(store.accept_share(ben, &hash, NOW).await.unwrap(), share);
        let cat = f.counsellor("cat").await;
        assert!(matches!(store.accept_share(cat, &hash, NOW).await, Err(StoreError::Invalid { .. })));
        let clients = store.clients(ben, NOW).await.unwrap();
        assert_eq!(clients.len(), 1);
        assert_eq!((clients[0].share, clients[0].name.as_str()), (share, "ann"));

        // Approving: a person's account cannot be, a missing one is named.
        assert!(matches!(
            store.approve_counsellor(&f.rights.operator, &name("pat"), 5).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.standing(person).await.unwrap().approved_unix, None);
        assert!(matches!(
            store.approve_counsellor(&f.rights.operator, &name("nobody-here"), 5).await,
            Err(StoreError::Invalid { .. })
        ));
        store.approve_counsellor(&f.rights.operator, &name("wes"), 9).await.unwrap();
        assert_eq!(store.standing(waiting).await.unwrap().approved_unix, Some(9));

        // A code expires after 72 hours, or at the share's own end.
        let late = code_hash(&new_code().unwrap()).unwrap();
        store.create_share(ann, &scope(ShareLevel::Facets), &late, NOW, None).await.unwrap();
        assert!(matches!(
            store.accept_share(waiting, &late, NOW + 72 * 3600).await,
            Err(StoreError::Invalid { .. })
        ));
        let short = code_hash(&new_code().unwrap()).unwrap();
        store.create_share(ann, &scope(ShareLevel::Facets), &short, NOW, Some(NOW + 60)).await.unwrap();
        assert!(matches!(store.accept_share(waiting, &short, NOW + 60).await, Err(StoreError::Invalid { .. })));
        // A revoked code is dead, and one's own code is refused.
        let revoked = code_hash(&new_code().unwrap()).unwrap();
        let id = store.create_share(ann, &scope(ShareLevel::Facets), &revoked, NOW, None).await.unwrap();
        store.revoke_share(ann, id, NOW).await.unwrap();
        assert!(matches!(store.accept_share(waiting, &revoked, NOW).await, Err(StoreError::Invalid { .. })));
        let own = code_hash(&new_code().unwrap()).unwrap();
        store.create_share(waiting, &scope(ShareLevel::Facets), &own, NOW, None).await.unwrap();
        assert!(matches!(store.accept_share(waiting, &own, NOW).await, Err(StoreError::Invalid { .. })));
    }

    async fn a_share_expires_by_itself_and_bad_shares_are_refused(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.counsellor("ben").await;
        let other = f.account("oli").await;
        let theirs = tandem_store_contract::partner_of(store, other).await;
        let before = f.row_counts().await;
        let hash = code_hash(&new_code().unwrap()).unwrap();
        for (bad, expires, field) in [
            (scope(ShareLevel::Indices), Some(NOW), "expires_at"),
            (Scope { instruments: Some(vec!["safety".into()]), ..Scope::default() }, None, "scope.instruments"),
            (Scope { instruments: Some(vec!["rdp".into(), "rdp".into()]), ..Scope::default() }, None, "scope.instruments"),
        ] {
            match store.create_share(ann, &bad, &hash, NOW, expires).await {
                Err(StoreError::Invalid { field: got, .. }) => assert_eq!(got, field),
                other => panic!("{bad:?} {expires:?}: {other:?}"),
            }
        }
        let foreign = Scope { relationships: Some(vec![theirs]), ..Scope::default() };
        assert!(matches!(store.create_share(ann, &foreign, &hash, NOW, None).await, Err(StoreError::NotFound { .. })));
        assert_eq!(f.row_counts().await, before, "nothing stored");

        let share = accepted(store, ann, ben, &scope(ShareLevel::Indices), Some(NOW + 60)).await;
        assert!(matches!(store.set_share_scope(ann, share, &foreign, NOW).await, Err(StoreError::NotFound { .. })));
        let grant = store.grant(ben, share, NOW + 59).await.unwrap().unwrap();
        assert!(store.shared_results(&grant, NOW + 59).await.unwrap().is_empty());
        assert!(store.grant(ben, share, NOW + 60).await.unwrap().is_none());
        assert!(matches!(store.shared_results(&grant, NOW + 60).await, Err(StoreError::NotFound { .. })));
        let reads = store.audit_trail(ann).await.unwrap().into_iter().filter(|e| e.kind == AuditKind::Read).count();
        assert_eq!(reads, 1, "the refused read is not logged");
    }

    async fn a_share_goes_with_the_clients_account(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.counsellor("ben").await;
        let share = accepted(store, ann, ben, &scope(ShareLevel::Indices), None).await;
        let grant = store.grant(ben, share, NOW).await.unwrap().unwrap();
        store.shared_results(&grant, NOW).await.unwrap();
        store.delete_account(ann, 2_000_000_000).await.unwrap();
        assert!(store.grant(ben, share, NOW).await.unwrap().is_none());
        assert!(matches!(store.shared_results(&grant, NOW).await, Err(StoreError::NotFound { .. })));
        assert!(store.clients(ben, NOW).await.unwrap().is_empty());
        let raw = f.raw().await;
        assert_eq!(raw.integer("SELECT CAST(count(*) AS BIGINT) FROM shares", &[]).await, 0);
        // Their chain went with them; the operator's keeps a tombstone.
        let gone = ann.id().0;
        assert_eq!(raw.integer("SELECT CAST(count(*) AS BIGINT) FROM audit_entries WHERE chain = $1", &[gone]).await, 0);
        assert_eq!(
            raw.integer(
                "SELECT CAST(count(*) AS BIGINT) FROM audit_entries
                 WHERE chain = 0 AND kind = 'account_deleted' AND subject = $1",
                &[gone]
            )
            .await,
            1
        );
    }
}

//! A counsellor's assignments and notes: made only through a current
//! grant, seen by the client where they should be (open assignments,
//! shared notes), declinable by the client alone, sealed at rest, and
//! after a client's deletion private notes stay the counsellor's as a
//! former client's while shared notes go.

use tandem_core::answers::Answer;
use tandem_core::input::NoteText;
use tandem_store::links::{code_hash, new_code};
use tandem_store::{Owner, Scope, ShareId, ShareLevel, Store, StoreError};
use tandem_store_contract::{answers, current};

const NOW: i64 = 1_800_000_000;
const DAY: i64 = 86_400;

async fn accepted(store: &Store, owner: Owner, counsellor: Owner, now: i64) -> ShareId {
    let code = new_code().unwrap();
    let scope = Scope {
        results: ShareLevel::Indices,
        ..Scope::default()
    };
    let id = store
        .create_share(owner, &scope, &code_hash(&code).unwrap(), now, None)
        .await
        .unwrap();
    store
        .accept_share(counsellor, &code_hash(&code).unwrap(), now)
        .await
        .unwrap();
    id
}

fn clock() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(since.as_secs()).unwrap()
}

fn note(text: &str) -> NoteText {
    NoteText::parse(text).unwrap()
}

contract! {
    async fn assignments_are_asked_through_a_grant_seen_and_declined_by_the_client(f) {
        let store = &f.store;
        // Near the clock: the store stamps a finished administration itself.
        let now = clock() - 60;
        let ann = f.account("ann").await;
        let ben = f.counsellor("ben").await;
        let cat = f.counsellor("cat").await;
        let share = accepted(store, ann, ben, now).await;
        let grant = store.grant(ben, share, now).await.unwrap().unwrap();

        for (instrument, due) in [("safety", now + DAY), ("checkin", now - 1), ("checkin", now)] {
            let refused = store.assign(&grant, instrument, due, now).await;
            assert!(matches!(refused, Err(StoreError::Invalid { .. })), "{instrument} {due}: {refused:?}");
        }
        let rdp = store.assign(&grant, "rdp", now + 7 * DAY, now).await.unwrap();
        let checkin = store.assign(&grant, "checkin", now + 2 * DAY, now + 1).await.unwrap();

        let mine = store.assignments_of(ann, now + 2).await.unwrap();
        assert_eq!(mine.iter().map(|a| (a.id, a.instrument.as_str(), a.done)).collect::<Vec<_>>(),
            [(checkin, "checkin", Some(false)), (rdp, "rdp", Some(false))]);
        assert!(mine.iter().all(|a| a.counsellor == "ben" && a.share == share && a.declined_unix.is_none()));
        let theirs = store.assignments_for(&grant, now + 2).await.unwrap();
        assert_eq!(theirs.iter().map(|a| (a.id, a.done)).collect::<Vec<_>>(), [(checkin, None), (rdp, None)]);

        // Finishing the check-in marks it done for the client.
        let instrument = current("checkin");
        let pairs: Vec<(String, Answer)> = instrument.items.iter()
            .filter(|i| i.response == tandem_core::instrument::ResponseKind::Scale)
            .map(|i| (i.id.to_string(), Answer::Value(3))).collect();
        let borrowed: Vec<(&str, Answer)> = pairs.iter().map(|(id, a)| (id.as_str(), a.clone())).collect();
        store.record_administration(ann, &instrument, "my partner", &answers(&instrument, &borrowed)).await.unwrap();
        let mine = store.assignments_of(ann, now + 3).await.unwrap();
        let done: Vec<Option<bool>> = mine.iter().map(|a| a.done).collect();
        assert_eq!(done, [Some(true), Some(false)], "only the check-in was answered");

        // Only the client declines, once; the counsellor sees it.
        for (who, id) in [(ben, rdp), (cat, rdp), (ann, tandem_store::AssignmentId(rdp.0 + 100))] {
            let refused = store.decline_assignment(who, id, now + 4).await;
            assert!(matches!(refused, Err(StoreError::NotFound { .. })), "{refused:?}");
        }
        store.decline_assignment(ann, rdp, now + 4).await.unwrap();
        assert!(matches!(store.decline_assignment(ann, rdp, now + 5).await, Err(StoreError::NotFound { .. })));
        let theirs = store.assignments_for(&grant, now + 5).await.unwrap();
        assert_eq!(theirs.iter().find(|a| a.id == rdp).unwrap().declined_unix, Some(now + 4));

        // Ended: nothing asked, nothing listed, nothing to decline.
        store.revoke_share(ann, share, now + 6).await.unwrap();
        assert!(matches!(store.assign(&grant, "rdp", now + 9 * DAY, now + 7).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.assignments_for(&grant, now + 7).await, Err(StoreError::NotFound { .. })));
        assert!(store.assignments_of(ann, now + 7).await.unwrap().is_empty());
        assert!(matches!(store.decline_assignment(ann, checkin, now + 7).await, Err(StoreError::NotFound { .. })));
    }

    async fn notes_are_sealed_shared_ones_reach_the_client_and_a_deleted_client_leaves_private_ones(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let dan = f.account("dan").await;
        let ben = f.counsellor("ben").await;
        let cat = f.counsellor("cat").await;
        let share = accepted(store, ann, ben, NOW).await;
        let with_dan = accepted(store, dan, ben, NOW).await;
        let cats = accepted(store, ann, cat, NOW).await;
        let grant = store.grant(ben, share, NOW).await.unwrap().unwrap();
        let dans = store.grant(ben, with_dan, NOW).await.unwrap().unwrap();
        let cat_grant = store.grant(cat, cats, NOW).await.unwrap().unwrap();

        let private = store.add_note(&grant, &note("Seems tired; ask about sleep."), false, NOW + 1).await.unwrap();
        let shared = store.add_note(&grant, &note("Try the evening walk this week."), true, NOW + 2).await.unwrap();
        store.add_note(&dans, &note("Dan's own note."), true, NOW + 3).await.unwrap();
        store.add_note(&cat_grant, &note("Cat's note."), false, NOW + 4).await.unwrap();

        let for_ann = store.notes_for(&grant, NOW + 5).await.unwrap();
        assert_eq!(for_ann.iter().map(|n| (n.id, n.shared, n.text.as_str())).collect::<Vec<_>>(),
            [(shared, true, "Try the evening walk this week."), (private, false, "Seems tired; ask about sleep.")]);
        assert!(for_ann.iter().all(|n| n.client.as_deref() == Some("ann") && n.counsellor == "ben"));
        let anns = store.shared_notes(ann).await.unwrap();
        assert_eq!(anns.iter().map(|n| n.text.as_str()).collect::<Vec<_>>(), ["Try the evening walk this week."],
            "the client reads shared notes only, and only about them");
        assert_eq!(store.shared_notes(dan).await.unwrap().len(), 1);

        // Sealed at rest.
        let raw = f.raw().await;
        for sealed in raw.bytes("SELECT text_sealed FROM counsel_notes", &[]).await {
            assert!(!sealed.windows(5).any(|w| w == b"tired" || w == b"walk "), "plain text at rest");
        }

        // Only its writer deletes a note.
        assert!(matches!(store.delete_note(cat, private).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.delete_note(ann, shared).await, Err(StoreError::NotFound { .. })));

        // Ann deletes her account: the shared note goes, the private one
        // stays ben's, a former client's with no name.
        store.delete_account(ann, NOW + 10).await.unwrap();
        let kept = store.notes_by(ben).await.unwrap();
        let summary: Vec<(Option<String>, Option<i64>, bool, &str)> = kept
            .iter()
            .map(|n| (n.client.clone(), n.former_unix, n.share.is_some(), n.text.as_str()))
            .collect();
        assert_eq!(summary, [
            (Some("dan".to_owned()), None, true, "Dan's own note."),
            (None, Some(NOW + 10), false, "Seems tired; ask about sleep."),
        ]);
        assert_eq!(raw.integer("SELECT CAST(count(*) AS BIGINT) FROM counsel_notes WHERE shared", &[]).await, 1);
        assert_eq!(store.notes_by(cat).await.unwrap()[0].former_unix, Some(NOW + 10));

        // A counsellor's own deletion takes all their notes.
        store.delete_note(ben, private).await.unwrap();
        store.delete_account(ben, NOW + 11).await.unwrap();
        assert!(store.shared_notes(dan).await.unwrap().is_empty());
    }
}

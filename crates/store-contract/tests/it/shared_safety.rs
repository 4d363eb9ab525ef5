//! One safety result shown through a share: only by its owner's act, only
//! through a share a counsellor took and that has not ended, once per
//! share, sealed at rest, read only by that share's counsellor (each read
//! in the owner's chain), and gone with the share or the screen.

use tandem_core::answers::Answer;
use tandem_core::safety::{SafetyScreen, ScreenOutcome, ScreenSummary};
use tandem_store::audit::AuditKind;
use tandem_store::links::{code_hash, new_code};
use tandem_store::{Owner, SafetyScreenId, Scope, ShareId, ShareLevel, Store, StoreError};
use tandem_store_contract::answers;

const NOW: i64 = 1_800_000_000;

/// A kept, finished screen of `owner`'s with `pairs` answered.
async fn kept(
    store: &Store,
    owner: Owner,
    pairs: &[(&str, Answer)],
) -> (SafetyScreenId, SafetyScreen) {
    let safety = tandem_store_contract::instrument("safety");
    let screen = SafetyScreen::from_answers(&safety, answers(&safety, pairs)).unwrap();
    let id = store
        .record_safety_screen(owner, &safety, &screen)
        .await
        .unwrap();
    (id, screen)
}

/// A share of `owner`'s at the `items` level, with its code, taken by
/// `counsellor` unless `None`.
async fn share(store: &Store, owner: Owner, counsellor: Option<Owner>) -> ShareId {
    let code = new_code().unwrap();
    let scope = Scope {
        results: ShareLevel::Items,
        ..Scope::default()
    };
    let id = store
        .create_share(owner, &scope, &code_hash(&code).unwrap(), NOW, None)
        .await
        .unwrap();
    if let Some(counsellor) = counsellor {
        store
            .accept_share(counsellor, &code_hash(&code).unwrap(), NOW)
            .await
            .unwrap();
    }
    id
}

fn shared_kinds(entries: &[tandem_store::AuditEntry]) -> Vec<(AuditKind, String)> {
    entries
        .iter()
        .filter(|e| matches!(e.kind, AuditKind::SafetyShared) || e.detail == "safety result")
        .map(|e| (e.kind, e.detail.clone()))
        .collect()
}

contract! {
    async fn one_result_is_shown_once_by_its_owner_and_read_by_that_counsellor_only(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let dan = f.account("dan").await;
        let ben = f.counsellor("ben").await;
        let cat = f.counsellor("cat").await;
        let (first, screen) = kept(store, ann, &[("SF1", Answer::Value(1))]).await;
        let (second, _) = kept(store, ann, &[("SF1", Answer::Value(0))]).await;
        let (danish, _) = kept(store, dan, &[("SF1", Answer::Value(1))]).await;
        let summary = screen.summary();
        assert_ne!(summary.outcome, ScreenOutcome::Clear, "the test needs a result that says something");

        let with_ben = share(store, ann, Some(ben)).await;
        let waiting = share(store, ann, None).await;
        let grant = store.grant(ben, with_ben, NOW).await.unwrap().unwrap();
        assert_eq!(store.shared_safety_result(&grant, NOW + 1).await.unwrap(), None, "nothing is shown before the act");

        // Refusals change nothing: a share no counsellor took, a screen of
        // someone else's, a share of someone else's, an unfinished screen.
        let before = f.row_counts().await;
        for (owner, id, screen) in [(ann, waiting, first), (ann, with_ben, danish), (dan, with_ben, danish)] {
            let refused = store.share_safety_result(owner, id, screen, summary, NOW + 2).await;
            assert!(matches!(refused, Err(StoreError::NotFound { .. })), "{refused:?}");
        }
        assert_eq!(f.row_counts().await, before, "a refusal changes nothing");
        let safety = tandem_store_contract::instrument("safety");
        let open = store.start_safety_screen(ann, &safety).await.unwrap();
        let unfinished = store.share_safety_result(ann, with_ben, open, summary, NOW + 2).await;
        assert!(matches!(unfinished, Err(StoreError::Invalid { .. })), "{unfinished:?}");
        let raw = f.raw().await;
        assert_eq!(raw.integer("SELECT CAST(count(*) AS BIGINT) FROM shared_safety", &[]).await, 0);

        let shown = store.share_safety_result(ann, with_ben, first, summary, NOW + 3).await.unwrap();
        assert_eq!((shown.summary, shown.shared_unix), (summary, NOW + 3));
        let listed = store.shares_of(ann).await.unwrap();
        let listed: Vec<Option<i64>> = listed.iter().map(|s| s.safety_shared_unix).collect();
        assert_eq!(listed, [Some(NOW + 3), None]);

        // Once: a second result through the same share is refused.
        let again = store.share_safety_result(ann, with_ben, second, ScreenSummary { outcome: ScreenOutcome::Clear, self_harm: false }, NOW + 4).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");

        // Sealed at rest: the stored bytes do not hold the outcome's word.
        let sealed = raw.bytes("SELECT summary_sealed FROM shared_safety", &[]).await;
        assert_eq!(sealed.len(), 1);
        let word = summary.outcome.as_str().as_bytes();
        assert!(!sealed[0].windows(word.len()).any(|w| w == word));

        let read = store.shared_safety_result(&grant, NOW + 5).await.unwrap().unwrap();
        assert_eq!(read, shown);
        assert!(read.taken_unix > 0 && read.taken_unix <= tandem_core::dates::unix_of(&store.safety_screens(ann).await.unwrap()[0].completed_at.clone().unwrap()).unwrap());
        // The results read never carries it, whatever the scope.
        let results = store.shared_results(&grant, NOW + 5).await.unwrap();
        assert!(results.iter().all(|a| a.instrument != "safety"));

        // Another counsellor has no grant; a share of their own shows nothing.
        assert!(store.grant(cat, with_ben, NOW).await.unwrap().is_none());
        let with_cat = share(store, ann, Some(cat)).await;
        let cats = store.grant(cat, with_cat, NOW).await.unwrap().unwrap();
        assert_eq!(store.shared_safety_result(&cats, NOW + 6).await.unwrap(), None);

        let trail = store.audit_trail(ann).await.unwrap();
        assert_eq!(
            shared_kinds(&trail),
            [
                (AuditKind::SafetyShared, "one safety result".to_owned()),
                (AuditKind::Read, "safety result".to_owned()),
            ],
            "the act and the one read that found it, nothing for reads that found none"
        );
        assert_eq!(trail.iter().find(|e| e.kind == AuditKind::SafetyShared).unwrap().subject, Some(with_ben.0));
        assert!(trail.iter().filter(|e| e.detail == "safety result").all(|e| e.actor == "ben"));

        // The same screen may go to another counsellor, by another act;
        // deleting the screen takes it from them.
        store.share_safety_result(ann, with_cat, second, ScreenSummary { outcome: ScreenOutcome::Clear, self_harm: false }, NOW + 7).await.unwrap();
        assert!(store.shared_safety_result(&cats, NOW + 8).await.unwrap().is_some());
        store.delete_safety_screen(ann, second).await.unwrap();
        assert_eq!(store.shared_safety_result(&cats, NOW + 9).await.unwrap(), None);

        // Ending the share ends the read, unlogged.
        store.revoke_share(ann, with_ben, NOW + 10).await.unwrap();
        let ended = store.shared_safety_result(&grant, NOW + 11).await;
        assert!(matches!(ended, Err(StoreError::NotFound { .. })), "{ended:?}");
        let reads = store.audit_trail(ann).await.unwrap().iter().filter(|e| e.detail == "safety result").count();
        assert_eq!(reads, 2, "ben's one read and cat's one read");
    }
}

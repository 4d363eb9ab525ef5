//! What a share shows beside results: the support map, the plans' steps
//! and the exercises, each only when the scope says so; never a step from
//! safety answers or one the caller keeps back, nor its exercise, nor the
//! journal; texts only with `exercise_texts`; each read in the owner's
//! chain, and nothing once the share ends.

use serde_json::json;
use tandem_core::network::{Role, Supporter};
use tandem_store::audit::AuditKind;
use tandem_store::links::{code_hash, new_code};
use tandem_store::{NewSuggestion, Owner, PlanItem, Scope, ShareId, ShareLevel, Store, StoreError};

const NOW: i64 = 1_800_000_000;

fn suggest(strategy: &str, from_safety: bool) -> NewSuggestion {
    NewSuggestion {
        strategy: strategy.into(),
        reason: json!([{"kind": if from_safety { "safety" } else { "maintenance" }}]),
        from_safety,
    }
}

async fn accepted(store: &Store, owner: Owner, counsellor: Owner, scope: &Scope) -> ShareId {
    let code = new_code().unwrap();
    let id = store
        .create_share(owner, scope, &code_hash(&code).unwrap(), NOW, None)
        .await
        .unwrap();
    store
        .accept_share(counsellor, &code_hash(&code).unwrap(), NOW)
        .await
        .unwrap();
    id
}

fn keep_back(item: &PlanItem) -> bool {
    item.strategy == "kept-back"
}

contract! {
    async fn a_share_shows_the_map_plan_and_exercises_its_scope_names_and_no_more(f) {
        let store = &f.store;
        let ann = f.account("ann").await;
        let ben = f.counsellor("ben").await;
        let cat = f.counsellor("cat").await;
        let dan = f.counsellor("dan").await;
        store.add_supporter(ann, &Supporter::new("Philomena", Role::Friend)).await.unwrap();
        let partner = tandem_store_contract::partner_of(store, ann).await;
        let plan = store
            .refresh_plan(ann, partner, &[suggest("stay-safe", true), suggest("reach-out", false), suggest("kept-back", false)], NOW)
            .await
            .unwrap();
        let by = |strategy: &str| plan.iter().find(|i| i.strategy == strategy).unwrap().id;
        let words = json!({"need": "time with friends"});
        store.save_exercise(ann, "reach-out", Some(by("reach-out")), &words, NOW).await.unwrap();
        store.save_exercise(ann, "safety-steps", Some(by("stay-safe")), &json!({"where": "hidden"}), NOW).await.unwrap();
        store.save_exercise(ann, "kept-back", Some(by("kept-back")), &json!({"x": "y"}), NOW).await.unwrap();
        store.save_exercise(ann, "journal", None, &json!({"entry": "dear diary"}), NOW).await.unwrap();
        let goals = store.save_exercise(ann, "goals", None, &json!({"goal": "run"}), NOW).await.unwrap();
        let journal = store.exercises(ann, Some("journal")).await.unwrap()[0].id;

        let titles = accepted(store, ann, ben, &Scope { results: ShareLevel::None, support_map: true, plan: true, ..Scope::default() }).await;
        let texts = accepted(store, ann, cat, &Scope { results: ShareLevel::Indices, exercise_texts: true, ..Scope::default() }).await;
        let nothing = accepted(store, ann, dan, &Scope { results: ShareLevel::Items, ..Scope::default() }).await;

        let grant = store.grant(ben, titles, NOW).await.unwrap().unwrap();
        let work = store.shared_work(&grant, NOW + 1, &keep_back).await.unwrap();
        let map = work.support_map.unwrap();
        assert_eq!(map.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Philomena"]);
        let steps = work.plan.unwrap();
        assert_eq!(steps.iter().map(|s| (s.strategy.as_str(), s.position)).collect::<Vec<_>>(), [("reach-out", 0)],
            "no step from safety answers, none kept back, placed from 0");
        let exercises = work.exercises.unwrap();
        assert_eq!(exercises.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["goals", "reach-out"], "newest first");
        assert!(exercises.iter().all(|e| e.content.is_none()), "titles only");

        // Texts are shown only of the exercises chosen one by one.
        let grant = store.grant(cat, texts, NOW).await.unwrap().unwrap();
        let work = store.shared_work(&grant, NOW + 2, &keep_back).await.unwrap();
        assert_eq!((work.support_map, work.plan), (None, None));
        assert!(work.exercises.unwrap().iter().all(|e| e.content.is_none()), "none chosen yet");
        store.set_exercise_shown(ann, goals, true).await.unwrap();
        store.set_exercise_shown(ann, journal, true).await.unwrap();
        assert!(matches!(store.set_exercise_shown(ben, goals, true).await, Err(StoreError::NotFound { .. })));
        let work = store.shared_work(&grant, NOW + 2, &keep_back).await.unwrap();
        let exercises = work.exercises.unwrap();
        assert_eq!(exercises.iter().map(|e| (e.kind.as_str(), e.content.clone())).collect::<Vec<_>>(),
            [("goals", Some(json!({"goal": "run"}))), ("reach-out", None)], "never the journal, even if marked");
        let _ = &words;

        let grant = store.grant(dan, nothing, NOW).await.unwrap().unwrap();
        assert_eq!(store.shared_work(&grant, NOW + 3, &keep_back).await.unwrap(), tandem_store::shares::SharedWork::default());

        let reads: Vec<(String, String)> = store.audit_trail(ann).await.unwrap().into_iter()
            .filter(|e| e.kind == AuditKind::Read)
            .map(|e| (e.actor, e.detail))
            .collect();
        assert_eq!(reads, [("ben".to_owned(), "support map, plan".to_owned()), ("cat".to_owned(), "exercise texts".to_owned()), ("cat".to_owned(), "exercise texts".to_owned())],
            "each read logged with what it read; a scope with nothing more reads and logs nothing");

        store.revoke_share(ann, titles, NOW + 4).await.unwrap();
        let grant = store.grant(cat, texts, NOW).await.unwrap().unwrap();
        store.revoke_share(ann, texts, NOW + 4).await.unwrap();
        let ended = store.shared_work(&grant, NOW + 5, &keep_back).await;
        assert!(matches!(ended, Err(StoreError::NotFound { .. })), "{ended:?}");
        assert_eq!(store.audit_trail(ann).await.unwrap().iter().filter(|e| e.kind == AuditKind::Read).count(), 3);
    }
}

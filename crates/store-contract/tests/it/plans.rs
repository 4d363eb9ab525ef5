//! The action plan: a refresh orders the plan by the new suggestions, keeps
//! what the person chose, and keeps stale suggestions only as history; each
//! person's plan is theirs alone. Exercises and the support map read back
//! as given.

use serde_json::json;
use tandem_core::network::{Domain, Level, Role, Supporter};
use tandem_store::{NewSuggestion, PlanItem, PlanItemId, PlanStatus, StoreError};
use tandem_store_contract::account;

fn suggest(strategy: &str, from_safety: bool) -> NewSuggestion {
    NewSuggestion {
        strategy: strategy.into(),
        reason: json!({"kind": if from_safety { "safety" } else { "maintenance" }}),
        from_safety,
    }
}

contract! {
    async fn a_plan_is_refreshed_chosen_and_kept_as_history(f) {
        use PlanStatus::{Chosen, Later, Replaced, Suggested};
        let (store, owner) = (&f.store, f.owner);
        let first = store
            .refresh_plan(owner, tandem_store_contract::partner_of(store, owner).await,
                &[
                    suggest("safety-plan", true),
                    suggest("reach-out", false),
                    suggest("name-feelings", false),
                    suggest("small-asks", false),
                ],
                100,
            )
            .await
            .unwrap();
        let shape = |plan: &[tandem_store::PlanItem]| -> Vec<(String, PlanStatus, i64)> {
            plan.iter()
                .map(|i| (i.strategy.clone(), i.status, i.position))
                .collect()
        };
        assert_eq!(
            shape(&first),
            vec![
                ("safety-plan".into(), Suggested, 0),
                ("reach-out".into(), Suggested, 1),
                ("name-feelings".into(), Suggested, 2),
                ("small-asks".into(), Later, 3),
            ]
        );
        assert!(store.plan_has_safety_items(owner).await.unwrap());
        assert_eq!(first[1].reason, json!({"kind": "maintenance"}));
        let reach = first[1].id;
        store
            .set_plan_status(owner, reach, Chosen, 110)
            .await
            .unwrap();
        assert!(matches!(
            store.set_plan_status(owner, reach, Replaced, 110).await,
            Err(StoreError::Conflict(_))
        ));
        let stranger = account(store, "stranger").await;
        assert!(matches!(
            store.set_plan_status(stranger, reach, Chosen, 110).await,
            Err(StoreError::NotFound { .. })
        ));

        let second = store
            .refresh_plan(owner, tandem_store_contract::partner_of(store, owner).await, &[suggest("small-asks", false)], 200)
            .await
            .unwrap();
        // The safety suggestion is gone for good, name-feelings is history,
        // the chosen item stays after the list.
        assert_eq!(
            shape(&second),
            vec![
                ("small-asks".into(), Suggested, 0),
                ("reach-out".into(), Chosen, 1)
            ]
        );
        assert!(!store.plan_has_safety_items(owner).await.unwrap());
        let history = store.plan_history(owner, tandem_store_contract::partner_of(store, owner).await).await.unwrap();
        assert_eq!(history.len(), 3);
        assert!(
            history
                .iter()
                .any(|i| i.strategy == "name-feelings" && i.status == Replaced)
        );
        assert!(matches!(
            store
                .refresh_plan(owner, tandem_store_contract::partner_of(store, owner).await, &[suggest("x", false), suggest("x", false)], 300)
                .await,
            Err(StoreError::Invalid { .. })
        ));
        assert_eq!(
            store
                .retire_plan_items(owner, tandem_store_contract::partner_of(store, owner).await, &["reach-out".into()], 300)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            shape(&store.plan(owner, tandem_store_contract::partner_of(store, owner).await).await.unwrap()),
            vec![("small-asks".into(), Suggested, 0)]
        );

        assert_eq!(store.plan_rules().await.unwrap(), None);
        store.set_plan_rules("rules-1").await.unwrap();
        store.set_plan_rules("rules-2").await.unwrap();
        assert_eq!(
            store.plan_rules().await.unwrap().as_deref(),
            Some("rules-2")
        );
        assert_eq!(store.owners_with_plans().await.unwrap(), vec![owner]);
    }

    async fn exercises_and_the_support_map_read_back_as_given(f) {
        let (store, owner) = (&f.store, f.owner);
        let plan = store
            .refresh_plan(owner, tandem_store_contract::partner_of(store, owner).await, &[suggest("reach-out", false)], 1)
            .await
            .unwrap();
        let content = json!({"steps": ["call Sam", "ask for help"], "note": "ünï"});
        let id = store
            .save_exercise(owner, "reach-out", Some(plan[0].id), &content, 10)
            .await
            .unwrap();
        let other = store
            .save_exercise(owner, "journal", None, &json!({}), 20)
            .await
            .unwrap();
        assert!(matches!(
            store
                .save_exercise(owner, "Bad Kind", None, &content, 10)
                .await,
            Err(StoreError::Invalid { .. })
        ));
        let stranger = account(store, "stranger").await;
        assert!(matches!(
            store
                .save_exercise(stranger, "x", Some(plan[0].id), &content, 10)
                .await,
            Err(StoreError::NotFound { .. })
        ));
        store.tick_week(owner, id, "2026-W48", true).await.unwrap();
        store.tick_week(owner, id, "2026-W48", true).await.unwrap();
        store.tick_week(owner, id, "2026-W01", true).await.unwrap();
        store.tick_week(owner, id, "2026-W01", false).await.unwrap();
        assert!(matches!(
            store.tick_week(owner, id, "2026-48", true).await,
            Err(StoreError::Invalid { .. })
        ));
        assert!(matches!(
            store.tick_week(stranger, id, "2026-W02", true).await,
            Err(StoreError::NotFound { .. })
        ));
        let updated = json!({"steps": ["call Sam"]});
        store
            .update_exercise(owner, id, &updated, 50, false, 30)
            .await
            .unwrap();
        assert!(matches!(
            store
                .update_exercise(owner, id, &updated, 101, false, 30)
                .await,
            Err(StoreError::Invalid { .. })
        ));
        let record = store.exercise(owner, id).await.unwrap();
        assert_eq!(record.content, updated);
        assert_eq!(record.progress, 50);
        assert_eq!(record.plan_item, Some(plan[0].id));
        assert_eq!(record.ticks, vec!["2026-W48".to_owned()]);
        assert_eq!((record.created_unix, record.updated_unix), (10, 30));
        let all: Vec<_> = store
            .exercises(owner, None)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(all, vec![other, id]);
        assert_eq!(
            store.exercises(owner, Some("journal")).await.unwrap().len(),
            1
        );
        assert!(matches!(
            store.exercise(stranger, id).await,
            Err(StoreError::NotFound { .. })
        ));
        store.delete_exercise(owner, id).await.unwrap();
        assert!(matches!(
            store.delete_exercise(owner, id).await,
            Err(StoreError::NotFound { .. })
        ));

        let level = |v| Level::new(v).unwrap();
        let mut sam = Supporter::new("Sam Müller", Role::Partner);
        sam.leans_on.insert(Domain::Emotional, level(4));
        sam.leans_back.insert(Domain::Emotional, level(3));
        let kim = Supporter::new("Kim", Role::Friend);
        let sam_id = store.add_supporter(owner, &sam).await.unwrap();
        let kim_id = store.add_supporter(owner, &kim).await.unwrap();
        assert_eq!(
            store.support_map(owner).await.unwrap(),
            vec![(sam_id, sam), (kim_id, kim.clone())]
        );
        assert!(store.support_map(stranger).await.unwrap().is_empty());
        assert!(matches!(
            store.remove_supporter(stranger, sam_id).await,
            Err(StoreError::NotFound { .. })
        ));
        store.remove_supporter(owner, sam_id).await.unwrap();
        assert_eq!(store.support_map(owner).await.unwrap(), vec![(kim_id, kim)]);
    }
}

/// The plan as (strategy, status, position) triples.
fn shape(plan: &[PlanItem]) -> Vec<(&str, PlanStatus, i64)> {
    plan.iter()
        .map(|item| (item.strategy.as_str(), item.status, item.position))
        .collect()
}

fn id_of(plan: &[PlanItem], strategy: &str) -> PlanItemId {
    plan.iter()
        .find(|item| item.strategy == strategy)
        .unwrap()
        .id
}

#[test]
fn statuses_read_and_write_as_snake_case() {
    for status in PlanStatus::ALL {
        assert_eq!(status.as_str().parse::<PlanStatus>().unwrap(), status);
        assert_eq!(status.to_string(), status.as_str());
        assert_eq!(
            serde_json::to_value(status).unwrap(),
            json!(status.as_str())
        );
        assert_eq!(
            serde_json::from_value::<PlanStatus>(json!(status.as_str())).unwrap(),
            status
        );
    }
    assert_eq!(PlanStatus::Chosen.as_str(), "chosen");
    let err = "Chosen".parse::<PlanStatus>().unwrap_err();
    assert!(err.to_string().contains("`Chosen`"), "{err}");
}

contract! {
    async fn a_refresh_orders_keeps_choices_and_replaces_stale_suggestions(f) {
        use PlanStatus::{Chosen, Done, Dropped, Later, Replaced, Suggested};
        let store = f.store.clone();
        let owner = f.owner;
        assert_eq!(store.plan(owner, tandem_store_contract::partner_of(&store, owner).await).await.unwrap(), vec![]);

        let first = store
            .refresh_plan(owner, tandem_store_contract::partner_of(&store, owner).await,
                &[
                    suggest("safety-plan", false),
                    suggest("reach-out", false),
                    suggest("name-feelings", false),
                    suggest("small-asks", false),
                ],
                100,
            )
            .await
            .unwrap();
        assert_eq!(
            shape(&first),
            vec![
                ("safety-plan", Suggested, 0),
                ("reach-out", Suggested, 1),
                ("name-feelings", Suggested, 2),
                // Past the first three, a suggestion waits for later.
                ("small-asks", Later, 3),
            ]
        );
        assert!(!first[0].from_safety && !first[1].from_safety);
        assert_eq!(first[0].reason, json!({"kind": "maintenance"}));
        assert!(
            first
                .iter()
                .all(|item| item.created_unix == 100 && item.updated_unix == 100)
        );

        store
            .set_plan_status(owner, id_of(&first, "reach-out"), Chosen, 110)
            .await
            .unwrap();
        store
            .set_plan_status(owner, id_of(&first, "name-feelings"), Done, 111)
            .await
            .unwrap();

        // The new results no longer call for safety-plan, reach-out or
        // name-feelings; small-asks moves up, and two strategies are new.
        let mut changed = suggest("small-asks", false);
        changed.reason = json!({"kind": "score", "of": "ER", "band": "low", "score": 1.5});
        let second = store
            .refresh_plan(owner, tandem_store_contract::partner_of(&store, owner).await,
                &[suggest("journal", false), changed, suggest("walks", false)],
                200,
            )
            .await
            .unwrap();
        assert_eq!(
            shape(&second),
            vec![
                ("journal", Suggested, 0),
                ("small-asks", Suggested, 1),
                ("walks", Suggested, 2),
                ("reach-out", Chosen, 3),
                ("name-feelings", Done, 4),
            ]
        );
        let small = &second[1];
        assert_eq!(small.id, id_of(&first, "small-asks"));
        assert_eq!(small.reason["kind"], "score");
        assert_eq!((small.created_unix, small.updated_unix), (100, 200));
        let reach_out = &second[3];
        assert_eq!(reach_out.id, id_of(&first, "reach-out"));
        assert_eq!(reach_out.updated_unix, 200, "its position changed");

        // The stale suggestion is history: in plan_history, not in the plan.
        let history = store.plan_history(owner, tandem_store_contract::partner_of(&store, owner).await).await.unwrap();
        assert_eq!(history.len(), 6);
        let replaced: Vec<_> = history
            .iter()
            .filter(|item| item.status == Replaced)
            .collect();
        assert_eq!(replaced.len(), 1);
        assert_eq!(replaced[0].strategy, "safety-plan");
        assert_eq!(replaced[0].updated_unix, 200);
        assert!(
            history.windows(2).all(|pair| {
                (pair[0].updated_unix, pair[0].id) >= (pair[1].updated_unix, pair[1].id)
            })
        );
        // A replaced item can be neither set nor revived.
        let err = store
            .set_plan_status(owner, replaced[0].id, Chosen, 210)
            .await;
        assert!(matches!(err, Err(StoreError::NotFound { .. })), "{err:?}");

        // Suggested again later, a strategy comes back as a new item; the same
        // list twice changes no dates.
        let third_list = [
            suggest("safety-plan", true),
            suggest("journal", false),
            suggest("reach-out", false),
        ];
        let third = store.refresh_plan(owner, tandem_store_contract::partner_of(&store, owner).await, &third_list, 300).await.unwrap();
        assert_eq!(
            shape(&third),
            vec![
                ("safety-plan", Suggested, 0),
                ("journal", Suggested, 1),
                ("reach-out", Chosen, 2),
                ("name-feelings", Done, 3),
            ]
        );
        assert_ne!(third[0].id, replaced[0].id);
        store
            .set_plan_status(owner, third[0].id, Dropped, 310)
            .await
            .unwrap();
        let again = store.refresh_plan(owner, tandem_store_contract::partner_of(&store, owner).await, &third_list, 400).await.unwrap();
        assert_eq!(
            again[0].status, Dropped,
            "what the person dropped stays dropped"
        );
        assert_eq!(again[0].updated_unix, 310);
        assert_eq!(again[1].updated_unix, 300);
        assert_eq!(store.plan(owner, tandem_store_contract::partner_of(&store, owner).await).await.unwrap(), again);

        // An empty list replaces every suggestion and keeps every choice.
        let emptied = store.refresh_plan(owner, tandem_store_contract::partner_of(&store, owner).await, &[], 500).await.unwrap();
        assert_eq!(
            shape(&emptied),
            vec![
                ("safety-plan", Dropped, 0),
                ("reach-out", Chosen, 1),
                ("name-feelings", Done, 2),
            ]
        );
    }

    async fn bad_suggestions_and_statuses_change_nothing(f) {
        let store = f.store.clone();
        let owner = f.owner;
        let plan = store
            .refresh_plan(owner, tandem_store_contract::partner_of(&store, owner).await, &[suggest("reach-out", false)], 100)
            .await
            .unwrap();
        let counts = f.row_counts().await;

        for list in [
            vec![suggest("journal", false), suggest("journal", false)],
            vec![suggest("journal", false), suggest("not an id", false)],
            vec![suggest("", false)],
        ] {
            let result = store.refresh_plan(owner, tandem_store_contract::partner_of(&store, owner).await, &list, 200).await;
            assert!(
                matches!(result, Err(StoreError::Invalid { .. })),
                "{result:?}"
            );
        }
        let result = store
            .set_plan_status(owner, plan[0].id, PlanStatus::Replaced, 200)
            .await;
        assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
        let result = store
            .refresh_plan(
                f.nobody().await,
                tandem_store_contract::partner_of(&store, owner).await,
                &[suggest("journal", false)],
                200,
            )
            .await;
        assert!(
            matches!(result, Err(StoreError::NotFound { .. })),
            "{result:?}"
        );
        assert_eq!(store.plan(owner, tandem_store_contract::partner_of(&store, owner).await).await.unwrap(), plan);
        assert_eq!(f.row_counts().await, counts);
    }

    async fn a_plan_belongs_to_its_owner(f) {
        let store = f.store.clone();
        let a = f.owner;
        let b = f.account("bob").await;
        let a_plan = store
            .refresh_plan(a, tandem_store_contract::partner_of(&store, a).await, &[suggest("reach-out", false)], 100)
            .await
            .unwrap();
        let b_plan = store
            .refresh_plan(b, tandem_store_contract::partner_of(&store, b).await, &[suggest("reach-out", false)], 100)
            .await
            .unwrap();
        assert_ne!(a_plan[0].id, b_plan[0].id);

        let result = store
            .set_plan_status(b, a_plan[0].id, PlanStatus::Chosen, 110)
            .await;
        assert!(
            matches!(result, Err(StoreError::NotFound { .. })),
            "{result:?}"
        );
        let result = store
            .set_plan_status(a, PlanItemId(9_999), PlanStatus::Chosen, 110)
            .await;
        assert!(
            matches!(result, Err(StoreError::NotFound { .. })),
            "{result:?}"
        );
        assert_eq!(store.plan(a, tandem_store_contract::partner_of(&store, a).await).await.unwrap(), a_plan);
        assert_eq!(store.plan(b, tandem_store_contract::partner_of(&store, b).await).await.unwrap(), b_plan);
        assert_eq!(store.plan_history(b, tandem_store_contract::partner_of(&store, b).await).await.unwrap(), b_plan);

        // B's refresh replaces B's suggestion only.
        store.refresh_plan(b, tandem_store_contract::partner_of(&store, b).await, &[], 120).await.unwrap();
        assert_eq!(store.plan(b, tandem_store_contract::partner_of(&store, b).await).await.unwrap(), vec![]);
        assert_eq!(store.plan(a, tandem_store_contract::partner_of(&store, a).await).await.unwrap(), a_plan);
        assert_eq!(store.plan_history(a, tandem_store_contract::partner_of(&store, a).await).await.unwrap(), a_plan);
    }

    async fn a_suggestion_shaped_by_safety_answers_leaves_no_history(f) {
        let store = f.store.clone();
        let owner = f.owner;
        store
            .refresh_plan(owner, tandem_store_contract::partner_of(&store, owner).await,
                &[suggest("safety-plan", true), suggest("walks", false)],
                100,
            )
            .await
            .unwrap();
        assert!(store.plan_has_safety_items(owner).await.unwrap());
        store
            .refresh_plan(owner, tandem_store_contract::partner_of(&store, owner).await, &[suggest("walks", false)], 200)
            .await
            .unwrap();
        let history = store.plan_history(owner, tandem_store_contract::partner_of(&store, owner).await).await.unwrap();
        assert_eq!(history.len(), 1, "{history:?}");
        assert_eq!(history[0].strategy, "walks");
        assert!(!store.plan_has_safety_items(owner).await.unwrap());
    }
}

contract! {
    async fn each_relationship_keeps_a_plan_of_its_own(f) {
        let store = &f.store;
        let owner = f.owner;
        let partner = tandem_store_contract::partner_of(store, owner).await;
        let mum = store
            .create_relationship(
                owner,
                tandem_core::relationship::Role::Parent,
                &tandem_core::input::About::parse("Mum").unwrap(),
            )
            .await
            .unwrap()
            .id;
        store
            .refresh_plan(owner, partner, &[suggest("reach-out", false)], 100)
            .await
            .unwrap();
        let mums = store
            .refresh_plan(owner, mum, &[suggest("small-asks", false), suggest("reach-out", false)], 100)
            .await
            .unwrap();
        assert!(mums.iter().all(|item| item.relationship == mum));
        // Refreshing one plan leaves the other as it was.
        store.refresh_plan(owner, mum, &[], 200).await.unwrap();
        let partners = store.plan(owner, partner).await.unwrap();
        assert_eq!(shape(&partners), vec![("reach-out", PlanStatus::Suggested, 0)]);
        assert_eq!(partners[0].relationship, partner);
        assert!(store.plan(owner, mum).await.unwrap().is_empty());
        assert_eq!(store.plan_history(owner, mum).await.unwrap().len(), 2);
        assert_eq!(store.planned_relationships(owner).await.unwrap(), vec![partner]);
        // Retiring in one plan does not reach the other.
        store
            .refresh_plan(owner, mum, &[suggest("reach-out", false)], 300)
            .await
            .unwrap();
        assert_eq!(
            store
                .retire_plan_items(owner, mum, &["reach-out".to_owned()], 400)
                .await
                .unwrap(),
            1
        );
        assert_eq!(store.plan(owner, partner).await.unwrap().len(), 1);
        // Another person's relationship is not found, and changes nothing.
        let bob = f.account("bob").await;
        // Bob's data key is made at his first read; not counted as a change.
        assert!(store.relationships(bob).await.unwrap().is_empty());
        let counts = f.row_counts().await;
        let result = store
            .refresh_plan(bob, partner, &[suggest("journal", false)], 500)
            .await;
        assert!(
            matches!(result, Err(StoreError::NotFound { what: "relationship", .. })),
            "{result:?}"
        );
        assert!(store.plan(bob, partner).await.unwrap().is_empty());
        assert_eq!(f.row_counts().await, counts);
    }

    async fn plan_items_from_before_are_attached_to_the_latest_profiles_relationship(f) {
        let store = &f.store;
        let (ann, ben) = (f.owner, f.account("ben").await);
        let rdp = tandem_store_contract::current("rdp");
        let pairs: Vec<(&str, tandem_core::answers::Answer)> = rdp
            .items
            .iter()
            .map(|i| (i.id.as_str(), tandem_core::answers::Answer::Value(3)))
            .collect();
        let all = tandem_store_contract::answers(&rdp, &pairs);
        store.record_administration(ann, &rdp, "my partner", &all).await.unwrap();
        let latest = store.record_administration(ann, &rdp, "Mum", &all).await.unwrap();
        let plan = |owner| {
            let store = store.clone();
            async move {
                let partner = tandem_store_contract::partner_of(&store, owner).await;
                store
                    .refresh_plan(owner, partner, &[suggest("reach-out", false), suggest("journal", false)], 100)
                    .await
                    .unwrap()
            }
        };
        let anns = plan(ann).await;
        let bens = plan(ben).await;
        // As a store of the previous release has them: no relationship;
        // Ben has no administration at all.
        let raw = f.raw().await;
        assert_eq!(raw.execute("UPDATE plan_items SET relationship_id = NULL", &[]).await, 4);
        raw.close().await;

        let reopened = f.reopen().await;
        let moved = reopened.plan(ann, latest.relationship).await.unwrap();
        assert_eq!(
            moved.iter().map(|i| (i.id, i.strategy.clone())).collect::<Vec<_>>(),
            anns.iter().map(|i| (i.id, i.strategy.clone())).collect::<Vec<_>>()
        );
        let bens_partner = tandem_store_contract::partner_of(&reopened, ben).await;
        assert_eq!(reopened.plan(ben, bens_partner).await.unwrap(), bens);
        assert_eq!(reopened.attach_plan_items().await.unwrap(), 0);
        reopened.close().await;
    }
}

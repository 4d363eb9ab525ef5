//! The plan, exercises and the support map.

use serde_json::json;
use tandem_core::network::{Domain, Level, Role, Supporter};
use tandem_store::{NewSuggestion, PlanStatus, StoreError};

use crate::common::{account, fresh};

fn suggest(strategy: &str, from_safety: bool) -> NewSuggestion {
    NewSuggestion {
        strategy: strategy.into(),
        reason: json!({"kind": if from_safety { "safety" } else { "maintenance" }}),
        from_safety,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_is_refreshed_chosen_and_kept_as_history() {
    use PlanStatus::{Chosen, Later, Replaced, Suggested};
    let f = fresh().await;
    let (store, owner) = (&f.store, f.owner);
    let first = store
        .refresh_plan(
            owner,
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
        .refresh_plan(owner, &[suggest("small-asks", false)], 200)
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
    let history = store.plan_history(owner).await.unwrap();
    assert_eq!(history.len(), 3);
    assert!(
        history
            .iter()
            .any(|i| i.strategy == "name-feelings" && i.status == Replaced)
    );
    assert!(matches!(
        store
            .refresh_plan(owner, &[suggest("x", false), suggest("x", false)], 300)
            .await,
        Err(StoreError::Invalid { .. })
    ));
    assert_eq!(
        store
            .retire_plan_items(owner, &["reach-out".into()], 300)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        shape(&store.plan(owner).await.unwrap()),
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

#[tokio::test(flavor = "multi_thread")]
async fn exercises_and_the_support_map_read_back_as_given() {
    let f = fresh().await;
    let (store, owner) = (&f.store, f.owner);
    let plan = store
        .refresh_plan(owner, &[suggest("reach-out", false)], 1)
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

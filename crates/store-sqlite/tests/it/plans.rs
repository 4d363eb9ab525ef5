//! The action plan: a refresh orders the plan by the new suggestions, keeps
//! what the person chose, and keeps stale suggestions only as history; each
//! person's plan is theirs alone.

use serde_json::json;
use tandem_store::{NewSuggestion, PlanItem, PlanItemId, PlanStatus, StoreError};

use crate::common::{fresh, other_user, row_counts};

fn suggest(strategy: &str, from_safety: bool) -> NewSuggestion {
    NewSuggestion {
        strategy: strategy.into(),
        reason: json!({"kind": if from_safety { "safety" } else { "maintenance" }}),
        from_safety,
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

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_orders_keeps_choices_and_replaces_stale_suggestions() {
    use PlanStatus::{Chosen, Done, Dropped, Later, Replaced, Suggested};
    let (_dir, store, owner) = fresh().await;
    assert_eq!(store.plan(owner).await.unwrap(), vec![]);

    let first = store
        .refresh_plan(
            owner,
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
        .refresh_plan(
            owner,
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
    let history = store.plan_history(owner).await.unwrap();
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
    let third = store.refresh_plan(owner, &third_list, 300).await.unwrap();
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
    let again = store.refresh_plan(owner, &third_list, 400).await.unwrap();
    assert_eq!(
        again[0].status, Dropped,
        "what the person dropped stays dropped"
    );
    assert_eq!(again[0].updated_unix, 310);
    assert_eq!(again[1].updated_unix, 300);
    assert_eq!(store.plan(owner).await.unwrap(), again);

    // An empty list replaces every suggestion and keeps every choice.
    let emptied = store.refresh_plan(owner, &[], 500).await.unwrap();
    assert_eq!(
        shape(&emptied),
        vec![
            ("safety-plan", Dropped, 0),
            ("reach-out", Chosen, 1),
            ("name-feelings", Done, 2),
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_suggestions_and_statuses_change_nothing() {
    let (dir, store, owner) = fresh().await;
    let plan = store
        .refresh_plan(owner, &[suggest("reach-out", false)], 100)
        .await
        .unwrap();
    let counts = row_counts(dir.path()).await;

    for list in [
        vec![suggest("journal", false), suggest("journal", false)],
        vec![suggest("journal", false), suggest("not an id", false)],
        vec![suggest("", false)],
    ] {
        let result = store.refresh_plan(owner, &list, 200).await;
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
            crate::common::nobody(&store, dir.path()).await,
            &[suggest("journal", false)],
            200,
        )
        .await;
    assert!(
        matches!(result, Err(StoreError::NotFound { .. })),
        "{result:?}"
    );
    assert_eq!(store.plan(owner).await.unwrap(), plan);
    assert_eq!(row_counts(dir.path()).await, counts);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_belongs_to_its_owner() {
    let (dir, store, a) = fresh().await;
    let b = other_user(&store, dir.path(), "bob").await;
    let a_plan = store
        .refresh_plan(a, &[suggest("reach-out", false)], 100)
        .await
        .unwrap();
    let b_plan = store
        .refresh_plan(b, &[suggest("reach-out", false)], 100)
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
    assert_eq!(store.plan(a).await.unwrap(), a_plan);
    assert_eq!(store.plan(b).await.unwrap(), b_plan);
    assert_eq!(store.plan_history(b).await.unwrap(), b_plan);

    // B's refresh replaces B's suggestion only.
    store.refresh_plan(b, &[], 120).await.unwrap();
    assert_eq!(store.plan(b).await.unwrap(), vec![]);
    assert_eq!(store.plan(a).await.unwrap(), a_plan);
    assert_eq!(store.plan_history(a).await.unwrap(), a_plan);
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

#[tokio::test(flavor = "multi_thread")]
async fn a_suggestion_shaped_by_safety_answers_leaves_no_history() {
    let (_dir, store, owner) = fresh().await;
    store
        .refresh_plan(
            owner,
            &[suggest("safety-plan", true), suggest("walks", false)],
            100,
        )
        .await
        .unwrap();
    assert!(store.plan_has_safety_items(owner).await.unwrap());
    store
        .refresh_plan(owner, &[suggest("walks", false)], 200)
        .await
        .unwrap();
    let history = store.plan_history(owner).await.unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0].strategy, "walks");
    assert!(!store.plan_has_safety_items(owner).await.unwrap());
}

//! Exercises: saved, read back, updated, ticked week by week and deleted by
//! their owner only; malformed input is refused and changes nothing.

use serde_json::json;
use tandem_store::{ExerciseId, NewSuggestion, PlanItemId, StoreError};

fn not_found<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::NotFound { .. })),
        "expected NotFound, got {result:?}"
    );
}

fn invalid<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::Invalid { .. })),
        "expected Invalid, got {result:?}"
    );
}

contract! {
    async fn an_exercise_is_saved_updated_ticked_and_deleted(f) {
        let store = f.store.clone();
        let owner = f.owner;
        let plan = store
            .refresh_plan(owner, tandem_store_contract::partner_of(&store, owner).await,
                &[NewSuggestion {
                    strategy: "values".into(),
                    reason: json!({"kind": "maintenance"}),
                    from_safety: false,
                }],
                10,
            )
            .await
            .unwrap();
        let content = json!({"values": ["honesty", "rest"], "note": "start small"});
        let id = store
            .save_exercise(owner, "values", Some(plan[0].id), &content, 100)
            .await
            .unwrap();
        let saved = store.exercise(owner, id).await.unwrap();
        assert_eq!(saved.id, id);
        assert_eq!(saved.kind, "values");
        assert_eq!(saved.plan_item, Some(plan[0].id));
        assert_eq!(saved.content, content);
        assert_eq!((saved.progress, saved.done), (0, false));
        assert_eq!((saved.created_unix, saved.updated_unix), (100, 100));
        assert_eq!(saved.ticks, Vec::<String>::new());

        let updated = json!({"values": ["honesty"], "note": "one is enough"});
        store
            .update_exercise(owner, id, &updated, 100, true, 150)
            .await
            .unwrap();
        for week in ["2026-W48", "2026-W01", "2026-W48", "2025-W53"] {
            store.tick_week(owner, id, week, true).await.unwrap();
        }
        let read = store.exercise(owner, id).await.unwrap();
        assert_eq!(read.content, updated);
        assert_eq!((read.progress, read.done), (100, true));
        assert_eq!((read.created_unix, read.updated_unix), (100, 150));
        assert_eq!(read.ticks, ["2025-W53", "2026-W01", "2026-W48"]);

        // Clearing a week, twice, and one never ticked.
        for week in ["2026-W01", "2026-W01", "2024-W10"] {
            store.tick_week(owner, id, week, false).await.unwrap();
        }
        assert_eq!(
            store.exercise(owner, id).await.unwrap().ticks,
            ["2025-W53", "2026-W48"]
        );

        // The list: newest first, narrowed by kind, with each one's ticks.
        let other = store
            .save_exercise(owner, "weekly-check", None, &json!(["a", "b"]), 200)
            .await
            .unwrap();
        store
            .tick_week(owner, other, "2026-W50", true)
            .await
            .unwrap();
        let all = store.exercises(owner, None).await.unwrap();
        assert_eq!(
            all.iter().map(|record| record.id).collect::<Vec<_>>(),
            vec![other, id]
        );
        assert_eq!(all[0].ticks, ["2026-W50"]);
        assert_eq!(all[0].plan_item, None);
        assert_eq!(all[1], store.exercise(owner, id).await.unwrap());
        let values = store.exercises(owner, Some("values")).await.unwrap();
        assert_eq!(values.len(), 1);
        assert_eq!(values[0].id, id);
        assert_eq!(store.exercises(owner, Some("none")).await.unwrap(), vec![]);

        store.delete_exercise(owner, id).await.unwrap();
        not_found(store.exercise(owner, id).await);
        not_found(store.delete_exercise(owner, id).await);
        not_found(store.tick_week(owner, id, "2026-W48", true).await);
        not_found(
            store
                .update_exercise(owner, id, &updated, 1, false, 300)
                .await,
        );
        assert_eq!(store.exercises(owner, None).await.unwrap().len(), 1);
    }

    async fn malformed_input_is_refused_and_changes_nothing(f) {
        let store = f.store.clone();
        let owner = f.owner;
        let id = store
            .save_exercise(owner, "values", None, &json!({"a": 1}), 100)
            .await
            .unwrap();
        store.tick_week(owner, id, "2026-W02", true).await.unwrap();
        let before = store.exercise(owner, id).await.unwrap();
        let counts = f.row_counts().await;

        let thirty_three = "a".repeat(33);
        for kind in [
            "",
            "Values",
            "val ues",
            "values2",
            "värden",
            thirty_three.as_str(),
        ] {
            invalid(store.save_exercise(owner, kind, None, &json!({}), 1).await);
        }
        let longest = store
            .save_exercise(owner, &"a".repeat(32), None, &json!({}), 1)
            .await
            .unwrap();
        store.delete_exercise(owner, longest).await.unwrap();
        for progress in [-1, 101, i64::MIN, i64::MAX] {
            invalid(
                store
                    .update_exercise(owner, id, &json!({"b": 2}), progress, false, 200)
                    .await,
            );
        }
        for week in [
            "",
            "2026-W4",
            "2026-W488",
            "2026W48",
            "2026-w48",
            "26-W48",
            "2026-W00",
            "2026-W54",
            "2026-Wx8",
            " 2026-W48",
            "２０２６-W48",
        ] {
            invalid(store.tick_week(owner, id, week, true).await);
            invalid(store.tick_week(owner, id, week, false).await);
        }
        not_found(
            store
                .save_exercise(owner, "values", Some(PlanItemId(9_999)), &json!({}), 1)
                .await,
        );
        assert_eq!(store.exercise(owner, id).await.unwrap(), before);
        assert_eq!(f.row_counts().await, counts);

        // The bounds themselves are fine.
        for progress in [0, 100] {
            store
                .update_exercise(owner, id, &json!({"a": 1}), progress, false, 300)
                .await
                .unwrap();
        }
    }

    async fn another_user_can_neither_read_nor_change_an_exercise(f) {
        let store = f.store.clone();
        let a = f.owner;
        let b = f.account("bob").await;
        let a_plan = store
            .refresh_plan(a, tandem_store_contract::partner_of(&store, a).await,
                &[NewSuggestion {
                    strategy: "values".into(),
                    reason: json!({"kind": "maintenance"}),
                    from_safety: false,
                }],
                10,
            )
            .await
            .unwrap();
        let id = store
            .save_exercise(a, "values", Some(a_plan[0].id), &json!({"mine": true}), 100)
            .await
            .unwrap();
        store.tick_week(a, id, "2026-W48", true).await.unwrap();
        let before = store.exercise(a, id).await.unwrap();
        let counts = f.row_counts().await;

        // B may not file an exercise under A's plan item.
        not_found(
            store
                .save_exercise(b, "values", Some(a_plan[0].id), &json!({}), 1)
                .await,
        );
        not_found(store.exercise(b, id).await);
        assert_eq!(store.exercises(b, None).await.unwrap(), vec![]);
        assert_eq!(store.exercises(b, Some("values")).await.unwrap(), vec![]);
        not_found(
            store
                .update_exercise(b, id, &json!({"theirs": true}), 50, true, 200)
                .await,
        );
        not_found(store.tick_week(b, id, "2026-W49", true).await);
        not_found(store.tick_week(b, id, "2026-W48", false).await);
        not_found(store.delete_exercise(b, id).await);
        not_found(store.exercise(a, ExerciseId(9_999)).await);

        assert_eq!(store.exercise(a, id).await.unwrap(), before);
        assert_eq!(store.exercises(a, None).await.unwrap(), vec![before]);
        assert_eq!(f.row_counts().await, counts);

        // B's own exercise is B's, and A does not see it.
        let theirs = store
            .save_exercise(b, "values", None, &json!({"theirs": true}), 300)
            .await
            .unwrap();
        not_found(store.exercise(a, theirs).await);
        assert_eq!(store.exercises(a, None).await.unwrap().len(), 1);
        assert_eq!(store.exercises(b, None).await.unwrap().len(), 1);
    }
}

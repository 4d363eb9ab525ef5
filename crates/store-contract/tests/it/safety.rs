//! Safety screens: recorded whole or answered one by one, read back, held
//! beside a session, deleted with what they shaped. The screen keeps to its
//! own tables: the generic path refuses it, the safety path refuses
//! everything else, and no listing of administrations shows it.

use tandem_core::answers::{Answer, Answers};
use tandem_core::ids::ItemId;
use tandem_core::safety::{SafetyScreen, ScreenOutcome, ScreenSummary};
use tandem_store::StoreError;
use tandem_store_contract::{account, answers, instrument};

contract! {
    async fn screens_are_recorded_read_held_and_deleted(f) {
        let safety = instrument("safety");
        let (store, owner) = (&f.store, f.owner);
        let screen = SafetyScreen::from_answers(
            &safety,
            answers(
                &safety,
                &[
                    ("SF1", Answer::Value(0)),
                    ("SF3", Answer::Value(1)),
                    ("SF4", Answer::Value(0)),
                ],
            ),
        )
        .unwrap();
        let recorded = store
            .record_safety_screen(owner, &safety, &screen)
            .await
            .unwrap();
        let item = |id: &str| ItemId::new(id).unwrap();

        let started = store.start_safety_screen(owner, &safety).await.unwrap();
        store
            .save_safety_answer(owner, started, &item("SF1"), Some(1))
            .await
            .unwrap();
        store
            .save_safety_answer(owner, started, &item("SF2"), None)
            .await
            .unwrap();
        let stranger = account(store, "stranger").await;
        assert!(matches!(
            store
                .save_safety_answer(stranger, started, &item("SF1"), Some(0))
                .await,
            Err(StoreError::NotFound { .. })
        ));
        store.complete_safety_screen(owner, started).await.unwrap();
        assert!(matches!(
            store
                .save_safety_answer(owner, started, &item("SF1"), Some(0))
                .await,
            Err(StoreError::NotFound { .. })
        ));
        let rdp = instrument("rdp");
        assert!(matches!(
            store.start_safety_screen(owner, &rdp).await,
            Err(StoreError::Invalid { .. })
        ));

        let screens = store.safety_screens(owner).await.unwrap();
        assert_eq!(screens.len(), 2);
        assert_eq!(screens[0].id, recorded);
        assert_eq!(
            screens[0].answers,
            vec![(item("SF1"), 0), (item("SF3"), 1), (item("SF4"), 0)]
        );
        assert!(screens[0].declined.is_empty());
        assert_eq!(screens[1].id, started);
        assert_eq!(screens[1].answers, vec![(item("SF1"), 1)]);
        assert_eq!(screens[1].declined, vec![item("SF2")]);
        assert!(screens.iter().all(|s| s.completed_at.is_some()));
        assert!(store.safety_screens(stranger).await.unwrap().is_empty());
        // Sealed, padded to one length whatever they hold.
        let raw = f.raw().await;
        let lengths = raw
            .integers(
                "SELECT DISTINCT CAST(length(answer_sealed) AS BIGINT) FROM safety_answers",
                &[],
            )
            .await;
        assert_eq!(lengths.len(), 1, "{lengths:?}");

        let session = store.create_session(owner.id(), "x", 1).await.unwrap();
        let summary = ScreenSummary {
            outcome: ScreenOutcome::Concern,
            self_harm: true,
        };
        assert_eq!(store.held_screen(&session.token).await.unwrap(), None);
        store.hold_screen(&session.token, summary).await.unwrap();
        assert_eq!(
            store.held_screen(&session.token).await.unwrap(),
            Some(summary)
        );
        store.release_held_screens(owner).await.unwrap();
        assert_eq!(store.held_screen(&session.token).await.unwrap(), None);
        store.hold_screen(&session.token, summary).await.unwrap();

        // Deleting a screen takes the safety-shaped plan items and held outcomes.
        store
            .refresh_plan(owner, tandem_store_contract::partner_of(store, owner).await,
                &[tandem_store::NewSuggestion {
                    strategy: "safety-plan".into(),
                    reason: serde_json::json!({"kind": "safety"}),
                    from_safety: true,
                }],
                5,
            )
            .await
            .unwrap();
        assert!(matches!(
            store.delete_safety_screen(stranger, recorded).await,
            Err(StoreError::NotFound { .. })
        ));
        store.delete_safety_screen(owner, recorded).await.unwrap();
        assert!(store.plan_history(owner, tandem_store_contract::partner_of(store, owner).await).await.unwrap().is_empty());
        assert_eq!(store.held_screen(&session.token).await.unwrap(), None);
        let left: Vec<_> = store
            .safety_screens(owner)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(left, vec![started]);
        let _ = SafetyScreen::from_answers(&safety, Answers::new()).unwrap();
    }
}

fn invalid<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::Invalid { .. })),
        "expected Invalid, got {result:?}"
    );
}

contract! {
    async fn each_path_refuses_the_other_kind(f) {
        let (rdp, safety) = (instrument("rdp"), instrument("safety"));
        let store = f.store.clone();
        let owner = f.owner;
        let before = f.row_counts().await;

        invalid(
            store
                .start_administration(owner, &safety, "my partner")
                .await,
        );
        let safety_answers = answers(&safety, &[("SF1", Answer::Value(1))]);
        invalid(
            store
                .record_administration(owner, &safety, "my partner", &safety_answers)
                .await,
        );
        invalid(store.start_safety_screen(owner, &rdp).await);
        // A screen cannot even be built from RDP answers; the store's own check
        // is what stands behind the instrument argument.
        let screen = SafetyScreen::from_answers(&safety, Answers::new()).unwrap();
        invalid(store.record_safety_screen(owner, &rdp, &screen).await);

        assert_eq!(f.row_counts().await, before);
    }

    async fn a_recorded_screen_reads_back_and_stays_out_of_administrations(f) {
        let (rdp, safety) = (instrument("rdp"), instrument("safety"));
        let store = f.store.clone();
        let owner = f.owner;
        let profile = store
            .record_administration(
                owner,
                &rdp,
                "my partner",
                &answers(&rdp, &[("ER1", Answer::Value(3))]),
            )
            .await
            .unwrap();
        let screen = SafetyScreen::from_answers(
            &safety,
            answers(
                &safety,
                &[
                    ("SF1", Answer::Value(0)),
                    ("SF3", Answer::Value(1)),
                    ("SF4", Answer::Value(0)),
                ],
            ),
        )
        .unwrap();
        let recorded = store
            .record_safety_screen(owner, &safety, &screen)
            .await
            .unwrap();

        let screens = store.safety_screens(owner).await.unwrap();
        assert_eq!(screens.len(), 1);
        assert_eq!(screens[0].id, recorded);
        assert!(screens[0].completed_at.is_some());
        let item = |id: &str| ItemId::new(id).unwrap();
        assert_eq!(
            screens[0].answers,
            vec![(item("SF1"), 0), (item("SF3"), 1), (item("SF4"), 0)]
        );

        // One by one: saved, replaced, finished.
        let open = store.start_safety_screen(owner, &safety).await.unwrap();
        store
            .save_safety_answer(owner, open, &item("SF2"), Some(1))
            .await
            .unwrap();
        store
            .save_safety_answer(owner, open, &item("SF2"), Some(0))
            .await
            .unwrap();
        store
            .save_safety_answer(owner, open, &item("SF5"), Some(1))
            .await
            .unwrap();
        let screens = store.safety_screens(owner).await.unwrap();
        assert_eq!(screens[1].id, open);
        assert_eq!(screens[1].completed_at, None);
        assert_eq!(screens[1].answers, vec![(item("SF2"), 0), (item("SF5"), 1)]);
        store.complete_safety_screen(owner, open).await.unwrap();
        let screens = store.safety_screens(owner).await.unwrap();
        assert!(screens[1].completed_at.is_some());
        assert!(matches!(
            store
                .save_safety_answer(owner, open, &item("SF6"), Some(1))
                .await,
            Err(StoreError::NotFound { .. })
        ));

        // The administrations list shows the profile only, under any filter.
        assert_eq!(
            store.administrations(owner, None).await.unwrap(),
            vec![profile]
        );
        assert_eq!(
            store.administrations(owner, Some("safety")).await.unwrap(),
            vec![]
        );
        assert_eq!(
            store.latest_unfinished(owner, "safety").await.unwrap(),
            None
        );
    }

    async fn safety_answers_cannot_ride_in_under_another_instrument(f) {
        let (checkin, safety) = (instrument("checkin"), instrument("safety"));
        let store = f.store.clone();
        let owner = f.owner;
        let before = f.row_counts().await;
        let safety_answers = answers(&safety, &[("SF1", Answer::Value(1))]);
        invalid(
            store
                .record_administration(owner, &checkin, "my partner", &safety_answers)
                .await,
        );
        assert_eq!(f.row_counts().await, before);
        assert_eq!(store.administrations(owner, None).await.unwrap(), vec![]);
    }

    async fn finishing_a_screen_that_is_not_open_is_not_found(f) {
        let safety = instrument("safety");
        let store = f.store.clone();
        let owner = f.owner;
        let other = f.account("other").await;
        let screen = store.start_safety_screen(owner, &safety).await.unwrap();
        assert!(matches!(
            store.complete_safety_screen(other, screen).await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(
            store.safety_screens(owner).await.unwrap()[0].completed_at,
            None
        );
        store.complete_safety_screen(owner, screen).await.unwrap();
        assert!(matches!(
            store.complete_safety_screen(owner, screen).await,
            Err(StoreError::NotFound { .. })
        ));
    }
}

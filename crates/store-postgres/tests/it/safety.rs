//! Safety screens: recorded whole or answered one by one, read back,
//! held beside a session, deleted with what they shaped.

use tandem_core::answers::{Answer, Answers};
use tandem_core::ids::ItemId;
use tandem_core::safety::{SafetyScreen, ScreenOutcome, ScreenSummary};
use tandem_store::StoreError;

use crate::common::{account, answers, fresh, instrument, raw};

#[tokio::test(flavor = "multi_thread")]
async fn screens_are_recorded_read_held_and_deleted() {
    let safety = instrument("safety");
    let f = fresh().await;
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
    let pool = raw(&f.db.url).await;
    let lengths: Vec<i32> =
        sqlx::query_scalar("SELECT DISTINCT length(answer_sealed) FROM safety_answers")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(lengths.len(), 1);

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
        .refresh_plan(
            owner,
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
    assert!(store.plan_history(owner).await.unwrap().is_empty());
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

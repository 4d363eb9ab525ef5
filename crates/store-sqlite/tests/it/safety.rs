//! The safety screen keeps to its own tables: the generic path refuses it,
//! the safety path refuses everything else, and no listing of administrations
//! shows it.

use tandem_core::answers::{Answer, Answers};
use tandem_core::ids::ItemId;
use tandem_core::safety::SafetyScreen;
use tandem_store::StoreError;

use crate::common::{answers, fresh, instrument, row_counts};

fn invalid<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::Invalid { .. })),
        "expected Invalid, got {result:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn each_path_refuses_the_other_kind() {
    let (rdp, safety) = (instrument("rdp"), instrument("safety"));
    let (dir, store, owner) = fresh().await;
    let before = row_counts(dir.path()).await;

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

    assert_eq!(row_counts(dir.path()).await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recorded_screen_reads_back_and_stays_out_of_administrations() {
    let (rdp, safety) = (instrument("rdp"), instrument("safety"));
    let (_dir, store, owner) = fresh().await;
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

#[tokio::test(flavor = "multi_thread")]
async fn safety_answers_cannot_ride_in_under_another_instrument() {
    let (checkin, safety) = (instrument("checkin"), instrument("safety"));
    let (dir, store, owner) = fresh().await;
    let before = row_counts(dir.path()).await;
    let safety_answers = answers(&safety, &[("SF1", Answer::Value(1))]);
    invalid(
        store
            .record_administration(owner, &checkin, "my partner", &safety_answers)
            .await,
    );
    assert_eq!(row_counts(dir.path()).await, before);
    assert_eq!(store.administrations(owner, None).await.unwrap(), vec![]);
}

#[tokio::test(flavor = "multi_thread")]
async fn finishing_a_screen_that_is_not_open_is_not_found() {
    let safety = instrument("safety");
    let (dir, store, owner) = fresh().await;
    let other = crate::common::other_user(&store, dir.path(), "other").await;
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

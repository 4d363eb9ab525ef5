//! Every method is scoped by its owner: another user holding the ids of
//! someone's data reads nothing and changes nothing.

use tandem_core::answers::Answer;
use tandem_core::ids::ItemId;
use tandem_core::network::{Domain, Level, Role, Supporter};
use tandem_core::safety::SafetyScreen;
use tandem_store::StoreError;

use tandem_store_contract::{answers, instrument};

fn not_found<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::NotFound { .. })),
        "expected NotFound, got {result:?}"
    );
}

contract! {
    async fn another_user_can_neither_read_nor_change_what_is_not_theirs(f) {
        let (rdp, checkin, safety) = (
            instrument("rdp"),
            instrument("checkin"),
            instrument("safety"),
        );
        let store = f.store.clone();
        let a = f.owner;
        let b = f.account("other").await;
        assert_ne!(a, b);

        // A's data: an open RDP, a finished check-in, a safety screen, a person.
        let open = store
            .start_administration(a, &rdp, "my partner")
            .await
            .unwrap();
        store
            .save_answer(a, &rdp, open.id, "ER1", &Answer::Value(4), 1)
            .await
            .unwrap();
        let checkin_answers = answers(
            &checkin,
            &[
                ("CI1", Answer::Value(5)),
                ("CI6", Answer::Text("only mine".into())),
            ],
        );
        let done = store
            .record_administration(a, &checkin, "my partner", &checkin_answers)
            .await
            .unwrap();
        let screen = store.start_safety_screen(a, &safety).await.unwrap();
        let sf1 = ItemId::new("SF1").unwrap();
        store
            .save_safety_answer(a, screen, &sf1, Some(0))
            .await
            .unwrap();
        let whole = SafetyScreen::from_answers(&safety, answers(&safety, &[("SF2", Answer::Value(1))]))
            .unwrap();
        store
            .record_safety_screen(a, &safety, &whole)
            .await
            .unwrap();
        let mut person = Supporter::new("Ann", Role::Friend);
        person
            .leans_on
            .insert(Domain::Company, Level::new(3).unwrap());
        let ann = store.add_supporter(a, &person).await.unwrap();

        let a_administrations = store.administrations(a, None).await.unwrap();
        let a_open_answers = store.answers(a, &rdp, open.id).await.unwrap();
        let a_screens = store.safety_screens(a).await.unwrap();
        let a_map = store.support_map(a).await.unwrap();
        let counts = f.row_counts().await;

        // Reading as B.
        not_found(store.administration(b, open.id).await);
        not_found(store.administration(b, done.id).await);
        not_found(store.answers(b, &rdp, open.id).await);
        not_found(store.answers(b, &checkin, done.id).await);
        assert_eq!(store.administrations(b, None).await.unwrap(), vec![]);
        assert_eq!(store.administrations(b, Some("rdp")).await.unwrap(), vec![]);
        assert_eq!(store.latest_unfinished(b, "rdp").await.unwrap(), None);
        assert_eq!(store.safety_screens(b).await.unwrap(), vec![]);
        assert_eq!(store.support_map(b).await.unwrap(), vec![]);

        // Changing as B.
        not_found(
            store
                .save_answer(b, &rdp, open.id, "ER1", &Answer::Value(1), 9)
                .await,
        );
        not_found(
            store
                .save_answer(b, &rdp, open.id, "VS1", &Answer::Value(1), 9)
                .await,
        );
        not_found(store.clear_answer(b, &rdp, open.id, "ER1", 0).await);
        not_found(store.complete_administration(b, &rdp, open.id).await);
        not_found(store.remove_supporter(b, ann).await);
        not_found(store.save_safety_answer(b, screen, &sf1, Some(1)).await);
        let sf3 = ItemId::new("SF3").unwrap();
        not_found(store.save_safety_answer(b, screen, &sf3, Some(1)).await);
        not_found(store.complete_safety_screen(b, screen).await);

        // A's data is exactly as it was.
        assert_eq!(
            store.administrations(a, None).await.unwrap(),
            a_administrations
        );
        assert_eq!(
            store.answers(a, &rdp, open.id).await.unwrap(),
            a_open_answers
        );
        assert_eq!(
            store.answers(a, &checkin, done.id).await.unwrap(),
            checkin_answers
        );
        assert_eq!(store.safety_screens(a).await.unwrap(), a_screens);
        assert_eq!(a_screens[0].completed_at, None);
        assert_eq!(store.support_map(a).await.unwrap(), a_map);
        assert_eq!(f.row_counts().await, counts);

        // And A can still carry on with it.
        store
            .save_answer(a, &rdp, open.id, "VS1", &Answer::Value(2), 2)
            .await
            .unwrap();
        store
            .complete_administration(a, &rdp, open.id)
            .await
            .unwrap();
        store.remove_supporter(a, ann).await.unwrap();
    }
}

//! Administrations and their answers: saved one by one so that nothing given
//! is lost when a session stops, or recorded whole in one go.

use tandem_core::answers::Answer;
use tandem_store::StoreError;

use tandem_store_contract::{answers, instrument};

contract! {
    async fn answers_saved_one_by_one_survive_a_reopen(f) {
        let rdp = instrument("rdp");
        let store = f.store.clone();
        let owner = f.owner;
        let started = store
            .start_administration(owner, &rdp, "my partner")
            .await
            .unwrap();
        assert_eq!(started.position, 0);
        assert_eq!(started.completed_at, None);
        for (position, (item, value)) in [("ER1", 4), ("VS1", 2), ("DD1", 5)].into_iter().enumerate() {
            store
                .save_answer(
                    owner,
                    &rdp,
                    started.id,
                    item,
                    &Answer::Value(value),
                    position + 1,
                )
                .await
                .unwrap();
        }
        // A second answer to the same item replaces the first.
        store
            .save_answer(owner, &rdp, started.id, "VS1", &Answer::Value(1), 3)
            .await
            .unwrap();
        store.close().await;

        let store = f.reopen().await;
        assert_eq!(store.local_user().await.unwrap(), owner);
        let resumed = store
            .latest_unfinished(owner, "rdp")
            .await
            .unwrap()
            .expect("the unfinished administration is found after a reopen");
        assert_eq!(resumed.id, started.id);
        assert_eq!(resumed.position, 3);
        assert_eq!(resumed.about, "my partner");
        assert_eq!(resumed.instrument, "rdp");
        assert_eq!(resumed.version, rdp.version);
        assert_eq!(
            store.answers(owner, &rdp, started.id).await.unwrap(),
            answers(
                &rdp,
                &[
                    ("ER1", Answer::Value(4)),
                    ("VS1", Answer::Value(1)),
                    ("DD1", Answer::Value(5)),
                ]
            )
        );

        store
            .clear_answer(owner, &rdp, started.id, "VS1", 1)
            .await
            .unwrap();
        assert_eq!(
            store.answers(owner, &rdp, started.id).await.unwrap(),
            answers(
                &rdp,
                &[("ER1", Answer::Value(4)), ("DD1", Answer::Value(5))]
            )
        );
        assert_eq!(
            store
                .administration(owner, started.id)
                .await
                .unwrap()
                .position,
            1
        );

        store
            .complete_administration(owner, &rdp, started.id)
            .await
            .unwrap();
        assert_eq!(store.latest_unfinished(owner, "rdp").await.unwrap(), None);
        let done = store.administration(owner, started.id).await.unwrap();
        assert!(done.completed_at.is_some());

        // A finished administration takes no more answers and cannot finish twice.
        assert!(matches!(
            store
                .save_answer(owner, &rdp, started.id, "ER1", &Answer::Value(1), 1)
                .await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.clear_answer(owner, &rdp, started.id, "ER1", 0).await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.complete_administration(owner, &rdp, started.id).await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(
            store.answers(owner, &rdp, started.id).await.unwrap(),
            answers(
                &rdp,
                &[("ER1", Answer::Value(4)), ("DD1", Answer::Value(5))]
            )
        );
    }

    async fn latest_unfinished_is_the_newest_of_that_instrument(f) {
        let (rdp, checkin) = (instrument("rdp"), instrument("checkin"));
        let store = f.store.clone();
        let owner = f.owner;
        let older = store
            .start_administration(owner, &rdp, "my partner")
            .await
            .unwrap();
        let newer = store
            .start_administration(owner, &rdp, "my partner")
            .await
            .unwrap();
        store
            .start_administration(owner, &checkin, "my partner")
            .await
            .unwrap();
        let found = store
            .latest_unfinished(owner, "rdp")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.id, newer.id);
        store
            .complete_administration(owner, &rdp, newer.id)
            .await
            .unwrap();
        let found = store
            .latest_unfinished(owner, "rdp")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.id, older.id);
    }

    async fn a_recorded_administration_reads_back_equal(f) {
        let checkin = instrument("checkin");
        let store = f.store.clone();
        let owner = f.owner;
        let given = answers(
            &checkin,
            &[
                ("CI1", Answer::Value(4)),
                ("CI2", Answer::Value(5)),
                ("CI3", Answer::Value(2)),
                ("CI4", Answer::Value(3)),
                ("CI5", Answer::Value(1)),
                (
                    "CI6",
                    Answer::Text("A long walk; we talked — ünïcode too.".into()),
                ),
            ],
        );
        let recorded = store
            .record_administration(owner, &checkin, "my partner", &given)
            .await
            .unwrap();
        assert_eq!(recorded.instrument, "checkin");
        assert_eq!(recorded.about, "my partner");
        assert_eq!(recorded.position, checkin.items.len());
        assert!(recorded.completed_at.is_some());
        assert_eq!(
            store.answers(owner, &checkin, recorded.id).await.unwrap(),
            given
        );
        // Recorded whole, it is finished: nothing to resume.
        assert_eq!(
            store.latest_unfinished(owner, "checkin").await.unwrap(),
            None
        );
        assert_eq!(
            store.administrations(owner, Some("checkin")).await.unwrap(),
            vec![recorded.clone()]
        );
        assert_eq!(
            store.administrations(owner, Some("rdp")).await.unwrap(),
            vec![]
        );

        store.close().await;
        let store = f.reopen().await;
        assert_eq!(
            store.answers(owner, &checkin, recorded.id).await.unwrap(),
            given
        );
        assert_eq!(
            store.administration(owner, recorded.id).await.unwrap(),
            recorded
        );
    }

    async fn an_answer_that_does_not_fit_its_instrument_is_refused(f) {
        let (rdp, checkin) = (instrument("rdp"), instrument("checkin"));
        let store = f.store.clone();
        let owner = f.owner;
        let open = store
            .start_administration(owner, &rdp, "my partner")
            .await
            .unwrap();
        for (instrument, item, answer) in [
            (&rdp, "ER1", Answer::Value(6)),
            (&rdp, "CI1", Answer::Value(3)),
            (&rdp, "ER1", Answer::Text("yes".into())),
        ] {
            let result = store
                .save_answer(owner, instrument, open.id, item, &answer, 1)
                .await;
            assert!(
                matches!(result, Err(StoreError::Invalid { .. })),
                "{result:?}"
            );
        }
        // The right item of another instrument does not land in this administration.
        let result = store
            .save_answer(owner, &checkin, open.id, "CI1", &Answer::Value(3), 1)
            .await;
        assert!(
            matches!(result, Err(StoreError::NotFound { .. })),
            "{result:?}"
        );
        assert!(
            store
                .answers(owner, &rdp, open.id)
                .await
                .unwrap()
                .is_empty()
        );
    }
}

contract! {
    async fn each_profile_keeps_an_order_of_its_own_and_the_short_forms_keep_theirs(f) {
        let (rdp, checkin) = (instrument("rdp"), instrument("checkin"));
        let (store, owner) = (f.store.clone(), f.owner);
        let ids = |items: Vec<&tandem_core::instrument::Item>| -> Vec<String> {
            items.iter().map(|item| item.id.to_string()).collect()
        };
        let plain = ids(rdp.items.iter().collect());

        // Two begun the same way get orders of their own, all the items each.
        let first = store.start_administration(owner, &rdp, "my partner").await.unwrap();
        let second = store.start_administration(owner, &rdp, "my partner").await.unwrap();
        let (one, two) = (ids(first.items(&rdp)), ids(second.items(&rdp)));
        assert_ne!(one, two);
        assert_ne!(one, plain);
        let mut sorted = one.clone();
        sorted.sort();
        let mut expected = plain.clone();
        expected.sort();
        assert_eq!(sorted, expected);

        // From a form: the order its key gave the page before anything was stored.
        let formed = store.start_administration_once(owner, &rdp, "Sam", "key-1").await.unwrap();
        assert_eq!(formed.item_seed, Some(tandem_store::form_seed("key-1")));

        // Kept: every read gives the same order, after a reopen too.
        let again = f.reopen().await;
        assert_eq!(ids(again.administration(owner, first.id).await.unwrap().items(&rdp)), one);
        let listed = again.administrations(owner, Some("rdp")).await.unwrap();
        assert_eq!(listed.iter().map(|a| a.item_seed).collect::<Vec<_>>(),
                   [first.item_seed, second.item_seed, formed.item_seed]);
        let open = again.latest_unfinished(owner, "rdp").await.unwrap().unwrap();
        assert_eq!(open.item_seed, formed.item_seed);

        // The check-in, one begun without a seed, and one recorded whole keep
        // the instrument's order.
        let week = again.start_administration(owner, &checkin, "my partner").await.unwrap();
        assert_eq!(week.item_seed, None);
        let old = again.start_administration_seeded(owner, &rdp, "my partner", None).await.unwrap();
        assert_eq!(ids(again.administration(owner, old.id).await.unwrap().items(&rdp)), plain);
        let whole = answers(&checkin, &[("CI1", Answer::Value(3))]);
        let recorded = again.record_administration(owner, &checkin, "my partner", &whole).await.unwrap();
        assert_eq!(again.administration(owner, recorded.id).await.unwrap().item_seed, None);
    }
}

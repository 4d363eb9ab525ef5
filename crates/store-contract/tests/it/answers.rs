//! Administrations: recorded whole, or started, saved page by page and
//! completed; answers read back, text sealed; kept scores beside them.

use tandem_core::answers::Answer;
use tandem_store::StoreError;

use tandem_store_contract::{account, answers, instrument};

contract! {
    async fn an_administration_is_saved_page_by_page_completed_and_scored(f) {
        let rdp = instrument("rdp");
        let (store, owner) = (&f.store, f.owner);
        let started = store
            .start_administration(owner, &rdp, "my partner")
            .await
            .unwrap();
        assert_eq!(started.position, 0);
        assert_eq!(started.completed_at, None);
        assert_eq!(started.about, "my partner");
        // The moment reads as the SQLite engine writes it.
        assert_eq!(started.started_at.len(), "2026-01-31T12:00:05.123Z".len());
        assert!(started.started_at.ends_with('Z') && started.started_at.contains('T'));

        let page = [
            ("ER1".to_owned(), Some(Answer::Value(4))),
            ("VS1".to_owned(), Some(Answer::Value(2))),
            ("DD1".to_owned(), Some(Answer::Value(5))),
        ];
        store
            .save_page(owner, &rdp, started.id, &page, 3)
            .await
            .unwrap();
        store
            .save_answer(owner, &rdp, started.id, "VS1", &Answer::Value(1), 3)
            .await
            .unwrap();
        store
            .clear_answer(owner, &rdp, started.id, "DD1", 3)
            .await
            .unwrap();
        assert!(matches!(
            store
                .save_answer(owner, &rdp, started.id, "ER1", &Answer::Value(99), 3)
                .await,
            Err(StoreError::Invalid { .. })
        ));
        let resumed = store
            .latest_unfinished(owner, "rdp")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((resumed.id, resumed.position), (started.id, 3));
        assert_eq!(
            store.answers(owner, &rdp, started.id).await.unwrap(),
            answers(
                &rdp,
                &[("ER1", Answer::Value(4)), ("VS1", Answer::Value(1))]
            )
        );

        // Someone else's id is "not found", and changes nothing.
        let stranger = account(store, "stranger").await;
        assert!(matches!(
            store.answers(stranger, &rdp, started.id).await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            store
                .save_answer(stranger, &rdp, started.id, "ER1", &Answer::Value(1), 1)
                .await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.delete_administration(stranger, started.id).await,
            Err(StoreError::NotFound { .. })
        ));

        let version = store.scores_version(owner).await.unwrap();
        store
            .complete_administration(owner, &rdp, started.id)
            .await
            .unwrap();
        assert!(store.scores_version(owner).await.unwrap() > version);
        let done = store.administration(owner, started.id).await.unwrap();
        assert!(done.completed_at.is_some());
        assert!(
            store
                .latest_unfinished(owner, "rdp")
                .await
                .unwrap()
                .is_none()
        );
        assert!(matches!(
            store
                .save_answer(owner, &rdp, started.id, "ER1", &Answer::Value(1), 1)
                .await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.complete_administration(owner, &rdp, started.id).await,
            Err(StoreError::NotFound { .. })
        ));
        let points = store.score_points(owner).await.unwrap();
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].id, started.id);
        assert_eq!(points[0].completed_at, done.completed_at.clone().unwrap());
        assert!(store.unscored(Some(owner)).await.unwrap().is_empty());
        assert!(store.unscored(None).await.unwrap().is_empty());

        store
            .delete_administration(owner, started.id)
            .await
            .unwrap();
        assert!(store.administrations(owner, None).await.unwrap().is_empty());
        assert!(store.score_points(owner).await.unwrap().is_empty());
    }

    async fn a_recorded_administration_reads_back_with_its_text_sealed(f) {
        let checkin = instrument("checkin");
        let (store, owner) = (&f.store, f.owner);
        let text = "A long walk; we talked — ünïcode too.";
        let given = answers(
            &checkin,
            &[
                ("CI1", Answer::Value(4)),
                ("CI2", Answer::Value(5)),
                ("CI3", Answer::Value(2)),
                ("CI4", Answer::Value(3)),
                ("CI5", Answer::Value(1)),
                ("CI6", Answer::Text(text.into())),
            ],
        );
        let recorded = store
            .record_administration(owner, &checkin, "my partner", &given)
            .await
            .unwrap();
        assert_eq!(recorded.position, checkin.items.len());
        assert!(recorded.completed_at.is_some());
        assert_eq!(
            store.answers(owner, &checkin, recorded.id).await.unwrap(),
            given
        );
        assert_eq!(
            store.administrations(owner, Some("checkin")).await.unwrap(),
            vec![recorded.clone()]
        );
        assert!(
            store
                .administrations(owner, Some("rdp"))
                .await
                .unwrap()
                .is_empty()
        );

        let raw = f.raw().await;
        let sealed = raw
            .bytes(
                "SELECT text_sealed FROM answers WHERE administration_id = $1 AND item_id = 'CI6'",
                &[recorded.id.0],
            )
            .await;
        assert_eq!(sealed.len(), 1);
        assert!(!String::from_utf8_lossy(&sealed[0]).contains("long walk"));
        let about = raw
            .bytes(
                "SELECT about_sealed FROM administrations WHERE id = $1",
                &[recorded.id.0],
            )
            .await;
        assert_eq!(about.len(), 1);
        assert!(!String::from_utf8_lossy(&about[0]).contains("partner"));

        // Kept scores: one point, and its administration is the latest complete
        // one if the scores say it is complete.
        let points = store.score_points(owner).await.unwrap();
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].instrument, "checkin");
        let latest = store.latest_complete(owner, "checkin", None).await.unwrap();
        assert_eq!(latest.is_some(), points[0].complete);
        assert!(
            store
                .latest_complete(owner, "checkin", Some(recorded.id))
                .await
                .unwrap()
                .is_none()
        );
        let scores = tandem_core::scoring::score(&checkin, &given).unwrap();
        let before = store.scores_version(owner).await.unwrap();
        store
            .keep_scores(owner, recorded.id, &scores)
            .await
            .unwrap();
        assert_eq!(store.scores_version(owner).await.unwrap(), before + 1);

        // A form sent twice starts one administration.
        let once = store
            .start_administration_once(owner, &checkin, "again", "form-1")
            .await
            .unwrap();
        let twice = store
            .start_administration_once(owner, &checkin, "again", "form-1")
            .await
            .unwrap();
        assert_eq!(once.id, twice.id);
        assert_eq!(
            store
                .administration_by_form_key(owner, "form-1")
                .await
                .unwrap()
                .map(|a| a.id),
            Some(once.id)
        );
        assert!(
            store
                .administration_by_form_key(owner, "form-2")
                .await
                .unwrap()
                .is_none()
        );
        let rdp = instrument("rdp");
        assert!(matches!(
            store
                .start_administration_once(owner, &rdp, "x", "form-1")
                .await,
            Err(StoreError::Conflict(_))
        ));
    }
}

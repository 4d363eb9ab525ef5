//! Research: consent, and de-identified reads of those who gave it; the
//! fingerprint of the people estimates rest on moves when they change, even
//! when their number does not.

use tandem_core::answers::Answer;
use tandem_store_contract::{account, answers, current, instrument};

contract! {
    async fn only_consenting_people_are_read_once_each(f) {
        let rdp = instrument("rdp");
        let store = &f.store;
        let (ann, ben, cat) = (
            account(store, "ann").await,
            account(store, "ben").await,
            account(store, "cat").await,
        );
        assert!(!store.research_consent(ann).await.unwrap());
        store.set_research_consent(ann, true).await.unwrap();
        store.set_research_consent(ben, true).await.unwrap();
        assert!(store.research_consent(ann).await.unwrap());
        let given = |v| {
            answers(
                &rdp,
                &[("ER1", Answer::Value(v)), ("VS1", Answer::Value(2))],
            )
        };
        let first = store
            .record_administration(ann, &rdp, "p", &given(3))
            .await
            .unwrap();
        // A second one of the same person is not read.
        store
            .record_administration(ann, &rdp, "p", &given(5))
            .await
            .unwrap();
        let bens = store
            .record_administration(ben, &rdp, "p", &given(1))
            .await
            .unwrap();
        // Not consenting: not read.
        store
            .record_administration(cat, &rdp, "p", &given(4))
            .await
            .unwrap();
        // Unfinished: not read.
        store.start_administration(ben, &rdp, "p").await.unwrap();

        assert_eq!(
            store
                .count_finished(&f.rights.research, &rdp)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            store
                .research_fingerprint(&f.rights.research, &rdp)
                .await
                .unwrap(),
            (2, first.id.0 + bens.id.0, bens.id.0)
        );
        let items = vec!["ER1".to_owned(), "DD1".to_owned(), "VS1".to_owned()];
        let mut rows = Vec::new();
        let count = store
            .for_each_response(&f.rights.research, &rdp, &items, &mut |values| {
                rows.push(values.to_vec());
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(count, 2);
        assert_eq!(
            rows,
            vec![
                vec![Some(3.0), None, Some(2.0)],
                vec![Some(1.0), None, Some(2.0)]
            ]
        );
        let stopped = store
            .for_each_response(&f.rights.research, &rdp, &items, &mut |_| {
                Err("enough".into())
            })
            .await;
        assert!(stopped.is_err());
        store.set_research_consent(ann, false).await.unwrap();
        assert_eq!(
            store
                .count_finished(&f.rights.research, &rdp)
                .await
                .unwrap(),
            1
        );
    }
}

contract! {
    async fn the_fingerprint_moves_when_one_person_is_swapped_for_another(f) {
        let rdp = current("rdp");
        let store = f.store.clone();
        let owner = f.owner;
        let other = f.account("other").await;
        let given = answers(&rdp, &[("ER1", Answer::Value(3))]);
        for person in [owner, other] {
            store
                .record_administration(person, &rdp, "my partner", &given)
                .await
                .unwrap();
        }
        assert_eq!(
            store
                .research_fingerprint(&f.rights.research, &rdp)
                .await
                .unwrap()
                .0,
            0
        );
        store.set_research_consent(owner, true).await.unwrap();
        let one = store
            .research_fingerprint(&f.rights.research, &rdp)
            .await
            .unwrap();
        // A second profile of the same person changes nothing.
        store
            .record_administration(owner, &rdp, "my partner", &given)
            .await
            .unwrap();
        assert_eq!(
            store
                .research_fingerprint(&f.rights.research, &rdp)
                .await
                .unwrap(),
            one
        );
        // One out, another in: the same count, another fingerprint.
        store.set_research_consent(owner, false).await.unwrap();
        store.set_research_consent(other, true).await.unwrap();
        let swapped = store
            .research_fingerprint(&f.rights.research, &rdp)
            .await
            .unwrap();
        assert_eq!(swapped.0, one.0);
        assert_ne!(swapped, one);
    }
}

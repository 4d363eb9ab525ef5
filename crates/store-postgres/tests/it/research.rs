//! Research: consent, and de-identified reads of those who gave it.

use tandem_core::answers::Answer;

use crate::common::{account, answers, fresh, instrument};

#[tokio::test(flavor = "multi_thread")]
async fn only_consenting_people_are_read_once_each() {
    let rdp = instrument("rdp");
    let f = fresh().await;
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

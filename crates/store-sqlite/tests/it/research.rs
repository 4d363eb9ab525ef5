//! The fingerprint of the people estimates rest on moves when they change,
//! even when their number does not.

use tandem_core::answers::Answer;

use crate::common::{answers, current, fresh, other_user};

#[tokio::test(flavor = "multi_thread")]
async fn the_fingerprint_moves_when_one_person_is_swapped_for_another() {
    let rdp = current("rdp");
    let (dir, store, owner) = fresh().await;
    let other = other_user(&store, dir.path(), "other").await;
    let given = answers(&rdp, &[("ER1", Answer::Value(3))]);
    for person in [owner, other] {
        store
            .record_administration(person, &rdp, "my partner", &given)
            .await
            .unwrap();
    }
    assert_eq!(
        store
            .research_fingerprint(&crate::common::rights().await.research, &rdp)
            .await
            .unwrap()
            .0,
        0
    );
    store.set_research_consent(owner, true).await.unwrap();
    let one = store
        .research_fingerprint(&crate::common::rights().await.research, &rdp)
        .await
        .unwrap();
    // A second profile of the same person changes nothing.
    store
        .record_administration(owner, &rdp, "my partner", &given)
        .await
        .unwrap();
    assert_eq!(
        store
            .research_fingerprint(&crate::common::rights().await.research, &rdp)
            .await
            .unwrap(),
        one
    );
    // One out, another in: the same count, another fingerprint.
    store.set_research_consent(owner, false).await.unwrap();
    store.set_research_consent(other, true).await.unwrap();
    let swapped = store
        .research_fingerprint(&crate::common::rights().await.research, &rdp)
        .await
        .unwrap();
    assert_eq!(swapped.0, one.0);
    assert_ne!(swapped, one);
}

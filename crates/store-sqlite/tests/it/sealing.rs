//! Free text (text answers, the "about" label, supporter names, exercises)
//! never reaches the disk in the clear: not in the database, not in its
//! write-ahead log.

use std::path::Path;

use serde_json::json;
use tandem_core::answers::Answer;
use tandem_core::network::{Domain, Level, Role, Supporter};

use crate::common::{answers, fresh, instrument};

const SECRETS: [&str; 6] = [
    "zebra-marmalade-42",
    "Quixotic Name",
    "my sister Ophelia",
    "walrus-tangerine-17",
    "my-secret-boundary-text-77",
    "second-draft-boundary-88",
];

/// Every secret found in any file of the data dir, with the file it is in.
fn leaks(data_dir: &Path) -> Vec<(String, &'static str)> {
    let mut found = Vec::new();
    let mut files = 0;
    for entry in std::fs::read_dir(data_dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        files += 1;
        for secret in SECRETS {
            let needle = secret.as_bytes();
            if bytes.windows(needle.len()).any(|window| window == needle) {
                found.push((path.display().to_string(), secret));
            }
        }
    }
    // The database and the key file at least; an empty dir would prove nothing.
    assert!(files >= 2, "only {files} files in the data dir");
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn free_text_is_sealed_at_rest() {
    let checkin = instrument("checkin");
    let (dir, store, owner) = fresh().await;
    let given = answers(
        &checkin,
        &[
            ("CI1", Answer::Value(3)),
            ("CI6", Answer::Text("zebra-marmalade-42".into())),
        ],
    );
    let recorded = store
        .record_administration(owner, &checkin, "my sister Ophelia", &given)
        .await
        .unwrap();
    // A text answer saved on its own, into an administration still open.
    let open = store
        .start_administration(owner, &checkin, "my sister Ophelia")
        .await
        .unwrap();
    store
        .save_answer(
            owner,
            &checkin,
            open.id,
            "CI6",
            &Answer::Text("walrus-tangerine-17".into()),
            6,
        )
        .await
        .unwrap();
    let mut person = Supporter::new("Quixotic Name", Role::Family);
    person.leans_on.insert(Domain::Emotional, Level::MAX);
    store.add_supporter(owner, &person).await.unwrap();

    // While open, the newest writes sit in the -wal file.
    assert!(dir.path().join("tandem.db-wal").exists());
    assert_eq!(leaks(dir.path()), vec![]);
    store.close().await;
    assert_eq!(leaks(dir.path()), vec![]);

    // Sealed is not lost: everything opens again with the key.
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    assert_eq!(
        store.answers(owner, &checkin, recorded.id).await.unwrap(),
        given
    );
    assert_eq!(
        store.answers(owner, &checkin, open.id).await.unwrap(),
        answers(
            &checkin,
            &[("CI6", Answer::Text("walrus-tangerine-17".into()))]
        )
    );
    assert_eq!(
        store.administration(owner, open.id).await.unwrap().about,
        "my sister Ophelia"
    );
    let map = store.support_map(owner).await.unwrap();
    assert_eq!(map.len(), 1);
    assert_eq!(map[0].1.name, "Quixotic Name");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sealed_value_does_not_open_in_another_row() {
    let checkin = instrument("checkin");
    let (dir, store, owner) = fresh().await;
    let first = store
        .record_administration(
            owner,
            &checkin,
            "my partner",
            &answers(&checkin, &[("CI6", Answer::Text("first".into()))]),
        )
        .await
        .unwrap();
    let second = store
        .record_administration(
            owner,
            &checkin,
            "my partner",
            &answers(&checkin, &[("CI6", Answer::Text("second".into()))]),
        )
        .await
        .unwrap();
    // Copy the first text's ciphertext over the second's.
    let pool = crate::common::raw(dir.path()).await;
    sqlx::query(
        "UPDATE answers SET text_sealed =
             (SELECT text_sealed FROM answers WHERE administration_id = ? AND item_id = 'CI6')
         WHERE administration_id = ? AND item_id = 'CI6'",
    )
    .bind(first.id.0)
    .bind(second.id.0)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert!(matches!(
        store.answers(owner, &checkin, second.id).await,
        Err(tandem_store::StoreError::Crypto(_))
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn exercise_content_is_sealed_at_rest() {
    let (dir, store, owner) = fresh().await;
    let first = json!({"boundary": "my-secret-boundary-text-77", "steps": ["say no", "kindly"]});
    let id = store
        .save_exercise(owner, "boundaries", None, &first, 10)
        .await
        .unwrap();
    assert_eq!(leaks(dir.path()), vec![]);
    let second = json!({"boundary": "second-draft-boundary-88"});
    store
        .update_exercise(owner, id, &second, 50, false, 20)
        .await
        .unwrap();
    assert!(dir.path().join("tandem.db-wal").exists());
    assert_eq!(leaks(dir.path()), vec![]);
    store.close().await;
    assert_eq!(leaks(dir.path()), vec![]);

    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    assert_eq!(store.exercise(owner, id).await.unwrap().content, second);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn exercise_content_does_not_open_in_another_row() {
    let (dir, store, owner) = fresh().await;
    let first = store
        .save_exercise(owner, "values", None, &json!({"text": "first"}), 1)
        .await
        .unwrap();
    let second = store
        .save_exercise(owner, "values", None, &json!({"text": "second"}), 2)
        .await
        .unwrap();
    let pool = crate::common::raw(dir.path()).await;
    sqlx::query(
        "UPDATE exercises SET content_sealed = (SELECT content_sealed FROM exercises WHERE id = ?)
         WHERE id = ?",
    )
    .bind(first.0)
    .bind(second.0)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert!(matches!(
        store.exercise(owner, second).await,
        Err(tandem_store::StoreError::Crypto(_))
    ));
    assert!(matches!(
        store.exercises(owner, None).await,
        Err(tandem_store::StoreError::Crypto(_))
    ));
    assert_eq!(
        store.exercise(owner, first).await.unwrap().content,
        json!({"text": "first"})
    );
}

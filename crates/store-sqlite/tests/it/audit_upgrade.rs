//! Reads logged before the audit chains (`share_reads`) become entries of
//! their owners' chains at the next open, oldest first, none lost — also a
//! read by an account deleted since — and the old table is dropped.

use tandem_store::audit::AuditKind;
use tandem_store::{Scope, ShareLevel};

use crate::common::{other_user, raw};

#[tokio::test(flavor = "multi_thread")]
async fn reads_kept_before_the_chains_are_chained_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _rights) = tandem_store_sqlite::open_with_rights(dir.path())
        .await
        .unwrap();
    let ann = other_user(&store, dir.path(), "ann").await;
    let scope = Scope {
        results: ShareLevel::Indices,
        ..Scope::default()
    };
    let share = store
        .create_share(ann, &scope, &[3; 32], 100, None)
        .await
        .unwrap();
    store.close().await;

    // The table as migration 0017 left it, with two reads in it: one by a
    // counsellor's account still there (ann's own id stands in), one by
    // an account gone since.
    let pool = raw(dir.path()).await;
    sqlx::query(
        "CREATE TABLE share_reads (
             id INTEGER PRIMARY KEY, share_id INTEGER NOT NULL REFERENCES shares (id),
             viewer_id INTEGER NOT NULL, at_unix INTEGER NOT NULL, what TEXT NOT NULL
         ) STRICT",
    )
    .execute(&pool)
    .await
    .unwrap();
    for (viewer, at) in [(ann.id().0, 200), (9_999, 300)] {
        sqlx::query(
            "INSERT INTO share_reads (share_id, viewer_id, at_unix, what) VALUES (?, ?, ?, 'results')",
        )
        .bind(share.0)
        .bind(viewer)
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;

    let (store, rights) = tandem_store_sqlite::open_with_rights(dir.path())
        .await
        .unwrap();
    let reads: Vec<(String, i64, Option<i64>)> = store
        .audit_trail(ann)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == AuditKind::Read)
        .map(|e| (e.actor, e.at_unix, e.subject))
        .collect();
    assert_eq!(
        reads,
        [
            ("ann".to_owned(), 200, Some(share.0)),
            (tandem_store::shares::GONE.to_owned(), 300, Some(share.0)),
        ]
    );
    let check = store.verify_audit(&rights.operator).await.unwrap();
    assert_eq!(check.broken, None);
    store.close().await;
    let pool = raw(dir.path()).await;
    let left: Option<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE name = 'share_reads'")
            .fetch_optional(&pool)
            .await
            .unwrap();
    assert_eq!(left, None, "the old table is dropped");
    pool.close().await;
}

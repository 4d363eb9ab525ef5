//! Safety answers and the outcome of an unkept screen are sealed with the
//! person's key: the database holds no value a reader of the file could
//! join to a user, a sealed answer opens only in its own row, and rows kept
//! in plaintext by an older store are sealed at the next open, none lost.

use tandem_core::answers::Answer;
use tandem_core::ids::ItemId;
use tandem_core::safety::{SafetyScreen, ScreenOutcome, ScreenSummary};
use tandem_store::StoreError;

use crate::common::{answers, current, fresh, raw};

async fn columns(data_dir: &std::path::Path, table: &str) -> Vec<String> {
    let pool = raw(data_dir).await;
    let names = sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
        .bind(table)
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    names
}

fn item(id: &str) -> ItemId {
    ItemId::new(id).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn safety_answers_and_held_outcomes_are_sealed_at_rest() {
    let safety = current("safety");
    let (dir, store, owner) = fresh().await;
    let screen = SafetyScreen::from_answers(
        &safety,
        answers(
            &safety,
            &[
                ("SF8", Answer::Value(1)),
                ("SF9", Answer::Value(0)),
                (
                    "SF10",
                    Answer::Code(tandem_core::instrument::AnswerCode::PreferNotToSay),
                ),
            ],
        ),
    )
    .unwrap();
    let kept = store
        .record_safety_screen(owner, &safety, &screen)
        .await
        .unwrap();
    let session = store
        .create_session(owner.id(), "test", 1_000)
        .await
        .unwrap();
    let held = ScreenSummary {
        outcome: ScreenOutcome::Urgent,
        self_harm: true,
    };
    store.hold_screen(&session.token, held).await.unwrap();

    // No column could hold a plain value.
    assert_eq!(
        columns(dir.path(), "safety_answers").await,
        ["screen_id", "item_id", "answer_sealed", "answered_at"]
    );
    assert_eq!(
        columns(dir.path(), "session_screens").await,
        ["token_hash", "summary_sealed"]
    );
    // Two answers of the same value seal to different bytes (a fresh nonce
    // each), and each is longer than nonce and tag.
    let pool = raw(dir.path()).await;
    let sealed: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT answer_sealed FROM safety_answers ORDER BY item_id")
            .fetch_all(&pool)
            .await
            .unwrap();
    pool.close().await;
    assert_eq!(sealed.len(), 3);
    assert!(sealed.iter().all(|bytes| bytes.len() > 24 + 16));
    // "Yes", "No" and "Prefer not to say" seal to the same length.
    assert!(sealed.iter().all(|bytes| bytes.len() == sealed[0].len()));

    // Sealed is not lost.
    let records = store.safety_screens(owner).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].id, kept);
    assert_eq!(records[0].answers, [(item("SF8"), 1), (item("SF9"), 0)]);
    assert_eq!(records[0].declined, [item("SF10")]);
    assert_eq!(store.held_screen(&session.token).await.unwrap(), Some(held));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sealed_safety_answer_does_not_open_in_another_row() {
    let safety = current("safety");
    let (dir, store, owner) = fresh().await;
    let screen = SafetyScreen::from_answers(
        &safety,
        answers(
            &safety,
            &[("SF8", Answer::Value(1)), ("SF9", Answer::Value(0))],
        ),
    )
    .unwrap();
    store
        .record_safety_screen(owner, &safety, &screen)
        .await
        .unwrap();
    // Move the "Yes" onto the other item.
    let pool = raw(dir.path()).await;
    sqlx::query(
        "UPDATE safety_answers SET answer_sealed =
             (SELECT answer_sealed FROM safety_answers WHERE item_id = 'SF8')
         WHERE item_id = 'SF9'",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert!(matches!(
        store.safety_screens(owner).await,
        Err(StoreError::Crypto(_))
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn plaintext_rows_of_an_older_store_are_sealed_at_the_next_open() {
    let (dir, store, owner) = fresh().await;
    let session = store
        .create_session(owner.id(), "test", 1_000)
        .await
        .unwrap();
    store.close().await;

    // The tables as a store before migration 0006 left them, renamed by
    // that migration and waiting for the store to seal them.
    let pool = raw(dir.path()).await;
    let screen: i64 = sqlx::query_scalar(
        "INSERT INTO safety_screens (owner_id, instrument_version, completed_at)
         VALUES (?, '1.1.0', '2026-01-01T00:00:00.000Z') RETURNING id",
    )
    .bind(owner.id().0)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query(
        "CREATE TABLE safety_answers_plain (
             screen_id INTEGER NOT NULL, item_id TEXT NOT NULL, value INTEGER, code TEXT,
             answered_at TEXT NOT NULL, PRIMARY KEY (screen_id, item_id)) STRICT",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO safety_answers_plain VALUES
             (?, 'SF8', 1, NULL, '2026-01-01T00:00:00.000Z'),
             (?, 'SF9', 0, NULL, '2026-01-01T00:00:00.000Z'),
             (?, 'SF11', NULL, 'prefer_not_to_say', '2026-01-01T00:00:00.000Z')",
    )
    .bind(screen)
    .bind(screen)
    .bind(screen)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "CREATE TABLE session_screens_plain (
             token_hash BLOB PRIMARY KEY, outcome TEXT NOT NULL, self_harm INTEGER NOT NULL) STRICT",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO session_screens_plain SELECT token_hash, 'concern', 0 FROM sessions")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    let records = store.safety_screens(owner).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].answers, [(item("SF8"), 1), (item("SF9"), 0)]);
    assert_eq!(records[0].declined, [item("SF11")]);
    assert_eq!(
        store.held_screen(&session.token).await.unwrap(),
        Some(ScreenSummary {
            outcome: ScreenOutcome::Concern,
            self_harm: false,
        })
    );
    let pool = raw(dir.path()).await;
    let left: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE name LIKE '%\\_plain' ESCAPE '\\'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert_eq!(left, 0, "the plaintext tables are gone");
    // A second open has nothing left to do and changes nothing.
    store.close().await;
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    assert_eq!(store.safety_screens(owner).await.unwrap(), records);
}

fn step(strategy: &str, from_safety: bool) -> tandem_store::NewSuggestion {
    tandem_store::NewSuggestion {
        strategy: strategy.into(),
        reason: serde_json::json!({ "kind": if from_safety { "urgent" } else { "maintenance" } }),
        from_safety,
    }
}

/// Whether `needle` is in any file of the data dir.
fn anywhere(data_dir: &std::path::Path, needle: &str) -> bool {
    std::fs::read_dir(data_dir).unwrap().any(|entry| {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        bytes
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_items_are_sealed_and_open_only_in_their_own_row() {
    let (dir, store, owner) = fresh().await;
    let plan = store
        .refresh_plan(
            owner,
            store
                .relationship_for(owner, &tandem_core::input::About::default())
                .await
                .unwrap(),
            &[
                step("get-safe-now", true),
                step("keep-doing-what-works", false),
            ],
            10,
        )
        .await
        .unwrap();
    assert_eq!(plan.len(), 2);
    assert_eq!(
        columns(dir.path(), "plan_items").await,
        [
            "id",
            "owner_id",
            "item_sealed",
            "status",
            "position",
            "created_unix",
            "updated_unix",
            "relationship_id"
        ]
    );
    // Different steps and reasons seal to the same length.
    let pool = raw(dir.path()).await;
    let lengths: Vec<i64> = sqlx::query_scalar("SELECT length(item_sealed) FROM plan_items")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert_eq!(lengths.len(), 2);
    assert_eq!(lengths[0], lengths[1]);
    // Neither the step nor its reason is anywhere on disk in the clear.
    for needle in ["get-safe-now", "keep-doing-what-works", "urgent"] {
        assert!(!anywhere(dir.path(), needle), "{needle}");
    }
    assert_eq!(
        store
            .plan(
                owner,
                store
                    .relationship_for(owner, &tandem_core::input::About::default())
                    .await
                    .unwrap()
            )
            .await
            .unwrap(),
        plan
    );

    // Swapping two items' sealed values is caught, not silently read.
    let pool = raw(dir.path()).await;
    sqlx::query(
        "UPDATE plan_items SET item_sealed =
             (SELECT item_sealed FROM plan_items WHERE id = ?) WHERE id = ?",
    )
    .bind(plan[0].id.0)
    .bind(plan[1].id.0)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert!(matches!(
        store
            .plan(
                owner,
                store
                    .relationship_for(owner, &tandem_core::input::About::default())
                    .await
                    .unwrap()
            )
            .await,
        Err(StoreError::Crypto(_))
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_plan_items_of_an_older_store_are_sealed_keeping_their_ids() {
    let (dir, store, owner) = fresh().await;
    let plan = store
        .refresh_plan(
            owner,
            store
                .relationship_for(owner, &tandem_core::input::About::default())
                .await
                .unwrap(),
            &[step("get-safe-now", true), step("ask-for-help", false)],
            10,
        )
        .await
        .unwrap();
    let linked = store
        .save_exercise(
            owner,
            "journal",
            Some(plan[1].id),
            &serde_json::json!({"note": "x"}),
            11,
        )
        .await
        .unwrap();
    store
        .set_plan_status(owner, plan[1].id, tandem_store::PlanStatus::Chosen, 12)
        .await
        .unwrap();
    let before = store
        .plan(
            owner,
            store
                .relationship_for(owner, &tandem_core::input::About::default())
                .await
                .unwrap(),
        )
        .await
        .unwrap();
    store.close().await;

    // Put the table back as the store before migration 0008 kept it, with
    // the same rows in the clear, and the new table waiting.
    let pool = raw(dir.path()).await;
    let mut conn = pool.acquire().await.unwrap();
    for statement in [
        "PRAGMA foreign_keys = OFF",
        include_str!("../../migrations/sqlite/0008_sealed_plan_items.sql"),
        "DROP TABLE plan_items",
        "CREATE TABLE plan_items (
             id INTEGER PRIMARY KEY,
             owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
             strategy_id TEXT NOT NULL, reason TEXT NOT NULL,
             from_safety INTEGER NOT NULL CHECK (from_safety IN (0, 1)),
             status TEXT NOT NULL, position INTEGER NOT NULL,
             created_unix INTEGER NOT NULL, updated_unix INTEGER NOT NULL) STRICT",
        "CREATE INDEX plan_items_by_owner ON plan_items (owner_id, status)",
    ] {
        sqlx::query(statement).execute(&mut *conn).await.unwrap();
    }
    for item in &before {
        sqlx::query("INSERT INTO plan_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(item.id.0)
            .bind(owner.id().0)
            .bind(&item.strategy)
            .bind(item.reason.to_string())
            .bind(item.from_safety)
            .bind(match item.status {
                tandem_store::PlanStatus::Later => "suggested",
                other => other.as_str(),
            })
            .bind(item.position)
            .bind(item.created_unix)
            .bind(item.updated_unix)
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    drop(conn);
    pool.close().await;
    assert!(anywhere(dir.path(), "get-safe-now"));

    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    assert_eq!(
        store
            .plan(
                owner,
                store
                    .relationship_for(owner, &tandem_core::input::About::default())
                    .await
                    .unwrap()
            )
            .await
            .unwrap(),
        before
    );
    let exercises = store.exercises(owner, None).await.unwrap();
    assert_eq!(exercises[0].id, linked);
    assert_eq!(
        exercises[0].plan_item,
        Some(plan[1].id),
        "the link survives"
    );
    assert_eq!(
        columns(dir.path(), "plan_items").await,
        [
            "id",
            "owner_id",
            "item_sealed",
            "status",
            "position",
            "created_unix",
            "updated_unix",
            "relationship_id"
        ]
    );
    store.close().await;
    assert!(
        !anywhere(dir.path(), "get-safe-now"),
        "no plain copy is left"
    );
    // Nothing to do a second time.
    let store = tandem_store_sqlite::open(dir.path()).await.unwrap();
    assert_eq!(
        store
            .plan(
                owner,
                store
                    .relationship_for(owner, &tandem_core::input::About::default())
                    .await
                    .unwrap()
            )
            .await
            .unwrap(),
        before
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn held_outcomes_of_every_kind_seal_to_one_length() {
    let (dir, store, owner) = fresh().await;
    let mut lengths = Vec::new();
    for outcome in [
        ScreenOutcome::Clear,
        ScreenOutcome::Unclear,
        ScreenOutcome::Concern,
        ScreenOutcome::Urgent,
    ] {
        for self_harm in [false, true] {
            let session = store
                .create_session(owner.id(), "test", 1_000)
                .await
                .unwrap();
            let summary = ScreenSummary { outcome, self_harm };
            store.hold_screen(&session.token, summary).await.unwrap();
            assert_eq!(
                store.held_screen(&session.token).await.unwrap(),
                Some(summary)
            );
        }
    }
    let pool = raw(dir.path()).await;
    lengths.extend(
        sqlx::query_scalar::<_, i64>("SELECT length(summary_sealed) FROM session_screens")
            .fetch_all(&pool)
            .await
            .unwrap(),
    );
    pool.close().await;
    assert_eq!(lengths.len(), 8);
    assert!(lengths.iter().all(|n| *n == lengths[0]), "{lengths:?}");
}

//! How safety answers and held screen outcomes are sealed: each with the
//! person's data key, under a context naming its row, so a sealed answer
//! copied to another item, screen or person does not open there. Also the
//! one-time sealing of rows kept in plaintext before migration 0006.

use sqlx::Row;
use tandem_core::instrument::AnswerCode;
use tandem_core::safety::{ScreenOutcome, ScreenSummary};

use crate::prelude::*;
use crate::seal::Sealer;
use tandem_store::contexts::{safety_answer_context, summary_context};

/// One safety answer as it is sealed: a point on the scale, or declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SealedAnswer {
    /// A value on the screen's scale.
    Value(i64),
    /// "Prefer not to say".
    Declined,
}

/// Every sealed answer and outcome is padded to this many bytes, so the
/// length of a ciphertext tells nothing of what it holds ("1" against
/// "prefer_not_to_say", "clear" against "urgent").
const PADDED: usize = 24;

fn padded(plain: &str) -> String {
    format!("{plain:<PADDED$}")
}

impl SealedAnswer {
    /// The answer sealed for this screen and item.
    pub(crate) fn seal(self, key: &Sealer, screen: i64, item: &str) -> Result<Vec<u8>, StoreError> {
        let plain = match self {
            Self::Value(value) => value.to_string(),
            Self::Declined => AnswerCode::PreferNotToSay.as_str().to_owned(),
        };
        key.seal_text(&safety_answer_context(screen, item), &padded(&plain))
    }

    /// Opens what [`SealedAnswer::seal`] made for this screen and item.
    pub(crate) fn open(
        key: &Sealer,
        screen: i64,
        item: &str,
        sealed: &[u8],
    ) -> Result<Self, StoreError> {
        let context = safety_answer_context(screen, item);
        let plain = key.open_text(&context, sealed)?;
        let plain = plain.trim_end();
        if plain == AnswerCode::PreferNotToSay.as_str() {
            return Ok(Self::Declined);
        }
        plain
            .parse()
            .map(Self::Value)
            .map_err(|_| StoreError::Crypto(format!("{context}: not a safety answer")))
    }
}

/// A held outcome sealed for the session whose token hashes to `token_hash`.
pub(crate) fn seal_summary(
    key: &Sealer,
    token_hash: &[u8],
    summary: ScreenSummary,
) -> Result<Vec<u8>, StoreError> {
    seal_outcome(key, &summary_context(token_hash), summary)
}

/// Opens what [`seal_summary`] made.
pub(crate) fn open_summary(
    key: &Sealer,
    token_hash: &[u8],
    sealed: &[u8],
) -> Result<ScreenSummary, StoreError> {
    open_outcome(key, &summary_context(token_hash), sealed)
}

/// A screen's outcome sealed under `context`, padded like an answer.
pub(crate) fn seal_outcome(
    key: &Sealer,
    context: &str,
    summary: ScreenSummary,
) -> Result<Vec<u8>, StoreError> {
    let plain = format!(
        "{} {}",
        summary.outcome.as_str(),
        u8::from(summary.self_harm)
    );
    key.seal_text(context, &padded(&plain))
}

/// Opens what [`seal_outcome`] made under `context`.
pub(crate) fn open_outcome(
    key: &Sealer,
    context: &str,
    sealed: &[u8],
) -> Result<ScreenSummary, StoreError> {
    let plain = key.open_text(context, sealed)?;
    let bad = || StoreError::Crypto(format!("{context}: not a screen outcome"));
    let (outcome, self_harm) = plain.trim_end().split_once(' ').ok_or_else(bad)?;
    Ok(ScreenSummary {
        outcome: ScreenOutcome::parse(outcome).ok_or_else(bad)?,
        self_harm: match self_harm {
            "0" => false,
            "1" => true,
            _ => return Err(bad()),
        },
    })
}

impl SqliteStore {
    /// Seals the safety answers and held outcomes that a store from before
    /// migration 0006 kept in plaintext, moving them into the sealed tables
    /// in one transaction and dropping the old tables, then empties the
    /// write-ahead log so no plaintext copy is left in the data dir
    /// (`secure_delete` overwrote the freed pages). Does nothing once done.
    pub(crate) async fn seal_legacy_safety_rows(&self) -> Result<(), StoreError> {
        let legacy: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name IN ('safety_answers_plain', 'session_screens_plain')",
        )
        .fetch_all(&self.pool)
        .await?;
        if legacy.is_empty() {
            return Ok(());
        }
        let answers = sqlx::query(
            "SELECT p.screen_id, p.item_id, p.value, p.answered_at, s.owner_id
             FROM safety_answers_plain p JOIN safety_screens s ON s.id = p.screen_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let held = sqlx::query(
            "SELECT p.token_hash, p.outcome, p.self_harm, s.user_id
             FROM session_screens_plain p JOIN sessions s ON s.token_hash = p.token_hash",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut sealed_answers = Vec::with_capacity(answers.len());
        for row in &answers {
            let screen: i64 = row.try_get("screen_id")?;
            let item: String = row.try_get("item_id")?;
            let answer = match row.try_get::<Option<i64>, _>("value")? {
                Some(value) => SealedAnswer::Value(value),
                None => SealedAnswer::Declined,
            };
            let key = self.data_key(UserId(row.try_get("owner_id")?)).await?;
            let sealed = answer.seal(&key, screen, &item)?;
            let answered_at: String = row.try_get("answered_at")?;
            sealed_answers.push((screen, item, sealed, answered_at));
        }
        let mut sealed_held = Vec::with_capacity(held.len());
        for row in &held {
            let hash: Vec<u8> = row.try_get("token_hash")?;
            let outcome: String = row.try_get("outcome")?;
            let summary = ScreenSummary {
                outcome: ScreenOutcome::parse(&outcome).ok_or_else(|| {
                    StoreError::corrupt(format!("unknown screen outcome `{outcome}`"))
                })?,
                self_harm: row.try_get("self_harm")?,
            };
            let key = self.data_key(UserId(row.try_get("user_id")?)).await?;
            let sealed = seal_summary(&key, &hash, summary)?;
            sealed_held.push((hash, sealed));
        }
        // Immediate, and checked again inside: another process opening the
        // same store at once may have sealed them first, or (an older
        // binary) written more plain rows since they were read.
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let still: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name IN ('safety_answers_plain', 'session_screens_plain')",
        )
        .fetch_all(&mut *tx)
        .await?;
        if still != legacy {
            return Ok(());
        }
        let counted: (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM safety_answers_plain p
                     JOIN safety_screens s ON s.id = p.screen_id),
                    (SELECT count(*) FROM session_screens_plain p
                     JOIN sessions s ON s.token_hash = p.token_hash)",
        )
        .fetch_one(&mut *tx)
        .await?;
        if counted != (sealed_answers.len() as i64, sealed_held.len() as i64) {
            return Err(StoreError::Settings(
                "safety answers changed while they were being sealed; open the store again".into(),
            ));
        }
        for (screen, item, sealed, answered_at) in sealed_answers {
            sqlx::query(
                "INSERT INTO safety_answers (screen_id, item_id, answer_sealed, answered_at)
                 VALUES (?, ?, ?, ?)",
            )
            .bind(screen)
            .bind(item)
            .bind(sealed)
            .bind(answered_at)
            .execute(&mut *tx)
            .await?;
        }
        for (hash, sealed) in sealed_held {
            sqlx::query("INSERT INTO session_screens (token_hash, summary_sealed) VALUES (?, ?)")
                .bind(hash)
                .bind(sealed)
                .execute(&mut *tx)
                .await?;
        }
        // `secure_delete` overwrites the dropped tables' pages.
        if legacy.iter().any(|table| table == "safety_answers_plain") {
            sqlx::query("DROP TABLE safety_answers_plain")
                .execute(&mut *tx)
                .await?;
        }
        if legacy.iter().any(|table| table == "session_screens_plain") {
            sqlx::query("DROP TABLE session_screens_plain")
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}

//! The safety screen's own tables. Nothing here shares a query or a type with
//! the generic answers, so no path that builds shared views can reach it.

use sqlx::Row;
use tandem_core::ids::ItemId;
use tandem_core::instrument::{Instrument, Kind};
use tandem_core::safety::{SafetyScreen, ScreenSummary};

use crate::prelude::*;
use crate::safety_seal::{SealedAnswer, open_summary, seal_summary};

impl PgStore {
    fn check_safety(instrument: &Instrument) -> Result<(), StoreError> {
        if instrument.kind == Kind::Safety {
            Ok(())
        } else {
            Err(StoreError::invalid(
                "instrument",
                format!("{} is not a safety screen", instrument.id),
            ))
        }
    }

    /// Whose session hashes to `hash`; `NotFound` when there is none.
    async fn session_owner(&self, hash: &[u8]) -> Result<UserId, StoreError> {
        let user: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM sessions WHERE token_hash = $1")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?;
        user.map(UserId).ok_or(StoreError::NotFound {
            what: "session",
            id: 0,
        })
    }
}

#[async_trait::async_trait]
impl tandem_store::engine::SafetyScreens for PgStore {
    async fn start_safety_screen(
        &self,
        owner: Owner,
        instrument: &Instrument,
    ) -> Result<SafetyScreenId, StoreError> {
        let owner = owner.id();
        Self::check_safety(instrument)?;
        let id: i64 = write_tx!(self, |tx| {
            sqlx::query_scalar(
                "INSERT INTO safety_screens (owner_id, instrument_version) VALUES ($1, $2) RETURNING id",
            )
            .bind(owner.0)
            .bind(&instrument.version)
            .fetch_one(&mut *tx)
            .await?
        })?;
        Ok(SafetyScreenId(id))
    }

    async fn save_safety_answer(
        &self,
        owner: Owner,
        screen: SafetyScreenId,
        item: &ItemId,
        value: Option<i64>,
    ) -> Result<(), StoreError> {
        let owner = owner.id();
        const OPEN: &str = "SELECT id FROM safety_screens WHERE id = $1 AND owner_id = $2 AND completed_at IS NULL";
        let refused = StoreError::NotFound {
            what: "unfinished safety screen",
            id: screen.0,
        };
        // Checked before the key is loaded (a refusal makes no key), and
        // again inside the write, which a deletion may have overtaken.
        let open: Option<i64> = sqlx::query_scalar(OPEN)
            .bind(screen.0)
            .bind(owner.0)
            .fetch_optional(&self.pool)
            .await?;
        if open.is_none() {
            return Err(refused);
        }
        let key = self.data_key(owner).await?;
        let answer = value.map_or(SealedAnswer::Declined, SealedAnswer::Value);
        let sealed = answer.seal(&key, screen.0, item.as_str())?;
        write_tx!(self, |tx| {
            // Share-locked: a completion or deletion waits for this answer,
            // and an answer after either finds the screen gone or finished.
            let open: Option<i64> = sqlx::query_scalar(concat!(
                "SELECT id FROM safety_screens WHERE id = $1 AND owner_id = $2 ",
                "AND completed_at IS NULL FOR SHARE"
            ))
            .bind(screen.0)
            .bind(owner.0)
            .fetch_optional(&mut *tx)
            .await?;
            if open.is_none() {
                return Err(StoreError::NotFound {
                    what: "unfinished safety screen",
                    id: screen.0,
                });
            }
            sqlx::query(
                "INSERT INTO safety_answers (screen_id, item_id, answer_sealed) VALUES ($1, $2, $3)
                 ON CONFLICT (screen_id, item_id) DO UPDATE SET answer_sealed = excluded.answer_sealed,
                     answered_at = excluded.answered_at",
            )
            .bind(screen.0)
            .bind(item.as_str())
            .bind(&sealed)
            .execute(&mut *tx)
            .await?;
        })
    }

    async fn complete_safety_screen(
        &self,
        owner: Owner,
        screen: SafetyScreenId,
    ) -> Result<(), StoreError> {
        let owner = owner.id();
        let done = write_tx!(self, |tx| {
            sqlx::query(
                "UPDATE safety_screens SET completed_at = statement_timestamp()
                 WHERE id = $1 AND owner_id = $2 AND completed_at IS NULL",
            )
            .bind(screen.0)
            .bind(owner.0)
            .execute(&mut *tx)
            .await?
        })?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "unfinished safety screen",
                id: screen.0,
            });
        }
        Ok(())
    }

    async fn record_safety_screen(
        &self,
        owner: Owner,
        instrument: &Instrument,
        screen: &SafetyScreen,
    ) -> Result<SafetyScreenId, StoreError> {
        let owner = owner.id();
        Self::check_safety(instrument)?;
        let key = self.data_key(owner).await?;
        let id: i64 = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO safety_screens (owner_id, instrument_version, completed_at)
                 VALUES ($1, $2, statement_timestamp()) RETURNING id",
            )
            .bind(owner.0)
            .bind(&instrument.version)
            .fetch_one(&mut *tx)
            .await?;
            let given = screen
                .answers()
                .iter()
                .map(|(item, value)| (item, SealedAnswer::Value(*value)))
                .chain(
                    screen
                        .declined()
                        .iter()
                        .map(|item| (item, SealedAnswer::Declined)),
                );
            for (item, answer) in given {
                sqlx::query(
                    "INSERT INTO safety_answers (screen_id, item_id, answer_sealed) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(item.as_str())
                .bind(answer.seal(&key, id, item.as_str())?)
                .execute(&mut *tx)
                .await?;
            }
            id
        })?;
        Ok(SafetyScreenId(id))
    }

    async fn safety_screens(&self, owner: Owner) -> Result<Vec<SafetyScreenRecord>, StoreError> {
        let owner = owner.id();
        let screens = sqlx::query(concat!(
            "SELECT id, ",
            moment!("started_at"),
            " AS started_at, ",
            moment!("completed_at"),
            " AS completed_at, instrument_version FROM safety_screens
                 WHERE owner_id = $1 ORDER BY id"
        ))
        .bind(owner.0)
        .fetch_all(&self.pool)
        .await?;
        let mut key = self.lazy_key(owner);
        let mut records = Vec::new();
        for row in screens {
            let id: i64 = row.try_get("id")?;
            let rows = sqlx::query(
                "SELECT item_id, answer_sealed FROM safety_answers WHERE screen_id = $1 ORDER BY item_id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            let mut answers = Vec::new();
            let mut declined = Vec::new();
            for row in &rows {
                let item: String = row.try_get("item_id")?;
                let sealed: Vec<u8> = row.try_get("answer_sealed")?;
                let answer = SealedAnswer::open(key.get().await?, id, &item, &sealed)?;
                let item = ItemId::new(item).map_err(|err| StoreError::corrupt(err.to_string()))?;
                match answer {
                    SealedAnswer::Value(value) => answers.push((item, value)),
                    SealedAnswer::Declined => declined.push(item),
                }
            }
            records.push(SafetyScreenRecord {
                id: SafetyScreenId(id),
                started_at: row.try_get("started_at")?,
                completed_at: row.try_get("completed_at")?,
                version: row.try_get("instrument_version")?,
                answers,
                declined,
            });
        }
        Ok(records)
    }

    async fn delete_safety_screen(
        &self,
        owner: Owner,
        screen: SafetyScreenId,
    ) -> Result<(), StoreError> {
        let owner = owner.id();
        // Loaded before the write, which must open plan items to find
        // the ones safety answers shaped.
        let key = self.data_key(owner).await?;
        write_tx!(self, |tx| {
            // The owner's row first: a plan refresh (which locks it too)
            // cannot add a safety-shaped item while these are deleted.
            sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
                .bind(owner.0)
                .fetch_optional(&mut *tx)
                .await?;
            let gone = sqlx::query("DELETE FROM safety_screens WHERE id = $1 AND owner_id = $2")
                .bind(screen.0)
                .bind(owner.0)
                .execute(&mut *tx)
                .await?;
            if gone.rows_affected() == 0 {
                return Err(StoreError::NotFound {
                    what: "safety screen",
                    id: screen.0,
                });
            }
            crate::plan::delete_safety_shaped(tx, &key, owner).await?;
            sqlx::query(
                "DELETE FROM session_screens WHERE token_hash IN
                     (SELECT token_hash FROM sessions WHERE user_id = $1)",
            )
            .bind(owner.0)
            .execute(&mut *tx)
            .await?;
        })?;
        // No `secure_delete` or checkpoint here: the dead rows stay in the
        // heap until vacuumed and in the WAL; their answers are sealed with
        // the person's data key.
        Ok(())
    }

    async fn hold_screen(
        &self,
        session_token: &str,
        summary: ScreenSummary,
    ) -> Result<(), StoreError> {
        let Some(hash) = token_hash(session_token) else {
            return Err(StoreError::NotFound {
                what: "session",
                id: 0,
            });
        };
        let key = self.data_key(self.session_owner(&hash).await?).await?;
        let sealed = seal_summary(&key, &hash, summary)?;
        write_tx!(self, |tx| {
            sqlx::query(
                "INSERT INTO session_screens (token_hash, summary_sealed) VALUES ($1, $2)
                 ON CONFLICT (token_hash) DO UPDATE SET summary_sealed = excluded.summary_sealed",
            )
            .bind(&hash)
            .bind(&sealed)
            .execute(&mut *tx)
            .await?;
        })
    }

    async fn release_held_screens(&self, owner: Owner) -> Result<(), StoreError> {
        let owner = owner.id();
        write_tx!(self, |tx| {
            sqlx::query(
                "DELETE FROM session_screens WHERE token_hash IN
                     (SELECT token_hash FROM sessions WHERE user_id = $1)",
            )
            .bind(owner.0)
            .execute(&mut *tx)
            .await?;
        })
    }

    async fn held_screen(&self, session_token: &str) -> Result<Option<ScreenSummary>, StoreError> {
        let Some(hash) = token_hash(session_token) else {
            return Ok(None);
        };
        let row = sqlx::query(
            "SELECT h.summary_sealed, s.user_id FROM session_screens h
             JOIN sessions s ON s.token_hash = h.token_hash WHERE h.token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let key = self.data_key(UserId(row.try_get("user_id")?)).await?;
        let sealed: Vec<u8> = row.try_get("summary_sealed")?;
        open_summary(&key, &hash, &sealed).map(Some)
    }
}

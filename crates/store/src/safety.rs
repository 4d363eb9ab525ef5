//! The safety screen's own tables. Nothing here shares a query or a type with
//! the generic answers, so no path that builds shared views can reach it.

use serde::Serialize;
use sqlx::Row;
use tandem_core::ids::ItemId;
use tandem_core::instrument::{Instrument, Kind};
use tandem_core::safety::SafetyScreen;

use crate::{SafetyScreenId, Store, StoreError, UserId};

/// A stored safety screen: when it was taken and what was answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SafetyScreenRecord {
    /// Its id.
    pub id: SafetyScreenId,
    /// When it began.
    pub started_at: String,
    /// When it was finished, if it was.
    pub completed_at: Option<String>,
    /// Answers by item.
    pub answers: Vec<(ItemId, i64)>,
}

impl Store {
    fn check_safety(instrument: &Instrument) -> Result<(), StoreError> {
        if instrument.kind == Kind::Safety {
            Ok(())
        } else {
            Err(StoreError::Invalid(format!(
                "{} is not a safety screen",
                instrument.id
            )))
        }
    }

    /// Begins a safety screen whose answers are saved one by one.
    pub async fn start_safety_screen(
        &self,
        owner: UserId,
        instrument: &Instrument,
    ) -> Result<SafetyScreenId, StoreError> {
        Self::check_safety(instrument)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO safety_screens (owner_id, instrument_version) VALUES (?, ?) RETURNING id",
        )
        .bind(owner.0)
        .bind(&instrument.version)
        .fetch_one(&self.writer)
        .await?;
        Ok(SafetyScreenId(id))
    }

    /// Saves one safety answer of this owner's unfinished screen.
    pub async fn save_safety_answer(
        &self,
        owner: UserId,
        screen: SafetyScreenId,
        item: &ItemId,
        value: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM safety_screens WHERE id = ? AND owner_id = ? AND completed_at IS NULL",
        )
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
            "INSERT INTO safety_answers (screen_id, item_id, value) VALUES (?, ?, ?)
             ON CONFLICT (screen_id, item_id) DO UPDATE SET value = excluded.value",
        )
        .bind(screen.0)
        .bind(item.as_str())
        .bind(value)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks a safety screen finished.
    pub async fn complete_safety_screen(
        &self,
        owner: UserId,
        screen: SafetyScreenId,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE safety_screens SET completed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ? AND owner_id = ? AND completed_at IS NULL",
        )
        .bind(screen.0)
        .bind(owner.0)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "unfinished safety screen",
                id: screen.0,
            });
        }
        Ok(())
    }

    /// Stores a whole screen in one transaction.
    pub async fn record_safety_screen(
        &self,
        owner: UserId,
        instrument: &Instrument,
        screen: &SafetyScreen,
    ) -> Result<SafetyScreenId, StoreError> {
        Self::check_safety(instrument)?;
        let mut tx = self.writer.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO safety_screens (owner_id, instrument_version, completed_at)
             VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) RETURNING id",
        )
        .bind(owner.0)
        .bind(&instrument.version)
        .fetch_one(&mut *tx)
        .await?;
        for (item, value) in screen.answers() {
            sqlx::query("INSERT INTO safety_answers (screen_id, item_id, value) VALUES (?, ?, ?)")
                .bind(id)
                .bind(item.as_str())
                .bind(value)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(SafetyScreenId(id))
    }

    /// This owner's safety screens, oldest first. Only the owner's own views call this.
    pub async fn safety_screens(
        &self,
        owner: UserId,
    ) -> Result<Vec<SafetyScreenRecord>, StoreError> {
        let screens = sqlx::query(
            "SELECT id, started_at, completed_at FROM safety_screens WHERE owner_id = ? ORDER BY id",
        )
        .bind(owner.0)
        .fetch_all(&self.pool)
        .await?;
        let mut records = Vec::new();
        for row in screens {
            let id: i64 = row.try_get("id")?;
            let answers = sqlx::query(
                "SELECT item_id, value FROM safety_answers WHERE screen_id = ? ORDER BY item_id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let item: String = row.try_get("item_id")?;
                let item = ItemId::new(item).map_err(|err| StoreError::Invalid(err.to_string()))?;
                Ok((item, row.try_get("value")?))
            })
            .collect::<Result<_, StoreError>>()?;
            records.push(SafetyScreenRecord {
                id: SafetyScreenId(id),
                started_at: row.try_get("started_at")?,
                completed_at: row.try_get("completed_at")?,
                answers,
            });
        }
        Ok(records)
    }
}

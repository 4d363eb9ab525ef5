//! De-identified responses for research (`tandem analyze --from-store`):
//! item values of finished administrations of one instrument, row by row,
//! with no user, date, name or free text. An operator's tool, run against
//! their own store; no web route reaches it.

use sqlx::Row;
use tandem_core::instrument::Instrument;

use crate::{Store, StoreError};

/// Administrations read per query, so memory stays small on a large store.
const PAGE: i64 = 500;

impl Store {
    /// How many administrations of an instrument are finished, across the
    /// deployment (a count, nothing personal).
    pub async fn count_finished(&self, instrument: &str) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM administrations WHERE instrument_id = ? AND completed_at IS NOT NULL",
        )
        .bind(instrument)
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Calls `row` once per finished administration of `instrument` with the
    /// values of `items` in that order (`None` where unanswered). Stops at the
    /// first error `row` returns.
    pub async fn for_each_response(
        &self,
        instrument: &Instrument,
        items: &[String],
        mut row: impl FnMut(&[Option<f64>]) -> Result<(), String>,
    ) -> Result<u64, StoreError> {
        let mut after = 0i64;
        let mut count = 0u64;
        let mut values = vec![None; items.len()];
        loop {
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM administrations
                 WHERE instrument_id = ? AND completed_at IS NOT NULL AND id > ?
                 ORDER BY id LIMIT ?",
            )
            .bind(instrument.id.as_str())
            .bind(after)
            .bind(PAGE)
            .fetch_all(&self.pool)
            .await?;
            let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
                return Ok(count);
            };
            let answers = sqlx::query(
                "SELECT a.administration_id, a.item_id, a.value FROM answers a
                 JOIN administrations d ON d.id = a.administration_id
                 WHERE d.instrument_id = ? AND d.completed_at IS NOT NULL
                   AND a.administration_id BETWEEN ? AND ? AND a.value IS NOT NULL
                 ORDER BY a.administration_id",
            )
            .bind(instrument.id.as_str())
            .bind(first)
            .bind(last)
            .fetch_all(&self.pool)
            .await?;
            let mut at = 0;
            for id in &ids {
                values.iter_mut().for_each(|v| *v = None);
                while let Some(answer) = answers.get(at) {
                    let owner: i64 = answer.try_get("administration_id")?;
                    if owner != *id {
                        break;
                    }
                    let item: String = answer.try_get("item_id")?;
                    let value: i64 = answer.try_get("value")?;
                    if let Some(slot) = items.iter().position(|i| *i == item) {
                        values[slot] = Some(value as f64);
                    }
                    at += 1;
                }
                row(&values).map_err(StoreError::Invalid)?;
                count += 1;
            }
            after = last;
        }
    }
}

//! De-identified responses for research (`tandem analyze --from-store`) and
//! the deployment's reliability estimates: item values of finished
//! administrations of one instrument version, row by row, with no user,
//! date, name or free text. Only people who opted in to research use are
//! read, and only their first finished administration of that version, so
//! every count counts people and nobody weighs more than once. Safety
//! answers live in other tables and are never read here.

use sqlx::Row;
use tandem_core::instrument::Instrument;

use crate::prelude::*;

/// Administrations read per query, so memory stays small on a large store.
const PAGE: i64 = 500;

#[async_trait::async_trait]
impl tandem_store::engine::ResearchData for PgStore {
    async fn count_finished(
        &self,
        _: &tandem_store::Research,
        instrument: &Instrument,
    ) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT d.owner_id) FROM administrations d
             JOIN users u ON u.id = d.owner_id AND u.research_opt_in
             WHERE d.instrument_id = $1 AND d.instrument_version = $2 AND d.completed_at IS NOT NULL",
        )
        .bind(instrument.id.as_str())
        .bind(&instrument.version)
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn research_fingerprint(
        &self,
        _: &tandem_store::Research,
        instrument: &Instrument,
    ) -> Result<(u64, i64, i64), StoreError> {
        let (count, sum, max): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(first), 0)::bigint, COALESCE(MAX(first), 0) FROM (
                 SELECT MIN(d.id) AS first FROM administrations d
                 JOIN users u ON u.id = d.owner_id AND u.research_opt_in
                 WHERE d.instrument_id = $1 AND d.instrument_version = $2 AND d.completed_at IS NOT NULL
                 GROUP BY d.owner_id) AS firsts",
        )
        .bind(instrument.id.as_str())
        .bind(&instrument.version)
        .fetch_one(&self.pool)
        .await?;
        Ok((u64::try_from(count).unwrap_or(0), sum, max))
    }

    async fn for_each_response(
        &self,
        _: &tandem_store::Research,
        instrument: &Instrument,
        items: &[String],
        row: &mut (dyn for<'v> FnMut(&'v [Option<f64>]) -> Result<(), String> + Send),
    ) -> Result<u64, StoreError> {
        let mut after = 0i64;
        let mut count = 0u64;
        let mut values = vec![None; items.len()];
        loop {
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT MIN(d.id) AS first FROM administrations d
                 JOIN users u ON u.id = d.owner_id AND u.research_opt_in
                 WHERE d.instrument_id = $1 AND d.instrument_version = $2 AND d.completed_at IS NOT NULL
                 GROUP BY d.owner_id HAVING MIN(d.id) > $3
                 ORDER BY first LIMIT $4",
            )
            .bind(instrument.id.as_str())
            .bind(&instrument.version)
            .bind(after)
            .bind(PAGE)
            .fetch_all(&self.pool)
            .await?;
            let Some(&last) = ids.last() else {
                return Ok(count);
            };
            // Only the page's own administrations: nobody else's answers are read.
            let mut query = sqlx::QueryBuilder::new(
                "SELECT administration_id, item_id, value FROM answers
                 WHERE value IS NOT NULL AND administration_id IN (",
            );
            let mut list = query.separated(", ");
            for id in &ids {
                list.push_bind(*id);
            }
            query.push(") ORDER BY administration_id");
            let answers = query.build().fetch_all(&self.pool).await?;
            let mut at = 0;
            for id in &ids {
                values.iter_mut().for_each(|v| *v = None);
                while let Some(answer) = answers.get(at) {
                    let of: i64 = answer.try_get("administration_id")?;
                    if of != *id {
                        break;
                    }
                    let item: String = answer.try_get("item_id")?;
                    let value: i64 = answer.try_get("value")?;
                    if let Some(slot) = items.iter().position(|i| *i == item) {
                        values[slot] = Some(value as f64);
                    }
                    at += 1;
                }
                row(&values).map_err(|message| StoreError::invalid("row", message))?;
                count += 1;
            }
            after = last;
        }
    }

    async fn research_consent(&self, owner: Owner) -> Result<bool, StoreError> {
        let owner = owner.id();
        sqlx::query_scalar("SELECT research_opt_in FROM users WHERE id = $1")
            .bind(owner.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound {
                what: "user",
                id: owner.0,
            })
    }

    async fn set_research_consent(&self, owner: Owner, consent: bool) -> Result<(), StoreError> {
        let owner = owner.id();
        let changed = write_tx!(self, |tx| {
            sqlx::query("UPDATE users SET research_opt_in = $1 WHERE id = $2")
                .bind(consent)
                .bind(owner.0)
                .execute(&mut *tx)
                .await?
        })?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "user",
                id: owner.0,
            });
        }
        Ok(())
    }
}

//! Administrations of profile and check-in instruments, with their answers
//! written one by one, each in its own transaction, so that nothing given is
//! lost when a session stops.

use sqlx::Row;
use tandem_core::answers::{Answer, Answers, check_answer};
use tandem_core::instrument::{Instrument, Kind};

use crate::prelude::*;
use crate::seal::Sealer;
use tandem_store::contexts::{about_context, text_context};

impl PgStore {
    fn refuse_safety(instrument: &Instrument) -> Result<(), StoreError> {
        if instrument.kind == Kind::Safety {
            return Err(StoreError::invalid(
                "instrument",
                format!(
                    "{} is a safety screen; it has tables of its own",
                    instrument.id
                ),
            ));
        }
        Ok(())
    }

    pub(crate) fn administration_from(
        key: &Sealer,
        owner: UserId,
        row: &sqlx::postgres::PgRow,
    ) -> Result<Administration, StoreError> {
        let about: Vec<u8> = row.try_get("about_sealed")?;
        let position: i64 = row.try_get("position")?;
        let relationship: Option<i64> = row.try_get("relationship_id")?;
        Ok(Administration {
            id: AdministrationId(row.try_get("id")?),
            instrument: row.try_get("instrument_id")?,
            version: row.try_get("instrument_version")?,
            about: key.open_text(&about_context(owner), &about)?,
            relationship: relationship
                .map(tandem_store::RelationshipId)
                .ok_or_else(|| StoreError::corrupt("an administration with no relationship"))?,
            position: usize::try_from(position).unwrap_or(0),
            started_at: row.try_get("started_at")?,
            completed_at: row.try_get("completed_at")?,
            item_seed: row.try_get("item_seed")?,
        })
    }
}

/// The columns of one answer (value, sealed text, code): a value as it is,
/// text sealed with the owner's key, a code by its name.
pub(crate) type AnswerColumns = (Option<i64>, Option<Vec<u8>>, Option<&'static str>);

/// The columns of one answer.
pub(crate) fn answer_columns(
    key: &Sealer,
    id: AdministrationId,
    item: &str,
    answer: &Answer,
) -> Result<AnswerColumns, StoreError> {
    Ok(match answer {
        Answer::Value(value) => (Some(*value), None, None),
        Answer::Code(code) => (None, None, Some(code.as_str())),
        Answer::Text(text) => (
            None,
            Some(key.seal_text(&text_context(id, item), text)?),
            None,
        ),
    })
}

#[async_trait::async_trait]
impl tandem_store::engine::Administrations for PgStore {
    async fn start_administration_seeded(
        &self,
        owner: Owner,
        instrument: &Instrument,
        about: &str,
        item_seed: Option<i64>,
    ) -> Result<Administration, StoreError> {
        let (access, owner) = (owner, owner.id());
        Self::refuse_safety(instrument)?;
        let key = self.data_key(owner).await?;
        let about_sealed = key.seal_text(&about_context(owner), about)?;
        let id: i64 = write_tx!(self, |tx| {
            let relationship = crate::relationships::for_about(tx, &key, owner, about).await?;
            sqlx::query_scalar(
                "INSERT INTO administrations
                     (owner_id, instrument_id, instrument_version, about_sealed, relationship_id, item_seed)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(owner.0)
            .bind(instrument.id.as_str())
            .bind(&instrument.version)
            .bind(&about_sealed)
            .bind(relationship.0)
            .bind(item_seed)
            .fetch_one(&mut *tx)
            .await?
        })?;
        self.administration(access, AdministrationId(id)).await
    }

    async fn start_administration_once(
        &self,
        owner: Owner,
        instrument: &Instrument,
        about: &str,
        form_key: &str,
    ) -> Result<Administration, StoreError> {
        let (access, owner) = (owner, owner.id());
        Self::refuse_safety(instrument)?;
        if form_key.is_empty() || form_key.len() > 64 {
            return Err(StoreError::invalid(
                "form_key",
                "a form key has 1 to 64 characters",
            ));
        }
        let key = self.data_key(owner).await?;
        let about_sealed = key.seal_text(&about_context(owner), about)?;
        // Of two racing copies of the form, one inserts; the other waits on
        // the unique index, does nothing, and its next statement (a new
        // snapshot under READ COMMITTED) finds the row the first made.
        let seed = tandem_store::item_seed(instrument, Some(form_key))?;
        let id: i64 = write_tx!(self, |tx| {
            let relationship = crate::relationships::for_about(tx, &key, owner, about).await?;
            sqlx::query(
                "INSERT INTO administrations
                     (owner_id, instrument_id, instrument_version, about_sealed, relationship_id, form_key, item_seed)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (owner_id, form_key) WHERE form_key IS NOT NULL DO NOTHING",
            )
            .bind(owner.0)
            .bind(instrument.id.as_str())
            .bind(&instrument.version)
            .bind(&about_sealed)
            .bind(relationship.0)
            .bind(form_key)
            .bind(seed)
            .execute(&mut *tx)
            .await?;
            let id: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM administrations WHERE owner_id = $1 AND form_key = $2 AND instrument_id = $3",
            )
            .bind(owner.0)
            .bind(form_key)
            .bind(instrument.id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            id.ok_or_else(|| {
                StoreError::Conflict("that form key belongs to another form".to_owned())
            })?
        })?;
        self.administration(access, AdministrationId(id)).await
    }

    async fn administration_by_form_key(
        &self,
        owner: Owner,
        form_key: &str,
    ) -> Result<Option<Administration>, StoreError> {
        let (access, owner) = (owner, owner.id());
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM administrations WHERE owner_id = $1 AND form_key = $2",
        )
        .bind(owner.0)
        .bind(form_key)
        .fetch_optional(&self.pool)
        .await?;
        match id {
            Some(id) => Ok(Some(
                self.administration(access, AdministrationId(id)).await?,
            )),
            None => Ok(None),
        }
    }

    async fn delete_administration(
        &self,
        owner: Owner,
        id: AdministrationId,
    ) -> Result<(), StoreError> {
        let owner = owner.id();
        write_tx!(self, |tx| {
            // Its kept scores go with it (cascade): a drawn trend is stale.
            crate::scorings::fold_before_delete(tx, owner, id).await?;
            let done = sqlx::query("DELETE FROM administrations WHERE id = $1 AND owner_id = $2")
                .bind(id.0)
                .bind(owner.0)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound {
                    what: "administration",
                    id: id.0,
                });
            }
        })
    }

    async fn record_administration(
        &self,
        owner: Owner,
        instrument: &Instrument,
        about: &str,
        answers: &Answers,
    ) -> Result<Administration, StoreError> {
        let owner = owner.id();
        Self::refuse_safety(instrument)?;
        // `Answers` does not say which instrument checked it; make sure it
        // was this one, so that no other instrument's answers (a safety
        // screen's above all) are filed under it.
        for (item, answer) in answers.iter() {
            check_answer(instrument, item.as_str(), answer)
                .map_err(|err| StoreError::invalid(item.as_str(), err.to_string()))?;
        }
        let scores = tandem_core::scoring::score(instrument, answers)
            .map_err(|err| StoreError::invalid("answers", err.to_string()))?;
        let key = self.data_key(owner).await?;
        let about_sealed = key.seal_text(&about_context(owner), about)?;
        let position = i64::try_from(instrument.items.len())
            .map_err(|_| StoreError::invalid("instrument", "too many items"))?;
        // One transaction, no group commit: PostgreSQL's own group commit
        // shares the flushes of concurrent commits.
        let (id, relationship, row_started, row_completed) = write_tx!(self, |tx| {
            let relationship = crate::relationships::for_about(tx, &key, owner, about).await?;
            let row = sqlx::query(concat!(
                "INSERT INTO administrations
                     (owner_id, instrument_id, instrument_version, about_sealed, relationship_id,
                      position, completed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, statement_timestamp())
                 RETURNING id, ",
                moment!("started_at"),
                " AS started_at, ",
                moment!("completed_at"),
                " AS completed_at"
            ))
            .bind(owner.0)
            .bind(instrument.id.as_str())
            .bind(&instrument.version)
            .bind(&about_sealed)
            .bind(relationship.0)
            .bind(position)
            .fetch_one(&mut *tx)
            .await?;
            let id = AdministrationId(row.try_get("id")?);
            // Every answer in one statement, as columns of arrays: a
            // statement per answer cost a round trip and a parse each.
            let (mut items, mut values, mut texts, mut codes) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for (item, answer) in answers.iter() {
                let (value, text, code) = answer_columns(&key, id, item.as_str(), answer)?;
                items.push(item.as_str());
                values.push(value);
                texts.push(text);
                codes.push(code);
            }
            if !items.is_empty() {
                sqlx::query(
                    "INSERT INTO answers (administration_id, item_id, value, text_sealed, code)
                     SELECT $1, * FROM UNNEST($2::text[], $3::bigint[], $4::bytea[], $5::text[])",
                )
                .bind(id.0)
                .bind(&items)
                .bind(&values)
                .bind(&texts)
                .bind(&codes)
                .execute(&mut *tx)
                .await?;
            }
            crate::scorings::write(tx, owner, id, &scores).await?;
            let started: String = row.try_get("started_at")?;
            let completed: Option<String> = row.try_get("completed_at")?;
            (id, relationship, started, completed)
        })?;
        Ok(Administration {
            id,
            instrument: instrument.id.to_string(),
            version: instrument.version.clone(),
            about: about.to_owned(),
            relationship,
            position: instrument.items.len(),
            started_at: row_started,
            completed_at: row_completed,
            // Recorded whole: no order was asked.
            item_seed: None,
        })
    }

    async fn save_answer(
        &self,
        owner: Owner,
        instrument: &Instrument,
        id: AdministrationId,
        item: &str,
        answer: &Answer,
        next_position: usize,
    ) -> Result<(), StoreError> {
        let (access, _owner) = (owner, owner.id());
        let page = [(item.to_owned(), Some(answer.clone()))];
        self.save_page(access, instrument, id, &page, next_position)
            .await
    }

    async fn save_page(
        &self,
        owner: Owner,
        instrument: &Instrument,
        id: AdministrationId,
        page: &[(String, Option<Answer>)],
        next_position: usize,
    ) -> Result<(), StoreError> {
        let owner = owner.id();
        // Only a text answer needs the data key.
        let mut key = self.lazy_key(owner);
        let mut rows = Vec::with_capacity(page.len());
        for (item, answer) in page {
            match answer {
                Some(answer) => {
                    check_answer(instrument, item, answer).map_err(|err| {
                        StoreError::invalid(item.as_str(), format!("administration {id}: {err}"))
                    })?;
                    let columns = match answer {
                        Answer::Value(value) => (Some(*value), None, None),
                        Answer::Code(code) => (None, None, Some(code.as_str())),
                        Answer::Text(_) => answer_columns(key.get().await?, id, item, answer)?,
                    };
                    rows.push((item, Some(columns)));
                }
                None => {
                    if instrument.item(item).is_none() {
                        return Err(StoreError::invalid(
                            item,
                            format!("`{item}` is not an item of {}", instrument.id),
                        ));
                    }
                    rows.push((item, None));
                }
            }
        }
        // The update locks the administration's row, so a page saved
        // beside its completion waits for it, then finds it finished.
        write_tx!(self, |tx| {
            let moved = sqlx::query(
                "UPDATE administrations SET position = $1
                 WHERE id = $2 AND owner_id = $3 AND instrument_id = $4 AND completed_at IS NULL",
            )
            .bind(next_position as i64)
            .bind(id.0)
            .bind(owner.0)
            .bind(instrument.id.as_str())
            .execute(&mut *tx)
            .await?;
            if moved.rows_affected() == 0 {
                return Err(StoreError::NotFound {
                    what: "unfinished administration",
                    id: id.0,
                });
            }
            for (item, columns) in &rows {
                match columns {
                    Some((value, text, code)) => {
                        sqlx::query(
                            "INSERT INTO answers (administration_id, item_id, value, text_sealed, code) VALUES ($1, $2, $3, $4, $5)
                             ON CONFLICT (administration_id, item_id) DO UPDATE SET
                                 value = excluded.value, text_sealed = excluded.text_sealed,
                                 code = excluded.code, answered_at = excluded.answered_at",
                        )
                        .bind(id.0)
                        .bind(item.as_str())
                        .bind(value)
                        .bind(text.as_deref())
                        .bind(code)
                        .execute(&mut *tx)
                        .await?;
                    }
                    None => {
                        sqlx::query(
                            "DELETE FROM answers WHERE administration_id = $1 AND item_id = $2",
                        )
                        .bind(id.0)
                        .bind(item.as_str())
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
        })
    }

    async fn clear_answer(
        &self,
        owner: Owner,
        instrument: &Instrument,
        id: AdministrationId,
        item: &str,
        next_position: usize,
    ) -> Result<(), StoreError> {
        let (access, _owner) = (owner, owner.id());
        let page = [(item.to_owned(), None)];
        self.save_page(access, instrument, id, &page, next_position)
            .await
    }

    async fn complete_administration(
        &self,
        owner: Owner,
        instrument: &Instrument,
        id: AdministrationId,
    ) -> Result<(), StoreError> {
        let owner = owner.id();
        Self::refuse_safety(instrument)?;
        // The finish first: it locks the administration's row, so no answer
        // can be saved (save_page updates that row first) between reading
        // the answers below, in the same transaction, and keeping their
        // scores. The data key is loaded before any row is locked: waiting
        // for it inside the transaction could deadlock with a deletion of
        // the account, which holds the key lock while it waits on the rows.
        // So that a refusal makes no key, the administration is looked for
        // first (and the finish below checks again).
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM administrations
             WHERE id = $1 AND owner_id = $2 AND completed_at IS NULL",
        )
        .bind(id.0)
        .bind(owner.0)
        .fetch_optional(&self.pool)
        .await?;
        if open.is_none() {
            return Err(StoreError::NotFound {
                what: "unfinished administration",
                id: id.0,
            });
        }
        let key = self.data_key(owner).await?;
        write_tx!(self, |tx| {
            let done = sqlx::query(
                "UPDATE administrations SET completed_at = statement_timestamp()
                 WHERE id = $1 AND owner_id = $2 AND completed_at IS NULL
                   AND instrument_id = $3 AND instrument_version = $4",
            )
            .bind(id.0)
            .bind(owner.0)
            .bind(instrument.id.as_str())
            .bind(&instrument.version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound {
                    what: "unfinished administration",
                    id: id.0,
                });
            }
            let loaded = self.loaded_key(owner, key.clone());
            let answers = self
                .read_answers(&mut *tx, owner, loaded, instrument, id)
                .await?;
            let scores = tandem_core::scoring::score(instrument, &answers)
                .map_err(|err| StoreError::corrupt(format!("administration {id}: {err}")))?;
            crate::scorings::write(tx, owner, id, &scores).await?;
        })
    }

    async fn administration(
        &self,
        owner: Owner,
        id: AdministrationId,
    ) -> Result<Administration, StoreError> {
        let owner = owner.id();
        let row = sqlx::query(concat!(
            "SELECT id, instrument_id, instrument_version, about_sealed, relationship_id, position, item_seed, ",
            moment!("started_at"),
            " AS started_at, ",
            moment!("completed_at"),
            " AS completed_at FROM administrations WHERE id = $1 AND owner_id = $2"
        ))
        .bind(id.0)
        .bind(owner.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound {
            what: "administration",
            id: id.0,
        })?;
        Self::administration_from(&*self.data_key(owner).await?, owner, &row)
    }

    async fn administrations(
        &self,
        owner: Owner,
        instrument: Option<&str>,
    ) -> Result<Vec<Administration>, StoreError> {
        let owner = owner.id();
        let rows = sqlx::query(concat!(
            "SELECT id, instrument_id, instrument_version, about_sealed, relationship_id, position, item_seed, ",
            moment!("started_at"),
            " AS started_at, ",
            moment!("completed_at"),
            " AS completed_at FROM administrations
                 WHERE owner_id = $1 AND ($2::text IS NULL OR instrument_id = $2) ORDER BY id"
        ))
        .bind(owner.0)
        .bind(instrument)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let key = self.data_key(owner).await?;
        rows.iter()
            .map(|row| Self::administration_from(&key, owner, row))
            .collect()
    }

    async fn latest_unfinished(
        &self,
        owner: Owner,
        instrument: &str,
    ) -> Result<Option<Administration>, StoreError> {
        let (access, _owner) = (owner, owner.id());
        Ok(self
            .administrations(access, Some(instrument))
            .await?
            .into_iter()
            .rev()
            .find(|administration| administration.completed_at.is_none()))
    }

    async fn answers(
        &self,
        owner: Owner,
        instrument: &Instrument,
        id: AdministrationId,
    ) -> Result<Answers, StoreError> {
        self.read_answers(
            &self.pool,
            owner.id(),
            self.lazy_key(owner.id()),
            instrument,
            id,
        )
        .await
    }
}

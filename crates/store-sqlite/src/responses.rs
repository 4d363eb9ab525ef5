//! Administrations of profile and check-in instruments, with their answers
//! written one by one, each in its own transaction, so that nothing given is
//! lost when a session stops.

use sqlx::Row;
use tandem_core::answers::{Answer, Answers, check_answer};
use tandem_core::instrument::{AnswerCode, Instrument, Kind};

use crate::columns::answer_columns;
use crate::prelude::*;
use crate::seal::Sealer;
use tandem_store::contexts::{about_context, text_context};

impl SqliteStore {
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
        row: &sqlx::sqlite::SqliteRow,
    ) -> Result<Administration, StoreError> {
        let about: Vec<u8> = row.try_get("about_sealed")?;
        let position: i64 = row.try_get("position")?;
        let relationship: Option<i64> = row.try_get("relationship_id")?;
        Ok(Administration {
            id: AdministrationId(row.try_get("id")?),
            instrument: row.try_get("instrument_id")?,
            version: row.try_get("instrument_version")?,
            about: key.open_text(&about_context(owner), &about)?,
            relationship: attached(relationship)?,
            position: usize::try_from(position).unwrap_or(0),
            started_at: row.try_get("started_at")?,
            completed_at: row.try_get("completed_at")?,
            item_seed: row.try_get("item_seed")?,
        })
    }
}

#[async_trait::async_trait]
impl tandem_store::engine::Administrations for SqliteStore {
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
        let relationship = self.relationship_for_about(&key, owner, about).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO administrations
                 (owner_id, instrument_id, instrument_version, about_sealed, relationship_id, item_seed)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(owner.0)
        .bind(instrument.id.as_str())
        .bind(&instrument.version)
        .bind(about_sealed)
        .bind(relationship.0)
        .bind(item_seed)
        .fetch_one(&self.writer)
        .await?;
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
        let relationship = self.relationship_for_about(&key, owner, about).await?;
        // One statement: of two racing copies of the form, one inserts and
        // the other finds its row.
        sqlx::query(
            "INSERT INTO administrations
                 (owner_id, instrument_id, instrument_version, about_sealed, relationship_id, form_key, item_seed)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (owner_id, form_key) WHERE form_key IS NOT NULL DO NOTHING",
        )
        .bind(owner.0)
        .bind(instrument.id.as_str())
        .bind(&instrument.version)
        .bind(about_sealed)
        .bind(relationship.0)
        .bind(form_key)
        .bind(tandem_store::item_seed(instrument, Some(form_key))?)
        .execute(&self.writer)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "SELECT id FROM administrations WHERE owner_id = ? AND form_key = ? AND instrument_id = ?",
        )
        .bind(owner.0)
        .bind(form_key)
        .bind(instrument.id.as_str())
        .fetch_optional(&self.writer)
        .await?
        .ok_or_else(|| StoreError::Conflict("that form key belongs to another form".to_owned()))?;
        self.administration(access, AdministrationId(id)).await
    }

    async fn administration_by_form_key(
        &self,
        owner: Owner,
        form_key: &str,
    ) -> Result<Option<Administration>, StoreError> {
        let (access, owner) = (owner, owner.id());
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM administrations WHERE owner_id = ? AND form_key = ?",
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
        let mut tx = self.writer.begin().await?;
        let done = sqlx::query("DELETE FROM administrations WHERE id = ? AND owner_id = ?")
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
        // Its kept scores went with it (cascade): a drawn trend is stale.
        crate::scorings::bump(&mut tx, owner).await?;
        tx.commit().await?;
        Ok(())
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
        let relationship = self.relationship_for_about(&key, owner, about).await?;
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = crate::group::Job {
            owner,
            instrument_id: instrument.id.to_string(),
            version: instrument.version.clone(),
            about_sealed,
            relationship,
            position: instrument.items.len() as i64,
            answers: answers
                .iter()
                .map(|(item, a)| (item.to_string(), a.clone()))
                .collect(),
            scores,
            key,
            reply,
        };
        self.recordings
            .send(job)
            .await
            .map_err(|_| StoreError::Unavailable("the store is closing".into()))?;
        let recorded = answer
            .await
            .map_err(|_| StoreError::Unavailable("the store is closing".into()))??;
        let (id, row_started, row_completed) =
            (recorded.id, recorded.started_at, recorded.completed_at);
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
        let mut tx = self.writer.begin().await?;
        let moved = sqlx::query(
            "UPDATE administrations SET position = ?
             WHERE id = ? AND owner_id = ? AND instrument_id = ? AND completed_at IS NULL",
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
        for (item, columns) in rows {
            match columns {
                Some((value, text, code)) => {
                    sqlx::query(
                        "INSERT INTO answers (administration_id, item_id, value, text_sealed, code) VALUES (?, ?, ?, ?, ?)
                         ON CONFLICT (administration_id, item_id) DO UPDATE SET
                             value = excluded.value, text_sealed = excluded.text_sealed,
                             code = excluded.code, answered_at = excluded.answered_at",
                    )
                    .bind(id.0)
                    .bind(item.as_str())
                    .bind(value)
                    .bind(text)
                    .bind(code)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM answers WHERE administration_id = ? AND item_id = ?")
                        .bind(id.0)
                        .bind(item.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
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
        let (access, owner) = (owner, owner.id());
        Self::refuse_safety(instrument)?;
        // The finish first: it takes the one writer and SQLite's write lock,
        // so no answer can be saved between reading the answers below and
        // keeping their scores.
        let mut tx = self.writer.begin().await?;
        let done = sqlx::query(
            "UPDATE administrations SET completed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ? AND owner_id = ? AND completed_at IS NULL
               AND instrument_id = ? AND instrument_version = ?",
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
        // Read through the pool, which sees what is committed: with the
        // writer held, that cannot change. (Reading needs the data key only
        // for a written answer, which was sealed with it, so it never has
        // to make one through the writer held here.)
        let answers = self.answers(access, instrument, id).await?;
        let scores = tandem_core::scoring::score(instrument, &answers)
            .map_err(|err| StoreError::corrupt(format!("administration {id}: {err}")))?;
        crate::scorings::write(&mut tx, owner, id, &scores).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn administration(
        &self,
        owner: Owner,
        id: AdministrationId,
    ) -> Result<Administration, StoreError> {
        let owner = owner.id();
        let row = sqlx::query(
            "SELECT id, instrument_id, instrument_version, about_sealed, relationship_id, position, item_seed,
                    started_at, completed_at
             FROM administrations WHERE id = ? AND owner_id = ?",
        )
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
        let rows = sqlx::query(
            "SELECT id, instrument_id, instrument_version, about_sealed, relationship_id, position, item_seed,
                    started_at, completed_at
             FROM administrations
             WHERE owner_id = ? AND (? IS NULL OR instrument_id = ?) ORDER BY id",
        )
        .bind(owner.0)
        .bind(instrument)
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
        let owner = owner.id();
        // Scoped by owner through the administration row, in the same
        // query: no row at all is "not found", one row with no item is an
        // administration without answers.
        let rows = sqlx::query(
            "SELECT a.item_id, a.value, a.text_sealed, a.code
             FROM administrations d LEFT JOIN answers a ON a.administration_id = d.id
             WHERE d.id = ? AND d.owner_id = ? ORDER BY a.item_id",
        )
        .bind(id.0)
        .bind(owner.0)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound {
                what: "administration",
                id: id.0,
            });
        }
        let mut answers = Answers::new();
        let mut key = self.lazy_key(owner);
        for row in rows {
            let Some(item): Option<String> = row.try_get("item_id")? else {
                continue;
            };
            let value: Option<i64> = row.try_get("value")?;
            let text: Option<Vec<u8>> = row.try_get("text_sealed")?;
            let code: Option<String> = row.try_get("code")?;
            let answer = match (value, text, code) {
                (Some(value), _, _) => Answer::Value(value),
                (None, Some(sealed), _) => Answer::Text(
                    key.get()
                        .await?
                        .open_text(&text_context(id, &item), &sealed)?,
                ),
                (None, None, Some(code)) => {
                    Answer::Code(AnswerCode::parse(&code).ok_or_else(|| {
                        StoreError::corrupt(format!("administration {id}: unknown code `{code}`"))
                    })?)
                }
                (None, None, None) => continue,
            };
            answers
                .set(instrument, &item, answer)
                .map_err(|err| StoreError::corrupt(format!("administration {id}: {err}")))?;
        }
        Ok(answers)
    }
}

/// The relationship an administration row belongs to: every row has one
/// once the store is open (the upgrade step attaches older rows).
pub(crate) fn attached(
    relationship: Option<i64>,
) -> Result<tandem_store::RelationshipId, StoreError> {
    relationship
        .map(tandem_store::RelationshipId)
        .ok_or_else(|| StoreError::corrupt("an administration with no relationship"))
}

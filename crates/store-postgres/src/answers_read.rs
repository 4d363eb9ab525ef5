//! Reading an administration's answers back, through the pool or inside a
//! transaction that must see its own writes (the one that completes it).

use sqlx::Row;
use tandem_core::answers::{Answer, Answers};
use tandem_core::instrument::{AnswerCode, Instrument};

use crate::prelude::*;
use tandem_store::contexts::text_context;

impl PgStore {
    /// The answers of `owner`'s administration `id`, read through `db`
    /// (the pool, or a transaction that must see its own writes).
    pub(crate) async fn read_answers(
        &self,
        db: impl sqlx::PgExecutor<'_>,
        owner: UserId,
        mut key: crate::keys::LazyKey<'_>,
        instrument: &Instrument,
        id: AdministrationId,
    ) -> Result<Answers, StoreError> {
        // Scoped by owner through the administration row, in the same
        // query: no row at all is "not found", one row with no item is an
        // administration without answers.
        let rows = sqlx::query(
            "SELECT a.item_id, a.value, a.text_sealed, a.code
             FROM administrations d LEFT JOIN answers a ON a.administration_id = d.id
             WHERE d.id = $1 AND d.owner_id = $2 ORDER BY a.item_id",
        )
        .bind(id.0)
        .bind(owner.0)
        .fetch_all(db)
        .await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound {
                what: "administration",
                id: id.0,
            });
        }
        let mut answers = Answers::new();
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

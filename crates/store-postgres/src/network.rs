//! The support map: the people a person leans on, with names sealed at rest.

use std::collections::BTreeMap;

use sqlx::Row;
use tandem_core::network::{Domain, Level, Role, Supporter};

use crate::prelude::*;
use tandem_store::contexts::name_context;

#[async_trait::async_trait]
impl tandem_store::engine::SupportMap for PgStore {
    async fn add_supporter(
        &self,
        owner: Owner,
        supporter: &Supporter,
    ) -> Result<SupporterId, StoreError> {
        let owner = owner.id();
        let name = self
            .data_key(owner)
            .await?
            .seal_text(&name_context(owner), &supporter.name)?;
        let id = write_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO supporters (owner_id, name_sealed, role) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(owner.0)
            .bind(&name)
            .bind(supporter.role.as_str())
            .fetch_one(&mut *tx)
            .await?;
            for domain in Domain::ALL {
                let (on, back) = (supporter.level_on(domain), supporter.level_back(domain));
                if on.get() == 0 && back.get() == 0 {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO reliance (supporter_id, domain, leans_on, leans_back) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(domain.as_str())
                .bind(i64::from(on.get()))
                .bind(i64::from(back.get()))
                .execute(&mut *tx)
                .await?;
            }
            id
        })?;
        Ok(SupporterId(id))
    }

    async fn remove_supporter(&self, owner: Owner, id: SupporterId) -> Result<(), StoreError> {
        let owner = owner.id();
        let gone = write_tx!(self, |tx| {
            sqlx::query("DELETE FROM supporters WHERE id = $1 AND owner_id = $2")
                .bind(id.0)
                .bind(owner.0)
                .execute(&mut *tx)
                .await?
        })?;
        if gone.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "person",
                id: id.0,
            });
        }
        Ok(())
    }

    async fn support_map(&self, owner: Owner) -> Result<Vec<(SupporterId, Supporter)>, StoreError> {
        let owner = owner.id();
        let people = sqlx::query(
            "SELECT id, name_sealed, role FROM supporters WHERE owner_id = $1 ORDER BY id",
        )
        .bind(owner.0)
        .fetch_all(&self.pool)
        .await?;
        let levels = sqlx::query(
            "SELECT r.supporter_id, r.domain, r.leans_on, r.leans_back
             FROM reliance r JOIN supporters s ON s.id = r.supporter_id
             WHERE s.owner_id = $1",
        )
        .bind(owner.0)
        .fetch_all(&self.pool)
        .await?;
        let mut by_person: BTreeMap<i64, Vec<(Domain, Level, Level)>> = BTreeMap::new();
        for row in levels {
            let domain: String = row.try_get("domain")?;
            let domain: Domain =
                domain
                    .parse()
                    .map_err(|err: tandem_core::network::UnknownDomain| {
                        StoreError::corrupt(err.to_string())
                    })?;
            let level = |column: &str| -> Result<Level, StoreError> {
                let value: i64 = row.try_get(column)?;
                u8::try_from(value)
                    .ok()
                    .and_then(|value| Level::new(value).ok())
                    .ok_or_else(|| StoreError::corrupt(format!("reliance level {value}")))
            };
            by_person
                .entry(row.try_get("supporter_id")?)
                .or_default()
                .push((domain, level("leans_on")?, level("leans_back")?));
        }
        let mut map = Vec::new();
        let mut key = self.lazy_key(owner);
        for row in people {
            let id: i64 = row.try_get("id")?;
            let sealed: Vec<u8> = row.try_get("name_sealed")?;
            let role: String = row.try_get("role")?;
            let role: Role = role
                .parse()
                .map_err(|err: tandem_core::network::UnknownRole| {
                    StoreError::corrupt(err.to_string())
                })?;
            let name = key.get().await?.open_text(&name_context(owner), &sealed)?;
            let mut supporter = Supporter::new(name, role);
            // A row holds both directions, but a 0 means "not given": leave
            // it out, as `add_supporter` does, so a person reads back as added.
            for (domain, on, back) in by_person.remove(&id).unwrap_or_default() {
                if on != Level::ZERO {
                    supporter.leans_on.insert(domain, on);
                }
                if back != Level::ZERO {
                    supporter.leans_back.insert(domain, back);
                }
            }
            map.push((SupporterId(id), supporter));
        }
        Ok(map)
    }
}

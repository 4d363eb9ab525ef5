//! A person's settings that are not about their answers: for now the time
//! zone their pages show moments in, sealed with their data key.

use tandem_core::moments::{MAX_ZONE_CHARS, TimeZoneName};
use zeroize::Zeroizing;

use crate::prelude::*;
use tandem_store::contexts::zone_context;

#[async_trait::async_trait]
impl tandem_store::engine::Preferences for PgStore {
    async fn time_zone(&self, owner: Owner) -> Result<Option<TimeZoneName>, StoreError> {
        let owner = owner.id();
        let sealed: Option<Option<Vec<u8>>> =
            sqlx::query_scalar("SELECT time_zone_sealed FROM users WHERE id = $1")
                .bind(owner.0)
                .fetch_optional(&self.pool)
                .await?;
        let Some(sealed) = sealed else {
            return Err(StoreError::NotFound {
                what: "user",
                id: owner.0,
            });
        };
        let Some(sealed) = sealed else {
            return Ok(None);
        };
        let key = self.data_key(owner).await?;
        let name = Zeroizing::new(key.open_text(&zone_context(owner), &sealed)?);
        Ok(Some(TimeZoneName::parse(&name).unwrap_or_default()))
    }

    async fn set_time_zone(&self, owner: Owner, zone: &TimeZoneName) -> Result<(), StoreError> {
        let owner = owner.id();
        let key = self.data_key(owner).await?;
        let padded = Zeroizing::new(format!("{:<width$}", zone.as_str(), width = MAX_ZONE_CHARS));
        let sealed = key.seal_text(&zone_context(owner), &padded)?;
        let changed = write_tx!(self, |tx| {
            sqlx::query("UPDATE users SET time_zone_sealed = $1 WHERE id = $2")
                .bind(&sealed)
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

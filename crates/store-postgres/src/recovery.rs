//! Recovery codes: stored as hashes only, found by a selector, each usable
//! once. The web crate makes and checks the codes; this keeps their rows.

use crate::prelude::*;

#[async_trait::async_trait]
impl tandem_store::engine::RecoveryCodes for PgStore {
    async fn replace_recovery_codes(
        &self,
        user: Owner,
        codes: &[RecoveryHash],
        now: i64,
    ) -> Result<(), StoreError> {
        let user = user.id();
        write_tx!(self, |tx| {
            // One replacement at a time per person: two at once would
            // otherwise each delete only the old set and leave both new ones.
            sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE")
                .bind(user.0)
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
            for code in codes {
                // A gone user breaks the foreign key: `NotFound`.
                sqlx::query(
                    "INSERT INTO recovery_codes (user_id, selector, code_hash, created_unix)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(user.0)
                .bind(&code.selector)
                .bind(&code.hash)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        })
    }

    async fn recovery_hash(
        &self,
        user: UserId,
        selector: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT code_hash FROM recovery_codes WHERE user_id = $1 AND selector = $2",
        )
        .bind(user.0)
        .bind(selector)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn use_recovery_code(&self, user: Owner, selector: &str) -> Result<bool, StoreError> {
        let user = user.id();
        // A lost commit is not retried, so a code is never counted as used
        // twice: the caller hears `Unavailable` instead.
        let gone = write_tx!(self, |tx| {
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1 AND selector = $2")
                .bind(user.0)
                .bind(selector)
                .execute(&mut *tx)
                .await?
        })?;
        Ok(gone.rows_affected() == 1)
    }

    async fn recover_with_code(
        &self,
        user: UserId,
        selector: &str,
        new_hash: &str,
    ) -> Result<bool, StoreError> {
        check_phc(new_hash)?;
        write_tx!(self, |tx| {
            // The delete locks the code's row: of two racing requests, the
            // second waits, then finds it gone.
            let spent =
                sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1 AND selector = $2")
                    .bind(user.0)
                    .bind(selector)
                    .execute(&mut *tx)
                    .await?;
            if spent.rows_affected() != 1 {
                return Ok(false);
            }
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(new_hash)
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
            true
        })
    }

    async fn recovery_codes_left(&self, user: Owner) -> Result<u64, StoreError> {
        let user = user.id();
        let left: i64 =
            sqlx::query_scalar("SELECT count(*) FROM recovery_codes WHERE user_id = $1")
                .bind(user.0)
                .fetch_one(&self.pool)
                .await?;
        Ok(u64::try_from(left).unwrap_or(0))
    }
}

//! Recovery codes: stored as hashes only, found by a selector, each usable
//! once. The web crate makes and checks the codes; this keeps their rows.

use crate::{Owner, Store, StoreError, UserId};

/// One code as it is kept: the selector and the hash of the secret part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryHash {
    /// The code's first group, which finds it.
    pub selector: String,
    /// The Argon2id PHC string of the rest.
    pub hash: String,
}

impl Store {
    /// Replaces every recovery code of `user` with `codes`, in one
    /// transaction: the old ones stop working as the new ones start.
    /// `NotFound` when there is no such user.
    pub async fn replace_recovery_codes(
        &self,
        user: Owner,
        codes: &[RecoveryHash],
        now: i64,
    ) -> Result<(), StoreError> {
        let user = user.id();
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = ?")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        for code in codes {
            sqlx::query(
                "INSERT INTO recovery_codes (user_id, selector, code_hash, created_unix)
                 VALUES (?, ?, ?, ?)",
            )
            .bind(user.0)
            .bind(&code.selector)
            .bind(&code.hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The hash of `user`'s code with this selector, if they have one.
    pub async fn recovery_hash(
        &self,
        user: UserId,
        selector: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT code_hash FROM recovery_codes WHERE user_id = ? AND selector = ?",
        )
        .bind(user.0)
        .bind(selector)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Uses up a code: `true` when it was still there (and now is not), so
    /// two requests racing with one code cannot both succeed.
    pub async fn use_recovery_code(&self, user: Owner, selector: &str) -> Result<bool, StoreError> {
        let user = user.id();
        let gone = sqlx::query("DELETE FROM recovery_codes WHERE user_id = ? AND selector = ?")
            .bind(user.0)
            .bind(selector)
            .execute(&self.writer)
            .await?;
        Ok(gone.rows_affected() == 1)
    }

    /// Gets `user` back in with the code `selector`, in one transaction:
    /// the code is spent, the password set to `new_hash`, and every session
    /// ended (with whatever they held). `false`, and nothing changed, when
    /// the code was already spent — two requests racing with one code
    /// cannot both win.
    pub async fn recover_with_code(
        &self,
        user: UserId,
        selector: &str,
        new_hash: &str,
    ) -> Result<bool, StoreError> {
        crate::accounts::check_phc(new_hash)?;
        let mut tx = self.writer.begin().await?;
        let spent = sqlx::query("DELETE FROM recovery_codes WHERE user_id = ? AND selector = ?")
            .bind(user.0)
            .bind(selector)
            .execute(&mut *tx)
            .await?;
        if spent.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(new_hash)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// How many unused codes `user` has.
    pub async fn recovery_codes_left(&self, user: Owner) -> Result<u64, StoreError> {
        let user = user.id();
        let left: i64 = sqlx::query_scalar("SELECT count(*) FROM recovery_codes WHERE user_id = ?")
            .bind(user.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(left).unwrap_or(0))
    }
}

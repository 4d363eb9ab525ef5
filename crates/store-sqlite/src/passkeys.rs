//! Passkeys and their ceremonies.

use tandem_store::PasskeyId;
use tandem_store::passkeys::{Ceremony, CeremonyRow, PasskeyRecord, taken};

use crate::prelude::*;

type Row = (i64, Vec<u8>, String, String, i64, Option<i64>);

fn record(
    (id, credential_id, credential, label, created_unix, last_used_unix): Row,
) -> PasskeyRecord {
    PasskeyRecord {
        id: PasskeyId(id),
        credential_id,
        credential,
        label,
        created_unix,
        last_used_unix,
    }
}

#[async_trait::async_trait]
impl tandem_store::engine::Passkeys for SqliteStore {
    async fn add_passkey(
        &self,
        owner: Owner,
        credential_id: &[u8],
        credential: &str,
        label: &str,
        now: i64,
    ) -> Result<PasskeyId, StoreError> {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO passkeys (user_id, credential_id, credential, label, created_unix)
             SELECT id, ?, ?, ?, ? FROM users WHERE id = ?
             ON CONFLICT (credential_id) DO NOTHING RETURNING id",
        )
        .bind(credential_id)
        .bind(credential)
        .bind(label)
        .bind(now)
        .bind(owner.id().0)
        .fetch_optional(&self.writer)
        .await?;
        id.map(PasskeyId).ok_or_else(taken)
    }

    async fn passkeys(&self, owner: Owner) -> Result<Vec<PasskeyRecord>, StoreError> {
        self.sign_in_passkeys(owner.id()).await
    }

    async fn sign_in_passkeys(&self, user: UserId) -> Result<Vec<PasskeyRecord>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, credential_id, credential, label, created_unix, last_used_unix
             FROM passkeys WHERE user_id = ? ORDER BY id",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(record).collect())
    }

    async fn passkey_used(
        &self,
        user: UserId,
        credential_id: &[u8],
        credential: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE passkeys SET credential = ?, last_used_unix = ?
             WHERE user_id = ? AND credential_id = ?",
        )
        .bind(credential)
        .bind(now)
        .bind(user.0)
        .bind(credential_id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn remove_passkey(&self, owner: Owner, id: PasskeyId) -> Result<(), StoreError> {
        let gone = sqlx::query("DELETE FROM passkeys WHERE id = ? AND user_id = ?")
            .bind(id.0)
            .bind(owner.id().0)
            .execute(&self.writer)
            .await?;
        if gone.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "passkey",
                id: id.0,
            });
        }
        Ok(())
    }

    async fn keep_ceremony(
        &self,
        key_hash: &[u8; 32],
        user: UserId,
        purpose: Ceremony,
        state: &str,
        now: i64,
        expires_unix: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_unix <= ?")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let made = sqlx::query(
            "INSERT INTO passkey_ceremonies (key_hash, user_id, purpose, state, expires_unix)
             SELECT ?, id, ?, ?, ? FROM users WHERE id = ?",
        )
        .bind(&key_hash[..])
        .bind(purpose.as_str())
        .bind(state)
        .bind(expires_unix)
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
        if made.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "account",
                id: user.0,
            });
        }
        tx.commit().await?;
        Ok(())
    }

    async fn take_ceremony(
        &self,
        key_hash: &[u8; 32],
        purpose: Ceremony,
        now: i64,
    ) -> Result<Option<CeremonyRow>, StoreError> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "DELETE FROM passkey_ceremonies
             WHERE key_hash = ? AND purpose = ? AND expires_unix > ?
             RETURNING user_id, state",
        )
        .bind(&key_hash[..])
        .bind(purpose.as_str())
        .bind(now)
        .fetch_optional(&self.writer)
        .await?;
        Ok(row.map(|(user, state)| CeremonyRow {
            user: UserId(user),
            state,
        }))
    }
}

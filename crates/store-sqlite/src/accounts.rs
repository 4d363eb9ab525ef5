//! Accounts for the web app: user names parsed once at the edge, the
//! password hash kept as the PHC string the web crate made, and the deletion
//! of an account with everything of theirs.
//!
//! Hashing and checking passwords is the web crate's work; the store never
//! sees a password.

use tandem_store::audit::{AuditKind, Event};
use tandem_store::{AccountRole, Standing};

use crate::prelude::*;

#[async_trait::async_trait]
impl tandem_store::engine::Accounts for SqliteStore {
    async fn create_account_as(
        &self,
        name: &UserName,
        password_hash: &str,
        role: AccountRole,
        now: i64,
    ) -> Result<UserId, StoreError> {
        check_phc(password_hash)?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO users (id, name, password_hash, created_unix, role) VALUES (
                 max((SELECT coalesce(max(id), 0) FROM users),
                     (SELECT coalesce(max(id), 0) FROM high_water WHERE tbl = 'users')) + 1,
                 ?, ?, ?, ?)
             ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(name.as_str())
        .bind(password_hash)
        .bind(now)
        .bind(role.as_str())
        .fetch_optional(&self.writer)
        .await?;
        id.map(UserId)
            .ok_or_else(|| StoreError::Conflict(AccountError::NameTaken.to_string()))
    }

    async fn standing(&self, user: Owner) -> Result<Standing, StoreError> {
        let row: Option<(String, Option<i64>)> =
            sqlx::query_as("SELECT role, approved_unix FROM users WHERE id = ?")
                .bind(user.id().0)
                .fetch_optional(&self.pool)
                .await?;
        let (role, approved_unix) = row.ok_or(StoreError::NotFound {
            what: "account",
            id: user.id().0,
        })?;
        Ok(Standing {
            role: AccountRole::stored(&role)?,
            approved_unix,
        })
    }

    async fn account_by_name(
        &self,
        name: &UserName,
    ) -> Result<Option<(UserId, String)>, StoreError> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, password_hash FROM users WHERE name = ? AND password_hash IS NOT NULL",
        )
        .bind(name.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, hash)| (UserId(id), hash)))
    }

    async fn password_hash(&self, user: Owner) -> Result<String, StoreError> {
        let user = user.id();
        let hash: Option<String> = sqlx::query_scalar(
            "SELECT password_hash FROM users WHERE id = ? AND password_hash IS NOT NULL",
        )
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await?;
        hash.ok_or(StoreError::NotFound {
            what: "account",
            id: user.0,
        })
    }

    async fn set_password_hash(&self, user: Owner, hash: &str) -> Result<(), StoreError> {
        let user = user.id();
        check_phc(hash)?;
        let changed = sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(hash)
            .bind(user.0)
            .execute(&self.writer)
            .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "user",
                id: user.0,
            });
        }
        Ok(())
    }

    async fn user_name(&self, user: Owner) -> Result<String, StoreError> {
        let user = user.id();
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE id = ?")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?;
        name.ok_or(StoreError::NotFound {
            what: "user",
            id: user.0,
        })
    }

    async fn delete_account(&self, user: Owner, now: i64) -> Result<(), StoreError> {
        let user = user.id();
        // The throttle counts a name under a keyed hash of it (no foreign
        // key: unknown names are throttled too). The key is made before the
        // transaction, which holds the one writer the hashing secret may need.
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE id = ?")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?;
        let throttled = match &name {
            Some(name) => Some(self.throttle_key("user", name).await?),
            None => None,
        };
        self.deleting_user(user, async {
            let mut tx = self.writer.begin().await?;
            if let Some(key) = &throttled {
                sqlx::query("DELETE FROM login_failures WHERE key = ?")
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
            }
            // Each partner's chain says the link ended; then their links go
            // whole, the other side and its marks with them: a link with
            // one side left would be nobody's.
            let partners: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT o.link_id, o.owner_id FROM link_sides s
                 JOIN links l ON l.id = s.link_id AND l.ended_unix IS NULL
                 JOIN link_sides o ON o.link_id = s.link_id AND o.owner_id <> s.owner_id
                 WHERE s.owner_id = ?",
            )
            .bind(user.0)
            .fetch_all(&mut *tx)
            .await?;
            if let Some(name) = &name {
                for (link, partner) in partners {
                    let event = Event::new(AuditKind::Unlinked, name.clone(), "account deleted")
                        .about(link);
                    crate::audit::append(&mut tx, partner, now, event).await?;
                }
            }
            crate::audit::replace_with_tombstone(&mut tx, user, now).await?;
            crate::counsel::leave_former_client(&mut tx, user, now).await?;
            sqlx::query(
                "DELETE FROM links WHERE id IN (SELECT link_id FROM link_sides WHERE owner_id = ?)",
            )
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
            let gone = sqlx::query("DELETE FROM users WHERE id = ?")
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
            if gone.rows_affected() == 0 {
                return Err(StoreError::NotFound {
                    what: "user",
                    id: user.0,
                });
            }
            tx.commit().await?;
            // The account's old pages live on in the WAL, and in the
            // database file until a checkpoint copies the zeroed versions
            // (`secure_delete`) over them; as for a deleted safety screen, a
            // truncating checkpoint now leaves nothing of it in any file.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.writer)
                .await?;
            Ok(())
        })
        .await
    }
}

impl SqliteStore {
    /// Approves counsellor `name` (see [`Operations::approve_counsellor`](tandem_store::engine::Operations::approve_counsellor)).
    pub(crate) async fn approve(&self, name: &UserName, now: i64) -> Result<(), StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let row: Option<(i64, String)> = sqlx::query_as(
            "UPDATE users SET approved_unix = CASE WHEN role = 'counsellor'
                 THEN coalesce(approved_unix, ?) ELSE approved_unix END
             WHERE name = ? AND password_hash IS NOT NULL
             RETURNING id, role",
        )
        .bind(now)
        .bind(name.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        tandem_store::shares::approved(row.as_ref().map(|(_, role)| role.as_str()), name)?;
        if let Some((id, _)) = row {
            let event = tandem_store::audit::approval(name).about(id);
            crate::audit::append(&mut tx, tandem_store::audit::OPERATOR_CHAIN, now, event).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

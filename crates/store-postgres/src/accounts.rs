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
impl tandem_store::engine::Accounts for PgStore {
    async fn create_account_as(
        &self,
        name: &UserName,
        password_hash: &str,
        role: AccountRole,
        now: i64,
    ) -> Result<UserId, StoreError> {
        check_phc(password_hash)?;
        // The id comes from the identity, which never hands one out twice.
        let id: Option<i64> = write_tx!(self, |tx| {
            sqlx::query_scalar(
                "INSERT INTO users (name, password_hash, created_unix, role)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (name) DO NOTHING RETURNING id",
            )
            .bind(name.as_str())
            .bind(password_hash)
            .bind(now)
            .bind(role.as_str())
            .fetch_optional(&mut *tx)
            .await?
        })?;
        id.map(UserId)
            .ok_or_else(|| StoreError::Conflict(AccountError::NameTaken.to_string()))
    }

    async fn standing(&self, user: Owner) -> Result<Standing, StoreError> {
        let row: Option<(String, Option<i64>)> =
            sqlx::query_as("SELECT role, approved_unix FROM users WHERE id = $1")
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
            "SELECT id, password_hash FROM users WHERE name = $1 AND password_hash IS NOT NULL",
        )
        .bind(name.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, hash)| (UserId(id), hash)))
    }

    async fn password_hash(&self, user: Owner) -> Result<String, StoreError> {
        let user = user.id();
        let hash: Option<String> = sqlx::query_scalar(
            "SELECT password_hash FROM users WHERE id = $1 AND password_hash IS NOT NULL",
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
        let changed = write_tx!(self, |tx| {
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(user.0)
                .execute(&mut *tx)
                .await?
        })?;
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
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
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
        // key: unknown names are throttled too).
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?;
        let throttled = match &name {
            Some(name) => Some(self.throttle_key("user", name).await?),
            None => None,
        };
        // Everything of theirs goes by `ON DELETE CASCADE`. PostgreSQL has
        // no `secure_delete`: the dead rows stay in the heap until vacuumed
        // and reused, and in the WAL and any archive or replica. The sealed
        // columns cannot be opened once the data key is gone with the
        // account; the plain ones (item values, times) linger until then.
        self.deleting_user(user, async {
            write_tx!(self, |tx| {
                if let Some(key) = &throttled {
                    sqlx::query("DELETE FROM login_failures WHERE key = $1")
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                }
                // Each partner's chain says the link ended; then their links
                // go whole, the other side and its marks with them: a link
                // with one side left would be nobody's.
                let partners: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT o.link_id, o.owner_id FROM link_sides s
                     JOIN links l ON l.id = s.link_id AND l.ended_unix IS NULL
                     JOIN link_sides o ON o.link_id = s.link_id AND o.owner_id <> s.owner_id
                     WHERE s.owner_id = $1 ORDER BY o.owner_id",
                )
                .bind(user.0)
                .fetch_all(&mut *tx)
                .await?;
                if let Some(name) = &name {
                    for &(link, partner) in &partners {
                        let event =
                            Event::new(AuditKind::Unlinked, name.clone(), "account deleted")
                                .about(link);
                        crate::audit::append(tx, partner, now, event).await?;
                    }
                }
                crate::audit::replace_with_tombstone(tx, user, now).await?;
                crate::counsel::leave_former_client(tx, user, now).await?;
                sqlx::query(
                    "DELETE FROM links
                     WHERE id IN (SELECT link_id FROM link_sides WHERE owner_id = $1)",
                )
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
                let gone = sqlx::query("DELETE FROM users WHERE id = $1")
                    .bind(user.0)
                    .execute(&mut *tx)
                    .await?;
                if gone.rows_affected() == 0 {
                    return Err(StoreError::NotFound {
                        what: "user",
                        id: user.0,
                    });
                }
            })
        })
        .await
    }
}

impl PgStore {
    /// Approves counsellor `name` (see [`Operations::approve_counsellor`](tandem_store::engine::Operations::approve_counsellor)).
    pub(crate) async fn approve(&self, name: &UserName, now: i64) -> Result<(), StoreError> {
        write_tx!(self, |tx| {
            let row: Option<(i64, String)> = sqlx::query_as(
                "UPDATE users SET approved_unix = CASE WHEN role = 'counsellor'
                     THEN coalesce(approved_unix, $1) ELSE approved_unix END
                 WHERE name = $2 AND password_hash IS NOT NULL
                 RETURNING id, role",
            )
            .bind(now)
            .bind(name.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            tandem_store::shares::approved(row.as_ref().map(|(_, role)| role.as_str()), name)?;
            if let Some((id, _)) = row {
                let event = tandem_store::audit::approval(name).about(id);
                crate::audit::append(tx, tandem_store::audit::OPERATOR_CHAIN, now, event).await?;
            }
        })
    }
}

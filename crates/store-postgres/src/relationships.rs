//! A person's relationships, with names sealed at rest, and the step that
//! attaches administrations from before relationships were kept.

use sqlx::Row;
use tandem_core::input::About;
use tandem_core::relationship::{Role, role_for_about};
use tandem_store::contexts::about_context;
use tandem_store::relationships::{by_id, check_new_name, from_row, named, seal_name};
use tandem_store::{Relationship, RelationshipId};

use crate::prelude::*;
use crate::seal::Sealer;

/// Holds the owner's row for the rest of the transaction, so that two
/// first uses of one name (on any instance) make one relationship: the
/// second waits, then finds the first's. `NO KEY UPDATE` does not block
/// the owner's other writes, which only take `KEY SHARE` through their
/// foreign keys.
/// `NotFound` unless `relationship` is `owner`'s, read on the caller's
/// connection (inside its transaction, when it has one).
pub(crate) async fn ensure_theirs(
    conn: &mut sqlx::PgConnection,
    owner: UserId,
    relationship: RelationshipId,
) -> Result<(), StoreError> {
    let theirs: Option<i64> =
        sqlx::query_scalar("SELECT id FROM relationships WHERE id = $1 AND owner_id = $2")
            .bind(relationship.0)
            .bind(owner.0)
            .fetch_optional(&mut *conn)
            .await?;
    match theirs {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound {
            what: "relationship",
            id: relationship.0,
        }),
    }
}

async fn hold_owner(conn: &mut sqlx::PgConnection, owner: UserId) -> Result<(), StoreError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE")
            .bind(owner.0)
            .fetch_optional(&mut *conn)
            .await?;
    found.map(|_| ()).ok_or(StoreError::NotFound {
        what: "user",
        id: owner.0,
    })
}

/// Every relationship of `owner`, oldest first, read on `conn`.
async fn relationships_on(
    conn: &mut sqlx::PgConnection,
    key: &Sealer,
    owner: UserId,
) -> Result<Vec<Relationship>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, role, name_sealed FROM relationships WHERE owner_id = $1 ORDER BY id",
    )
    .bind(owner.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            let sealed: Vec<u8> = row.try_get("name_sealed")?;
            from_row(key, owner, row.try_get("id")?, &role, &sealed)
        })
        .collect()
}

/// Adds a relationship on `conn`, inside the caller's transaction.
async fn insert(
    conn: &mut sqlx::PgConnection,
    key: &Sealer,
    owner: UserId,
    role: Role,
    name: &str,
) -> Result<RelationshipId, StoreError> {
    let sealed = seal_name(key, owner, name)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO relationships (owner_id, role, name_sealed) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(owner.0)
    .bind(role.as_str())
    .bind(sealed)
    .fetch_one(&mut *conn)
    .await?;
    Ok(RelationshipId(id))
}

/// The relationship an administration "about" `about` belongs to, inside
/// the caller's transaction: the one of that name, made (with
/// [`role_for_about`]) when there is none. Only making one holds the
/// owner's row: a name already kept is found without a lock, so one
/// person's writes do not queue on each other.
pub(crate) async fn for_about(
    conn: &mut sqlx::PgConnection,
    key: &Sealer,
    owner: UserId,
    about: &str,
) -> Result<RelationshipId, StoreError> {
    if let Some(found) = named(&relationships_on(conn, key, owner).await?, about) {
        return Ok(found.id);
    }
    hold_owner(conn, owner).await?;
    let kept = relationships_on(conn, key, owner).await?;
    match named(&kept, about) {
        Some(found) => Ok(found.id),
        None => insert(conn, key, owner, role_for_about(about), about).await,
    }
}

#[async_trait::async_trait]
impl tandem_store::engine::Relationships for PgStore {
    async fn create_relationship(
        &self,
        owner: Owner,
        role: Role,
        name: &About,
    ) -> Result<Relationship, StoreError> {
        let owner = owner.id();
        let key = self.data_key(owner).await?;
        let id = write_tx!(self, |tx| {
            hold_owner(tx, owner).await?;
            let kept = relationships_on(tx, &key, owner).await?;
            check_new_name(&kept, name.as_str())?;
            insert(tx, &key, owner, role, name.as_str()).await?
        })?;
        Ok(Relationship {
            id,
            role,
            name: name.as_str().to_owned(),
        })
    }

    async fn relationship_for(
        &self,
        owner: Owner,
        name: &About,
    ) -> Result<RelationshipId, StoreError> {
        let owner = owner.id();
        let key = self.data_key(owner).await?;
        write_tx!(self, |tx| {
            for_about(tx, &key, owner, name.as_str()).await?
        })
    }

    async fn relationships(&self, owner: Owner) -> Result<Vec<Relationship>, StoreError> {
        let owner = owner.id();
        let key = self.data_key(owner).await?;
        let mut conn = self.pool.acquire().await?;
        relationships_on(&mut conn, &key, owner).await
    }

    async fn relationship(
        &self,
        owner: Owner,
        id: RelationshipId,
    ) -> Result<Relationship, StoreError> {
        by_id(self.relationships(owner).await?, id)
    }

    async fn set_relationship_role(
        &self,
        owner: Owner,
        id: RelationshipId,
        role: Role,
    ) -> Result<(), StoreError> {
        let changed = write_tx!(self, |tx| {
            sqlx::query("UPDATE relationships SET role = $1 WHERE id = $2 AND owner_id = $3")
                .bind(role.as_str())
                .bind(id.0)
                .bind(owner.id().0)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        })?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "relationship",
                id: id.0,
            });
        }
        Ok(())
    }

    async fn attach_administrations(&self) -> Result<usize, StoreError> {
        let rows = sqlx::query(
            "SELECT id, owner_id, about_sealed FROM administrations
             WHERE relationship_id IS NULL ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        for row in &rows {
            let (id, owner): (i64, i64) = (row.try_get("id")?, row.try_get("owner_id")?);
            let owner = UserId(owner);
            let sealed: Vec<u8> = row.try_get("about_sealed")?;
            let key = self.data_key(owner).await?;
            let about = key.open_text(&about_context(owner), &sealed)?;
            write_tx!(self, |tx| {
                let relationship = for_about(tx, &key, owner, &about).await?;
                sqlx::query(
                    "UPDATE administrations SET relationship_id = $1
                     WHERE id = $2 AND relationship_id IS NULL",
                )
                .bind(relationship.0)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            })?;
        }
        Ok(rows.len())
    }

    async fn save_us(
        &self,
        owner: Owner,
        relationship: RelationshipId,
        answers: &std::collections::BTreeMap<String, i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        self.save_us_answers(owner.id(), relationship, answers, now)
            .await
    }

    async fn us(
        &self,
        owner: Owner,
        relationship: RelationshipId,
    ) -> Result<std::collections::BTreeMap<String, i64>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Self::us_on(&mut conn, owner.id(), relationship).await
    }
}

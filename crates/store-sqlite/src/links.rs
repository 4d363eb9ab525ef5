//! Partner links on SQLite: invites, links with a side each, sharing
//! levels, marks, and what a partner's grant reads.

use std::collections::BTreeMap;

use sqlx::Row;
use tandem_core::scoring::SCORER_VERSION;
use tandem_store::guessing::{GuessingRead, SideWords, answers_guessed, consents};
use tandem_store::links::{
    Finished, PartnerRow, changed_one, check_linkable, latest_at, no_such_invite, shown,
};
use tandem_store::{
    Guessing, Invite, Link, LinkId, LinkLevel, Mark, PartnerGrant, PartnerScores, PartnerUs,
    RelationshipId,
};

use tandem_store::audit::AuditKind;

use crate::prelude::*;

/// The other side of a current link `?1` with a side of user `?2`.
pub(crate) const OTHER_SIDE: &str = "SELECT o.owner_id, o.relationship_id, o.sharing,
            s.guessing AS own_guessing, o.guessing AS other_guessing
     FROM link_sides s
     JOIN links l ON l.id = s.link_id AND l.ended_unix IS NULL
     JOIN link_sides o ON o.link_id = s.link_id AND o.owner_id <> s.owner_id
     WHERE s.link_id = ?1 AND s.owner_id = ?2";

impl SqliteStore {
    /// Checks on `conn` that `owner`'s `relationship` can be linked now.
    async fn check_linkable_on(
        conn: &mut sqlx::SqliteConnection,
        owner: UserId,
        relationship: RelationshipId,
    ) -> Result<(), StoreError> {
        let role: Option<String> =
            sqlx::query_scalar("SELECT role FROM relationships WHERE id = ? AND owner_id = ?")
                .bind(relationship.0)
                .bind(owner.0)
                .fetch_optional(&mut *conn)
                .await?;
        let linked: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM link_sides s JOIN links l ON l.id = s.link_id
             WHERE s.relationship_id = ? AND l.ended_unix IS NULL",
        )
        .bind(relationship.0)
        .fetch_one(&mut *conn)
        .await?;
        check_linkable(relationship, role.as_deref(), linked > 0)
    }

    /// `owner`'s guesses on link `id`, read on `conn`.
    async fn guesses_on(
        conn: &mut sqlx::SqliteConnection,
        owner: UserId,
        id: LinkId,
    ) -> Result<BTreeMap<String, i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT item_id, value FROM link_guesses WHERE link_id = ? AND owner_id = ?",
        )
        .bind(id.0)
        .bind(owner.0)
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("item_id")?, row.try_get("value")?)))
            .collect()
    }

    /// Whether `owner` is on current link `id`, read on `conn`.
    async fn on_current_link(
        conn: &mut sqlx::SqliteConnection,
        owner: UserId,
        id: LinkId,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(OTHER_SIDE)
            .bind(id.0)
            .bind(owner.0)
            .fetch_optional(&mut *conn)
            .await?
            .is_some())
    }
}

#[async_trait::async_trait]
impl tandem_store::engine::Links for SqliteStore {
    async fn create_invite(
        &self,
        owner: Owner,
        relationship: RelationshipId,
        code_hash: &[u8; 32],
        now: i64,
        expires_unix: i64,
    ) -> Result<(), StoreError> {
        let owner = owner.id();
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        Self::check_linkable_on(&mut tx, owner, relationship).await?;
        sqlx::query(
            "DELETE FROM link_invites
             WHERE owner_id = ? AND relationship_id = ? AND used_unix IS NULL",
        )
        .bind(owner.0)
        .bind(relationship.0)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO link_invites
                 (owner_id, relationship_id, code_hash, created_unix, expires_unix)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(owner.0)
        .bind(relationship.0)
        .bind(&code_hash[..])
        .bind(now)
        .bind(expires_unix)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn invites(&self, owner: Owner, now: i64) -> Result<Vec<Invite>, StoreError> {
        let rows = sqlx::query(
            "SELECT relationship_id, expires_unix FROM link_invites
             WHERE owner_id = ? AND used_unix IS NULL AND expires_unix > ? ORDER BY id",
        )
        .bind(owner.id().0)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Invite {
                    relationship: RelationshipId(row.try_get("relationship_id")?),
                    expires_unix: row.try_get("expires_unix")?,
                })
            })
            .collect()
    }

    async fn accept_invite(
        &self,
        owner: Owner,
        code_hash: &[u8; 32],
        relationship: RelationshipId,
        now: i64,
    ) -> Result<LinkId, StoreError> {
        let owner = owner.id();
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let invite = sqlx::query(
            "SELECT id, owner_id, relationship_id FROM link_invites
             WHERE code_hash = ? AND used_unix IS NULL AND expires_unix > ?",
        )
        .bind(&code_hash[..])
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(invite) = invite else {
            return Err(no_such_invite());
        };
        let inviter = UserId(invite.try_get("owner_id")?);
        if inviter == owner {
            return Err(no_such_invite());
        }
        let theirs = RelationshipId(invite.try_get("relationship_id")?);
        Self::check_linkable_on(&mut tx, owner, relationship).await?;
        Self::check_linkable_on(&mut tx, inviter, theirs)
            .await
            .map_err(|_| no_such_invite())?;
        sqlx::query("UPDATE link_invites SET used_unix = ? WHERE id = ?")
            .bind(now)
            .bind(invite.try_get::<i64, _>("id")?)
            .execute(&mut *tx)
            .await?;
        let link: i64 =
            sqlx::query_scalar("INSERT INTO links (created_unix) VALUES (?) RETURNING id")
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
        for (user, relationship) in [(inviter, theirs), (owner, relationship)] {
            sqlx::query(
                "INSERT INTO link_sides (link_id, owner_id, relationship_id) VALUES (?, ?, ?)",
            )
            .bind(link)
            .bind(user.0)
            .bind(relationship.0)
            .execute(&mut *tx)
            .await?;
        }
        crate::audit::both_sides(&mut tx, [inviter, owner], link, now, AuditKind::Linked).await?;
        tx.commit().await?;
        Ok(LinkId(link))
    }

    async fn links(&self, owner: Owner) -> Result<Vec<Link>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.link_id, s.relationship_id, s.sharing, s.guessing
             FROM link_sides s
             JOIN links l ON l.id = s.link_id AND l.ended_unix IS NULL
             JOIN link_sides o ON o.link_id = s.link_id AND o.owner_id <> s.owner_id
             WHERE s.owner_id = ? ORDER BY s.link_id",
        )
        .bind(owner.id().0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let sharing: String = row.try_get("sharing")?;
                Ok(Link {
                    id: LinkId(row.try_get("link_id")?),
                    relationship: RelationshipId(row.try_get("relationship_id")?),
                    sharing: LinkLevel::stored(&sharing)?,
                    guessing: Guessing::stored(&row.try_get::<String, _>("guessing")?)?,
                })
            })
            .collect()
    }

    async fn set_link_sharing(
        &self,
        owner: Owner,
        id: LinkId,
        level: LinkLevel,
    ) -> Result<(), StoreError> {
        let changed = sqlx::query(
            "UPDATE link_sides SET sharing = ?
             WHERE link_id = ? AND owner_id = ?
               AND EXISTS (SELECT 1 FROM links WHERE id = link_sides.link_id AND ended_unix IS NULL)",
        )
        .bind(level.as_str())
        .bind(id.0)
        .bind(owner.id().0)
        .execute(&self.writer)
        .await?;
        changed_one(changed.rows_affected(), id)
    }

    async fn unlink(&self, owner: Owner, id: LinkId, now: i64) -> Result<(), StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let changed = sqlx::query(
            "UPDATE links SET ended_unix = ?
             WHERE id = ? AND ended_unix IS NULL
               AND EXISTS (SELECT 1 FROM link_sides WHERE link_id = links.id AND owner_id = ?)",
        )
        .bind(now)
        .bind(id.0)
        .bind(owner.id().0)
        .execute(&mut *tx)
        .await?;
        changed_one(changed.rows_affected(), id)?;
        for statement in [
            "DELETE FROM discussion_marks WHERE link_id = ?",
            "DELETE FROM link_guesses WHERE link_id = ?",
        ] {
            sqlx::query(statement).bind(id.0).execute(&mut *tx).await?;
        }
        let sides: Vec<i64> = sqlx::query_scalar(
            "SELECT owner_id FROM link_sides WHERE link_id = ? ORDER BY owner_id",
        )
        .bind(id.0)
        .fetch_all(&mut *tx)
        .await?;
        if let [one, other] = sides[..] {
            let sides = [UserId(one), UserId(other)];
            crate::audit::both_sides(&mut tx, sides, id.0, now, AuditKind::Unlinked).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn partner_row(
        &self,
        viewer: Owner,
        id: LinkId,
    ) -> Result<Option<PartnerRow>, StoreError> {
        let row = sqlx::query(OTHER_SIDE)
            .bind(id.0)
            .bind(viewer.id().0)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let sharing: String = row.try_get("sharing")?;
            Ok(PartnerRow {
                link: id,
                owner: UserId(row.try_get("owner_id")?),
                relationship: RelationshipId(row.try_get("relationship_id")?),
                level: LinkLevel::stored(&sharing)?,
            })
        })
        .transpose()
    }

    async fn partner_scores(
        &self,
        grant: &PartnerGrant,
        at: &[i64],
    ) -> Result<Vec<Option<PartnerScores>>, StoreError> {
        // One read transaction: the link and level are checked in the same
        // snapshot the scores are read from.
        let mut tx = self.pool.begin().await?;
        let side = sqlx::query(OTHER_SIDE)
            .bind(grant.link().0)
            .bind(grant.viewer().0)
            .fetch_optional(&mut *tx)
            .await?;
        let level = match side {
            Some(row) if UserId(row.try_get("owner_id")?) == grant.owner() => {
                LinkLevel::stored(&row.try_get::<String, _>("sharing")?)?
            }
            _ => LinkLevel::None,
        };
        if level == LinkLevel::None {
            return Err(StoreError::NotFound {
                what: "link",
                id: grant.link().0,
            });
        }
        let rows = sqlx::query(
            "SELECT a.id, unixepoch(a.completed_at) AS completed_unix, s.facets, s.indices
             FROM administrations a
             JOIN scorings s ON s.administration_id = a.id
                AND s.scorer_version >= ? AND s.complete = 1
             WHERE a.owner_id = ? AND a.relationship_id = ? AND a.instrument_id = 'rdp'
               AND a.completed_at IS NOT NULL
             ORDER BY a.completed_at, a.id",
        )
        .bind(SCORER_VERSION)
        .bind(grant.owner().0)
        .bind(grant.relationship().0)
        .fetch_all(&mut *tx)
        .await?;
        let mut finished = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let values = if level >= LinkLevel::Items {
                let answers = sqlx::query(
                    "SELECT item_id, value FROM answers
                     WHERE administration_id = ? AND value IS NOT NULL",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
                answers
                    .iter()
                    .map(|a| Ok((a.try_get("item_id")?, a.try_get("value")?)))
                    .collect::<Result<BTreeMap<String, i64>, StoreError>>()?
            } else {
                BTreeMap::new()
            };
            let indices: String = row.try_get("indices")?;
            let facets: String = row.try_get("facets")?;
            if let Some(scores) = shown(id, &indices, &facets, || values, level)? {
                finished.push(Finished {
                    completed_unix: row.try_get("completed_unix")?,
                    scores,
                });
            }
        }
        tx.commit().await?;
        Ok(latest_at(&finished, at))
    }

    async fn set_mark(
        &self,
        owner: Owner,
        id: LinkId,
        item: &str,
        mark: Option<Mark>,
    ) -> Result<(), StoreError> {
        let owner = owner.id();
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        if !Self::on_current_link(&mut tx, owner, id).await? {
            return Err(StoreError::NotFound {
                what: "link",
                id: id.0,
            });
        }
        match mark {
            Some(mark) => {
                sqlx::query(
                    "INSERT INTO discussion_marks (link_id, owner_id, item_id, mark)
                     VALUES (?, ?, ?, ?)
                     ON CONFLICT (link_id, owner_id, item_id) DO UPDATE SET mark = excluded.mark",
                )
                .bind(id.0)
                .bind(owner.0)
                .bind(item)
                .bind(mark.as_str())
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query(
                    "DELETE FROM discussion_marks WHERE link_id = ? AND owner_id = ? AND item_id = ?",
                )
                .bind(id.0)
                .bind(owner.0)
                .bind(item)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn marks(&self, owner: Owner, id: LinkId) -> Result<BTreeMap<String, Mark>, StoreError> {
        let rows = sqlx::query(
            "SELECT item_id, mark FROM discussion_marks WHERE link_id = ? AND owner_id = ?",
        )
        .bind(id.0)
        .bind(owner.id().0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let mark: String = row.try_get("mark")?;
                Ok((row.try_get("item_id")?, Mark::stored(&mark)?))
            })
            .collect()
    }

    async fn set_guessing(
        &self,
        owner: Owner,
        id: LinkId,
        guessing: Guessing,
    ) -> Result<(), StoreError> {
        let changed = sqlx::query(
            "UPDATE link_sides SET guessing = ?
             WHERE link_id = ? AND owner_id = ?
               AND EXISTS (SELECT 1 FROM links WHERE id = link_sides.link_id AND ended_unix IS NULL)",
        )
        .bind(guessing.as_str())
        .bind(id.0)
        .bind(owner.id().0)
        .execute(&self.writer)
        .await?;
        changed_one(changed.rows_affected(), id)
    }

    async fn save_guesses(
        &self,
        owner: Owner,
        id: LinkId,
        guesses: &BTreeMap<String, i64>,
    ) -> Result<(), StoreError> {
        let owner = owner.id();
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        if !Self::on_current_link(&mut tx, owner, id).await? {
            return Err(StoreError::NotFound {
                what: "link",
                id: id.0,
            });
        }
        sqlx::query("DELETE FROM link_guesses WHERE link_id = ? AND owner_id = ?")
            .bind(id.0)
            .bind(owner.0)
            .execute(&mut *tx)
            .await?;
        for (item, value) in guesses {
            sqlx::query(
                "INSERT INTO link_guesses (link_id, owner_id, item_id, value) VALUES (?, ?, ?, ?)",
            )
            .bind(id.0)
            .bind(owner.0)
            .bind(item)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn guesses(&self, owner: Owner, id: LinkId) -> Result<BTreeMap<String, i64>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Self::guesses_on(&mut conn, owner.id(), id).await
    }

    async fn partner_guessing(&self, grant: &PartnerGrant) -> Result<GuessingRead, StoreError> {
        let mut tx = self.pool.begin().await?;
        let side = sqlx::query(OTHER_SIDE)
            .bind(grant.link().0)
            .bind(grant.viewer().0)
            .fetch_optional(&mut *tx)
            .await?;
        let words = side
            .as_ref()
            .map(|row| -> Result<_, StoreError> {
                Ok((
                    UserId(row.try_get("owner_id")?),
                    row.try_get::<String, _>("sharing")?,
                    row.try_get::<String, _>("own_guessing")?,
                    row.try_get::<String, _>("other_guessing")?,
                ))
            })
            .transpose()?;
        let consents = consents(
            words
                .as_ref()
                .map(|(owner, sharing, own, other)| SideWords {
                    owner: *owner,
                    sharing,
                    own,
                    other,
                }),
            grant,
        )?;
        if !GuessingRead::allowed(consents.0, consents.1) {
            return Ok(GuessingRead::new(
                consents,
                BTreeMap::new(),
                BTreeMap::new(),
                None,
            ));
        }
        let guesses = Self::guesses_on(&mut tx, grant.viewer(), grant.link()).await?;
        let rows = sqlx::query(
            "SELECT item_id, value FROM answers
             WHERE value IS NOT NULL AND administration_id = (
                 SELECT a.id FROM administrations a
                 JOIN scorings s ON s.administration_id = a.id
                    AND s.scorer_version >= ? AND s.complete = 1
                 WHERE a.owner_id = ? AND a.relationship_id = ? AND a.instrument_id = 'rdp'
                   AND a.completed_at IS NOT NULL
                 ORDER BY a.completed_at DESC, a.id DESC LIMIT 1)",
        )
        .bind(SCORER_VERSION)
        .bind(grant.owner().0)
        .bind(grant.relationship().0)
        .fetch_all(&mut *tx)
        .await?;
        let answers = answers_guessed(
            rows.iter()
                .map(|row| Ok((row.try_get("item_id")?, row.try_get("value")?)))
                .collect::<Result<Vec<(String, i64)>, StoreError>>()?,
            &guesses,
        );
        let theirs = if consents.1 == Guessing::Shown {
            Some(Self::guesses_on(&mut tx, grant.owner(), grant.link()).await?)
        } else {
            None
        };
        tx.commit().await?;
        Ok(GuessingRead::new(consents, guesses, answers, theirs))
    }

    async fn partner_us(&self, grant: &PartnerGrant) -> Result<Option<PartnerUs>, StoreError> {
        self.read_partner_us(grant).await
    }
}

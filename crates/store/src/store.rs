//! [`Store`]: the one handle on an engine, and the one place that mints an
//! [`Owner`]. Everything else an engine does is reached through it as the
//! engine's traits (it derefs to [`Engine`]), each call on a person's data
//! taking the owner minted here.

use std::ops::Deref;
use std::sync::Arc;

use tandem_core::couple::{Leaning, partner_entry};

use crate::PlanItem;
use crate::engine::{Engine, SessionRow};
use crate::shares::{SharedWork, plan_covers, shown_exercises, shown_steps, work_detail};
use crate::{
    Grant, LinkId, LinkLevel, NewSession, Owner, PartnerGrant, Rights, SessionInfo, ShareId,
    StoreError, Unscored, UserId,
};

/// A store on some engine: SQLite embedded, or a database server.
#[derive(Clone)]
pub struct Store {
    engine: Arc<dyn Engine>,
}

impl Store {
    /// The app's handle on `engine`.
    pub fn new(engine: impl Engine + 'static) -> Self {
        Self {
            engine: Arc::new(engine),
        }
    }

    /// The handle on `engine`, and the rights that reach across people,
    /// for whoever opened the engine to hand on: [`Research`](crate::Research) to the web
    /// app and `analyze --from-store`, [`Operator`](crate::Operator) to
    /// `tandem admin` alone.
    pub fn with_rights(engine: impl Engine + 'static) -> (Self, Rights) {
        (Self::new(engine), Rights::granted())
    }

    /// The live session of this token, and with it the right to act for its
    /// user. `None` when there is none, or when it has been idle for
    /// `idle_secs` or has lasted `absolute_secs` by `now`.
    pub async fn session(
        &self,
        token: &str,
        now: i64,
        idle_secs: i64,
        absolute_secs: i64,
    ) -> Result<Option<SessionInfo>, StoreError> {
        let row = self
            .engine
            .session_row(token, now, idle_secs, absolute_secs)
            .await?;
        Ok(row.map(vouch_for))
    }

    /// This owner's live sessions, newest first.
    pub async fn sessions_of(&self, owner: Owner) -> Result<Vec<SessionInfo>, StoreError> {
        let rows = self.engine.session_rows_of(owner).await?;
        Ok(rows.into_iter().map(vouch_for).collect())
    }

    /// Begins a session for `user`, whose password or recovery code the
    /// caller has just checked (or whose account it has just made): the new
    /// session carries the right to act for them. `NotFound` when the user
    /// does not exist.
    pub async fn create_session(
        &self,
        user: UserId,
        label: &str,
        now: i64,
    ) -> Result<NewSession, StoreError> {
        self.begin_session(user, label, false, now).await
    }

    /// As [`Store::create_session`], for a sign-in that a second factor (a
    /// passkey) has just confirmed.
    pub async fn create_session_with_second_factor(
        &self,
        user: UserId,
        label: &str,
        now: i64,
    ) -> Result<NewSession, StoreError> {
        self.begin_session(user, label, true, now).await
    }

    async fn begin_session(
        &self,
        user: UserId,
        label: &str,
        second_factor: bool,
        now: i64,
    ) -> Result<NewSession, StoreError> {
        let made = self
            .engine
            .new_session(user, label, second_factor, now)
            .await?;
        Ok(NewSession {
            token: made.token,
            csrf_token: made.csrf_token,
            owner: Owner::vouched(user),
        })
    }

    /// The one user of a terminal install, created on first use.
    pub async fn local_user(&self) -> Result<Owner, StoreError> {
        Ok(Owner::vouched(self.engine.local_user_id().await?))
    }

    /// Finished administrations whose kept scores are missing or stale: of
    /// `owner`, or of everyone for the server's backfill, each with the
    /// right to score it again.
    pub async fn unscored(&self, owner: Option<Owner>) -> Result<Vec<Unscored>, StoreError> {
        let rows = self.engine.unscored_rows(owner).await?;
        Ok(rows
            .into_iter()
            .map(|row| Unscored {
                owner: Owner::vouched(row.owner),
                id: row.id,
                instrument: row.instrument,
                version: row.version,
            })
            .collect())
    }

    /// Everyone with a plan, for refreshing plans after the rules change.
    pub async fn owners_with_plans(&self) -> Result<Vec<Owner>, StoreError> {
        let ids = self.engine.plan_owner_ids().await?;
        Ok(ids.into_iter().map(Owner::vouched).collect())
    }

    /// The right for `viewer` to read through share `id`, when the share is
    /// for them and current at `now`; `None` otherwise, whatever the reason
    /// (no such share, someone else's, ended, expired), so a refusal tells
    /// nothing.
    pub async fn grant(
        &self,
        viewer: Owner,
        id: ShareId,
        now: i64,
    ) -> Result<Option<Grant>, StoreError> {
        let row = self.engine.grant_row(viewer, id, now).await?;
        Ok(row.map(|row| Grant::vouched(row, viewer.id())))
    }

    /// The right for `viewer` to read what the other side of link `id`
    /// shares, with the level it shares at now; `None` whatever the reason
    /// (no such link, not theirs, ended, or the other shares nothing), so
    /// a refusal tells nothing.
    pub async fn partner_grant(
        &self,
        viewer: Owner,
        id: LinkId,
    ) -> Result<Option<(PartnerGrant, LinkLevel)>, StoreError> {
        let row = self.engine.partner_row(viewer, id).await?;
        Ok(row
            .filter(|row| row.level > LinkLevel::None)
            .map(|row| (PartnerGrant::vouched(&row, viewer.id()), row.level)))
    }

    /// The other side's own entry for `grant`'s viewer on their support
    /// map, as levels alone (never the name they gave), for mutuality. The
    /// grant is checked before and after the read, so nothing comes back
    /// from a link that ended, or a side that stopped sharing, meanwhile:
    /// then `NotFound`, as for [`Links::partner_scores`](crate::engine::Links::partner_scores).
    pub async fn partner_support(
        &self,
        grant: &PartnerGrant,
    ) -> Result<Option<Leaning>, StoreError> {
        let viewer = Owner::vouched(grant.viewer());
        let holds = || async {
            let row = self.engine.partner_row(viewer, grant.link()).await?;
            match row {
                Some(row) if row.owner == grant.owner() && row.level > LinkLevel::None => Ok(()),
                _ => Err(StoreError::NotFound {
                    what: "link",
                    id: grant.link().0,
                }),
            }
        };
        holds().await?;
        let other = Owner::vouched(grant.owner());
        let relationship = self
            .engine
            .relationship(other, grant.relationship())
            .await?;
        let map = self.engine.support_map(other).await?;
        let entry = partner_entry(&relationship.name, map.iter().map(|(_, entry)| entry));
        holds().await?;
        Ok(entry)
    }

    /// What `grant` shows beside results, as its scope stands now: the
    /// support map, the plans' steps and the exercises, each only when the
    /// scope says so. The read is written to the owner's chain first, in
    /// a transaction that checks the share (so no read goes unlogged),
    /// then made, then the share checked again, so nothing comes back from
    /// a share that ended meanwhile (`NotFound`). A scope that shows none
    /// of them reads and logs nothing. Besides the steps from safety
    /// answers, which never leave, the caller names in `withhold` the
    /// steps it keeps back too (the store does not know the guidance);
    /// their exercises are kept back with them.
    pub async fn shared_work(
        &self,
        grant: &Grant,
        now: i64,
        withhold: &(dyn Fn(&PlanItem) -> bool + Send + Sync),
    ) -> Result<SharedWork, StoreError> {
        let viewer = Owner::vouched(grant.viewer());
        let ended = || StoreError::NotFound {
            what: "share",
            id: grant.share().0,
        };
        let row = self
            .engine
            .grant_row(viewer, grant.share(), now)
            .await?
            .filter(|row| row.owner == grant.owner())
            .ok_or_else(ended)?;
        let Some(detail) = work_detail(&row.scope) else {
            return Ok(SharedWork::default());
        };
        let scope = self.engine.log_shared_read(grant, now, &detail).await?;
        let owner = Owner::vouched(grant.owner());
        let mut work = SharedWork::default();
        if scope.support_map {
            let map = self.engine.support_map(owner).await?;
            work.support_map = Some(map.into_iter().map(|(_, person)| person).collect());
        }
        if scope.plan || scope.exercise_texts {
            let mut steps = Vec::new();
            let mut shown_items = std::collections::BTreeSet::new();
            for relationship in self.engine.planned_relationships(owner).await? {
                if !plan_covers(&scope, relationship) {
                    continue;
                }
                let items: Vec<PlanItem> = self
                    .engine
                    .plan(owner, relationship)
                    .await?
                    .into_iter()
                    .filter(|item| !item.from_safety && !withhold(item))
                    .collect();
                shown_items.extend(items.iter().map(|item| item.id));
                steps.extend(shown_steps(&items));
            }
            let exercises = self.engine.exercises(owner, None).await?;
            work.exercises = Some(shown_exercises(
                &exercises,
                &shown_items,
                scope.exercise_texts,
            ));
            if scope.plan {
                work.plan = Some(steps);
            }
        }
        self.engine
            .grant_row(viewer, grant.share(), now)
            .await?
            .filter(|row| row.owner == grant.owner())
            .ok_or_else(ended)?;
        Ok(work)
    }

    /// Closes the engine's connections, flushing what is written.
    pub async fn close(&self) {
        self.engine.close().await;
    }
}

impl Deref for Store {
    type Target = dyn Engine;

    fn deref(&self) -> &Self::Target {
        self.engine.as_ref()
    }
}

fn vouch_for(row: SessionRow) -> SessionInfo {
    SessionInfo {
        user: Owner::vouched(row.user),
        csrf_token: row.csrf_token,
        token_hash_hex: row.token_hash_hex,
        created_unix: row.created_unix,
        last_seen_unix: row.last_seen_unix,
        label: row.label,
        second_factor: row.second_factor,
    }
}

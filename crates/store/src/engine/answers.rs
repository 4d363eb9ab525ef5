//! A person's own administrations, their answers and their kept scores.

use async_trait::async_trait;
use tandem_core::answers::{Answer, Answers};
use tandem_core::instrument::Instrument;
use tandem_core::scoring::Scores;

use crate::{Administration, AdministrationId, Owner, ScorePoint, StoreError, UserId};

/// A finished administration whose kept scores are missing or stale, its
/// owner by bare id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnscoredRow {
    /// Whose it is.
    pub owner: UserId,
    /// The administration.
    pub id: AdministrationId,
    /// Its instrument's id.
    pub instrument: String,
    /// The version it was taken with.
    pub version: String,
}

/// A person's own administrations of profile and check-in instruments, with their answers, saved as they are given.
#[async_trait]
pub trait Administrations: Send + Sync {
    /// Begins an administration that answers will be added to one by one,
    /// in an order of its own when the instrument shuffles
    /// ([`tandem_core::order`]).
    async fn start_administration(
        &self,
        owner: Owner,
        instrument: &Instrument,
        about: &str,
    ) -> Result<Administration, StoreError> {
        let seed = crate::item_seed(instrument, None)?;
        self.start_administration_seeded(owner, instrument, about, seed)
            .await
    }

    /// Begins an administration that asks its items in the order of
    /// `item_seed`, or the instrument's with none: for a form that showed
    /// its first page in that order before anything was stored.
    async fn start_administration_seeded(
        &self,
        owner: Owner,
        instrument: &Instrument,
        about: &str,
        item_seed: Option<i64>,
    ) -> Result<Administration, StoreError>;

    /// Begins an administration from a form carrying `form_key`, a one-time
    /// key the form was given; the same key again (the form sent twice)
    /// finds the administration it began, finished or not, so a stale form
    /// never starts a second one. Its order comes from the key
    /// ([`crate::form_seed`]), as the form's first page did.
    async fn start_administration_once(
        &self,
        owner: Owner,
        instrument: &Instrument,
        about: &str,
        form_key: &str,
    ) -> Result<Administration, StoreError>;

    /// The administration a form with `form_key` began, if it began one.
    async fn administration_by_form_key(
        &self,
        owner: Owner,
        form_key: &str,
    ) -> Result<Option<Administration>, StoreError>;

    /// Deletes one administration of this owner with all its answers; an
    /// id that is not theirs is "not found" and changes nothing.
    async fn delete_administration(
        &self,
        owner: Owner,
        id: AdministrationId,
    ) -> Result<(), StoreError>;

    /// Stores a whole set of answers at once, complete, in one transaction:
    /// either all of it is kept or none of it.
    async fn record_administration(
        &self,
        owner: Owner,
        instrument: &Instrument,
        about: &str,
        answers: &Answers,
    ) -> Result<Administration, StoreError>;

    /// Saves one answer (replacing an earlier one to the same item) and the
    /// position to resume from, in one transaction.
    async fn save_answer(
        &self,
        owner: Owner,
        instrument: &Instrument,
        id: AdministrationId,
        item: &str,
        answer: &Answer,
        next_position: usize,
    ) -> Result<(), StoreError>;

    /// Saves one page of answers in one transaction: each item is set to its
    /// answer, or cleared when left blank, and the resume position moves on.
    /// Every answer is checked against the instrument before anything is written.
    async fn save_page(
        &self,
        owner: Owner,
        instrument: &Instrument,
        id: AdministrationId,
        page: &[(String, Option<Answer>)],
        next_position: usize,
    ) -> Result<(), StoreError>;

    /// Removes one answer (a skip after all) and records the resume position.
    async fn clear_answer(
        &self,
        owner: Owner,
        instrument: &Instrument,
        id: AdministrationId,
        item: &str,
        next_position: usize,
    ) -> Result<(), StoreError>;

    /// Marks an administration complete, scored with `instrument` (the
    /// version it was taken with), and keeps its scores in the same
    /// transaction: it now counts in results, trends and reports.
    async fn complete_administration(
        &self,
        owner: Owner,
        instrument: &Instrument,
        id: AdministrationId,
    ) -> Result<(), StoreError>;

    /// One administration of this owner.
    async fn administration(
        &self,
        owner: Owner,
        id: AdministrationId,
    ) -> Result<Administration, StoreError>;

    /// This owner's administrations, oldest first; `instrument` narrows them.
    async fn administrations(
        &self,
        owner: Owner,
        instrument: Option<&str>,
    ) -> Result<Vec<Administration>, StoreError>;

    /// The newest unfinished administration of an instrument, to resume.
    async fn latest_unfinished(
        &self,
        owner: Owner,
        instrument: &str,
    ) -> Result<Option<Administration>, StoreError>;

    /// The answers of one administration, each checked again against the instrument.
    async fn answers(
        &self,
        owner: Owner,
        instrument: &Instrument,
        id: AdministrationId,
    ) -> Result<Answers, StoreError>;
}

/// Point scores kept beside each finished administration, for trends and history.
#[async_trait]
pub trait KeptScores: Send + Sync {
    /// Keeps `scores` as the scores of this owner's finished administration
    /// `id` (made again from its answers, by its reader or the backfill).
    async fn keep_scores(
        &self,
        owner: Owner,
        id: AdministrationId,
        scores: &Scores,
    ) -> Result<(), StoreError>;

    /// Finished administrations without current kept scores: `owner`'s, or
    /// everyone's when `None` (the server's backfill at start).
    async fn unscored_rows(&self, owner: Option<Owner>) -> Result<Vec<UnscoredRow>, StoreError>;

    /// This owner's finished administrations with current kept scores, in
    /// the order they were finished, with their index scores: one query.
    async fn score_points(&self, owner: Owner) -> Result<Vec<ScorePoint>, StoreError>;

    /// The newest finished administration of `instrument` whose kept
    /// scores (current ones) say it is complete; `before` looks only at
    /// those begun before that one.
    async fn latest_complete(
        &self,
        owner: Owner,
        instrument: &str,
        before: Option<AdministrationId>,
    ) -> Result<Option<Administration>, StoreError>;

    /// How many times this owner's kept scores have changed: what is drawn
    /// from them is cached under it.
    async fn scores_version(&self, owner: Owner) -> Result<i64, StoreError>;
}

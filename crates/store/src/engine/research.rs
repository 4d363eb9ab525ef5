//! Consent to research use, and de-identified reads of those who gave it.

use async_trait::async_trait;
use tandem_core::instrument::Instrument;

use crate::{ItemSums, Owner, Research, StoreError};

/// Consent to research use, and the de-identified reads of consenting people's answers.
#[async_trait]
pub trait ResearchData: Send + Sync {
    /// How many people who opted in to research have finished this version
    /// of an instrument (a count, nothing personal).
    async fn count_finished(
        &self,
        research: &Research,
        instrument: &Instrument,
    ) -> Result<u64, StoreError>;

    /// What the people counted for this version are, in three numbers: how
    /// many, and the sum and the largest of the ids of their first finished
    /// administrations. It moves when anyone joins, leaves or is replaced by
    /// someone else, so an estimate made from one set is not reused for
    /// another of the same size.
    async fn research_fingerprint(
        &self,
        research: &Research,
        instrument: &Instrument,
    ) -> Result<(u64, i64, i64), StoreError>;

    /// Calls `row` once per person who opted in, with the values of `items`
    /// (in that order; `None` where unanswered or answered with a code) of
    /// their first finished administration of this version of `instrument`.
    /// Stops at the first error `row` returns.
    async fn for_each_response(
        &self,
        research: &Research,
        instrument: &Instrument,
        items: &[String],
        row: &mut (dyn for<'v> FnMut(&'v [Option<f64>]) -> Result<(), String> + Send),
    ) -> Result<u64, StoreError>;

    /// The sums of every pair of `items` over the rows [`for_each_response`]
    /// would give, where the engine can compute them itself (as SQL
    /// aggregates in the database, which a distributed engine spreads over
    /// its nodes); `None` where it cannot, and the caller streams the rows
    /// instead. Each item may be named once.
    ///
    /// [`for_each_response`]: ResearchData::for_each_response
    async fn item_sums(
        &self,
        _research: &Research,
        _instrument: &Instrument,
        _items: &[String],
    ) -> Result<Option<ItemSums>, StoreError> {
        Ok(None)
    }

    /// Whether this person lets their answers be used for research.
    async fn research_consent(&self, owner: Owner) -> Result<bool, StoreError>;

    /// Gives or takes back this person's consent to research use; it holds
    /// from the next estimate or analysis on.
    async fn set_research_consent(&self, owner: Owner, consent: bool) -> Result<(), StoreError>;
}

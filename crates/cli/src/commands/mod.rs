//! One module per command; each takes the opened store and its arguments.

pub mod admin;
pub mod analyze;
pub mod assess;
pub mod audit;
pub mod exercises;
pub mod history;
pub mod instruments;
pub mod network;
pub mod plan;
pub mod relationships;
pub mod report;
pub mod safety;

use anyhow::Context as _;
use tandem_core::instrument::Instrument;
use tandem_core::instrument::builtin::builtin_by_id;
use tandem_store::{Owner, Research, Store};

use crate::failure::not_found;

/// The open store, the person using it, and the help to show on a
/// positive safety answer.
pub struct Session {
    /// The store.
    pub store: Store,
    /// Whose data this is.
    pub owner: Owner,
    /// The right to read consenting people's answers (estimates, `analyze
    /// --from-store`).
    pub research: Research,
    /// Safety resources for this deployment.
    pub resources: tandem_core::resources::Resources,
    /// Reliability pinned from a published source (`reliability_file`).
    pub published: Option<tandem_core::instrument::published::Published>,
}

impl Session {
    /// The built-in content with this deployment's pinned reliability and
    /// its estimates brought up to date, as the server would read them.
    pub async fn content(&self) -> anyhow::Result<tandem_app::Content> {
        let mut content = tandem_app::Content::builtin()?;
        content.published = self.published.clone();
        content
            .refresh_estimates(&self.store, &self.research)
            .await
            .context("estimating reliability")?;
        Ok(content)
    }
}

/// A built-in instrument by id, or a not-found error naming the known ones.
pub fn instrument(id: &str) -> anyhow::Result<Instrument> {
    builtin_by_id(id)?.ok_or_else(|| {
        not_found(format!(
            "no instrument `{id}`; known: rdp, checkin, safety (see `tandem instruments list`)"
        ))
    })
}

/// The built-in instrument an administration was taken with.
pub fn instrument_version(id: &str, version: &str) -> anyhow::Result<Instrument> {
    tandem_core::instrument::builtin::builtin_version(id, version)?.ok_or_else(|| {
        not_found(format!(
            "{id} {version} is not in this build; a newer Tandem may have written this store"
        ))
    })
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

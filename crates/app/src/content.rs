//! Everything the services read that is not personal data: the built-in
//! instruments, guidance, prompts and resources, and the reliability
//! estimates made from consenting people's answers.

use tandem_core::guidance::{Guidance, builtin_guidance};
use tandem_core::instrument::Instrument;
use tandem_core::instrument::builtin::{Catalog, builtin_by_id};
use tandem_core::instrument::published::Published;
use tandem_core::journal::{Prompt, builtin_prompts};
use tandem_core::resources::{Resources, default_resources};
use tandem_core::signs::{SignsGuide, builtin_signs};
use tandem_store::{Research, Store};

use crate::ServiceError;

/// The built-in instruments, guidance, prompts and resources: everything the
/// pages and reports read that is not personal data.
pub struct Content {
    /// The RDP.
    pub rdp: Instrument,
    /// The check-in.
    pub checkin: Instrument,
    /// The safety screen.
    pub safety: Instrument,
    /// Safety resources.
    pub resources: Resources,
    /// Guidance strategies and rules.
    pub guidance: Guidance,
    /// Journal prompts.
    pub prompts: Vec<Prompt>,
    /// The guide to warning signs.
    pub signs: SignsGuide,
    /// Every version of every instrument, to score what was taken with an
    /// earlier one.
    pub catalog: Catalog,
    /// Reliability estimated from this deployment's administrations.
    pub estimates: crate::estimates::Cache,
    /// Reliability the operator pinned from a published source, per
    /// instrument version; those versions are never estimated.
    pub published: Option<Published>,
}

/// A built-in file is broken: a bug caught by tests, never by users.
#[derive(Debug, thiserror::Error)]
#[error("built-in content: {0}")]
pub struct ContentError(String);

impl Content {
    /// Loads everything shipped in the binary.
    pub fn builtin() -> Result<Self, ContentError> {
        let broken = |err: &dyn std::fmt::Display| ContentError(err.to_string());
        let load = |id: &str| {
            builtin_by_id(id)
                .map_err(|err| broken(&err))?
                .ok_or_else(|| ContentError(format!("no built-in `{id}`")))
        };
        let rdp = load("rdp")?;
        Ok(Self {
            guidance: builtin_guidance(&rdp).map_err(|err| broken(&err))?,
            prompts: builtin_prompts().map_err(|err| broken(&err))?,
            signs: builtin_signs().map_err(|err| broken(&err))?,
            catalog: Catalog::builtin().map_err(|err| broken(&err))?,
            resources: default_resources().map_err(|err| broken(&err))?,
            checkin: load("checkin")?,
            safety: load("safety")?,
            rdp,
            estimates: crate::estimates::Cache::default(),
            published: None,
        })
    }

    /// Brings the estimates up to date now, unless the current RDP is
    /// pinned: in the server's housekeeping, after a consent changes, and
    /// in one-shot callers (the terminal) that read them at once.
    pub async fn refresh_estimates(
        &self,
        store: &Store,
        research: &Research,
    ) -> Result<(), ServiceError> {
        if self.current_rdp_is_pinned() {
            return Ok(());
        }
        self.estimates.refresh(store, research, &self.rdp).await
    }

    fn current_rdp_is_pinned(&self) -> bool {
        self.published.as_ref().is_some_and(|p| {
            p.instrument(self.rdp.id.as_str(), &self.rdp.version)
                .is_some()
        })
    }

    /// An instrument by id, in its current version.
    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        [&self.rdp, &self.checkin, &self.safety]
            .into_iter()
            .find(|instrument| instrument.id.as_str() == id)
    }

    /// The version of an instrument an administration was taken with.
    pub fn instrument_version(&self, id: &str, version: &str) -> Option<&Instrument> {
        match self.instrument(id) {
            Some(current) if current.version == version => Some(current),
            _ => self.catalog.version(id, version),
        }
    }
}

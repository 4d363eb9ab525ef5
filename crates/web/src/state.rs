//! Shared state: the store, the instruments, and the settings of this server.

use std::sync::Arc;

use tandem_core::guidance::{Guidance, builtin_guidance};
use tandem_core::instrument::Instrument;
use tandem_core::instrument::builtin::{Catalog, builtin_by_id};
use tandem_core::instrument::published::Published;
use tandem_core::journal::{Prompt, builtin_prompts};
use tandem_core::resources::{Resources, default_resources};
use tandem_core::signs::{SignsGuide, builtin_signs};
use tandem_store::{Research, Store};

use crate::auth::hashing::HashingPool;

/// Settings of one server.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` and use the `__Host-` prefix (behind TLS):
    /// resolved from `secure_cookies = auto|on|off` at start
    /// ([`crate::address::SecureCookies::resolve`]).
    pub secure_cookies: bool,
    /// The address people use; when set, a browser's `Origin` must be it.
    pub public_url: Option<crate::address::PublicUrl>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: crate::address::TrustedProxies,
    /// A session ends after this many seconds without a request.
    pub idle_timeout_secs: i64,
    /// A session ends this many seconds after sign-in, whatever happens.
    pub absolute_timeout_secs: i64,
    /// Where the quick exit goes: a neutral site.
    pub exit_url: String,
    /// Argon2 memory cost in KiB (at least 19 MiB).
    pub argon2_memory_kib: u32,
    /// A request that has not been answered after this many seconds gets 408.
    pub request_timeout_secs: u64,
    /// Memory all password hashing together may use, in MiB: it decides
    /// how many hashes run at once (at least one).
    pub hashing_budget_mib: u32,
    /// Help lines and services for this deployment's country; the neutral
    /// default when `None`.
    pub resources: Option<Resources>,
    /// Published reliability pinned per instrument version
    /// (`reliability_file`), used instead of estimates.
    pub reliability: Option<Published>,
}

/// Where the quick exit goes unless configured: a neutral weather site.
pub const DEFAULT_EXIT_URL: &str = "https://www.bbc.com/weather";

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            public_url: None,
            trusted_proxies: crate::address::TrustedProxies::default(),
            idle_timeout_secs: 60 * 60,
            absolute_timeout_secs: 12 * 60 * 60,
            exit_url: DEFAULT_EXIT_URL.to_owned(),
            argon2_memory_kib: 19 * 1024,
            hashing_budget_mib: crate::auth::hashing::DEFAULT_BUDGET_MIB,
            request_timeout_secs: 30,
            resources: None,
            reliability: None,
        }
    }
}

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
    /// Trend charts drawn, per person, under their scores version.
    pub drawn: crate::trends::Drawn,
    /// Reliability the operator pinned from a published source, per
    /// instrument version; those versions are never estimated.
    pub published: Option<Published>,
}

impl Content {
    /// Loads everything shipped in the binary.
    pub fn builtin() -> Result<Self, StateError> {
        let load = |id: &str| {
            builtin_by_id(id)
                .map_err(|err| StateError::Content(err.to_string()))?
                .ok_or_else(|| StateError::Content(format!("no built-in `{id}`")))
        };
        let rdp = load("rdp")?;
        Ok(Self {
            guidance: builtin_guidance(&rdp).map_err(|err| StateError::Content(err.to_string()))?,
            prompts: builtin_prompts().map_err(|err| StateError::Content(err.to_string()))?,
            signs: builtin_signs().map_err(|err| StateError::Content(err.to_string()))?,
            catalog: Catalog::builtin().map_err(|err| StateError::Content(err.to_string()))?,
            resources: default_resources().map_err(|err| StateError::Content(err.to_string()))?,
            checkin: load("checkin")?,
            safety: load("safety")?,
            rdp,
            estimates: crate::estimates::Cache::default(),
            drawn: crate::trends::Drawn::default(),
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
    ) -> Result<(), crate::AppError> {
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

/// Cheap to clone: everything lives behind one `Arc`.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    /// For reliability estimates from consenting people's answers.
    research: Research,
    config: WebConfig,
    content: Content,
    hasher: HashingPool,
    codes: crate::pages::Shelf,
}

/// Why the state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// A built-in file is broken (a bug caught by tests, never by users).
    #[error("built-in content: {0}")]
    Content(String),
    /// Password hashing could not be set up.
    #[error("password hashing: {0}")]
    Hashing(String),
}

impl AppState {
    /// Builds the state around an open store, with the right to read
    /// consenting people's answers for reliability estimates.
    pub fn new(store: Store, research: Research, config: WebConfig) -> Result<Self, StateError> {
        let hasher = HashingPool::new(config.argon2_memory_kib, config.hashing_budget_mib)
            .map_err(|err| StateError::Hashing(err.to_string()))?;
        tracing::debug!(workers = hasher.workers(), "password hashing");
        let mut content = Content::builtin()?;
        if let Some(resources) = &config.resources {
            content.resources = resources.clone();
        }
        content.published = config.reliability.clone();
        Ok(Self {
            inner: Arc::new(Inner {
                content,
                store,
                research,
                config,
                hasher,
                codes: crate::pages::Shelf::default(),
            }),
        })
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The right to read consenting people's answers, de-identified.
    pub(crate) fn research(&self) -> &Research {
        &self.inner.research
    }

    /// This server's settings.
    pub fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    /// Recovery codes just made, for the page that shows them.
    pub(crate) fn fresh_codes(&self) -> &crate::pages::Shelf {
        &self.inner.codes
    }

    /// The password hasher.
    pub(crate) fn hasher(&self) -> &HashingPool {
        &self.inner.hasher
    }

    /// Instruments, guidance, prompts and resources.
    pub fn content(&self) -> &Content {
        &self.inner.content
    }

    /// Guidance strategies and rules.
    pub fn guidance(&self) -> &Guidance {
        &self.inner.content.guidance
    }

    /// Journal prompts.
    pub fn prompts(&self) -> &[Prompt] {
        &self.inner.content.prompts
    }

    /// Safety resources to show on a positive answer.
    pub fn resources(&self) -> &Resources {
        &self.inner.content.resources
    }

    /// A questionnaire by its neutral URL code: `a` profile, `b` check-in, `c` safety.
    pub fn form(&self, code: &str) -> Option<&Instrument> {
        match code {
            "a" => Some(&self.inner.content.rdp),
            "b" => Some(&self.inner.content.checkin),
            "c" => Some(&self.inner.content.safety),
            _ => None,
        }
    }

    /// The RDP.
    pub fn rdp(&self) -> &Instrument {
        &self.inner.content.rdp
    }

    /// The check-in.
    pub fn checkin(&self) -> &Instrument {
        &self.inner.content.checkin
    }

    /// The safety screen.
    pub fn safety(&self) -> &Instrument {
        &self.inner.content.safety
    }

    /// An instrument by id.
    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        self.inner.content.instrument(id)
    }
}

//! Shared state: the store, the instruments, and the settings of this server.

use std::sync::Arc;

use tandem_app::{Content, ContentError};
use tandem_core::guidance::Guidance;
use tandem_core::instrument::Instrument;
use tandem_core::instrument::published::Published;
use tandem_core::journal::Prompt;
use tandem_core::resources::Resources;
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
    /// Whether counsellors must sign in with a second factor
    /// (`counsellor_second_factor`).
    pub counsellor_second_factor: crate::auth::counsellor::SecondFactor,
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
            counsellor_second_factor: crate::auth::counsellor::SecondFactor::Required,
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
    /// The passkey relying party, when `public_url` is set.
    webauthn: Option<webauthn_rs::Webauthn>,
    /// For reliability estimates from consenting people's answers.
    research: Research,
    config: WebConfig,
    content: Content,
    /// Trend charts drawn, per person, under their scores version.
    drawn: crate::trends::Drawn,
    hasher: HashingPool,
    codes: crate::pages::Shelf,
}

/// Why the state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// A built-in file is broken (a bug caught by tests, never by users).
    #[error(transparent)]
    Content(#[from] ContentError),
    /// Password hashing could not be set up.
    #[error("password hashing: {0}")]
    Hashing(String),
    /// Passkeys could not be set up for `public_url`.
    #[error("{0}")]
    Passkeys(String),
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
        let webauthn = crate::auth::passkeys::relying_party(config.public_url.as_ref())
            .map_err(StateError::Passkeys)?;
        Ok(Self {
            inner: Arc::new(Inner {
                webauthn,
                content,
                drawn: crate::trends::Drawn::default(),
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

    /// The passkey relying party, when `public_url` is set.
    pub(crate) fn webauthn(&self) -> Option<&webauthn_rs::Webauthn> {
        self.inner.webauthn.as_ref()
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

    /// Trend charts already drawn.
    pub(crate) fn drawn(&self) -> &crate::trends::Drawn {
        &self.inner.drawn
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

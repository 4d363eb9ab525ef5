//! Shared state: the store, the instruments, and the settings of this server.

use std::sync::Arc;

use tandem_core::instrument::Instrument;
use tandem_core::instrument::builtin::builtin_by_id;
use tandem_core::resources::{Resources, default_resources};
use tandem_store::Store;

use crate::auth::password::PasswordHasher;

/// Settings of one server.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` and use the `__Host-` prefix (behind TLS).
    pub secure_cookies: bool,
    /// A session ends after this many seconds without a request.
    pub idle_timeout_secs: i64,
    /// A session ends this many seconds after sign-in, whatever happens.
    pub absolute_timeout_secs: i64,
    /// Where the quick exit goes: a neutral site.
    pub exit_url: String,
    /// Argon2 memory cost in KiB (at least 19 MiB).
    pub argon2_memory_kib: u32,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            idle_timeout_secs: 60 * 60,
            absolute_timeout_secs: 12 * 60 * 60,
            exit_url: "https://www.bbc.com/weather".to_owned(),
            argon2_memory_kib: 19 * 1024,
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
    config: WebConfig,
    rdp: Instrument,
    checkin: Instrument,
    safety: Instrument,
    resources: Resources,
    hasher: PasswordHasher,
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
    /// Builds the state around an open store.
    pub fn new(store: Store, config: WebConfig) -> Result<Self, StateError> {
        let load = |id: &str| {
            builtin_by_id(id)
                .map_err(|err| StateError::Content(err.to_string()))?
                .ok_or_else(|| StateError::Content(format!("no built-in `{id}`")))
        };
        let hasher = PasswordHasher::new(config.argon2_memory_kib)
            .map_err(|err| StateError::Hashing(err.to_string()))?;
        Ok(Self {
            inner: Arc::new(Inner {
                rdp: load("rdp")?,
                checkin: load("checkin")?,
                safety: load("safety")?,
                resources: default_resources()
                    .map_err(|err| StateError::Content(err.to_string()))?,
                store,
                config,
                hasher,
            }),
        })
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// This server's settings.
    pub fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    /// The password hasher.
    pub(crate) fn hasher(&self) -> &PasswordHasher {
        &self.inner.hasher
    }

    /// Safety resources to show on a positive answer.
    pub fn resources(&self) -> &Resources {
        &self.inner.resources
    }

    /// A questionnaire by its neutral URL code: `a` profile, `b` check-in, `c` safety.
    pub fn form(&self, code: &str) -> Option<&Instrument> {
        match code {
            "a" => Some(&self.inner.rdp),
            "b" => Some(&self.inner.checkin),
            "c" => Some(&self.inner.safety),
            _ => None,
        }
    }

    /// The RDP.
    pub fn rdp(&self) -> &Instrument {
        &self.inner.rdp
    }

    /// The check-in.
    pub fn checkin(&self) -> &Instrument {
        &self.inner.checkin
    }

    /// The safety screen.
    pub fn safety(&self) -> &Instrument {
        &self.inner.safety
    }

    /// An instrument by id.
    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        [&self.inner.rdp, &self.inner.checkin, &self.inner.safety]
            .into_iter()
            .find(|instrument| instrument.id.as_str() == id)
    }
}

//! Passkeys (WebAuthn credentials) as the store keeps them: opaque to it.
//! What a passkey holds is the web crate's (`webauthn-rs`'s) serialised
//! credential — a public key and a counter, nothing secret — kept beside
//! its credential id, which no two accounts may share. A ceremony (the
//! state between a challenge and the browser's answer) is kept under the
//! SHA-256 of a one-time key, for a few minutes, and taken once, so any
//! instance of the app can finish what another began.

use serde::Serialize;

use crate::{PasskeyId, StoreError, UserId};

/// How long a ceremony may take: five minutes.
pub const CEREMONY_SECONDS: i64 = 5 * 60;

/// One passkey of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PasskeyRecord {
    /// Its id.
    pub id: PasskeyId,
    /// The credential id the browser names it by.
    #[serde(skip)]
    pub credential_id: Vec<u8>,
    /// The serialised credential.
    #[serde(skip)]
    pub credential: String,
    /// Where it was added, such as "Chrome on Linux".
    pub label: String,
    /// When it was added (unix seconds).
    pub created_unix: i64,
    /// When it last signed in, if it has.
    pub last_used_unix: Option<i64>,
}

/// What a ceremony is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ceremony {
    /// Adding a passkey to a signed-in account.
    Register,
    /// Signing in with one.
    SignIn,
}

impl Ceremony {
    /// The word kept in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::SignIn => "sign_in",
        }
    }
}

/// A ceremony taken back: whose, and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CeremonyRow {
    /// The account it is for.
    pub user: UserId,
    /// The state the web crate kept.
    pub state: String,
}

/// `Conflict` for a credential id another passkey has.
pub fn taken() -> StoreError {
    StoreError::Conflict("This passkey is already registered.".into())
}

//! Server-side sessions: what a new one carries and what a live one says.
//! A session token is 256 random bits that only the browser keeps; the
//! database holds its SHA-256.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::{Owner, StoreError};

/// Random bytes in a session token and in a CSRF token.
pub const TOKEN_BYTES: usize = 32;

/// A session just made. The token goes into the cookie and nowhere else.
#[derive(Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The session token: 64 hex digits of 32 random bytes.
    pub token: String,
    /// The token that state-changing forms of this session must carry:
    /// 64 hex digits of 32 random bytes.
    pub csrf_token: String,
    /// Whose session it is: the request that made it acts for them.
    pub owner: Owner,
}

impl fmt::Debug for NewSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSession")
            .field("token", &"[redacted]")
            .field("csrf_token", &"[redacted]")
            .finish()
    }
}

/// A live session as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// Whose session it is.
    pub user: Owner,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// The token's SHA-256 in hex: names the session in the list of a
    /// person's sessions without revealing the token.
    pub token_hash_hex: String,
    /// When it began (unix seconds).
    pub created_unix: i64,
    /// When it was last used (unix seconds; updated at most once a minute).
    pub last_seen_unix: i64,
    /// Such as "Chrome on Linux".
    pub label: String,
    /// Whether it began with a second factor (a passkey).
    pub second_factor: bool,
}

impl fmt::Debug for SessionInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionInfo")
            .field("user", &self.user)
            .field("csrf_token", &"[redacted]")
            .field("token_hash_hex", &self.token_hash_hex)
            .field("created_unix", &self.created_unix)
            .field("last_seen_unix", &self.last_seen_unix)
            .field("label", &self.label)
            .finish()
    }
}

/// A new token: [`TOKEN_BYTES`] random bytes as lowercase hex.
pub fn random_hex() -> Result<String, StoreError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|err| StoreError::Crypto(format!("no randomness for a token: {err}")))?;
    Ok(to_hex(&bytes))
}

/// Bytes as lowercase hex.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|byte| {
            [
                char::from(DIGITS[usize::from(byte >> 4)]),
                char::from(DIGITS[usize::from(byte & 0x0f)]),
            ]
        })
        .collect()
}

/// Decodes exactly 64 hex digits (either case); anything else is `None`.
pub fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 2 * TOKEN_BYTES {
        return None;
    }
    // `to_digit` rather than `u8::from_str_radix`, which would take a sign.
    let digit = |byte: u8| {
        char::from(byte)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    hex.as_bytes()
        .chunks_exact(2)
        .map(|pair| Some((digit(pair[0])? << 4) | digit(pair[1])?))
        .collect()
}

/// The stored form of a token. Only the shape of a token this store makes
/// is accepted; anything else cannot be a session and costs no query.
pub fn token_hash(token: &str) -> Option<Vec<u8>> {
    from_hex(token)?;
    Some(Sha256::digest(token.as_bytes()).to_vec())
}

/// The id a session has in [`SessionInfo::token_hash_hex`], from its token:
/// lets a page mark the session it was asked from in the list.
pub fn token_hash_hex(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

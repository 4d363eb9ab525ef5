//! Recovery codes as they are kept: hashes only, found by a selector.

/// One code as it is kept: the selector and the hash of the secret part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryHash {
    /// The code's first group, which finds it.
    pub selector: String,
    /// The Argon2id PHC string of the rest.
    pub hash: String,
}

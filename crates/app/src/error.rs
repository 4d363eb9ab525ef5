//! What a service can fail with: the store's own error, or a fault of this
//! build (a version it lacks, a rule that does not hold), which no person
//! caused and none can fix.

use tandem_store::StoreError;

/// Why a service could not answer.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The store refused or failed: not found, invalid, unavailable, …
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A fault of this build; the words are for the log, never a person.
    #[error("{0}")]
    Internal(String),
}

impl ServiceError {
    /// A fault of this build, from anything that says what it was.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    /// "Not there, or not yours": the two look the same.
    pub fn not_found(what: &'static str, id: i64) -> Self {
        Self::Store(StoreError::NotFound { what, id })
    }
}

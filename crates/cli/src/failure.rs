//! Errors the user can act on, each with its exit code.

use std::process::ExitCode;

use tandem_app::ServiceError;
use tandem_store::StoreError;

/// A failure whose kind decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Input that does not fit: a file, a value, an id of the wrong form.
    #[error("{0}")]
    BadInput(String),
    /// Something asked for does not exist.
    #[error("{0}")]
    NotFound(String),
}

/// The exit code for an error: 3 bad input, 4 not found, 1 anything else
/// (an unreachable or failing database among it).
pub fn exit_code(err: &anyhow::Error) -> ExitCode {
    match err.downcast_ref::<Failure>() {
        Some(Failure::BadInput(_)) => ExitCode::from(3),
        Some(Failure::NotFound(_)) => ExitCode::from(4),
        None => match store_error(err) {
            Some(StoreError::NotFound { .. }) => ExitCode::from(4),
            Some(StoreError::Invalid { .. }) => ExitCode::from(3),
            _ => ExitCode::FAILURE,
        },
    }
}

/// The store's error, whether it came straight from the store or through
/// a service.
fn store_error(err: &anyhow::Error) -> Option<&StoreError> {
    match err.downcast_ref::<ServiceError>() {
        Some(ServiceError::Store(inner)) => Some(inner),
        Some(ServiceError::Internal(_)) => None,
        None => err.downcast_ref::<StoreError>(),
    }
}

/// Shorthand for a bad-input error.
pub fn bad_input(message: impl Into<String>) -> anyhow::Error {
    Failure::BadInput(message.into()).into()
}

/// Shorthand for a not-found error.
pub fn not_found(message: impl Into<String>) -> anyhow::Error {
    Failure::NotFound(message.into()).into()
}

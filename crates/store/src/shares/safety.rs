//! One safety check's result that a client chose to show the counsellor
//! of one share, by its own act and once. It is not part of any
//! [`Scope`](super::Scope): no scope can name it, no change of scope
//! reaches it, and reads of results never carry it. It holds only the
//! graded outcome and the self-harm answer, never the answers themselves.

use serde::Serialize;
use tandem_core::safety::{ScreenOutcome, ScreenSummary};

/// The one safety result shown through a share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SharedSafetyResult {
    /// The graded outcome and whether a "Yes" spoke of self-harm.
    pub summary: ScreenSummary,
    /// When the check was finished (unix seconds).
    pub taken_unix: i64,
    /// When the client showed it (unix seconds).
    pub shared_unix: i64,
}

impl SharedSafetyResult {
    /// The graded outcome.
    pub fn outcome(&self) -> ScreenOutcome {
        self.summary.outcome
    }
}

/// What sharing a safety result refuses when the share has shown one
/// already: it is shown once.
pub fn shown_already(share: crate::ShareId) -> crate::StoreError {
    crate::StoreError::Conflict(format!(
        "Grant {share} already shows a safety check result; each grant shows one, once."
    ))
}

/// What sharing refuses for a screen that was never finished.
pub fn unfinished() -> crate::StoreError {
    crate::StoreError::invalid(
        "screen",
        "This safety check was not finished, so it has no result to show.",
    )
}

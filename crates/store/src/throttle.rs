//! The throttling policy and the answers of one throttled attempt.

/// Failures older than this are forgotten.
pub const FORGET_AFTER_SECS: i64 = 24 * 60 * 60;

/// The throttling policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Consecutive failures per account before attempts must wait.
    pub free: u32,
    /// The longest wait between attempts on one account, in seconds.
    pub cap_secs: i64,
    /// Failures per address in an hour, across accounts.
    pub per_address_per_hour: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            free: 5,
            cap_secs: 15 * 60,
            per_address_per_hour: 50,
        }
    }
}

/// What the limiter decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Go on and check the password; report back with the ticket.
    Allowed(Ticket),
    /// Refused before any hashing: come back after this many seconds.
    Refused {
        /// Seconds to wait.
        retry_after: i64,
    },
}

/// A reserved attempt: recorded as a failure until it is known to have
/// succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// The account's throttling key, when the attempt named one.
    pub account: Option<String>,
    /// The engine's rows that record this attempt as a failure for now.
    pub rows: Vec<i64>,
}

/// The wait an account with `failures` consecutive failures owes since its
/// last one.
pub fn backoff(limits: &Limits, failures: u64) -> i64 {
    let free = u64::from(limits.free);
    if failures < free {
        return 0;
    }
    let power = (failures - free).min(62);
    (1i64 << power).min(limits.cap_secs)
}

//! What a counsellor account must have before it works with clients: the
//! operator's approval to take a client's code, and, unless the operator
//! relaxed it, a second factor at sign-in.

use std::str::FromStr;

use tandem_store::{AccountRole, Standing};

use super::Session;
use crate::{AppError, AppState};

/// Whether counsellors must sign in with a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecondFactor {
    /// They must (the default).
    #[default]
    Required,
    /// The operator relaxed it: a password alone lets a counsellor in.
    Optional,
}

impl FromStr for SecondFactor {
    type Err = String;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        match word {
            "required" => Ok(Self::Required),
            "optional" => Ok(Self::Optional),
            other => Err(format!(
                "counsellor_second_factor must be \"required\" or \"optional\", not {other:?}"
            )),
        }
    }
}

/// Refused to an account that is not a counsellor's.
pub const NOT_A_COUNSELLOR: &str = "This is for counsellor accounts.";

/// Refused to a counsellor who signed in without a second factor when one
/// is required.
pub const NEEDS_SECOND_FACTOR: &str = "Counsellor accounts must sign in with a passkey. Add one in Settings, then sign in again with it.";

/// The standing of a counsellor who may work with clients now; 403
/// otherwise.
pub async fn counsellor(state: &AppState, session: &Session) -> Result<Standing, AppError> {
    let standing = state.store().standing(session.user).await?;
    if standing.role != AccountRole::Counsellor {
        return Err(AppError::forbidden(NOT_A_COUNSELLOR));
    }
    if state.config().counsellor_second_factor == SecondFactor::Required && !session.second_factor {
        return Err(AppError::forbidden(NEEDS_SECOND_FACTOR));
    }
    Ok(standing)
}

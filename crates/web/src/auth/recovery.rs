//! Recovery without email: ten single-use codes, shown once at sign-up and
//! renewable in settings. A code is five groups of four characters from
//! Crockford's base 32 (no I, L, O or U, so nothing reads as something
//! else): the first group finds the code, the other sixteen characters (80
//! random bits) are the secret, kept only as a salted Argon2id hash. Using
//! one is throttled like a sign-in, sets a new password and ends every
//! other session.

use tandem_store::{Owner, RecoveryHash, UserName};

use super::flows::{Started, hash, hashing_error, reserve, start};
use super::password::check_new_password;
use super::{Client, now};
use crate::{AppError, AppState};

/// Codes per set.
pub const CODES: usize = 10;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const SELECTOR_LEN: usize = 4;
const SECRET_LEN: usize = 16;

/// One code, split into what finds it and what proves it.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode {
    selector: String,
    secret: String,
}

/// Never prints the secret, should a code reach a log by mistake.
impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryCode")
            .field("selector", &self.selector)
            .field("secret", &"…")
            .finish()
    }
}

impl RecoveryCode {
    /// A new random code.
    fn random() -> Result<Self, AppError> {
        let mut bytes = [0u8; SELECTOR_LEN + SECRET_LEN];
        getrandom::fill(&mut bytes).map_err(AppError::internal)?;
        // 256 is a multiple of 32, so taking the low five bits is uniform.
        let text: String = bytes
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
            .collect();
        let (selector, secret) = text.split_at(SELECTOR_LEN);
        Ok(Self {
            selector: selector.to_owned(),
            secret: secret.to_owned(),
        })
    }

    /// Reads a code as a person may type it: any case, with or without
    /// dashes or spaces, O for 0 and I or L for 1. `None` when it cannot be
    /// a code.
    pub fn parse(typed: &str) -> Option<Self> {
        let text: String = typed
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\u{2010}'..='\u{2015}'))
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        if text.len() != SELECTOR_LEN + SECRET_LEN || !text.bytes().all(|b| ALPHABET.contains(&b)) {
            return None;
        }
        let (selector, secret) = text.split_at(SELECTOR_LEN);
        Some(Self {
            selector: selector.to_owned(),
            secret: secret.to_owned(),
        })
    }

    /// The code as it is shown: `ABCD-EFGH-JKMN-PQRS-TVWX`.
    pub fn shown(&self) -> String {
        let whole = format!("{}{}", self.selector, self.secret);
        whole
            .as_bytes()
            .chunks(4)
            .map(|group| String::from_utf8_lossy(group).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// A fresh set of codes with distinct selectors.
fn new_set() -> Result<Vec<RecoveryCode>, AppError> {
    let mut codes: Vec<RecoveryCode> = Vec::with_capacity(CODES);
    while codes.len() < CODES {
        let code = RecoveryCode::random()?;
        if codes.iter().all(|c| c.selector != code.selector) {
            codes.push(code);
        }
    }
    Ok(codes)
}

/// Makes a new set of codes for `user`, replacing any old ones, and returns
/// them as shown — the only time they exist in the clear.
pub async fn issue(state: &AppState, user: Owner) -> Result<Vec<String>, AppError> {
    let codes = new_set()?;
    let hashes = state
        .hasher()
        .hash_codes(codes.iter().map(|c| c.secret.clone()).collect())
        .await
        .map_err(hashing_error)?;
    let kept: Vec<RecoveryHash> = codes
        .iter()
        .zip(hashes)
        .map(|(code, hash)| RecoveryHash {
            selector: code.selector.clone(),
            hash,
        })
        .collect();
    state
        .store()
        .replace_recovery_codes(user, &kept, now())
        .await?;
    Ok(codes.iter().map(RecoveryCode::shown).collect())
}

/// What a person gives to get back in.
pub struct Recovery<'a> {
    /// Their user name.
    pub name: &'a str,
    /// One of their codes, as typed.
    pub code: &'a str,
    /// The new password, twice.
    pub password: &'a str,
    /// The new password again.
    pub confirm: &'a str,
}

/// Uses a recovery code: throttled like a sign-in (per name and address,
/// reserved before any hash), the same answer for an unknown name, an
/// unknown code and a wrong one; then the code is spent, the password set,
/// every session ended and a new one started.
pub async fn recover(
    state: &AppState,
    client: &Client,
    given: &Recovery<'_>,
) -> Result<Started, AppError> {
    let store = state.store();
    let wrong = || AppError::bad_credentials(WRONG_CODE);
    // The new password is checked first, before anything is counted or any
    // code looked at: a weak one says nothing about the code.
    check_new_password(given.password, &given.name.trim().to_lowercase())
        .map_err(|p| AppError::invalid(p.to_string()))?;
    if given.password != given.confirm {
        return Err(AppError::invalid("The two passwords are not the same."));
    }
    let ticket = reserve(state, Some(given.name), Some(client)).await?;
    let account = match UserName::parse(given.name) {
        Ok(name) => store.account_by_name(&name).await?,
        Err(_) => None,
    };
    let code = RecoveryCode::parse(given.code);
    let stored = match (&account, &code) {
        (Some((user, _)), Some(code)) => store.recovery_hash(*user, &code.selector).await?,
        _ => None,
    };
    let secret = code.as_ref().map_or("", |c| c.secret.as_str());
    let matched = match state.hasher().verify_code(secret, stored.as_deref()).await {
        Ok(matched) => matched,
        Err(err) => {
            store.release_attempt(ticket).await?;
            return Err(hashing_error(err));
        }
    };
    let (Some((user, _)), Some(code), true) = (account, code, matched) else {
        return Err(wrong());
    };
    let hashed = match hash(state, given.password.to_owned()).await {
        Ok(hashed) => hashed,
        Err(err) => {
            store.release_attempt(ticket).await?;
            return Err(err);
        }
    };
    // Spent, password set and every session ended in one write: of two
    // requests with one code, one wins; a failure changes nothing.
    if !store
        .recover_with_code(user, &code.selector, &hashed)
        .await?
    {
        return Err(wrong());
    }
    store.attempt_succeeded(ticket).await?;
    let started = start(state, user, client).await?;
    crate::follow_up::forget_held(state, started.user).await;
    Ok(started)
}

/// The same words for every code that does not work.
pub const WRONG_CODE: &str = "That user name and recovery code do not match.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_however_they_are_typed() {
        let code = RecoveryCode::random().unwrap();
        let shown = code.shown();
        assert_eq!(shown.len(), 24);
        assert_eq!(shown.matches('-').count(), 4);
        for typed in [
            shown.clone(),
            shown.to_lowercase(),
            shown.replace('-', ""),
            shown.replace('-', " "),
            format!("  {shown} "),
        ] {
            assert_eq!(RecoveryCode::parse(&typed), Some(code.clone()), "{typed}");
        }
        // Look-alike letters read as the digits they stand for.
        let parsed = RecoveryCode::parse("OIL0-0000-0000-0000-0000").unwrap();
        assert_eq!(parsed.shown(), "0110-0000-0000-0000-0000");
        for bad in [
            "",
            "ABCD-EFGH",
            "ABCD-EFGH-JKMN-PQRS-TVWXY",
            "ABCD-EFGH-JKMN-PQRS-TVWU",
        ] {
            assert_eq!(RecoveryCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_set_has_ten_codes_with_distinct_selectors() {
        let set = new_set().unwrap();
        assert_eq!(set.len(), CODES);
        let mut selectors: Vec<_> = set.iter().map(|c| c.selector.clone()).collect();
        selectors.sort();
        selectors.dedup();
        assert_eq!(selectors.len(), CODES);
    }
}

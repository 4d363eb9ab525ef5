//! Password rules (NIST SP 800-63B rev. 4: length, not composition; refuse
//! common choices) and Argon2id hashing with a fixed-cost dummy so that an
//! unknown name takes as long as a wrong password.

/// Fewest characters a password may have.
pub const MIN_CHARS: usize = 15;
/// Most characters a password may have (long passphrases welcome).
pub const MAX_CHARS: usize = 256;

/// Common long passwords and patterns, refused whatever their length.
const COMMON: &str = include_str!("../../../../content/common-passwords.txt");

/// Why a new password was refused, in words for the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    /// Too short.
    #[error("Use at least {MIN_CHARS} characters. A few words strung together work well.")]
    TooShort,
    /// Too long.
    #[error("Use at most {MAX_CHARS} characters.")]
    TooLong,
    /// On the list of common passwords, or one character repeated.
    #[error("That password is very common, so it is easy to guess. Please choose another.")]
    Common,
    /// Contains the user name.
    #[error("Please do not use your user name in your password.")]
    HasName,
}

/// Checks a new password against the rules.
pub fn check_new_password(password: &str, user_name: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let folded = password.to_lowercase();
    let mut distinct: Vec<char> = folded.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() <= 3 || COMMON.lines().any(|line| line.trim() == folded) {
        return Err(PasswordProblem::Common);
    }
    if user_name.len() >= 3 && folded.contains(&user_name.to_lowercase()) {
        return Err(PasswordProblem::HasName);
    }
    Ok(())
}

/// Why hashing failed (never the person's fault).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HashError(String);

impl HashError {
    /// A hashing failure, described.
    pub fn new(cause: impl std::fmt::Display) -> Self {
        Self(cause.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_are_length_and_commonness_not_composition() {
        let check = |p: &str| check_new_password(p, "robin");
        assert_eq!(check("short one"), Err(PasswordProblem::TooShort));
        assert_eq!(check("aaaaaaaaaaaaaaaaaaaa"), Err(PasswordProblem::Common));
        assert_eq!(check("123456789012345"), Err(PasswordProblem::Common));
        assert_eq!(check("passwordpassword"), Err(PasswordProblem::Common));
        assert_eq!(
            check("robin likes green tea"),
            Err(PasswordProblem::HasName)
        );
        assert_eq!(check(&"long ".repeat(60)), Err(PasswordProblem::TooLong));
        // No digits or symbols needed; 64+ characters allowed.
        assert_eq!(check("otters hold hands while asleep"), Ok(()));
        assert_eq!(
            check(&"a quiet walk by the river at dusk ".repeat(3)),
            Ok(())
        );
    }
}

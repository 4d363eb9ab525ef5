//! User names, parsed once at the edge, and what a password hash must look
//! like. Hashing and checking passwords is the web crate's work; the store
//! never sees a password.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::StoreError;

/// The name of the terminal's one user, which no account may take.
const RESERVED: &str = "local";
const MIN_LEN: usize = 3;
const MAX_LEN: usize = 40;

/// Why a user name or an account was refused. The messages are written for
/// the person signing up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// Too short, too long, or a character outside a–z, 0–9, `.`, `-`, `_`.
    #[error("A user name needs 3 to 40 letters, digits, dots, dashes or underscores.")]
    NameShape,
    /// The name is kept for the terminal's own user.
    #[error("That name is reserved.")]
    NameReserved,
    /// Another account has the name. The store reports this as
    /// [`StoreError::Conflict`] carrying this message.
    #[error("That name is taken.")]
    NameTaken,
}

/// A user name that can belong to an account: trimmed, lowercased, 3 to 40 of
/// `a`–`z`, `0`–`9`, `.`, `-`, `_`, and not the reserved `local`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct UserName(String);

impl UserName {
    /// Parses what a person typed. Case is folded (ASCII only, so that no
    /// look-alike letter folds into a name that someone else holds).
    pub fn parse(raw: &str) -> Result<Self, AccountError> {
        let name = raw.trim().to_ascii_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        // Every allowed character is one byte, so the byte length is the count.
        if !(MIN_LEN..=MAX_LEN).contains(&name.len()) || !name.chars().all(allowed) {
            return Err(AccountError::NameShape);
        }
        if name == RESERVED {
            return Err(AccountError::NameReserved);
        }
        Ok(Self(name))
    }

    /// The name as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UserName {
    type Error = AccountError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl Serialize for UserName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl fmt::Display for UserName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A PHC string begins with `$`; this catches a password passed by mistake
/// where its hash belongs (most of them, at least) before it is written down.
pub fn check_phc(password_hash: &str) -> Result<(), StoreError> {
    if password_hash.starts_with('$') {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "password_hash",
            "a password hash must be a PHC string such as $argon2id$…",
        ))
    }
}

/// What an account is for. A counsellor account can accept shares only
/// once the operator has approved it, so nobody can simply pose as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AccountRole {
    /// Someone using Tandem for themselves (the default).
    #[default]
    Person,
    /// A counsellor who follows clients who invite them.
    Counsellor,
}

impl AccountRole {
    /// The word kept in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Counsellor => "counsellor",
        }
    }

    /// The role a stored word names; any other is stored data that no
    /// longer reads.
    pub fn stored(word: &str) -> Result<Self, StoreError> {
        match word {
            "person" => Ok(Self::Person),
            "counsellor" => Ok(Self::Counsellor),
            _ => Err(StoreError::corrupt(format!("account role {word:?}"))),
        }
    }
}

/// An account's role and, for a counsellor, whether the operator has
/// approved it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// What the account is for.
    pub role: AccountRole,
    /// When the operator approved it (counsellors only).
    pub approved_unix: Option<i64>,
}

impl Standing {
    /// Whether the account may accept shares.
    pub fn is_approved_counsellor(self) -> bool {
        self.role == AccountRole::Counsellor && self.approved_unix.is_some()
    }
}

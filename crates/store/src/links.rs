//! Partner links: two people, each with one of their own relationships,
//! joined by an invite code one makes and the other accepts (the two
//! consents). Each side chooses how much of its results for that
//! relationship the other sees. A link ended by either is ended for both,
//! at once; nothing of it is readable after.
//!
//! What the other side reads comes only through a [`PartnerGrant`](crate::PartnerGrant),
//! as [`PartnerScores`]: a type with no field for a time, a name, a note or
//! anything of a safety check.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{LinkId, RelationshipId, StoreError, UserId};

/// How long an invite code can be accepted: 72 hours.
pub const INVITE_SECONDS: i64 = 72 * 3600;

/// How many characters an invite code has (Crockford base32, 5 bits each:
/// 50 bits).
pub const CODE_CHARS: usize = 10;

/// Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or
/// copied by hand is hard to get wrong.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// How much of one side's results the other side sees, each level
/// including the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LinkLevel {
    /// Nothing (the default).
    None,
    /// The index scores.
    Indices,
    /// The facet scores too.
    Facets,
    /// The answers to the items too.
    Items,
}

impl LinkLevel {
    /// Every level, lowest first.
    pub const ALL: [Self; 4] = [Self::None, Self::Indices, Self::Facets, Self::Items];

    /// The word kept in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Indices => "indices",
            Self::Facets => "facets",
            Self::Items => "items",
        }
    }

    /// The level a word names.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_str() == word)
    }

    /// The level a stored word names; any other word is stored data that
    /// no longer reads.
    pub fn stored(word: &str) -> Result<Self, StoreError> {
        Self::parse(word).ok_or_else(|| StoreError::corrupt(format!("link level {word:?}")))
    }
}

/// A partner's own mark on one discussion item: seen by them alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Mark {
    /// To talk about first.
    Star,
    /// Not for now.
    SetAside,
}

impl Mark {
    /// The word kept in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Star => "star",
            Self::SetAside => "set_aside",
        }
    }

    /// The mark a word names.
    pub fn parse(word: &str) -> Option<Self> {
        [Self::Star, Self::SetAside]
            .into_iter()
            .find(|mark| mark.as_str() == word)
    }

    /// The mark a stored word names, as [`LinkLevel::stored`].
    pub fn stored(word: &str) -> Result<Self, StoreError> {
        Self::parse(word).ok_or_else(|| StoreError::corrupt(format!("discussion mark {word:?}")))
    }
}

/// One of a person's current links, as they see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Link {
    /// Its id (the same on both sides).
    pub id: LinkId,
    /// The person's own relationship it is about.
    pub relationship: RelationshipId,
    /// How much this person lets the other see.
    pub sharing: LinkLevel,
    /// Whether this person takes part in "how I think my partner
    /// answered", and shows their guesses.
    pub guessing: crate::Guessing,
}

/// An invite made and not yet accepted, as its maker sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invite {
    /// The relationship it would link.
    pub relationship: RelationshipId,
    /// When it can no longer be accepted (unix seconds).
    pub expires_unix: i64,
}

/// The other side of a current link, as an engine finds it for a viewer:
/// bare ids, from which only [`Store::partner_grant`](crate::Store::partner_grant)
/// makes a [`PartnerGrant`](crate::PartnerGrant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerRow {
    /// The link.
    pub link: LinkId,
    /// The other person.
    pub owner: UserId,
    /// Their relationship the link is about.
    pub relationship: RelationshipId,
    /// How much they share.
    pub level: LinkLevel,
}

/// One finished RDP result of the other side, as their sharing level shows
/// it. No time, no name, no text, nothing of a safety check: a partner's
/// view cannot carry what its type has no room for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerScores {
    /// The level it was read at.
    pub level: LinkLevel,
    /// Index scores by index id.
    pub indices: BTreeMap<String, f64>,
    /// Facet scores by facet id, from the `facets` level up.
    pub facets: Option<BTreeMap<String, f64>>,
    /// The point chosen on each item's scale, at the `items` level; an item
    /// left blank, or answered "does not apply" or "prefer not to say", is
    /// absent.
    pub items: Option<BTreeMap<String, i64>>,
}

/// A finished administration as an engine reads it for a partner, before
/// [`latest_at`] drops its time.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// When it was finished (unix seconds).
    pub completed_unix: i64,
    /// What the level shows of it.
    pub scores: PartnerScores,
}

/// For each instant of `at`, the newest of `finished` (oldest first)
/// finished at or before it, if any: the pairing a gap over time needs,
/// without the other's times leaving the store.
pub fn latest_at(finished: &[Finished], at: &[i64]) -> Vec<Option<PartnerScores>> {
    at.iter()
        .map(|&instant| {
            finished
                .iter()
                .rev()
                .find(|f| f.completed_unix <= instant)
                .map(|f| f.scores.clone())
        })
        .collect()
}

/// Kept scores (the JSON objects of a `scorings` row of administration
/// `id`) and its answers' values, as `level` shows them; `None` at
/// [`LinkLevel::None`].
pub fn shown(
    id: i64,
    indices: &str,
    facets: &str,
    values: impl FnOnce() -> BTreeMap<String, i64>,
    level: LinkLevel,
) -> Result<Option<PartnerScores>, StoreError> {
    let read = |json: &str| -> Result<BTreeMap<String, f64>, StoreError> {
        serde_json::from_str(json).map_err(|err| {
            StoreError::corrupt(format!("kept scores of administration {id}: {err}"))
        })
    };
    if level == LinkLevel::None {
        return Ok(None);
    }
    Ok(Some(PartnerScores {
        level,
        indices: read(indices)?,
        facets: if level >= LinkLevel::Facets {
            Some(read(facets)?)
        } else {
            None
        },
        items: (level >= LinkLevel::Items).then(values),
    }))
}

/// A new invite code: [`CODE_CHARS`] random characters of Crockford's
/// base32, shown as two groups of five.
pub fn new_code() -> Result<String, StoreError> {
    let mut bytes = [0u8; CODE_CHARS];
    getrandom::fill(&mut bytes).map_err(|err| StoreError::Crypto(err.to_string()))?;
    let chars: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect();
    Ok(format!("{}-{}", &chars[..5], &chars[5..]))
}

/// The hash an invite code is kept and looked up by, after the forgiving
/// reading Crockford's alphabet allows: case, spaces and dashes ignored,
/// O read as 0 and I or L as 1. `None` when what is left cannot be a code.
pub fn code_hash(code: &str) -> Option<[u8; 32]> {
    let mut canonical = String::with_capacity(CODE_CHARS);
    for c in code.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return None;
        }
        canonical.push(c);
    }
    if canonical.len() != CODE_CHARS {
        return None;
    }
    Some(Sha256::digest(canonical.as_bytes()).into())
}

/// What every engine checks of a relationship before it is linked: one of
/// the person's own (`role` is its stored role word, `None` when it is not
/// theirs), a partner, and not in a current link already.
pub fn check_linkable(
    id: RelationshipId,
    role: Option<&str>,
    linked: bool,
) -> Result<(), StoreError> {
    let Some(role) = role else {
        return Err(StoreError::NotFound {
            what: "relationship",
            id: id.0,
        });
    };
    if role != tandem_core::relationship::Role::Partner.as_str() {
        return Err(StoreError::invalid(
            "relationship",
            "Links are for partners only. Choose the person you have as your partner.",
        ));
    }
    if linked {
        return Err(StoreError::Conflict(
            "You are already linked with someone for this relationship.".into(),
        ));
    }
    Ok(())
}

/// `NotFound` for link `id` when a change of one side touched no row: no
/// such link, not theirs, or ended.
pub fn changed_one(rows: u64, id: LinkId) -> Result<(), StoreError> {
    if rows == 0 {
        return Err(StoreError::NotFound {
            what: "link",
            id: id.0,
        });
    }
    Ok(())
}

/// The refusal of an invite that cannot be accepted, whatever the reason
/// (no such code, used, expired, withdrawn): one error, so a guess learns
/// nothing.
pub fn no_such_invite() -> StoreError {
    StoreError::invalid(
        "code",
        "This code is not valid. Check it, or ask for a new one.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_code_reads_back_through_its_hash_however_it_is_typed() {
        let code = new_code().unwrap();
        assert_eq!(code.len(), CODE_CHARS + 1);
        let hash = code_hash(&code).unwrap();
        assert_eq!(code_hash(&code.to_lowercase()), Some(hash));
        assert_eq!(code_hash(&code.replace('-', " ")), Some(hash));
        assert_ne!(code_hash(&new_code().unwrap()), Some(hash));
    }

    #[test]
    fn codes_read_forgivingly_but_not_loosely() {
        let cases: [(&str, Option<&str>); 6] = [
            ("ABCDE-12345", Some("ABCDE12345")),
            ("abcde 12345", Some("ABCDE12345")),
            ("ABCDE-O2345", Some("ABCDE02345")),
            ("ABCDE-I2345", Some("ABCDE12345")),
            ("ABCDE-1234", None),
            ("ABCDE-1234U", None),
        ];
        for (typed, canonical) in cases {
            let expected = canonical.map(|c| <[u8; 32]>::from(Sha256::digest(c.as_bytes())));
            assert_eq!(code_hash(typed), expected, "{typed}");
        }
    }

    #[test]
    fn the_latest_at_each_instant_is_the_newest_finished_by_then() {
        let at = |level, index: f64| PartnerScores {
            level,
            indices: BTreeMap::from([("OD".to_owned(), index)]),
            facets: None,
            items: None,
        };
        let finished = [
            Finished {
                completed_unix: 100,
                scores: at(LinkLevel::Indices, 2.0),
            },
            Finished {
                completed_unix: 200,
                scores: at(LinkLevel::Indices, 3.0),
            },
        ];
        let picked = latest_at(&finished, &[50, 100, 150, 250]);
        let values: Vec<Option<f64>> = picked
            .iter()
            .map(|p| p.as_ref().map(|s| s.indices["OD"]))
            .collect();
        assert_eq!(values, [None, Some(2.0), Some(2.0), Some(3.0)]);
    }

    #[test]
    fn each_level_shows_what_it_includes_and_no_more() {
        let values = || BTreeMap::from([("ER1".to_owned(), 4)]);
        let cases = [
            (LinkLevel::None, None),
            (LinkLevel::Indices, Some((false, false))),
            (LinkLevel::Facets, Some((true, false))),
            (LinkLevel::Items, Some((true, true))),
        ];
        for (level, expected) in cases {
            let shown = shown(1, r#"{"OD":2.5}"#, r#"{"ER":3.0}"#, values, level).unwrap();
            let got = shown.map(|s| (s.facets.is_some(), s.items.is_some()));
            assert_eq!(got, expected, "{level:?}");
        }
    }
}

//! Shares: one person letting another see some of their results. The
//! person who shares makes the share, chooses how much it shows and ends
//! it; the one it is for reads through a [`Grant`](crate::Grant), which the
//! store mints only from a share that is current, and every such read
//! leaves an [`AuditEntry`] the sharer can read. Partner links (and later
//! counsellors) are shares; a share never reaches safety answers, anything
//! sealed, or anything that says when its owner was active.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{Owner, ShareId, StoreError, UserId};

/// Who a share is for, which decides nothing by itself but is shown to
/// the sharer and kept in the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareKind {
    /// A linked partner.
    Partner,
    /// A counsellor the person invited.
    Counsellor,
}

/// How much of a result a share shows, each level including the one
/// before it. "Nothing" is no share at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareLevel {
    /// The index scores.
    Indices,
    /// The facet scores too.
    Facets,
}

impl ShareKind {
    /// The word kept in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Partner => "partner",
            Self::Counsellor => "counsellor",
        }
    }

    /// The kind a stored word names.
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "partner" => Some(Self::Partner),
            "counsellor" => Some(Self::Counsellor),
            _ => None,
        }
    }
}

impl ShareLevel {
    /// The word kept in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Indices => "indices",
            Self::Facets => "facets",
        }
    }

    /// The level a stored word names.
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "indices" => Some(Self::Indices),
            "facets" => Some(Self::Facets),
            _ => None,
        }
    }
}

/// A share as its owner sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    /// Its id.
    pub id: ShareId,
    /// Whom it is for.
    pub viewer: UserId,
    /// What the viewer is to the owner.
    pub kind: ShareKind,
    /// How much it shows.
    pub level: ShareLevel,
    /// When it was made (unix seconds).
    pub created_unix: i64,
    /// When it stops by itself, if it does (unix seconds).
    pub expires_unix: Option<i64>,
    /// When its owner ended it, if they did.
    pub revoked_unix: Option<i64>,
}

/// One finished RDP result as a share shows it: scores only, at the
/// share's level. It has no field for when it was taken, whom it was
/// about, what was written, or anything of a safety check: a shared view
/// cannot carry what its type has no room for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedScores {
    /// Index scores by index id (an unscored index is absent).
    pub indices: BTreeMap<String, f64>,
    /// Facet scores by facet id, when the share shows facets.
    pub facets: Option<BTreeMap<String, f64>>,
}

/// One read through a grant, as the sharer sees it in their trail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// The share it was read through.
    pub share: ShareId,
    /// Who read.
    pub viewer: UserId,
    /// When (unix seconds).
    pub at_unix: i64,
    /// What was read, such as `scores`.
    pub what: String,
}

/// A current share, as the engine finds it for a viewer: bare ids, from
/// which only [`Store::grant`](crate::Store::grant) makes a [`Grant`](crate::Grant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRow {
    /// The share.
    pub share: ShareId,
    /// Whose data it shows.
    pub owner: UserId,
    /// How much.
    pub level: ShareLevel,
}

/// What every engine checks of a new share before it writes: not with
/// oneself, and an expiry after now.
pub fn check_new(
    owner: Owner,
    viewer: UserId,
    now: i64,
    expires_unix: Option<i64>,
) -> Result<(), StoreError> {
    if owner.id() == viewer {
        return Err(StoreError::invalid(
            "viewer",
            "A share is with someone else.",
        ));
    }
    if expires_unix.is_some_and(|at| at <= now) {
        return Err(StoreError::invalid(
            "expires",
            "A share must end after it begins.",
        ));
    }
    Ok(())
}

/// Kept scores (the JSON objects of the `scorings` row of administration
/// `id`) as a share at `level` shows them.
pub fn shown(
    id: i64,
    indices: &str,
    facets: &str,
    level: ShareLevel,
) -> Result<SharedScores, StoreError> {
    let read = |json: &str| -> Result<BTreeMap<String, f64>, StoreError> {
        serde_json::from_str(json).map_err(|err| {
            StoreError::corrupt(format!("kept scores of administration {id}: {err}"))
        })
    };
    Ok(SharedScores {
        indices: read(indices)?,
        facets: match level {
            ShareLevel::Indices => None,
            ShareLevel::Facets => Some(read(facets)?),
        },
    })
}

/// The level a stored word names; any other word is stored data that no
/// longer reads.
pub fn stored_level(word: &str) -> Result<ShareLevel, StoreError> {
    ShareLevel::parse(word).ok_or_else(|| StoreError::corrupt(format!("share level {word:?}")))
}

/// The kind a stored word names, as [`stored_level`].
pub fn stored_kind(word: &str) -> Result<ShareKind, StoreError> {
    ShareKind::parse(word).ok_or_else(|| StoreError::corrupt(format!("share kind {word:?}")))
}

/// `NotFound` for share `id` when a change of its owner's touched no row:
/// no such share, someone else's, or ended already.
pub fn changed_one(rows: u64, id: ShareId) -> Result<(), StoreError> {
    if rows == 0 {
        return Err(StoreError::NotFound {
            what: "share",
            id: id.0,
        });
    }
    Ok(())
}

//! Point scores kept beside each finished administration.

use std::collections::BTreeMap;

use crate::{AdministrationId, Owner, RelationshipId};

/// One finished administration's kept index scores, for trends.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorePoint {
    /// The administration.
    pub id: AdministrationId,
    /// Its instrument's id.
    pub instrument: String,
    /// The relationship it is about: a trend is drawn per relationship.
    pub relationship: RelationshipId,
    /// When it was finished (UTC, RFC 3339).
    pub completed_at: String,
    /// Whether every facet was scored.
    pub complete: bool,
    /// Index scores by index id (an unscored index is absent).
    pub indices: BTreeMap<String, f64>,
}

/// A finished administration whose kept scores are missing or were made by
/// other scoring rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unscored {
    /// Whose it is.
    pub owner: Owner,
    /// The administration.
    pub id: AdministrationId,
    /// Its instrument's id.
    pub instrument: String,
    /// The version it was taken with.
    pub version: String,
}

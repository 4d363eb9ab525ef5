//! The action plan's items and their states.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{PlanItemId, RelationshipId};

/// Where an item of the plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PlanStatus {
    /// Suggested, not yet taken up: one of the first few suggestions.
    Suggested,
    /// Suggested too, but beyond the first few: shown folded, for later.
    /// Never stored; [`Plans::plan`](crate::engine::Plans::plan) reads suggestions past the focus as this.
    Later,
    /// The person chose to work on it.
    Chosen,
    /// The person finished it.
    Done,
    /// The person set it aside.
    Dropped,
    /// No longer suggested by a later refresh; kept only as history.
    Replaced,
}

impl PlanStatus {
    /// Every status, in the order of a plan's life.
    pub const ALL: [Self; 6] = [
        Self::Suggested,
        Self::Later,
        Self::Chosen,
        Self::Done,
        Self::Dropped,
        Self::Replaced,
    ];

    /// The status as stored and serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Suggested => "suggested",
            Self::Later => "later",
            Self::Chosen => "chosen",
            Self::Done => "done",
            Self::Dropped => "dropped",
            Self::Replaced => "replaced",
        }
    }
}

impl fmt::Display for PlanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A plan status that is none of the five.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a plan status: use suggested, later, chosen, done, dropped or replaced")]
pub struct UnknownPlanStatus(pub String);

impl FromStr for PlanStatus {
    type Err = UnknownPlanStatus;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == raw)
            .ok_or_else(|| UnknownPlanStatus(raw.to_owned()))
    }
}

/// One item of a person's plan, current or past.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    /// Its id.
    pub id: PlanItemId,
    /// The relationship whose plan it is part of.
    pub relationship: RelationshipId,
    /// The strategy (a guidance id).
    pub strategy: String,
    /// Why it was suggested, as the program described it (never free text).
    pub reason: serde_json::Value,
    /// Whether it was suggested because of safety answers. Such an item must
    /// never appear in a view shared with anyone else.
    pub from_safety: bool,
    /// Where it stands.
    pub status: PlanStatus,
    /// Its place in the plan, from 0.
    pub position: i64,
    /// When it was first suggested (unix seconds).
    pub created_unix: i64,
    /// When it last changed (unix seconds).
    pub updated_unix: i64,
}

/// One suggestion for [`Plans::refresh_plan`](crate::engine::Plans::refresh_plan), in plan order.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSuggestion {
    /// The strategy (a guidance id).
    pub strategy: String,
    /// Why it is suggested, as JSON made by the program (never free text).
    pub reason: serde_json::Value,
    /// Whether it comes from safety answers.
    pub from_safety: bool,
}

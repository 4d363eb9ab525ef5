//! Administrations of profile and check-in instruments.

use serde::Serialize;

use crate::{AdministrationId, RelationshipId};

/// One administration as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Administration {
    /// Its id.
    pub id: AdministrationId,
    /// The instrument's id.
    pub instrument: String,
    /// The instrument's version when it was taken.
    pub version: String,
    /// Whom it was about, such as "my partner".
    pub about: String,
    /// The relationship it belongs to: the one of that name.
    pub relationship: RelationshipId,
    /// Index of the next item to ask, for resuming.
    pub position: usize,
    /// When it began (UTC, RFC 3339).
    pub started_at: String,
    /// When the last item was reached, if it was.
    pub completed_at: Option<String>,
}

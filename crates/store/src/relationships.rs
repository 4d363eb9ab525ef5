//! Relationships as the store keeps them: each person's own, with a role
//! and a sealed name. Every administration belongs to one; an answer given
//! "about" a name belongs to the relationship of that name (compared
//! normalised), which is made the first time the name is used.

use serde::Serialize;
use tandem_core::relationship::{Role, normalise};

use crate::contexts::relationship_name_context;
use crate::seal::Sealer;
use crate::{RelationshipId, StoreError, UserId};

/// One of a person's relationships.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Relationship {
    /// Its id.
    pub id: RelationshipId,
    /// What the other person is to this one.
    pub role: Role,
    /// The name or nickname the person gave (sealed at rest).
    pub name: String,
}

/// The relationship among `kept` whose name is `name`, compared normalised.
pub fn named<'a>(kept: &'a [Relationship], name: &str) -> Option<&'a Relationship> {
    let wanted = normalise(name);
    kept.iter().find(|r| normalise(&r.name) == wanted)
}

/// What every engine checks of a new relationship's name before it writes:
/// a name this person does not use yet. `Conflict` names the clash.
pub fn check_new_name(kept: &[Relationship], name: &str) -> Result<(), StoreError> {
    match named(kept, name) {
        Some(_) => Err(StoreError::Conflict(format!(
            "You already have someone called \u{201c}{name}\u{201d}."
        ))),
        None => Ok(()),
    }
}

/// A stored row of `owner`'s, read back: its role word checked, its name
/// opened.
pub fn from_row(
    key: &Sealer,
    owner: UserId,
    id: i64,
    role: &str,
    name_sealed: &[u8],
) -> Result<Relationship, StoreError> {
    Ok(Relationship {
        id: RelationshipId(id),
        role: Role::parse(role)
            .ok_or_else(|| StoreError::corrupt(format!("unknown relationship role {role:?}")))?,
        name: key.open_text(&relationship_name_context(owner), name_sealed)?,
    })
}

/// A name as it is kept: sealed to its owner's relationships.
pub fn seal_name(key: &Sealer, owner: UserId, name: &str) -> Result<Vec<u8>, StoreError> {
    key.seal_text(&relationship_name_context(owner), name)
}

/// The one of `kept` with this id; `NotFound` when it is not among them
/// (someone else's looks the same as none).
pub fn by_id(kept: Vec<Relationship>, id: RelationshipId) -> Result<Relationship, StoreError> {
    kept.into_iter()
        .find(|r| r.id == id)
        .ok_or(StoreError::NotFound {
            what: "relationship",
            id: id.0,
        })
}

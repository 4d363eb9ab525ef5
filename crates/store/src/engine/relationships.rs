//! A person's relationships, and the administrations attached to them.

use async_trait::async_trait;
use tandem_core::input::About;
use tandem_core::relationship::Role;

use crate::{Owner, Relationship, RelationshipId, StoreError};

/// Relationships made, renamed in role, listed and found by name.
#[async_trait]
pub trait Relationships: Send + Sync {
    /// Adds a relationship. `Conflict` when the person already has one of
    /// that name (compared normalised).
    async fn create_relationship(
        &self,
        owner: Owner,
        role: Role,
        name: &About,
    ) -> Result<Relationship, StoreError>;

    /// The person's relationships, oldest first.
    async fn relationships(&self, owner: Owner) -> Result<Vec<Relationship>, StoreError>;

    /// One of the person's relationships; another's id is `NotFound`.
    async fn relationship(
        &self,
        owner: Owner,
        id: RelationshipId,
    ) -> Result<Relationship, StoreError>;

    /// Changes what the other person is to this one.
    async fn set_relationship_role(
        &self,
        owner: Owner,
        id: RelationshipId,
        role: Role,
    ) -> Result<(), StoreError>;

    /// Attaches every administration that has no relationship yet (from
    /// before relationships were kept) to the relationship of its "about"
    /// text, made when missing with [`role_for_about`]; the number attached.
    /// Engines run it when they open a store; it is safe to run again, and
    /// on several instances at once.
    ///
    /// [`role_for_about`]: tandem_core::relationship::role_for_about
    async fn attach_administrations(&self) -> Result<usize, StoreError>;
}

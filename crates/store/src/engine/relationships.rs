//! A person's relationships, and the administrations attached to them.

use std::collections::BTreeMap;

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

    /// The relationship of this name (compared normalised), made with
    /// [`role_for_about`] when the person has none: where an administration
    /// "about" that name belongs.
    ///
    /// [`role_for_about`]: tandem_core::relationship::role_for_about
    async fn relationship_for(
        &self,
        owner: Owner,
        name: &About,
    ) -> Result<RelationshipId, StoreError>;

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

    /// Keeps `answers` (item id → point, checked by the caller) as the
    /// person's "how I see us" for their `relationship`, in place of any
    /// before, at `now`. `NotFound` for another's relationship.
    async fn save_us(
        &self,
        owner: Owner,
        relationship: RelationshipId,
        answers: &BTreeMap<String, i64>,
        now: i64,
    ) -> Result<(), StoreError>;

    /// The person's own "how I see us" for `relationship`; empty when not
    /// answered, or not theirs.
    async fn us(
        &self,
        owner: Owner,
        relationship: RelationshipId,
    ) -> Result<BTreeMap<String, i64>, StoreError>;
}

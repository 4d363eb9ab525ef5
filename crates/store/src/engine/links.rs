//! Partner links: invites, the links they make, each side's sharing, and
//! reads of the other side through a [`PartnerGrant`].

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::guessing::GuessingRead;
use crate::links::PartnerRow;
use crate::{
    Guessing, Invite, Link, LinkId, LinkLevel, Mark, Owner, PartnerGrant, PartnerScores, PartnerUs,
    RelationshipId, StoreError,
};

/// Links made by invite and accept, changed and ended by either side.
#[async_trait]
pub trait Links: Send + Sync {
    /// Keeps an invite for `owner`'s `relationship` under the hash of its
    /// code, to be accepted before `expires_unix`; an earlier invite of
    /// theirs for the same relationship that was not accepted is withdrawn.
    /// `NotFound` for someone else's relationship; `Invalid` (field
    /// `relationship`) for one that is not a partner; `Conflict` when the
    /// relationship is in a current link.
    async fn create_invite(
        &self,
        owner: Owner,
        relationship: RelationshipId,
        code_hash: &[u8; 32],
        now: i64,
        expires_unix: i64,
    ) -> Result<(), StoreError>;

    /// `owner`'s invites not yet accepted and not expired at `now`.
    async fn invites(&self, owner: Owner, now: i64) -> Result<Vec<Invite>, StoreError>;

    /// Accepts the invite whose code hashes to `code_hash` for `owner`'s
    /// `relationship`, in one transaction: the invite is used up and the
    /// link made, both sides sharing nothing. [`crate::links::no_such_invite`]
    /// whatever makes the code unusable (unknown, used, expired, withdrawn,
    /// or one's own); `NotFound`, `Invalid` and `Conflict` for the
    /// relationship as [`Links::create_invite`], `Conflict` too when the
    /// inviter's relationship was linked meanwhile.
    async fn accept_invite(
        &self,
        owner: Owner,
        code_hash: &[u8; 32],
        relationship: RelationshipId,
        now: i64,
    ) -> Result<LinkId, StoreError>;

    /// `owner`'s current links, oldest first.
    async fn links(&self, owner: Owner) -> Result<Vec<Link>, StoreError>;

    /// Sets how much the other side of a current link sees, at once for
    /// every read after. `NotFound` for a link that is not `owner`'s or has
    /// ended.
    async fn set_link_sharing(
        &self,
        owner: Owner,
        id: LinkId,
        level: LinkLevel,
    ) -> Result<(), StoreError>;

    /// Ends a current link for both sides at `now`, and drops both sides'
    /// marks on it; nothing of either side is readable through it after.
    /// `NotFound` as [`Links::set_link_sharing`].
    async fn unlink(&self, owner: Owner, id: LinkId, now: i64) -> Result<(), StoreError>;

    /// The other side of link `id` when it is current and `viewer` is on it.
    async fn partner_row(
        &self,
        viewer: Owner,
        id: LinkId,
    ) -> Result<Option<PartnerRow>, StoreError>;

    /// What the other side shares of their finished RDP results for the
    /// linked relationship, at the level they share now: for each instant
    /// of `at` (unix seconds), the newest finished by then. The link and
    /// level are checked in the same transaction: `NotFound` when the link
    /// has ended or the other shares nothing since the grant was minted.
    async fn partner_scores(
        &self,
        grant: &PartnerGrant,
        at: &[i64],
    ) -> Result<Vec<Option<PartnerScores>>, StoreError>;

    /// Sets or clears `owner`'s own mark on one discussion item of a
    /// current link. `NotFound` as [`Links::set_link_sharing`].
    async fn set_mark(
        &self,
        owner: Owner,
        id: LinkId,
        item: &str,
        mark: Option<Mark>,
    ) -> Result<(), StoreError>;

    /// `owner`'s own marks on the discussion items of link `id`.
    async fn marks(&self, owner: Owner, id: LinkId) -> Result<BTreeMap<String, Mark>, StoreError>;

    /// Sets whether `owner` takes part in the guessing part of link `id`
    /// and shows their guesses, at once. `NotFound` as
    /// [`Links::set_link_sharing`].
    async fn set_guessing(
        &self,
        owner: Owner,
        id: LinkId,
        guessing: Guessing,
    ) -> Result<(), StoreError>;

    /// Replaces `owner`'s guesses on link `id` (item id → point), in one
    /// transaction. `NotFound` as [`Links::set_link_sharing`].
    async fn save_guesses(
        &self,
        owner: Owner,
        id: LinkId,
        guesses: &BTreeMap<String, i64>,
    ) -> Result<(), StoreError>;

    /// `owner`'s own guesses on link `id`.
    async fn guesses(&self, owner: Owner, id: LinkId) -> Result<BTreeMap<String, i64>, StoreError>;

    /// The guessing part through `grant`, in one transaction with the link
    /// check: both consents, then, only when both take part, the viewer's
    /// guesses, the other's answers to those items in their latest finished
    /// RDP about the linked relationship, and the other's guesses when they
    /// show them. `NotFound` as [`Links::partner_scores`].
    async fn partner_guessing(&self, grant: &PartnerGrant) -> Result<GuessingRead, StoreError>;

    /// The other side's "how I see us" for the linked relationship, at the
    /// level they share now ([`crate::us::shown_us`]), checked in the same
    /// transaction; `None` when they have not answered it. `NotFound` as
    /// [`Links::partner_scores`].
    async fn partner_us(&self, grant: &PartnerGrant) -> Result<Option<PartnerUs>, StoreError>;
}

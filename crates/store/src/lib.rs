//! Tandem's store interface: the traits an engine implements, grouped by
//! job ([`engine`]), the model types and ids they speak in, the errors they
//! answer with, and [`Store`], the one handle the web app and the terminal
//! hold. No engine's or driver's type appears here.
//!
//! Access is a value, not an integer: every read or write of a person's own
//! data takes an [`Owner`], which only [`Store`] mints — from a session it
//! has just verified or made, for the terminal's own user, or for its own
//! upkeep of rows it holds. Engines never mint one; they answer those
//! lookups with bare ids, which reach nothing.
//!
//! Sealing ([`seal`]) is shared: every engine seals free text and safety
//! answers the same way, so a store moved from one engine to another opens
//! with the same server key.

mod access;
mod accounts;
pub mod audit;
pub mod contexts;
pub mod copy;
pub mod counsel;
pub mod engine;
mod error;
pub mod exercises;
pub mod guessing;
mod ids;
pub mod links;
pub mod modes;
pub mod network;
pub mod passkeys;
mod plan;
mod recovery;
pub mod relationships;
mod responses;
mod safety;
mod scorings;
pub mod seal;
mod sessions;
pub mod shares;
mod store;
mod sums;
pub mod throttle;
pub mod us;

pub use access::{Grant, Operator, PartnerGrant, Research, Rights};
pub use accounts::{AccountError, AccountRole, Standing, UserName, check_phc};
pub use audit::AuditEntry;
pub use error::StoreError;
pub use exercises::ExerciseRecord;
pub use guessing::{Guessing, PartnerGuessing};
pub use ids::{
    AdministrationId, AssignmentId, ExerciseId, LinkId, NoteId, Owner, PasskeyId, PlanItemId,
    RelationshipId, SafetyScreenId, ShareId, SupporterId, UserId,
};
pub use links::{Invite, Link, LinkLevel, Mark, PartnerScores};
pub use plan::{NewSuggestion, PlanItem, PlanStatus, UnknownPlanStatus};
pub use recovery::RecoveryHash;
pub use relationships::Relationship;
pub use responses::{Administration, form_seed, item_seed};
pub use safety::SafetyScreenRecord;
pub use scorings::{ScorePoint, Unscored};
pub use sessions::{
    NewSession, SessionInfo, TOKEN_BYTES, from_hex, random_hex, to_hex, token_hash, token_hash_hex,
};
pub use shares::{Client, GrantRow, Scope, Share, ShareKind, ShareLevel, SharedAdministration};
pub use store::Store;
pub use sums::{ItemSums, PairTotals};
pub use us::PartnerUs;

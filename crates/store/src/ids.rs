//! Row ids, one type per entity, so ids of different things never mix.

use serde::Serialize;

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

row_id!(
    /// A user account.
    UserId
);
row_id!(
    /// One administration of a profile or check-in instrument.
    AdministrationId
);
row_id!(
    /// One safety screen.
    SafetyScreenId
);
row_id!(
    /// One person on the support map.
    SupporterId
);
row_id!(
    /// One item of a person's action plan.
    PlanItemId
);
row_id!(
    /// One share of a person's results with someone else.
    ShareId
);
row_id!(
    /// One passkey of an account.
    PasskeyId
);
row_id!(
    /// One instrument a counsellor asked a client to answer.
    AssignmentId
);
row_id!(
    /// One note a counsellor wrote about a client.
    NoteId
);
row_id!(
    /// One exercise a person wrote.
    ExerciseId
);
row_id!(
    /// One of a person's relationships.
    RelationshipId
);
row_id!(
    /// One link between two partners' relationships.
    LinkId
);

/// The right to read and write one person's own data: every call on their
/// data takes it. Its field is private and only the store mints it — from a
/// session it has just verified, for the terminal's own user, or for its own
/// upkeep of a row it holds — so no other code can make one from an integer
/// and reach someone else's data.
///
/// ```compile_fail
/// // An id is not a right: this does not compile.
/// let forged = tandem_store::Owner(tandem_store::UserId(1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Owner(UserId);

impl Owner {
    /// Minted by the store alone, for a user it has just vouched for.
    pub(crate) fn vouched(id: UserId) -> Self {
        Self(id)
    }

    /// Whose data this is: for naming it (cache keys, logs of counts), not
    /// for reaching it.
    pub fn id(self) -> UserId {
        self.0
    }
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

//! Row ids, one type per entity, so ids of different things never mix.

use serde::Serialize;

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
    /// One exercise a person wrote.
    ExerciseId
);

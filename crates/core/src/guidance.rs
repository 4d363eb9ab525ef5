//! Guidance strategy families that facet bands may link to.
//!
//! The texts behind these ids arrive with the action plan; the ids are fixed
//! here so that an instrument cannot link to a strategy that does not exist.

/// Every strategy family, by id (DOMAIN.md, "Guidance and exercises").
pub const STRATEGIES: [&str; 10] = [
    "self-worth",
    "own-interests",
    "wider-support",
    "personal-goals",
    "self-care",
    "voice-needs",
    "boundaries",
    "reflection",
    "couple-conversation",
    "seek-help",
];

/// Whether `id` names a known strategy family.
pub fn is_strategy(id: &str) -> bool {
    STRATEGIES.contains(&id)
}

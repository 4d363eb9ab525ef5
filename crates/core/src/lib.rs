//! Tandem's pure domain: instruments, answers, scoring, profiles, change,
//! the safety screen's own type and the support map.
//!
//! Nothing here does IO, reads a clock or draws random numbers; the callers
//! in `store`, `web` and `cli` bring those in.

pub mod answers;
pub mod assessment;
pub mod attention;
pub mod change;
pub mod couple;
pub mod dates;
pub mod guidance;
pub mod help;
pub mod ids;
pub mod input;
pub mod instrument;
pub mod journal;
pub mod moments;
pub mod network;
pub mod order;
pub mod plan;
pub mod profile;
pub mod quality;
pub mod readability;
pub mod relationship;
pub mod resources;
pub mod risk;
pub mod safety;
pub mod scoring;
pub mod significance;
pub mod signs;

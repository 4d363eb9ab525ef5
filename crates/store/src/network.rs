//! The support map as the core's metrics take it.

use tandem_core::network::{SupportMap, Supporter};

use crate::SupporterId;

/// The map as the core's metrics take it.
pub fn as_support_map(people: &[(SupporterId, Supporter)]) -> SupportMap {
    SupportMap {
        people: people.iter().map(|(_, person)| person.clone()).collect(),
    }
}

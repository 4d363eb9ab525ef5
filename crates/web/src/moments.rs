//! Moments on pages in the person's own time zone (chosen in Settings; UTC
//! until then), as plain words such as "3 December 2026, 14:05". The words
//! come from `tandem_core::moments`; this module only looks up the zone.

use tandem_core::moments::TimeZoneName;
use tandem_store::Owner;

use crate::{AppError, AppState};

pub use tandem_core::moments::{moment, stamp_moment};

/// The zone `user`'s pages show moments in.
pub async fn zone_of(state: &AppState, user: Owner) -> Result<TimeZoneName, AppError> {
    Ok(state.store().time_zone(user).await?.unwrap_or_default())
}

/// A stored stamp that may be missing (an unfinished administration), in
/// words; empty when missing.
pub fn maybe_stamp(stamp: Option<&str>, zone: &TimeZoneName) -> String {
    stamp.map(|s| stamp_moment(s, zone)).unwrap_or_default()
}

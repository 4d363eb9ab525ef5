//! The time zone setting: which zone a person's pages show moments in.
//! Offered as a list of the bundled database's place names; with
//! JavaScript, the list starts at the zone the device says it is in until
//! the person has chosen one (nothing is saved until they press Save).

use std::sync::OnceLock;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_core::moments::TimeZoneName;

use crate::auth::CurrentUser;
use crate::{AppError, AppState};

/// The regions whose `Region/City` names are offered; the rest of the
/// database (`Etc/GMT+5`, which means five hours *behind*, `US/Eastern`,
/// `EST5EDT`) only confuses, though a name sent from elsewhere is still
/// taken if the database knows it.
const REGIONS: [&str; 9] = [
    "Africa/",
    "America/",
    "Antarctica/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
];

/// UTC first, then every place name, sorted; made once.
fn offered() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        std::iter::once("UTC".to_owned())
            .chain(
                TimeZoneName::all()
                    .into_iter()
                    .filter(|name| REGIONS.iter().any(|r| name.starts_with(r))),
            )
            .collect()
    })
}

/// What the settings page needs to show the choice.
pub struct Choice {
    /// Every zone offered.
    pub options: &'static [String],
    /// The one selected: the chosen zone, else UTC.
    pub current: String,
    /// Whether the person has chosen one (if not, the script may start the
    /// list at the device's zone).
    pub chosen: bool,
}

impl Choice {
    /// The choice as it stands for a person who chose `chosen`, if anything.
    pub fn new(chosen: Option<&TimeZoneName>) -> Self {
        Self {
            options: offered(),
            current: chosen.map_or("UTC", TimeZoneName::as_str).to_owned(),
            chosen: chosen.is_some(),
        }
    }
}

/// The time zone form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeZoneForm {
    csrf: String,
    time_zone: String,
}

/// Keeps the chosen zone; a name the database does not know is refused
/// (422, the settings again with the field named) and nothing changes.
pub async fn save(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Form(form): Form<TimeZoneForm>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    let Ok(zone) = TimeZoneName::parse(&form.time_zone) else {
        return super::account::settings_with_error(
            &state,
            &session,
            "time-zone",
            "Please choose your time zone from the list. The one sent is not one we know, so nothing was changed.",
        )
        .await;
    };
    state.store().set_time_zone(session.user, &zone).await?;
    Ok(Redirect::to("/account?notice=time-zone").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_starts_with_utc_and_holds_only_place_names() {
        let names = offered();
        assert_eq!(names[0], "UTC");
        assert!(names.iter().any(|n| n == "Europe/London"));
        assert!(names.iter().any(|n| n == "Asia/Kolkata"));
        assert!(
            !names
                .iter()
                .any(|n| n.starts_with("Etc/") || n == "EST5EDT")
        );
        assert!(names.len() > 300, "{}", names.len());
        for name in names {
            assert!(TimeZoneName::parse(name).is_ok(), "{name}");
        }
    }
}

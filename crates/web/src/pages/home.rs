//! The welcome page and the signed-in home page.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::MaybeUser;
use crate::view::{Layout, render};
use crate::{AppError, AppState};
use tandem_app::results::rdp_results;

#[derive(Template)]
#[template(path = "welcome.html")]
struct WelcomePage {
    layout: Layout,
}

/// The calm first screen about privacy, before anything is stored.
pub async fn welcome(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> Result<Response, AppError> {
    render(&WelcomePage {
        layout: Layout::new(user.as_ref(), &state.config().exit_url, ""),
    })
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    nudge: Option<String>,
    profile: Option<String>,
    rdp_items: usize,
    rdp_unfinished: bool,
    last_checkin: Option<super::checkin::Latest>,
    people: usize,
    /// What a counsellor asked for that is still open.
    asked: Vec<super::counsel::AssignmentRow>,
}

/// Home: the latest profile, the last check-in and what is due.
pub async fn home(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> Result<Response, AppError> {
    let Some(session) = user else {
        return Ok(Redirect::to("/welcome").into_response());
    };
    let store = state.store();
    let results = rdp_results(
        state.store(),
        state.content(),
        session.user,
        None,
        crate::follow_up::held(&state, &session).await?,
    )
    .await?;
    let rdp_unfinished = store
        .latest_unfinished(session.user, "rdp")
        .await?
        .is_some();
    let last_checkin = super::checkin::latest(&state, session.user).await?;
    let people = store.support_map(session.user).await?.len();
    let asked = super::counsel::assignment_rows(
        &store
            .assignments_of(session.user, crate::auth::now())
            .await?,
        false,
    )
    .into_iter()
    .filter(|row| row.open)
    .collect();
    let only_incomplete = results.is_none()
        && !tandem_app::results::finished(store, session.user, "rdp")
            .await?
            .is_empty();
    let nudge = if only_incomplete {
        Some("Your last profile had too many questions left blank to be used. You can see it under Results, or take the profile again.".to_owned())
    } else if results.is_none() {
        Some("A good first step is the profile: a few minutes of questions about how you and one person lean on each other.".to_owned())
    } else if last_checkin.is_none() {
        Some("A weekly check-in helps you see how things change.".to_owned())
    } else if people == 0 {
        Some("Try mapping who you lean on: it can show where support is thin.".to_owned())
    } else {
        None
    };
    render(&HomePage {
        layout: Layout::new(Some(&session), &state.config().exit_url, "home"),
        nudge,
        profile: results.and_then(|r| r.profile).map(|p| p.title()),
        rdp_items: state.rdp().items.len(),
        rdp_unfinished,
        last_checkin,
        people,
        asked,
    })
}

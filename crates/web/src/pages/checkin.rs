//! What a person sees after a check-in, and on the home page: the latest
//! check-in read back with its date and note. When its safety item was
//! agreed with, the help comes at once and the safety check is offered;
//! that item never counts towards the pulse (the core keeps it out).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_core::answers::Answer;
use tandem_core::instrument::{ResponseKind, Signal};
use tandem_core::risk::agrees_with_any;
use tandem_store::Owner;

use crate::auth::CurrentUser;
use crate::help::Help;
use crate::view::{Layout, render};
use crate::{AppError, AppState};

/// The latest check-in, as shown back to the person.
pub struct Latest {
    /// When it was finished, in words in the person's time zone.
    pub day: String,
    /// What the person wrote, if anything.
    pub note: Option<String>,
    /// Whether its safety item was agreed with.
    pub afraid: bool,
}

/// The latest finished check-in, read with the version it was taken with.
pub async fn latest(state: &AppState, user: Owner) -> Result<Option<Latest>, AppError> {
    let found =
        tandem_app::situation::latest_with_answers(state.store(), state.content(), user, "checkin")
            .await?;
    let Some((administration, instrument, answers)) = found else {
        return Ok(None);
    };
    let note = instrument
        .items
        .iter()
        .filter(|item| item.response == ResponseKind::Text)
        .find_map(|item| match answers.get(item.id.as_str()) {
            Some(Answer::Text(text)) if !text.trim().is_empty() => Some(text.clone()),
            _ => None,
        });
    let zone = crate::moments::zone_of(state, user).await?;
    let day = crate::moments::maybe_stamp(administration.completed_at.as_deref(), &zone);
    Ok(Some(Latest {
        day,
        note,
        afraid: agrees_with_any(instrument, &answers, Signal::Safety),
    }))
}

#[derive(Template)]
#[template(path = "checkin_done.html")]
struct CheckinDone {
    layout: Layout,
    latest: Latest,
    help: Option<Help>,
}

/// `GET /questions/b/done`: the check-in just finished, read back.
pub async fn done(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    let Some(latest) = latest(&state, session.user).await? else {
        return Ok(Redirect::to("/questions/b").into_response());
    };
    let help = latest.afraid.then(|| Help::usual(state.resources()));
    render(&CheckinDone {
        layout: Layout::new(Some(&session), &state.config().exit_url, "b"),
        latest,
        help,
    })
}

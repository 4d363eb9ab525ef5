//! The safety screen's answers on the web: kept or not as the person
//! chooses, held beside the session when not kept (so the plan adapts until
//! sign-out), then post/redirect/get to a page that reads the outcome back
//! from the store — never from the URL, and never as answers a browser
//! could fill in again.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_core::answers::Answers;
use tandem_core::instrument::Instrument;
use tandem_core::safety::SafetyScreen;
use tandem_store::SafetyScreenId;

use super::take::Submitted;
use crate::auth::{CurrentUser, Session};
use crate::help::Help;
use crate::view::{Layout, render};
use crate::{AppError, AppState};

/// Where the answers page lives: as neutral as the form's own address.
pub const DONE: &str = "/questions/c/done";

#[derive(Template)]
#[template(path = "safety_done.html")]
struct SafetyDone {
    layout: Layout,
    help: Option<Help>,
    /// How many screens the person keeps in their account.
    kept: usize,
    /// Whether this session holds what an unkept screen showed.
    held: bool,
}

/// Reads the screen, keeps it if asked, holds its outcome for the session
/// and sends the browser on to [`DONE`].
pub(super) async fn save(
    state: &AppState,
    session: &Session,
    instrument: &Instrument,
    submitted: Submitted,
) -> Result<Response, AppError> {
    let mut answers = Answers::new();
    for (item, answer) in submitted.page {
        if let Some(answer) = answer {
            answers
                .set(instrument, &item, answer)
                .map_err(|err| AppError::invalid(err.to_string()))?;
        }
    }
    let screen = SafetyScreen::from_answers(instrument, answers).map_err(AppError::internal)?;
    record(state, session, instrument, &screen, submitted.keep).await?;
    Ok(Redirect::to(DONE).into_response())
}

/// Keeps the screen when asked, and holds its outcome beside the session
/// either way, then remakes the plan; the kept screen's id, if kept. Holding a kept screen too means the
/// session's view is always the newest answer: an earlier unkept screen
/// can never outweigh what the person just said. Pages and API share this.
pub async fn record(
    state: &AppState,
    session: &Session,
    instrument: &Instrument,
    screen: &SafetyScreen,
    keep: bool,
) -> Result<Option<SafetyScreenId>, AppError> {
    let store = state.store();
    let kept = if keep {
        Some(
            store
                .record_safety_screen(session.user, instrument, screen)
                .await?,
        )
    } else {
        None
    };
    store.hold_screen(&session.token, screen.summary()).await?;
    crate::follow_up::plan_after_change(state, session).await;
    Ok(kept)
}

/// `GET /questions/c/done`: the help the latest answers call for, graded.
pub async fn done(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    let held = crate::follow_up::held(&state, &session).await?;
    let side =
        tandem_app::situation::safety_side(state.store(), state.content(), session.user, held)
            .await?;
    let Some(summary) = side.screen else {
        // Nothing answered yet: the questions themselves.
        return Ok(Redirect::to("/questions/c").into_response());
    };
    render(&SafetyDone {
        layout: Layout::new(Some(&session), &state.config().exit_url, "c"),
        help: Help::for_screen(state.resources(), summary),
        kept: state.store().safety_screens(session.user).await?.len(),
        held: held.is_some(),
    })
}

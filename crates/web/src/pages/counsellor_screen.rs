//! The client's own act of showing one counsellor the result of one kept
//! safety check, once (`/account/counsellors/{id}/c`; the address says
//! no more than the questions' own `/questions/c`). The page says plainly
//! what the counsellor will see and what they will not.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_core::safety::ScreenOutcome;
use tandem_store::{SafetyScreenId, ShareId, StoreError};

use super::extract::PagePath;
use crate::auth::{CurrentUser, Session, now};
use crate::moments::moment;
use crate::view::{Layout, render};
use crate::{AppError, AppState};

/// One kept, finished screen to choose from.
struct ScreenChoice {
    id: i64,
    when: String,
    result: &'static str,
}

#[derive(Template)]
#[template(path = "counsellor_screen.html")]
struct ChoosePage {
    layout: Layout,
    grant: i64,
    who: String,
    problem: Option<String>,
    choices: Vec<ScreenChoice>,
}

/// The outcome in the words the page uses.
pub(super) fn outcome_words(outcome: ScreenOutcome) -> &'static str {
    match outcome {
        ScreenOutcome::Clear => "no worries came up",
        ScreenOutcome::Unclear => "some questions were left open",
        ScreenOutcome::Concern => "a worry came up",
        ScreenOutcome::Urgent => "a serious worry came up",
    }
}

async fn page(
    state: &AppState,
    session: &Session,
    grant: i64,
    problem: Option<String>,
) -> Result<Response, AppError> {
    let store = state.store();
    let at = now();
    let share = store
        .shares_of(session.user)
        .await?
        .into_iter()
        .find(|share| share.id.0 == grant && share.is_current(at))
        .ok_or_else(AppError::not_found)?;
    if share.safety_shared_unix.is_some() {
        return Ok(Redirect::to("/account/counsellors").into_response());
    }
    let zone = store.time_zone(session.user).await?.unwrap_or_default();
    let mut choices = Vec::new();
    for record in store.safety_screens(session.user).await?.iter().rev() {
        let Some(done) = record.completed_at.as_deref() else {
            continue;
        };
        let Some(instrument) = state
            .content()
            .instrument_version("safety", &record.version)
        else {
            continue;
        };
        let outcome = record.to_screen(instrument)?.outcome();
        choices.push(ScreenChoice {
            id: record.id.0,
            when: tandem_core::dates::unix_of(done)
                .map(|unix| moment(unix, &zone))
                .unwrap_or_else(|| done.to_owned()),
            result: outcome_words(outcome),
        });
    }
    render(&ChoosePage {
        layout: Layout::new(Some(session), &state.config().exit_url, "account"),
        grant,
        who: share.viewer_name.unwrap_or_default(),
        problem,
        choices,
    })
}

/// The choice of one kept result to show this grant's counsellor.
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
) -> Result<Response, AppError> {
    page(&state, &session, id, None).await
}

/// Shows the chosen result, then goes back to the counsellors page.
pub async fn share(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let chosen = form
        .iter()
        .find(|(key, _)| key == "screen")
        .and_then(|(_, value)| value.parse::<i64>().ok());
    let Some(screen) = chosen else {
        let words = "Choose the result you want to show.".to_owned();
        return page(&state, &session, id, Some(words)).await;
    };
    let shared = tandem_app::safety_share::share_safety(
        state.store(),
        state.content(),
        session.user,
        ShareId(id),
        SafetyScreenId(screen),
        now(),
    )
    .await;
    match shared {
        Ok(_) => Ok(Redirect::to("/account/counsellors").into_response()),
        Err(tandem_app::ServiceError::Store(StoreError::Invalid { message, .. })) => {
            page(&state, &session, id, Some(message)).await
        }
        Err(err) => Err(err.into()),
    }
}

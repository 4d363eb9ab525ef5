//! "How I think my partner answered" as a page: whether to take part, and
//! a guess for each of a few items. How closely each reads the other shows
//! on the comparison, when both take part.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_app::guessing::{self, GuessForm};
use tandem_store::{Guessing, LinkId};

use super::extract::PagePath;
use crate::auth::{CurrentUser, Session};
use crate::view::{Layout, render};
use crate::{AppError, AppState};

/// The consent choices, in words.
pub(super) fn choice_words(guessing: Guessing) -> &'static str {
    match guessing {
        Guessing::Off => "No, leave this part out",
        Guessing::Private => "Yes, and keep my guesses to myself",
        Guessing::Shown => "Yes, and let my partner see my guesses",
    }
}

/// One item to guess: its id, its wording, and each point of the scale as
/// (value, label, chosen).
struct ItemRow {
    id: String,
    text: String,
    points: Vec<(i64, String, bool)>,
}

#[derive(Template)]
#[template(path = "guesses.html")]
struct GuessesPage {
    layout: Layout,
    id: i64,
    choices: Vec<(&'static str, &'static str, bool)>,
    items: Vec<ItemRow>,
    problem: Option<String>,
}

fn page(
    state: &AppState,
    session: &Session,
    id: i64,
    form: &GuessForm,
    problem: Option<String>,
) -> Result<Response, AppError> {
    let points = &state.content().rdp.scale.points;
    let status = if problem.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let mut response = render(&GuessesPage {
        layout: Layout::new(Some(session), &state.config().exit_url, "people"),
        id,
        choices: Guessing::ALL
            .iter()
            .map(|g| (g.as_str(), choice_words(*g), *g == form.guessing))
            .collect(),
        items: form
            .items
            .iter()
            .map(|item| {
                let scale = points
                    .iter()
                    .map(|p| (p.value, p.label.clone(), item.guess == Some(p.value)))
                    .collect();
                ItemRow {
                    id: item.item.clone(),
                    text: item.text.clone(),
                    points: scale,
                }
            })
            .collect(),
        problem,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// The guessing page of one link.
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
) -> Result<Response, AppError> {
    let form = guessing::form(
        state.store(),
        &state.content().rdp,
        session.user,
        LinkId(id),
    )
    .await?;
    page(&state, &session, id, &form, None)
}

/// Keeps the choice and the guesses; nothing is kept when a guess does not
/// read.
pub async fn save(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (store, rdp) = (state.store(), &state.content().rdp);
    let choice = fields
        .iter()
        .find(|(key, _)| key == "guessing")
        .and_then(|(_, value)| Guessing::parse(value))
        .ok_or_else(|| AppError::bad_request("Choose whether to take part."))?;
    if choice.takes_part() && !super::links::offered(&state, &session).await? {
        return Err(AppError::forbidden(
            "Linking is not available for this account.",
        ));
    }
    let mut guesses = BTreeMap::new();
    for (key, value) in fields
        .iter()
        .filter(|(key, _)| key != "guessing" && key != "csrf")
    {
        let value = value
            .parse()
            .map_err(|_| AppError::bad_request("Choose one of the answers the form lists."))?;
        guesses.insert(key.clone(), value);
    }
    let link = LinkId(id);
    match guessing::save(store, rdp, session.user, link, &guesses).await {
        Ok(()) => {}
        Err(err) => {
            let err = AppError::from(err);
            if err.status() != axum::http::StatusCode::UNPROCESSABLE_ENTITY {
                return Err(err);
            }
            let form = guessing::form(store, rdp, session.user, link).await?;
            return page(&state, &session, id, &form, Some(err.message().to_owned()));
        }
    }
    store.set_guessing(session.user, link, choice).await?;
    Ok(Redirect::to(&format!("/links/{id}/guesses")).into_response())
}

//! "How I see us" as a page: six questions about the relationship as a
//! whole, with five answers each, that work without script.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_app::us::{self, UsForm};
use tandem_store::RelationshipId;

use super::extract::PagePath;
use crate::auth::{CurrentUser, Session, now};
use crate::view::{Layout, render};
use crate::{AppError, AppState};

/// One question: its id, wording, and each point as (value, label, chosen).
struct Question {
    id: &'static str,
    text: &'static str,
    points: Vec<(i64, String, bool)>,
}

#[derive(Template)]
#[template(path = "us.html")]
struct UsPage {
    layout: Layout,
    id: i64,
    name: String,
    questions: Vec<Question>,
    score: Option<f64>,
    problem: Option<String>,
}

async fn page(
    state: &AppState,
    session: &Session,
    form: &UsForm,
    problem: Option<String>,
) -> Result<Response, AppError> {
    let name = state
        .store()
        .relationship(session.user, form.relationship)
        .await?
        .name;
    let points = &state.content().rdp.scale.points;
    let status = if problem.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let mut response = render(&UsPage {
        layout: Layout::new(Some(session), &state.config().exit_url, "people"),
        id: form.relationship.0,
        name,
        questions: form
            .items
            .iter()
            .map(|item| Question {
                id: item.item,
                text: item.text,
                points: points
                    .iter()
                    .map(|p| (p.value, p.label.clone(), item.answer == Some(p.value)))
                    .collect(),
            })
            .collect(),
        score: form.score,
        problem,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// The questions, with the person's answers.
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
) -> Result<Response, AppError> {
    let form = us::form(state.store(), session.user, RelationshipId(id)).await?;
    page(&state, &session, &form, None).await
}

/// Keeps the answers; a set that is not whole is refused on the page with
/// nothing kept.
pub async fn save(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let relationship = RelationshipId(id);
    let mut answers = BTreeMap::new();
    for (key, value) in fields.iter().filter(|(key, _)| key != "csrf") {
        let value = value
            .parse()
            .map_err(|_| AppError::bad_request("Choose one of the answers the form lists."))?;
        answers.insert(key.clone(), value);
    }
    let store = state.store();
    if let Err(err) = us::save(store, session.user, relationship, &answers, now()).await {
        let err = AppError::from(err);
        if err.status() != axum::http::StatusCode::UNPROCESSABLE_ENTITY {
            return Err(err);
        }
        let form = us::form(store, session.user, relationship).await?;
        return page(&state, &session, &form, Some(err.message().to_owned())).await;
    }
    Ok(Redirect::to(&format!("/relationships/{id}/us")).into_response())
}

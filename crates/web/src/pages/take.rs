//! Taking an instrument page by page: a few items per page, each page saved
//! in one transaction when submitted, back without losing answers, and
//! resume later. The safety screen is one page and goes its own way.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_core::answers::{Answer, Answers};
use tandem_core::instrument::{Instrument, Kind, ResponseKind};
use tandem_core::resources::Resources;
use tandem_core::safety::SafetyScreen;
use tandem_store::Administration;

use super::FieldError;
use crate::auth::{CurrentUser, Session};
use crate::view::{Layout, render};
use crate::{AppError, AppState};

/// Items per page.
pub const PER_PAGE: usize = 6;

/// Whom the questions are about on the web, for now.
const ABOUT: &str = "my partner";

struct Choice {
    value: i64,
    label: String,
    checked: bool,
}

struct Question {
    id: String,
    text: String,
    text_item: bool,
    choices: Vec<Choice>,
    current_text: String,
}

#[derive(Template)]
#[template(path = "take.html")]
struct TakePage {
    layout: Layout,
    errors: Vec<FieldError>,
    title: String,
    intro: String,
    page: usize,
    pages: usize,
    action: String,
    questions: Vec<Question>,
    keep_choice: bool,
    about_field: Option<String>,
}

#[derive(Template)]
#[template(path = "safety_done.html")]
struct SafetyDone<'a> {
    layout: Layout,
    positive: bool,
    stored: bool,
    resources: &'a Resources,
}

fn form_of<'a>(state: &'a AppState, code: &str) -> Result<&'a Instrument, AppError> {
    state.form(code).ok_or_else(AppError::not_found)
}

fn page_count(instrument: &Instrument) -> usize {
    if instrument.kind == Kind::Safety {
        1
    } else {
        instrument.items.len().div_ceil(PER_PAGE)
    }
}

fn page_items(instrument: &Instrument, page: usize) -> &[tandem_core::instrument::Item] {
    if instrument.kind == Kind::Safety {
        return &instrument.items;
    }
    let start = (page - 1) * PER_PAGE;
    let end = (start + PER_PAGE).min(instrument.items.len());
    instrument.items.get(start..end).unwrap_or(&[])
}

/// `/questions/{form}`: go to where the person stopped, or to page 1.
pub async fn start(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let instrument = form_of(&state, &code)?;
    let page = if instrument.kind == Kind::Safety {
        1
    } else {
        match state
            .store()
            .latest_unfinished(session.user, instrument.id.as_str())
            .await?
        {
            Some(open) => (open.position / PER_PAGE + 1).min(page_count(instrument)),
            None => 1,
        }
    };
    Ok(Redirect::to(&format!("/questions/{code}/{page}")).into_response())
}

async fn open_administration(
    state: &AppState,
    session: &Session,
    instrument: &Instrument,
) -> Result<Option<Administration>, AppError> {
    if instrument.kind == Kind::Safety {
        return Ok(None);
    }
    Ok(state
        .store()
        .latest_unfinished(session.user, instrument.id.as_str())
        .await?)
}

/// The answers given so far to the open administration, and whom it is
/// about; no answers and no one yet when nothing is open.
async fn current_answers(
    state: &AppState,
    session: &Session,
    instrument: &Instrument,
) -> Result<(Answers, Option<String>), AppError> {
    match open_administration(state, session, instrument).await? {
        Some(open) => Ok((
            state
                .store()
                .answers(session.user, instrument, open.id)
                .await?,
            Some(open.about),
        )),
        None => Ok((Answers::new(), None)),
    }
}

fn render_page(
    state: &AppState,
    session: &Session,
    code: &str,
    instrument: &Instrument,
    page: usize,
    (answers, about): (&Answers, Option<&str>),
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let other = about.unwrap_or(ABOUT);
    // Whom the questions are about is asked once, on the first page, before
    // anything is saved; the safety screen never asks.
    let about_field =
        (about.is_none() && page == 1 && instrument.kind != Kind::Safety).then(|| ABOUT.to_owned());
    let questions = page_items(instrument, page)
        .iter()
        .map(|item| {
            let current = answers.get(item.id.as_str());
            Question {
                id: item.id.to_string(),
                text: item.text_about(other),
                text_item: item.response == ResponseKind::Text,
                choices: instrument
                    .scale
                    .points
                    .iter()
                    .map(|point| Choice {
                        value: point.value,
                        label: point.label.clone(),
                        checked: current == Some(&Answer::Value(point.value)),
                    })
                    .collect(),
                current_text: match current {
                    Some(Answer::Text(text)) => text.clone(),
                    _ => String::new(),
                },
            }
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render(&TakePage {
        layout: Layout::new(
            Some(session),
            &state.config().exit_url,
            match code {
                "a" => "a",
                "b" => "b",
                _ => "c",
            },
        ),
        errors,
        title: match instrument.kind {
            Kind::Safety => "Staying safe".to_owned(),
            _ => instrument.name.clone(),
        },
        intro: instrument.intro.clone(),
        page,
        pages: page_count(instrument),
        action: format!("/questions/{code}/{page}"),
        questions,
        keep_choice: instrument.kind == Kind::Safety,
        about_field,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

fn check_page(instrument: &Instrument, page: usize) -> Result<(), AppError> {
    if page == 0 || page > page_count(instrument) {
        return Err(AppError::not_found());
    }
    Ok(())
}

/// Shows one page with the answers given so far.
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path((code, page)): Path<(String, usize)>,
) -> Result<Response, AppError> {
    let instrument = form_of(&state, &code)?;
    check_page(instrument, page)?;
    let (answers, about) = current_answers(&state, &session, instrument).await?;
    render_page(
        &state,
        &session,
        &code,
        instrument,
        page,
        (&answers, about.as_deref()),
        Vec::new(),
    )
}

/// What a submitted page says.
struct Submitted {
    page: Vec<(String, Option<Answer>)>,
    go: String,
    keep: bool,
    /// Whom the questions are about, when the first page asked.
    about: Option<String>,
}

/// Reads a page's fields: only this page's items, `csrf`, `go` and (safety)
/// `keep` are allowed; anything else is refused before anything is saved.
fn read_page(
    instrument: &Instrument,
    page: usize,
    fields: Vec<(String, String)>,
) -> Result<Result<Submitted, Vec<FieldError>>, AppError> {
    let items = page_items(instrument, page);
    let mut submitted = Submitted {
        page: items
            .iter()
            .map(|item| (item.id.to_string(), None))
            .collect(),
        go: "next".to_owned(),
        keep: false,
        about: None,
    };
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (key, value) in fields {
        match key.as_str() {
            "csrf" => continue,
            "go" => submitted.go = value,
            "keep" if instrument.kind == Kind::Safety => submitted.keep = value == "yes",
            "about" if page == 1 && instrument.kind != Kind::Safety => {
                let about = value.trim();
                if about.is_empty() || about.chars().count() > 80 {
                    errors.push(FieldError {
                        field: "about".into(),
                        message: "Say whom these questions are about, in 80 characters or fewer."
                            .into(),
                    });
                } else {
                    submitted.about = Some(about.to_owned());
                }
            }
            _ => {
                let Some(item) = items.iter().find(|item| item.id.as_str() == key) else {
                    return Err(AppError::bad_request(format!(
                        "`{key}` is not a question on this page."
                    )));
                };
                if !seen.insert(key.clone()) {
                    return Err(AppError::bad_request(format!("`{key}` was sent twice.")));
                }
                let answer = match item.response {
                    ResponseKind::Text if value.trim().is_empty() => None,
                    ResponseKind::Text => Some(Answer::Text(value.trim().to_owned())),
                    ResponseKind::Scale => match value.trim().parse::<i64>() {
                        Ok(v) if instrument.scale.contains(v) => Some(Answer::Value(v)),
                        _ => {
                            errors.push(FieldError {
                                field: key.clone(),
                                message: format!(
                                    "Choose one of the answers for \"{}\", or leave it blank.",
                                    item.text_about(ABOUT)
                                ),
                            });
                            None
                        }
                    },
                };
                if let (ResponseKind::Text, Some(Answer::Text(text))) = (item.response, &answer)
                    && text.chars().count() > tandem_core::answers::MAX_TEXT_CHARS
                {
                    errors.push(FieldError {
                        field: key.clone(),
                        message: format!(
                            "Please keep this to {} characters or fewer.",
                            tandem_core::answers::MAX_TEXT_CHARS
                        ),
                    });
                }
                if let Some(slot) = submitted.page.iter_mut().find(|(id, _)| *id == key) {
                    slot.1 = answer;
                }
            }
        }
    }
    if !["next", "back", "later"].contains(&submitted.go.as_str()) {
        return Err(AppError::bad_request("Unknown button."));
    }
    Ok(if errors.is_empty() {
        Ok(submitted)
    } else {
        Err(errors)
    })
}

/// Saves one page and moves on, back, or home.
pub async fn save(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path((code, page)): Path<(String, usize)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let instrument = form_of(&state, &code)?;
    check_page(instrument, page)?;
    let submitted = match read_page(instrument, page, fields)? {
        Ok(submitted) => submitted,
        Err(errors) => {
            // Show the page again with what was sent; nothing is saved.
            let (mut answers, about) = current_answers(&state, &session, instrument).await?;
            for item in page_items(instrument, page) {
                answers.clear(item.id.as_str());
            }
            return render_page(
                &state,
                &session,
                &code,
                instrument,
                page,
                (&answers, about.as_deref()),
                errors,
            );
        }
    };
    if instrument.kind == Kind::Safety {
        return save_safety(&state, &session, instrument, submitted).await;
    }
    let store = state.store();
    let open = match open_administration(&state, &session, instrument).await? {
        Some(open) => open,
        None => {
            store
                .start_administration(
                    session.user,
                    instrument,
                    submitted.about.as_deref().unwrap_or(ABOUT),
                )
                .await?
        }
    };
    let next_position = (page * PER_PAGE).min(instrument.items.len());
    store
        .save_page(
            session.user,
            instrument,
            open.id,
            &submitted.page,
            next_position,
        )
        .await?;
    let pages = page_count(instrument);
    let target = match submitted.go.as_str() {
        "back" => format!("/questions/{code}/{}", page.saturating_sub(1).max(1)),
        "later" => "/".to_owned(),
        _ if page < pages => format!("/questions/{code}/{}", page + 1),
        _ => {
            store.complete_administration(session.user, open.id).await?;
            if instrument.kind == Kind::Profile {
                crate::plan::refresh_after_change(&state, &session).await;
                format!("/results/{}", open.id)
            } else {
                "/".to_owned()
            }
        }
    };
    Ok(Redirect::to(&target).into_response())
}

async fn save_safety(
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
    let stored = if submitted.keep {
        state
            .store()
            .record_safety_screen(session.user, instrument, &screen)
            .await?;
        crate::plan::refresh_after_change(state, session).await;
        true
    } else {
        false
    };
    render(&SafetyDone {
        layout: Layout::new(Some(session), &state.config().exit_url, "c"),
        positive: screen.is_positive(),
        stored,
        resources: state.resources(),
    })
}

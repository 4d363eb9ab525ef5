//! Taking an instrument page by page: a few items per page, each page saved
//! in one transaction when submitted, back without losing answers, and
//! resume later with the version it was begun with. The check-in and the
//! safety screen are one page each; the safety screen goes its own way
//! ([`super::safety`]).

use super::extract::PagePath;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_core::answers::{Answer, Answers};
use tandem_core::input::{About, InputError};
use tandem_core::instrument::{AnswerCode, Instrument, Item, Kind, OtherPerson, ResponseKind};
use tandem_core::order::ordered;
use tandem_store::{Administration, AdministrationId};

use super::{FieldError, FormErrors};
use crate::auth::{CurrentUser, Session};
use crate::view::{Layout, render};
use crate::{AppError, AppState};

/// Items per page.
pub const PER_PAGE: usize = 6;

/// Whom the questions are about until the person says otherwise.
const ABOUT: &str = "my partner";

/// One answer to choose: a point on the scale (its number) or a code such
/// as "Prefer not to say" (its name).
struct Choice {
    value: String,
    label: String,
    checked: bool,
}

struct Question {
    id: String,
    /// The id of a text question's hint.
    hint_id: String,
    text: String,
    text_item: bool,
    choices: Vec<Choice>,
    current_text: String,
}

#[derive(Template)]
#[template(path = "take.html")]
struct TakePage {
    layout: Layout,
    errors: FormErrors,
    title: String,
    /// The administration these answers go to, so a stale copy of the
    /// form (Back, then Finish) is recognised; none before the first save.
    administration: Option<i64>,
    /// A one-time key for a form that starts an administration, so the
    /// same form sent twice starts only one.
    form_key: String,
    intro: String,
    page: usize,
    pages: usize,
    action: String,
    questions: Vec<Question>,
    keep_choice: bool,
    about_field: Option<String>,
    /// The names of the people already answered about, offered as the
    /// field's suggestions.
    known: Vec<String>,
    /// The safety screen: the browser must not fill it in again (on Back,
    /// or after the quick exit), and the script resets it on `pageshow`.
    private: bool,
}

fn form_of<'a>(state: &'a AppState, code: &str) -> Result<&'a Instrument, AppError> {
    state.form(code).ok_or_else(AppError::not_found)
}

/// The short forms fit on one page: the weekly check-in and the safety screen.
fn one_page(instrument: &Instrument) -> bool {
    matches!(instrument.kind, Kind::Safety | Kind::Checkin)
}

fn page_count(instrument: &Instrument) -> usize {
    if one_page(instrument) {
        1
    } else {
        instrument.items.len().div_ceil(PER_PAGE)
    }
}

/// The items of page `page` (from 1), of the items in the order asked.
fn page_items<'o, 'i>(
    instrument: &Instrument,
    order: &'o [&'i Item],
    page: usize,
) -> &'o [&'i Item] {
    if one_page(instrument) {
        return order;
    }
    let start = (page - 1) * PER_PAGE;
    let end = (start + PER_PAGE).min(order.len());
    order.get(start..end).unwrap_or(&[])
}

/// The order the items are asked in: the open administration's own; for a
/// form that will begin one, the order its key gives, as the administration
/// it begins will keep; without a key (a form from before orders), the
/// instrument's.
fn order_of<'i>(
    instrument: &'i Instrument,
    open: Option<&Administration>,
    form_key: Option<&str>,
) -> Vec<&'i Item> {
    match (open, form_key) {
        (Some(open), _) => open.items(instrument),
        (None, Some(key)) => ordered(instrument, Some(tandem_store::form_seed(key))),
        (None, None) => ordered(instrument, None),
    }
}

/// `/questions/{form}`: go to where the person stopped, or to page 1.
pub async fn start(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(code): PagePath<String>,
) -> Result<Response, AppError> {
    let (instrument, open) = resolve(&state, &session, &code).await?;
    let page = match open {
        Some(open) => (open.position / PER_PAGE + 1).min(page_count(instrument)),
        None => 1,
    };
    Ok(Redirect::to(&format!("/questions/{code}/{page}")).into_response())
}

/// The form's instrument and the administration open for it, if any. An
/// open administration is answered with the version it was begun with, so
/// a stored answer never changes meaning; a new one starts with the
/// current version. The safety screen is never left open.
async fn resolve<'s>(
    state: &'s AppState,
    session: &Session,
    code: &str,
) -> Result<(&'s Instrument, Option<Administration>), AppError> {
    let current = form_of(state, code)?;
    if current.kind == Kind::Safety {
        return Ok((current, None));
    }
    let Some(open) = state
        .store()
        .latest_unfinished(session.user, current.id.as_str())
        .await?
    else {
        return Ok((current, None));
    };
    let version = tandem_app::situation::version_of(state.content(), &open)?;
    Ok((version, Some(open)))
}

/// The answers given so far to the open administration, and whom it is
/// about; no answers and no one yet when nothing is open.
async fn current_answers(
    state: &AppState,
    session: &Session,
    instrument: &Instrument,
    open: Option<&Administration>,
) -> Result<(Answers, Option<String>), AppError> {
    match open {
        Some(open) => Ok((
            state
                .store()
                .answers(session.user, instrument, open.id)
                .await?,
            Some(open.about.clone()),
        )),
        None => Ok((Answers::new(), None)),
    }
}

/// Whom the safety questions speak of: the person the latest profile was
/// about ("Sam", "my partner" → "your partner"), as the person named them.
async fn safety_about(state: &AppState, session: &Session) -> Result<String, AppError> {
    Ok(state
        .store()
        .administrations(session.user, Some("rdp"))
        .await?
        .pop()
        .map_or_else(|| ABOUT.to_owned(), |latest| latest.about))
}

/// A scale answer as sent by a form: a point's number or a code's name.
fn parse_choice(instrument: &Instrument, value: &str) -> Option<Answer> {
    let value = value.trim();
    if let Ok(v) = value.parse::<i64>() {
        return instrument.scale.contains(v).then_some(Answer::Value(v));
    }
    AnswerCode::parse(value)
        .filter(|code| instrument.scale.allows(*code))
        .map(Answer::Code)
}

fn render_page(
    state: &AppState,
    session: &Session,
    code: &str,
    instrument: &Instrument,
    page: usize,
    (open, answers, about): (Option<&Administration>, &Answers, Option<&str>),
    (errors, typed_about, sent_key, known): (FormErrors, Option<&str>, Option<&str>, Vec<String>),
) -> Result<Response, AppError> {
    let fresh = open.is_none() && instrument.kind != Kind::Safety;
    // A page shown again after a mistake keeps its key, and so its order.
    let form_key = match (fresh, sent_key) {
        (true, Some(key)) => key.to_owned(),
        (true, None) => new_form_key()?,
        (false, _) => String::new(),
    };
    let order = order_of(instrument, open, fresh.then_some(form_key.as_str()));
    let other = OtherPerson::new(about.unwrap_or(ABOUT));
    // Whom the questions are about is asked once, on the first page, before
    // anything is saved; the safety screen never asks.
    let about_field = (about.is_none() && page == 1 && instrument.kind != Kind::Safety)
        .then(|| typed_about.unwrap_or(ABOUT).to_owned());
    let questions = page_items(instrument, &order, page)
        .iter()
        .map(|item| {
            let current = answers.get(item.id.as_str());
            let points = instrument.scale.points.iter().map(|point| Choice {
                value: point.value.to_string(),
                label: point.label.clone(),
                checked: current == Some(&Answer::Value(point.value)),
            });
            let codes = instrument.scale.codes.iter().map(|point| Choice {
                value: point.code.as_str().to_owned(),
                label: point.label.clone(),
                checked: current == Some(&Answer::Code(point.code)),
            });
            Question {
                hint_id: format!("{}-hint", item.id),
                id: item.id.to_string(),
                text: instrument.text_of(item, &other),
                text_item: item.response == ResponseKind::Text,
                choices: points.chain(codes).collect(),
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
        administration: open.map(|open| open.id.0),
        form_key,
        title: match instrument.kind {
            Kind::Safety => "Staying safe".to_owned(),
            _ => instrument.name.clone(),
        },
        intro: instrument.intro_about(&other),
        page,
        pages: page_count(instrument),
        action: format!("/questions/{code}/{page}"),
        questions,
        keep_choice: instrument.kind == Kind::Safety,
        private: instrument.kind == Kind::Safety,
        about_field,
        known,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// The names of the person's relationships, for the first page's "who
/// are these questions about" (asked when nobody is named yet); none on
/// any other page.
async fn known_names(
    state: &AppState,
    session: &Session,
    about: Option<&str>,
    page: usize,
) -> Result<Vec<String>, AppError> {
    if about.is_some() || page != 1 {
        return Ok(Vec::new());
    }
    Ok(state
        .store()
        .relationships(session.user)
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect())
}

/// A fresh one-time key for a form that will start an administration.
fn new_form_key() -> Result<String, AppError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(hex::encode(bytes))
}

/// Where a finished administration's form leads: its result, or the
/// check-in's read-back.
fn finished_target(code: &str, instrument: &Instrument, id: AdministrationId) -> String {
    match instrument.kind {
        Kind::Profile => format!("/results/{id}"),
        _ => format!("/questions/{code}/done"),
    }
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
    PagePath((code, page)): PagePath<(String, usize)>,
) -> Result<Response, AppError> {
    let (instrument, open) = resolve(&state, &session, &code).await?;
    check_page(instrument, page)?;
    let (answers, about) = current_answers(&state, &session, instrument, open.as_ref()).await?;
    let about = match instrument.kind {
        Kind::Safety => Some(safety_about(&state, &session).await?),
        _ => about,
    };
    render_page(
        &state,
        &session,
        &code,
        instrument,
        page,
        (open.as_ref(), &answers, about.as_deref()),
        (
            FormErrors::new(),
            None,
            None,
            known_names(&state, &session, about.as_deref(), page).await?,
        ),
    )
}

/// What a submitted page says.
pub(super) struct Submitted {
    pub(super) page: Vec<(String, Option<Answer>)>,
    go: String,
    pub(super) keep: bool,
    /// Whom the questions are about, when the first page asked.
    about: Option<String>,
    /// What was typed for whom they are about, to show again after an error.
    typed_about: Option<String>,
}

/// Reads a page's fields: only this page's items, `csrf`, `go` and (safety)
/// `keep` are allowed; anything else is refused before anything is saved.
fn read_page(
    instrument: &Instrument,
    (order, page): (&[&Item], usize),
    fields: Vec<(String, String)>,
    other: &OtherPerson,
) -> Result<(Submitted, FormErrors), AppError> {
    let items = page_items(instrument, order, page);
    let mut submitted = Submitted {
        page: items
            .iter()
            .map(|item| (item.id.to_string(), None))
            .collect(),
        go: "next".to_owned(),
        keep: false,
        about: None,
        typed_about: None,
    };
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (key, value) in fields {
        match key.as_str() {
            // Read before the page, by `administration_of`.
            "csrf" | "administration" | "form_key" => continue,
            "go" => submitted.go = value,
            "keep" if instrument.kind == Kind::Safety => submitted.keep = value == "yes",
            "about" if page == 1 && instrument.kind != Kind::Safety => {
                if submitted.typed_about.is_some() {
                    return Err(AppError::bad_request("`about` was sent twice."));
                }
                match About::parse(&value) {
                    Ok(about) => submitted.about = Some(about.into()),
                    Err(error) => errors.push(FieldError {
                        field: "about".into(),
                        message: match error {
                            InputError::Empty { .. } | InputError::TooLong { .. } => {
                                "Say whom these questions are about, in 80 characters or fewer."
                                    .to_owned()
                            }
                            other => other.to_string(),
                        },
                    }),
                }
                submitted.typed_about = Some(value);
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
                    ResponseKind::Scale => match parse_choice(instrument, &value) {
                        Some(answer) => Some(answer),
                        None => {
                            errors.push(FieldError {
                                field: key.clone(),
                                message: format!(
                                    "Choose one of the answers for \"{}\", or leave it blank.",
                                    instrument.text_of(item, other)
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
    Ok((submitted, FormErrors::from(errors)))
}

/// The first value of a form field.
fn field<'f>(fields: &'f [(String, String)], name: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The administration a submitted form names.
enum Claimed<'s> {
    /// The form names none (it begins one, or is from an older page).
    None,
    /// Still open: the answers go to it, in the version it was begun with.
    Open(&'s Instrument, Administration),
    /// Already finished: the form changes nothing and leads here.
    Finished(String),
}

/// Reads the `administration` a page's form names; another person's, or
/// another form's, is "not found".
async fn administration_of<'s>(
    state: &'s AppState,
    session: &Session,
    code: &str,
    fields: &[(String, String)],
) -> Result<Claimed<'s>, AppError> {
    let current = form_of(state, code)?;
    let named = field(fields, "administration");
    let key = field(fields, "form_key");
    if current.kind == Kind::Safety && (named.is_some() || key.is_some()) {
        return Err(AppError::bad_request("That is not a field of this form."));
    }
    let claimed = match (named, key) {
        (Some(value), _) => {
            let id = value
                .parse::<i64>()
                .map(AdministrationId)
                .map_err(|_| AppError::bad_request("`administration` must be a number."))?;
            state.store().administration(session.user, id).await?
        }
        // A form that began one already (sent again after Back): the one
        // it began, never whatever else is open now.
        (None, Some(key)) => match state
            .store()
            .administration_by_form_key(session.user, key)
            .await?
        {
            Some(begun) => begun,
            None => return Ok(Claimed::None),
        },
        (None, None) => return Ok(Claimed::None),
    };
    let id = claimed.id;
    if claimed.instrument != current.id.as_str() {
        return Err(AppError::not_found());
    }
    let version = tandem_app::situation::version_of(state.content(), &claimed)?;
    if claimed.completed_at.is_some() {
        return Ok(Claimed::Finished(finished_target(code, version, id)));
    }
    Ok(Claimed::Open(version, claimed))
}

/// Saves one page and moves on, back, or home.
pub async fn save(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath((code, page)): PagePath<(String, usize)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (instrument, open) = match administration_of(&state, &session, &code, &fields).await? {
        Claimed::Open(instrument, open) => (instrument, Some(open)),
        Claimed::Finished(target) => return Ok(Redirect::to(&target).into_response()),
        Claimed::None => resolve(&state, &session, &code).await?,
    };
    check_page(instrument, page)?;
    // A later page with nothing open is a stale copy of a form whose
    // administration is gone (deleted): it starts nothing.
    if open.is_none() && page > 1 && instrument.kind != Kind::Safety {
        return Ok(Redirect::to(&format!("/questions/{code}")).into_response());
    }
    let form_key = field(&fields, "form_key").map(str::to_owned);
    let about = match (instrument.kind, &open) {
        (Kind::Safety, _) => safety_about(&state, &session).await?,
        (_, Some(open)) => open.about.clone(),
        (_, None) => ABOUT.to_owned(),
    };
    let order = order_of(instrument, open.as_ref(), form_key.as_deref());
    let (submitted, errors) = read_page(
        instrument,
        (&order, page),
        fields,
        &OtherPerson::new(&about),
    )?;
    if !errors.is_empty() {
        // Show the page again with everything that was sent, the answers
        // that fit chosen again; nothing is saved.
        let (mut answers, open_about) =
            current_answers(&state, &session, instrument, open.as_ref()).await?;
        for (item, answer) in &submitted.page {
            answers.clear(item);
            if let Some(answer) = answer {
                answers
                    .set(instrument, item, answer.clone())
                    .map_err(AppError::internal)?;
            }
        }
        let shown = match instrument.kind {
            Kind::Safety => Some(about.as_str()),
            _ => open_about.as_deref(),
        };
        return render_page(
            &state,
            &session,
            &code,
            instrument,
            page,
            (open.as_ref(), &answers, shown),
            (
                errors,
                submitted.typed_about.as_deref(),
                form_key.as_deref(),
                known_names(&state, &session, shown, page).await?,
            ),
        );
    }
    if instrument.kind == Kind::Safety {
        return super::safety::save(&state, &session, instrument, submitted).await;
    }
    let store = state.store();
    let open = match (open, form_key) {
        (Some(open), _) => open,
        (None, Some(key)) => {
            let begun = store
                .start_administration_once(
                    session.user,
                    instrument,
                    submitted.about.as_deref().unwrap_or(ABOUT),
                    &key,
                )
                .await?;
            // This very form finished it already: show what it made.
            if begun.completed_at.is_some() {
                let target = finished_target(&code, instrument, begun.id);
                return Ok(Redirect::to(&target).into_response());
            }
            begun
        }
        // A form without a key showed the instrument's order.
        (None, None) => {
            store
                .start_administration_seeded(
                    session.user,
                    instrument,
                    submitted.about.as_deref().unwrap_or(ABOUT),
                    None,
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
            store
                .complete_administration(session.user, instrument, open.id)
                .await?;
            crate::follow_up::plan_after_change(&state, &session).await;
            match instrument.kind {
                Kind::Profile => format!("/results/{}", open.id),
                // Post/redirect/get: the answer page reads the check-in back.
                _ => format!("/questions/{code}/done"),
            }
        }
    };
    Ok(Redirect::to(&target).into_response())
}

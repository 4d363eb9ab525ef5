//! The support map: who the person leans on for what, the picture, the
//! metrics and the flags.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_core::input::{InputError, PersonName};
use tandem_core::network::{Domain, Level, Role, SupportMap, Supporter, analyse};
use tandem_store::SupporterId;

use super::extract::PagePath;
use super::{FieldError, FormErrors};
use crate::auth::{CurrentUser, Session};
use crate::charts;
use crate::view::{Layout, render};
use crate::{AppError, AppState};

struct PersonRow {
    id: i64,
    name: String,
    role: String,
    levels: Vec<String>,
}

struct MetricRow {
    label: &'static str,
    supporters: usize,
    share: String,
    effective: String,
}

/// One answer of a drop-down: its value, its words, and whether it is the
/// one chosen.
struct Choice {
    value: String,
    words: String,
    selected: bool,
}

/// One level field of the add-person form as it is shown: what it asks
/// and what was chosen (its problem, if any, is in the page's errors).
struct Field {
    id: String,
    label: String,
    choices: Vec<Choice>,
}

/// The add-person form, blank or as the person sent it.
struct AddForm {
    name: String,
    roles: Vec<Choice>,
    levels: Vec<Field>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    layout: Layout,
    errors: FormErrors,
    flags: Vec<String>,
    rows: Vec<PersonRow>,
    metrics: Vec<MetricRow>,
    picture: String,
    key: Vec<charts::KeyEntry>,
    add: AddForm,
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Partner => "Partner",
        Role::Friend => "Friend",
        Role::Family => "Family",
        Role::Colleague => "Colleague",
        Role::Professional => "Professional (such as a counsellor or doctor)",
        Role::Group => "Group (such as a club or faith group)",
        Role::Myself => "Myself",
    }
}

/// Words for each point of the 0–4 scale, so nobody has to remember what a
/// bare number meant.
fn level_words(level: u8) -> &'static str {
    match level {
        0 => "0 — not at all",
        1 => "1 — a little",
        2 => "2 — some",
        3 => "3 — a lot",
        _ => "4 — a great deal",
    }
}

/// The domain's words with a capital, to start a line.
fn capitalised(words: &str) -> String {
    let mut letters = words.chars();
    letters
        .next()
        .map(|first| first.to_uppercase().chain(letters).collect())
        .unwrap_or_default()
}

/// The form's level fields in page order: for each part of life, how much
/// the person leans on them, then how much they lean back.
fn level_fields() -> impl Iterator<Item = (bool, Domain)> {
    Domain::ALL
        .into_iter()
        .flat_map(|domain| [(true, domain), (false, domain)])
}

fn level_id(lean: bool, domain: Domain) -> String {
    format!("{}-{}", if lean { "lean" } else { "back" }, domain.as_str())
}

fn level_question(lean: bool, domain: Domain) -> String {
    if lean {
        format!("You lean on them for {}", domain.label())
    } else {
        format!("They lean on you for {}", domain.label())
    }
}

/// What was typed and chosen in the add-person form, kept so that after a
/// mistake the person sees everything as they left it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The name as typed.
    pub name: String,
    /// The role, if a known one was chosen.
    pub role: Option<Role>,
    /// The levels chosen, by (leans on them, domain); a field with a bad
    /// value is absent.
    pub levels: BTreeMap<(bool, Domain), Level>,
}

impl AddForm {
    /// The form showing `draft`.
    fn new(draft: &Draft) -> AddForm {
        let mut roles = vec![Choice {
            value: String::new(),
            words: "Choose one".to_owned(),
            selected: draft.role.is_none(),
        }];
        roles.extend(Role::ALL.iter().map(|role| Choice {
            value: role.as_str().to_owned(),
            words: role_label(*role).to_owned(),
            selected: draft.role == Some(*role),
        }));
        AddForm {
            name: draft.name.clone(),
            roles,
            levels: level_fields()
                .map(|(lean, domain)| {
                    let id = level_id(lean, domain);
                    let chosen = draft.levels.get(&(lean, domain)).map(|l| l.get());
                    Field {
                        label: level_question(lean, domain),
                        choices: (0..=4)
                            .map(|level| Choice {
                                value: level.to_string(),
                                words: level_words(level).to_owned(),
                                selected: chosen == Some(level),
                            })
                            .collect(),
                        id,
                    }
                })
                .collect(),
        }
    }
}

async fn page(
    state: &AppState,
    session: &Session,
    draft: &Draft,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let people = state.store().support_map(session.user).await?;
    let map = SupportMap {
        people: people.iter().map(|(_, p)| p.clone()).collect(),
    };
    let report = analyse(&map);
    let percent = |x: Option<f64>| x.map_or("—".to_owned(), |x| format!("{:.0}%", x * 100.0));
    let fmt = |x: Option<f64>| x.map_or("—".to_owned(), |x| format!("{x:.1}"));
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render(&PeoplePage {
        layout: Layout::new(Some(session), &state.config().exit_url, "people"),
        add: AddForm::new(draft),
        errors,
        flags: report.flags.iter().map(|f| f.message()).collect(),
        rows: people
            .iter()
            .map(|(id, p)| PersonRow {
                id: id.0,
                name: p.name.clone(),
                role: role_label(p.role).to_owned(),
                levels: Domain::ALL
                    .iter()
                    .filter(|d| p.level_on(**d).get() > 0 || p.level_back(**d).get() > 0)
                    .map(|d| {
                        format!(
                            "{}: {} / {}",
                            capitalised(d.label()),
                            p.level_on(*d),
                            p.level_back(*d)
                        )
                    })
                    .collect(),
            })
            .collect(),
        metrics: report
            .domains
            .iter()
            .map(|m| MetricRow {
                label: m.domain.label(),
                supporters: m.supporters,
                share: percent(m.partner_share),
                effective: fmt(m.effective_supporters),
            })
            .collect(),
        picture: charts::support_picture(&map),
        key: charts::support_key(),
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// The map.
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    let fresh = Draft {
        levels: level_fields().map(|field| (field, Level::ZERO)).collect(),
        ..Draft::default()
    };
    page(&state, &session, &fresh, FormErrors::new()).await
}

/// Where a field sits on the page, so the error summary lists problems in
/// the order the person meets them.
fn position(field: &str) -> usize {
    match field {
        "name" => 0,
        "role" => 1,
        other => {
            2 + level_fields()
                .position(|(lean, domain)| level_id(lean, domain) == other)
                .unwrap_or(usize::MAX - 2)
        }
    }
}

/// Reads the add-person form: what was sent (to show again) and either the
/// supporter or every problem at once. A field that is not on the form is
/// a bad request, not a mistake to correct.
pub fn supporter_from_fields(
    fields: &[(String, String)],
) -> Result<(Draft, Result<Supporter, FormErrors>), AppError> {
    let mut draft = Draft::default();
    let mut name = None;
    let mut errors = Vec::new();
    for (key, value) in fields {
        match key.as_str() {
            "csrf" => {}
            "name" => {
                draft.name = value.clone();
                name = Some(PersonName::parse(value));
            }
            "role" => {
                draft.role = value.parse::<Role>().ok();
            }
            other => {
                let (kind, domain) = other
                    .split_once('-')
                    .filter(|(kind, _)| *kind == "lean" || *kind == "back")
                    .ok_or_else(|| {
                        AppError::bad_request(format!("`{other}` is not a field of this form."))
                    })?;
                let domain: Domain = domain.parse().map_err(|_| {
                    AppError::bad_request(format!("`{other}` is not a field of this form."))
                })?;
                let lean = kind == "lean";
                match value.parse::<u8>().ok().and_then(|v| Level::new(v).ok()) {
                    Some(level) => {
                        draft.levels.insert((lean, domain), level);
                    }
                    None => {
                        draft.levels.remove(&(lean, domain));
                        errors.push(FieldError {
                            field: other.to_owned(),
                            message: format!(
                                "Choose how much {} for {}, from 0 to 4.",
                                if lean {
                                    "you lean on them"
                                } else {
                                    "they lean on you"
                                },
                                domain.label()
                            ),
                        });
                    }
                }
            }
        }
    }
    let name = match name.unwrap_or_else(|| PersonName::parse("")) {
        Ok(name) => Some(name),
        Err(error) => {
            let message = match error {
                InputError::Empty { .. } | InputError::TooLong { .. } => {
                    "Enter a name or nickname of up to 80 characters."
                }
                _ => "Enter a name or nickname in letters people can see.",
            };
            errors.push(FieldError {
                field: "name".into(),
                message: message.to_owned(),
            });
            None
        }
    };
    if draft.role.is_none() {
        errors.push(FieldError {
            field: "role".into(),
            message: "Choose who this person is to you.".into(),
        });
    }
    errors.sort_by_key(|e| position(&e.field));
    errors.dedup_by(|a, b| a.field == b.field);
    let (Some(name), Some(role), true) = (name, draft.role, errors.is_empty()) else {
        return Ok((draft, Err(FormErrors::from(errors))));
    };
    let mut supporter = Supporter::new(name.as_str(), role);
    for ((lean, domain), level) in &draft.levels {
        if *lean {
            supporter.leans_on.insert(*domain, *level);
        } else {
            supporter.leans_back.insert(*domain, *level);
        }
    }
    Ok((draft, Ok(supporter)))
}

/// Adds a person.
pub async fn add(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (draft, parsed) = supporter_from_fields(&fields)?;
    match parsed {
        Ok(supporter) => {
            state
                .store()
                .add_supporter(session.user, &supporter)
                .await?;
            Ok(Redirect::to("/people").into_response())
        }
        Err(errors) => page(&state, &session, &draft, errors).await,
    }
}

/// Removes a person; another person's id, or one that is not a number, is
/// "not found" (as a page, like every other error here).
pub async fn remove(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
) -> Result<Response, AppError> {
    state
        .store()
        .remove_supporter(session.user, SupporterId(id))
        .await?;
    Ok(Redirect::to("/people").into_response())
}

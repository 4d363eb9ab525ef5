//! The support map: who the person leans on for what, the picture, the
//! metrics and the flags.

use super::extract::PagePath;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_core::input::{InputError, PersonName};
use tandem_core::network::{Domain, Level, Role, SupportMap, Supporter, analyse};
use tandem_store::SupporterId;

use super::FieldError;
use crate::auth::{CurrentUser, Session};
use crate::charts;
use crate::view::{Layout, render};
use crate::{AppError, AppState};

struct PersonRow {
    id: i64,
    name: String,
    role: String,
    levels: String,
}

struct MetricRow {
    label: &'static str,
    supporters: usize,
    share: String,
    effective: String,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    layout: Layout,
    errors: Vec<FieldError>,
    flags: Vec<String>,
    rows: Vec<PersonRow>,
    metrics: Vec<MetricRow>,
    picture: String,
    roles: Vec<(&'static str, &'static str)>,
    domains: Vec<(&'static str, &'static str)>,
    levels: Vec<u8>,
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

async fn page(
    state: &AppState,
    session: &Session,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let people = state.store().support_map(session.user).await?;
    let map = SupportMap {
        people: people.iter().map(|(_, p)| p.clone()).collect(),
    };
    let report = analyse(&map);
    let fmt = |x: Option<f64>| x.map_or("—".to_owned(), |x| format!("{x:.2}"));
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render(&PeoplePage {
        layout: Layout::new(Some(session), &state.config().exit_url, "people"),
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
                    .map(|d| format!("{}: {}/{}", d.label(), p.level_on(*d), p.level_back(*d)))
                    .collect::<Vec<_>>()
                    .join("; "),
            })
            .collect(),
        metrics: report
            .domains
            .iter()
            .map(|m| MetricRow {
                label: m.domain.label(),
                supporters: m.supporters,
                share: fmt(m.partner_share),
                effective: fmt(m.effective_supporters),
            })
            .collect(),
        picture: charts::support_picture(&map),
        roles: Role::ALL
            .iter()
            .map(|r| (r.as_str(), role_label(*r)))
            .collect(),
        domains: Domain::ALL
            .iter()
            .map(|d| (d.as_str(), d.label()))
            .collect(),
        levels: (0..=4).collect(),
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// The map.
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    page(&state, &session, Vec::new()).await
}

/// Builds a supporter from form fields, refusing unknown fields and bad values.
pub fn supporter_from_fields(
    fields: &[(String, String)],
) -> Result<Result<Supporter, Vec<FieldError>>, AppError> {
    let mut name = None;
    let mut role = None;
    let mut errors = Vec::new();
    let mut levels = Vec::new();
    for (key, value) in fields {
        match key.as_str() {
            "csrf" => {}
            "name" => name = Some(PersonName::parse(value)),
            "role" => match value.parse::<Role>() {
                Ok(r) => role = Some(r),
                Err(_) => errors.push(FieldError {
                    field: "role".into(),
                    message: "Choose who this person is to you.".into(),
                }),
            },
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
                match value.parse::<u8>().ok().and_then(|v| Level::new(v).ok()) {
                    Some(level) => levels.push((kind == "lean", domain, level)),
                    None => errors.push(FieldError {
                        field: other.to_owned(),
                        message: format!("Choose a level from 0 to 4 for {}.", domain.label()),
                    }),
                }
            }
        }
    }
    let name = match name.unwrap_or_else(|| PersonName::parse("")) {
        Ok(name) => Some(name),
        Err(error) => {
            let message = match error {
                InputError::Empty { .. } | InputError::TooLong { .. } => {
                    "Enter a name or nickname of up to 80 characters.".to_owned()
                }
                other => other.to_string(),
            };
            errors.push(FieldError {
                field: "name".into(),
                message,
            });
            None
        }
    };
    let Some(role) = role else {
        if errors.is_empty() {
            errors.push(FieldError {
                field: "role".into(),
                message: "Choose who this person is to you.".into(),
            });
        }
        return Ok(Err(errors));
    };
    let (Some(name), true) = (name, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let mut supporter = Supporter::new(name.as_str(), role);
    for (lean, domain, level) in levels {
        if lean {
            supporter.leans_on.insert(domain, level);
        } else {
            supporter.leans_back.insert(domain, level);
        }
    }
    Ok(Ok(supporter))
}

/// Adds a person.
pub async fn add(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    match supporter_from_fields(&fields)? {
        Ok(supporter) => {
            state
                .store()
                .add_supporter(session.user, &supporter)
                .await?;
            Ok(Redirect::to("/people").into_response())
        }
        Err(errors) => page(&state, &session, errors).await,
    }
}

/// Removes a person; another person's id is "not found".
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

//! The people a person answers about: each with what they are to them,
//! which the person can change, and a form to add one. Everything taken
//! about a name belongs to that person's relationship.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_core::input::About;
use tandem_core::relationship::Role;
use tandem_store::{RelationshipId, StoreError};

use super::extract::PagePath;
use super::{FieldError, FormErrors};
use crate::auth::{CurrentUser, Session};
use crate::view::{Layout, render};
use crate::{AppError, AppState};

/// One answer of a drop-down.
struct Choice {
    value: &'static str,
    words: &'static str,
    selected: bool,
}

struct Row {
    id: i64,
    name: String,
    roles: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "relationships.html")]
struct RelationshipsPage {
    layout: Layout,
    errors: FormErrors,
    rows: Vec<Row>,
    name: String,
    roles: Vec<Choice>,
}

/// Every role, with `chosen` selected.
fn choices(chosen: Option<Role>) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|role| Choice {
            value: role.as_str(),
            words: role.label(),
            selected: chosen == Some(*role),
        })
        .collect()
}

async fn page(
    state: &AppState,
    session: &Session,
    (name, role): (&str, Option<Role>),
    errors: FormErrors,
) -> Result<Response, AppError> {
    let kept = state.store().relationships(session.user).await?;
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut roles = vec![Choice {
        value: "",
        words: "Choose one",
        selected: role.is_none(),
    }];
    roles.extend(choices(role));
    let mut response = render(&RelationshipsPage {
        layout: Layout::new(Some(session), &state.config().exit_url, "people"),
        errors,
        rows: kept
            .into_iter()
            .map(|r| Row {
                id: r.id.0,
                name: r.name,
                roles: choices(Some(r.role)),
            })
            .collect(),
        name: name.to_owned(),
        roles,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// The list and the form.
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    page(&state, &session, ("", None), FormErrors::new()).await
}

/// Refuses (400) a form carrying a field other than `csrf` and `allowed`.
fn fields(form: &[(String, String)], allowed: &[&str]) -> Result<(), AppError> {
    match form
        .iter()
        .find(|(key, _)| key != "csrf" && !allowed.contains(&key.as_str()))
    {
        Some((key, _)) => Err(AppError::bad_request(format!(
            "`{key}` is not a field of this form."
        ))),
        None => Ok(()),
    }
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

/// Adds someone; a mistake shows the form again with what was typed.
pub async fn add(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    fields(&form, &["name", "role"])?;
    let typed = field(&form, "name");
    let role = Role::parse(field(&form, "role"));
    let mut errors = Vec::new();
    let name = match About::parse(typed) {
        Ok(name) => Some(name),
        Err(_) => {
            errors.push(FieldError {
                field: "name".into(),
                message:
                    "Enter a name or nickname of up to 80 characters, in letters people can see."
                        .into(),
            });
            None
        }
    };
    if role.is_none() {
        errors.push(FieldError {
            field: "role".into(),
            message: "Choose who this person is to you.".into(),
        });
    }
    let (Some(name), Some(role)) = (name, role) else {
        return page(&state, &session, (typed, role), FormErrors::from(errors)).await;
    };
    match state
        .store()
        .create_relationship(session.user, role, &name)
        .await
    {
        Ok(_) => Ok(Redirect::to("/relationships").into_response()),
        Err(StoreError::Conflict(message)) => {
            let errors = FormErrors::one("name", message);
            page(&state, &session, (typed, Some(role)), errors).await
        }
        Err(err) => Err(err.into()),
    }
}

/// Changes what someone is to the person; another person's id is "not
/// found", as a page.
pub async fn set_role(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    fields(&form, &["role"])?;
    let role = Role::parse(field(&form, "role"))
        .ok_or_else(|| AppError::bad_request("Choose one of the roles the form lists."))?;
    state
        .store()
        .set_relationship_role(session.user, RelationshipId(id), role)
        .await?;
    Ok(Redirect::to("/relationships").into_response())
}

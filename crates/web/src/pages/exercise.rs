//! The exercises that go with the plan: a new entry and the saved ones,
//! the needs-statement preview, weeks ticked, goals' progress. What the
//! person writes is sealed at rest by the store.

use super::extract::PagePath;
use super::form::TokenOnly;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Map, Value};
use tandem_core::dates::iso_week;
use tandem_core::input::{self, InputError, PersonName};
use tandem_core::network::{Domain, Level, Role, Supporter};
use tandem_store::{ExerciseId, PlanItemId};

use super::FormErrors;
use crate::auth::{CurrentUser, Session, now};
use crate::view::{Layout, render};
use crate::{AppError, AppState};
use tandem_app::exercises::{Field, Kind, kind, needs_preview};

struct EntryView {
    id: i64,
    heading: String,
    lines: Vec<(&'static str, String)>,
    preview: Option<String>,
    ticked_this_week: bool,
    ticks: usize,
    progress: i64,
    done: bool,
    /// Whether counsellors who may read exercise texts may read this one.
    shown: bool,
}

/// A field with what the person has typed so far (kept across a preview or
/// an error, so nothing they wrote is lost).
struct FieldView {
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    /// The hint's element id, empty when there is no hint.
    hint_id: String,
    long: bool,
    value: String,
}

#[derive(Template)]
#[template(path = "exercise.html")]
struct ExercisePage {
    layout: Layout,
    errors: FormErrors,
    notice: Option<String>,
    title: &'static str,
    intro: &'static str,
    slug: &'static str,
    item: Option<i64>,
    prompt: Option<String>,
    fields: Vec<FieldView>,
    domains: Vec<(&'static str, &'static str)>,
    preview: Option<String>,
    entries: Vec<EntryView>,
    percents: Vec<i64>,
}

fn text_of(content: &Value, key: &str) -> String {
    content
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// What a rendering of the exercise page shows besides the saved entries.
struct Shown {
    errors: FormErrors,
    notice: Option<String>,
    preview: Option<String>,
    /// What the person typed, put back into the form.
    typed: Map<String, Value>,
}

impl Shown {
    fn empty() -> Self {
        Self {
            errors: FormErrors::new(),
            notice: None,
            preview: None,
            typed: Map::new(),
        }
    }
}

async fn exercise_page(
    state: &AppState,
    session: &Session,
    kind: &'static Kind,
    item: Option<i64>,
    shown: Shown,
) -> Result<Response, AppError> {
    let Shown {
        errors,
        notice,
        preview,
        typed,
    } = shown;
    let zone = crate::moments::zone_of(state, session.user).await?;
    // This week in the person's own calendar.
    let week = iso_week(tandem_core::moments::local_unix(now(), &zone));
    let entries = state
        .store()
        .exercises(session.user, Some(kind.slug))
        .await?
        .into_iter()
        .map(|e| EntryView {
            id: e.id.0,
            heading: crate::moments::moment(e.created_unix, &zone),
            lines: tandem_app::exercises::written_lines(kind, &e.content),
            preview: (kind.slug == "needs-statement").then(|| {
                needs_preview(
                    &text_of(&e.content, "feeling"),
                    &text_of(&e.content, "situation"),
                    &text_of(&e.content, "need"),
                    &text_of(&e.content, "request"),
                )
            }),
            ticked_this_week: e.ticks.contains(&week),
            ticks: e.ticks.len(),
            progress: e.progress,
            done: e.done,
            shown: e.shown,
        })
        .collect();
    let prompt = (kind.slug == "journal").then(|| journal_prompt(state, session));
    let prompt = match prompt {
        Some(future) => future.await?,
        None => None,
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render(&ExercisePage {
        layout: Layout::new(Some(session), &state.config().exit_url, "plan"),
        errors,
        notice,
        title: kind.title,
        intro: kind.intro,
        slug: kind.slug,
        item,
        prompt,
        fields: kind
            .fields
            .iter()
            .map(|f: &Field| FieldView {
                name: f.name,
                label: f.label,
                hint: f.hint,
                hint_id: if f.hint.is_empty() {
                    String::new()
                } else {
                    format!("{}-hint", f.name)
                },
                long: f.long,
                value: text_of(&Value::Object(typed.clone()), f.name),
            })
            .collect(),
        domains: Domain::ALL
            .iter()
            .map(|d| (d.as_str(), d.label()))
            .collect(),
        preview,
        entries,
        percents: (0..=10).map(|p| p * 10).collect(),
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// Today's journal prompt, tied to the facets that stand out for the person.
async fn journal_prompt(state: &AppState, session: &Session) -> Result<Option<String>, AppError> {
    let focus: Vec<tandem_core::ids::FacetId> = match tandem_app::results::rdp_results(
        state.store(),
        state.content(),
        session.user,
        None,
        crate::follow_up::held(state, session).await?,
    )
    .await?
    {
        Some(results) => tandem_core::scoring::standing_out(&results.instrument, &results.scores)
            .into_iter()
            .map(|f| f.id.clone())
            .collect(),
        None => Vec::new(),
    };
    // Today in the person's own calendar, so the prompt changes at their
    // midnight.
    let zone = crate::moments::zone_of(state, session.user).await?;
    let local = tandem_core::moments::local_unix(now(), &zone);
    let day = u64::try_from(local.div_euclid(86_400)).unwrap_or(0);
    Ok(tandem_core::journal::prompt_for(state.prompts(), &focus, day).map(|p| p.text.clone()))
}

/// Which plan item an exercise belongs to.
#[derive(Deserialize)]
pub struct ItemQuery {
    item: Option<i64>,
    /// `saved` after an entry was saved (a fixed word, never data).
    notice: Option<String>,
}

/// An exercise's page: a new entry and the saved ones.
pub async fn exercise(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(slug): PagePath<String>,
    Query(query): Query<ItemQuery>,
) -> Result<Response, AppError> {
    let kind = kind(&slug).ok_or_else(AppError::not_found)?;
    let shown = Shown {
        notice: (query.notice.as_deref() == Some("saved")).then(|| "Saved.".to_owned()),
        ..Shown::empty()
    };
    exercise_page(&state, &session, kind, query.item, shown).await
}

/// Saves a new entry (or shows the needs-statement preview).
pub async fn save(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(slug): PagePath<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind(&slug).ok_or_else(AppError::not_found)?;
    let mut content = Map::new();
    let mut errors = FormErrors::new();
    let mut item = None;
    let mut go = "save".to_owned();
    for (key, value) in fields {
        match key.as_str() {
            "csrf" => {}
            "go" => go = value,
            "item" => {
                item = Some(
                    value
                        .parse::<i64>()
                        .map_err(|_| AppError::bad_request("`item` must be a number."))?,
                )
            }
            name => {
                let Some(field) = kind.field(name) else {
                    return Err(AppError::bad_request(format!(
                        "`{name}` is not a field of this form."
                    )));
                };
                match kind.check(field, &value) {
                    Ok(text) => {
                        content.insert(name.to_owned(), Value::String(text.into()));
                    }
                    // The part of life is chosen from a list; another value
                    // was not sent by this form.
                    Err(InputError::Unknown { .. }) => {
                        return Err(AppError::bad_request("Unknown part of life."));
                    }
                    Err(error) => {
                        let message = match error {
                            InputError::TooLong { max, .. } => format!(
                                "Please keep \"{}\" to {max} characters or fewer.",
                                field.label
                            ),
                            other => other.to_string(),
                        };
                        errors.add(name, message);
                        content.insert(name.to_owned(), Value::String(value.trim().to_owned()));
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        let shown = Shown {
            errors,
            typed: content,
            ..Shown::empty()
        };
        return exercise_page(&state, &session, kind, item, shown).await;
    }
    if go == "preview" && kind.slug == "needs-statement" {
        let text = |k: &str| {
            content
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        let preview = needs_preview(
            &text("feeling"),
            &text("situation"),
            &text("need"),
            &text("request"),
        );
        let shown = Shown {
            preview: Some(preview),
            typed: content,
            ..Shown::empty()
        };
        return exercise_page(&state, &session, kind, item, shown).await;
    }
    let written = content
        .iter()
        .any(|(k, v)| k != "prompt" && k != "domain" && v.as_str().is_some_and(|s| !s.is_empty()));
    if !written {
        let first = kind
            .fields
            .iter()
            .find(|f| f.name != "domain")
            .map_or("", |f| f.name);
        let shown = Shown {
            errors: FormErrors::one(
                first,
                "Write something in at least one box before you save.",
            ),
            typed: content,
            ..Shown::empty()
        };
        return exercise_page(&state, &session, kind, item, shown).await;
    }
    state
        .store()
        .save_exercise(
            session.user,
            kind.slug,
            item.map(PlanItemId),
            &Value::Object(content),
            now(),
        )
        .await?;
    // Post/redirect/get: reloading the page after saving shows the entry
    // again instead of saving a second copy.
    let back = match item {
        Some(item) => format!("/plan/do/{}?item={item}&notice=saved", kind.slug),
        None => format!("/plan/do/{}?notice=saved", kind.slug),
    };
    Ok(Redirect::to(&back).into_response())
}

async fn entry_kind(
    state: &AppState,
    session: &Session,
    id: i64,
) -> Result<(tandem_store::ExerciseRecord, &'static Kind), AppError> {
    let record = state.store().exercise(session.user, ExerciseId(id)).await?;
    let kind = kind(&record.kind).ok_or_else(AppError::not_found)?;
    Ok((record, kind))
}

/// Ticks or unticks this week for an own-life plan.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekForm {
    csrf: String,
    ticked: String,
}

/// Ticks this week.
pub async fn week(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<WeekForm>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    let (_, kind) = entry_kind(&state, &session, id).await?;
    let zone = crate::moments::zone_of(&state, session.user).await?;
    state
        .store()
        .tick_week(
            session.user,
            ExerciseId(id),
            &iso_week(tandem_core::moments::local_unix(now(), &zone)),
            form.ticked == "yes",
        )
        .await?;
    Ok(Redirect::to(&format!("/plan/do/{}", kind.slug)).into_response())
}

/// Lets a counsellor read one entry, or stops it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShownForm {
    csrf: String,
    shown: String,
}

/// Chooses, for one entry, whether counsellors who may read exercise
/// texts may read it (never a journal entry).
pub async fn shown(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<ShownForm>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    let (record, kind) = entry_kind(&state, &session, id).await?;
    if kind.slug != "journal" {
        state
            .store()
            .set_exercise_shown(session.user, record.id, form.shown == "yes")
            .await?;
    }
    Ok(Redirect::to(&format!("/plan/do/{}", kind.slug)).into_response())
}

/// A goal's progress.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressForm {
    csrf: String,
    progress: i64,
}

/// Updates a goal's progress.
pub async fn progress(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<ProgressForm>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    let (record, kind) = entry_kind(&state, &session, id).await?;
    let done = form.progress >= 100;
    state
        .store()
        .update_exercise(
            session.user,
            record.id,
            &record.content,
            form.progress,
            done,
            now(),
        )
        .await?;
    Ok(Redirect::to(&format!("/plan/do/{}", kind.slug)).into_response())
}

/// Marks a support-growth step done, which adds the person to the map.
pub async fn done(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<TokenOnly>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    let (record, kind) = entry_kind(&state, &session, id).await?;
    if kind.slug == "support-growth" && !record.done {
        let person = text_of(&record.content, "person");
        let domain =
            input::domain("domain", &text_of(&record.content, "domain")).unwrap_or(Domain::Company);
        // Entries saved before names were checked may not fit; their
        // person is left for the person to add by hand.
        let name = PersonName::parse(&person.chars().take(80).collect::<String>());
        if let Ok(name) = name {
            let mut supporter = Supporter::new(name.as_str(), Role::Friend);
            supporter
                .leans_on
                .insert(domain, Level::new(1).map_err(AppError::internal)?);
            state
                .store()
                .add_supporter(session.user, &supporter)
                .await?;
        }
    }
    state
        .store()
        .update_exercise(session.user, record.id, &record.content, 100, true, now())
        .await?;
    Ok(Redirect::to(&format!("/plan/do/{}", kind.slug)).into_response())
}

/// Deletes an entry.
pub async fn delete(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<TokenOnly>,
) -> Result<Response, AppError> {
    let _ = form.csrf;
    let (record, kind) = entry_kind(&state, &session, id).await?;
    state
        .store()
        .delete_exercise(session.user, record.id)
        .await?;
    Ok(Redirect::to(&format!("/plan/do/{}", kind.slug)).into_response())
}

//! Exercise entries in the API: what a person writes for the plan's
//! exercises, checked field by field as the pages check it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tandem_core::input::{MAX_LONG_TEXT_CHARS, MAX_NAME_CHARS, MAX_SHORT_TEXT_CHARS};
use tandem_core::network::Domain;
use tandem_store::{ExerciseId, ExerciseRecord, PlanItemId};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AdditionalProperties, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type,
};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::openapi::{BadId, CsrfRefused, NotFound, SignedOut, WriteRefused};
use super::{ApiJson, ApiPath, ApiQuery, api};
use crate::auth::ApiUser;
use crate::{AppError, AppState};
use tandem_app::exercises::KINDS;

/// Which exercises to list.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct ExerciseQuery {
    /// Only this kind.
    #[param(value_type = Option<ExerciseKind>, inline)]
    kind: Option<String>,
}

/// My exercise entries, newest first.
#[utoipa::path(
    get,
    path = "/exercises",
    tag = "exercises",
    security(("session" = [])),
    params(ExerciseQuery),
    responses(
        (status = 200, description = "The entries.", body = Vec<ExerciseRecord>),
        (status = 400, description = "The query has an unknown parameter.", body = super::openapi::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The kind is not an exercise.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
    )
)]
pub(super) async fn exercises(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiQuery(query): ApiQuery<ExerciseQuery>,
) -> Result<Json<Vec<ExerciseRecord>>, AppError> {
    if let Some(kind) = &query.kind
        && tandem_app::exercises::kind(kind).is_none()
    {
        return Err(AppError::invalid(format!("`{kind}` is not an exercise")).api());
    }
    let all = api(state
        .store()
        .exercises(session.user, query.kind.as_deref())
        .await
        .map_err(AppError::from))?;
    Ok(Json(all))
}

/// A new exercise entry: its kind and what was written (field → text).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewExercise {
    kind: String,
    #[serde(default)]
    plan_item: Option<i64>,
    content: serde_json::Map<String, Value>,
}

/// Described from the forms' own table: one shape per kind, each with
/// exactly its fields and their limits.
impl PartialSchema for NewExercise {
    fn schema() -> RefOr<Schema> {
        let text = |max: usize| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(max))
        };
        let mut shapes = OneOfBuilder::new();
        for kind in KINDS {
            let mut content = ObjectBuilder::new()
                .schema_type(Type::Object)
                .additional_properties(Some(AdditionalProperties::FreeForm(false)));
            for field in kind.fields.iter().copied().chain(kind.field("prompt")) {
                let schema = match (kind.slug, field.name) {
                    ("support-growth", "domain") => ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(Domain::ALL.map(Domain::as_str))),
                    ("support-growth", "person") => text(MAX_NAME_CHARS),
                    _ if field.long => text(MAX_LONG_TEXT_CHARS),
                    _ => text(MAX_SHORT_TEXT_CHARS),
                };
                content = content.property(field.name, schema);
            }
            let shape = ObjectBuilder::new()
                .schema_type(Type::Object)
                .property(
                    "kind",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some([kind.slug])),
                )
                .property(
                    "plan_item",
                    ObjectBuilder::new()
                        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null])),
                )
                .property("content", content)
                .required("kind")
                .required("content")
                .additional_properties(Some(AdditionalProperties::FreeForm(false)))
                .description(Some(kind.title));
            shapes = shapes.item(shape);
        }
        shapes.into()
    }
}

impl ToSchema for NewExercise {}

/// The kinds of exercise, by the slugs the forms use.
pub(super) struct ExerciseKind;

impl PartialSchema for ExerciseKind {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(KINDS.iter().map(|k| k.slug)))
            .into()
    }
}

impl ToSchema for ExerciseKind {}

/// Checks content against the kind's fields, as the pages do: known fields,
/// text only, each checked by the kind's own rules.
fn checked_content(
    kind: &str,
    content: &serde_json::Map<String, Value>,
) -> Result<Value, AppError> {
    let found = tandem_app::exercises::kind(kind)
        .ok_or_else(|| AppError::invalid(format!("`{kind}` is not an exercise")))?;
    let mut checked = serde_json::Map::new();
    for (key, value) in content {
        let field = found
            .field(key)
            .ok_or_else(|| AppError::invalid(format!("`{key}` is not a field of {kind}")))?;
        let text = value
            .as_str()
            .ok_or_else(|| AppError::invalid(format!("`{key}` must be text")))?;
        let text = found
            .check(field, text)
            .map_err(|e| AppError::invalid(e.to_string()))?;
        checked.insert(key.clone(), Value::String(text.into()));
    }
    Ok(Value::Object(checked))
}

/// The new entry's id.
#[derive(Serialize, ToSchema)]
pub(super) struct Created {
    id: ExerciseId,
}

/// Save an exercise entry.
#[utoipa::path(
    post,
    path = "/exercises",
    tag = "exercises",
    security(("session" = [], "csrf" = [])),
    request_body = NewExercise,
    responses(
        (status = 404, description = "The plan item is not found (or not mine).", body = super::openapi::Problem, content_type = "application/problem+json"),
        (status = 201, description = "Saved.", body = Created, links(("UpdateEntry" = (operation_id = "update_exercise", parameters(("id" = "$response.body#/id")))), ("DeleteEntry" = (operation_id = "delete_exercise", parameters(("id" = "$response.body#/id")))), ("TickWeek" = (operation_id = "tick_week", parameters(("id" = "$response.body#/id")))), ("UntickWeek" = (operation_id = "untick_week", parameters(("id" = "$response.body#/id")))))),
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn add_exercise(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<NewExercise>,
) -> Result<Response, AppError> {
    api(async {
        let content = checked_content(&body.kind, &body.content)?;
        let id = state
            .store()
            .save_exercise(
                session.user,
                &body.kind,
                body.plan_item.map(PlanItemId),
                &content,
                crate::auth::now(),
            )
            .await?;
        Ok((StatusCode::CREATED, Json(Created { id })).into_response())
    }
    .await)
}

/// New content and progress for an entry.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ExerciseUpdate {
    /// Field → text, as for a new entry.
    #[schema(value_type = BTreeMap<String, String>)]
    content: serde_json::Map<String, Value>,
    /// How far along, 0 to 100.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100)]
    progress: i64,
    #[serde(default)]
    done: bool,
}

/// Update an exercise entry.
#[utoipa::path(
    put,
    path = "/exercises/{id}",
    tag = "exercises",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The entry.")),
    request_body = ExerciseUpdate,
    responses(
        (status = 204, description = "Updated."),
        SignedOut,
        WriteRefused,
        NotFound,
    )
)]
pub(super) async fn update_exercise(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ExerciseUpdate>,
) -> Result<StatusCode, AppError> {
    api(async {
        let store = state.store();
        let existing = store.exercise(session.user, ExerciseId(id)).await?;
        let content = checked_content(&existing.kind, &body.content)?;
        store
            .update_exercise(
                session.user,
                existing.id,
                &content,
                body.progress,
                body.done,
                crate::auth::now(),
            )
            .await?;
        Ok(StatusCode::NO_CONTENT)
    }
    .await)
}

/// Delete an exercise entry.
#[utoipa::path(
    delete,
    path = "/exercises/{id}",
    tag = "exercises",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The entry.")),
    responses(
        (status = 204, description = "Deleted."),
        SignedOut,
        CsrfRefused,
        BadId,
        NotFound,
    )
)]
pub(super) async fn delete_exercise(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .delete_exercise(session.user, ExerciseId(id))
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether counsellors who may read exercise texts may read one entry.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Shown {
    /// True to let them, false to keep it to myself.
    shown: bool,
}

/// Choose, for one entry, whether a counsellor whose grant shows exercise
/// texts may read it (texts are never shared unless chosen one by one;
/// never a journal entry).
#[utoipa::path(
    put,
    path = "/exercises/{id}/shown",
    tag = "exercises",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The entry.")),
    request_body = Shown,
    responses(
        (status = 204, description = "Chosen."),
        (status = 422, description = "A journal entry is never shown.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        WriteRefused,
        BadId,
        NotFound,
    )
)]
pub(super) async fn set_shown(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Shown>,
) -> Result<StatusCode, AppError> {
    let store = state.store();
    let record = api(store
        .exercise(session.user, ExerciseId(id))
        .await
        .map_err(AppError::from))?;
    if record.kind == "journal" && body.shown {
        return Err(AppError::from(tandem_store::StoreError::invalid(
            "shown",
            "A journal entry is yours alone; it is never shown to a counsellor.",
        ))
        .api());
    }
    api(store
        .set_exercise_shown(session.user, record.id, body.shown)
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_week(
    state: &AppState,
    session: &crate::auth::Session,
    (id, week): (i64, String),
    ticked: bool,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .tick_week(session.user, ExerciseId(id), &week, ticked)
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Tick an ISO week (such as 2026-W48) of an own-life plan.
#[utoipa::path(
    put,
    path = "/exercises/{id}/weeks/{week}",
    tag = "exercises",
    security(("session" = [], "csrf" = [])),
    params(
        ("id" = i64, Path, description = "The entry."),
        ("week" = String, Path, description = "An ISO week, such as 2026-W48.", pattern = "^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"),
    ),
    responses(
        (status = 204, description = "Ticked."),
        (status = 422, description = "The week is not an ISO week.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        CsrfRefused,
        BadId,
        NotFound,
    )
)]
pub(super) async fn tick_week(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(path): ApiPath<(i64, String)>,
) -> Result<StatusCode, AppError> {
    set_week(&state, &session, path, true).await
}

/// Untick a week.
#[utoipa::path(
    delete,
    path = "/exercises/{id}/weeks/{week}",
    tag = "exercises",
    security(("session" = [], "csrf" = [])),
    params(
        ("id" = i64, Path, description = "The entry."),
        ("week" = String, Path, description = "An ISO week, such as 2026-W48.", pattern = "^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"),
    ),
    responses(
        (status = 204, description = "Unticked."),
        (status = 422, description = "The week is not an ISO week.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        CsrfRefused,
        BadId,
        NotFound,
    )
)]
pub(super) async fn untick_week(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(path): ApiPath<(i64, String)>,
) -> Result<StatusCode, AppError> {
    set_week(&state, &session, path, false).await
}

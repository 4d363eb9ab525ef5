//! Exercise entries in the API: what a person writes for the plan's
//! exercises, checked field by field as the pages check it.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tandem_store::{ExerciseId, ExerciseRecord, PlanItemId};

use super::{ApiJson, api};
use crate::auth::ApiUser;
use crate::{AppError, AppState};

/// Which exercises to list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExerciseQuery {
    kind: Option<String>,
}

pub(super) async fn exercises(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Query(query): Query<ExerciseQuery>,
) -> Result<Json<Vec<ExerciseRecord>>, AppError> {
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

/// Checks content against the kind's fields, as the pages do: known fields,
/// text only, each checked by the kind's own rules.
fn checked_content(
    kind: &str,
    content: &serde_json::Map<String, Value>,
) -> Result<Value, AppError> {
    let found = crate::exercises::kind(kind)
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
#[derive(Serialize)]
pub(super) struct Created {
    id: ExerciseId,
}

/// `POST /exercises`: an entry saved (201).
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
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExerciseUpdate {
    content: serde_json::Map<String, Value>,
    #[serde(default)]
    progress: i64,
    #[serde(default)]
    done: bool,
}

pub(super) async fn update_exercise(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path(id): Path<i64>,
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

pub(super) async fn delete_exercise(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .delete_exercise(session.user, ExerciseId(id))
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ticks (PUT) or unticks (DELETE) a week of an own-life plan.
pub(super) async fn set_week(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    method: Method,
    Path((id, week)): Path<(i64, String)>,
) -> Result<StatusCode, AppError> {
    let ticked = method == Method::PUT;
    api(state
        .store()
        .tick_week(session.user, ExerciseId(id), &week, ticked)
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

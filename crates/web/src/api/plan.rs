//! The action plan and its exercises in the API: plan items with their
//! status and whether they are joint, and the entries a person keeps.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiJson, api};
use crate::auth::ApiUser;
use crate::{AppError, AppState};

pub(super) async fn plan(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Value>, AppError> {
    let items = api(state
        .store()
        .plan(session.user)
        .await
        .map_err(AppError::from))?;
    let guidance = state.guidance();
    Ok(Json(json!(
        items
            .iter()
            .map(|item| {
                let strategy = guidance.strategy(&item.strategy);
                json!({
                    "id": item.id,
                    "strategy": item.strategy,
                    "title": strategy.map(|s| s.title.clone()),
                    "why": strategy.map(|s| s.why.clone()),
                    "steps": strategy.map(|s| s.steps.clone()),
                    "exercise": strategy.map(|s| s.exercise),
                    "specialised_help": strategy.is_some_and(|s| s.specialised_help),
                    "joint": strategy.is_some_and(|s| s.joint),
                    "status": item.status,
                    "reasons": item.reason,
                    "updated_unix": item.updated_unix,
                })
            })
            .collect::<Vec<_>>()
    )))
}

/// A new status.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewStatus {
    status: tandem_store::PlanStatus,
}

pub(super) async fn set_plan_status(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewStatus>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .set_plan_status(
            session.user,
            tandem_store::PlanItemId(id),
            body.status,
            crate::auth::now(),
        )
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which exercises to list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExerciseQuery {
    kind: Option<String>,
}

pub(super) async fn exercises(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    axum::extract::Query(query): axum::extract::Query<ExerciseQuery>,
) -> Result<Json<Value>, AppError> {
    let all = api(state
        .store()
        .exercises(session.user, query.kind.as_deref())
        .await
        .map_err(AppError::from))?;
    Ok(Json(json!(all)))
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
                body.plan_item.map(tandem_store::PlanItemId),
                &content,
                crate::auth::now(),
            )
            .await?;
        Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
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
        let existing = store
            .exercise(session.user, tandem_store::ExerciseId(id))
            .await?;
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
        .delete_exercise(session.user, tandem_store::ExerciseId(id))
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ticks (PUT) or unticks (DELETE) a week of an own-life plan.
pub(super) async fn set_week(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    method: axum::http::Method,
    Path((id, week)): Path<(i64, String)>,
) -> Result<StatusCode, AppError> {
    let ticked = method == axum::http::Method::PUT;
    api(state
        .store()
        .tick_week(session.user, tandem_store::ExerciseId(id), &week, ticked)
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

//! The safety screen and research consent in the API: a screen answered
//! (kept or held for the session, with its graded outcome and help), a kept
//! screen deleted, and the person's research choice read and changed.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tandem_core::answers::Answers;
use tandem_core::resources::Resources;
use tandem_core::safety::{SafetyScreen, ScreenOutcome};
use tandem_store::SafetyScreenId;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use super::administrations::{GivenAnswers, answers_from};
use super::openapi::{BadId, CsrfRefused, NotFound, SignedOut, WriteRefused};
use super::{ApiJson, ApiPath, api};
use crate::auth::ApiUser;
use crate::help::Help;
use crate::{AppError, AppState};

/// A safety screen: answers (0, 1 or "prefer_not_to_say"), and whether to keep them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Screen {
    answers: GivenAnswers,
    #[serde(default)]
    keep: bool,
}

/// The safety screen's own answers, and whether to keep them.
impl PartialSchema for Screen {
    fn schema() -> RefOr<Schema> {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(
                "keep",
                ObjectBuilder::new()
                    .schema_type(Type::Boolean)
                    .description(Some(
                        "Keep the answers; otherwise they are held for this session only.",
                    )),
            )
            .required("answers")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        if let Some(safety) = super::answers_schema::shipped("safety") {
            object = object.property("answers", super::answers_schema::answers(&safety));
        }
        object.into()
    }
}

impl ToSchema for Screen {}

/// What a screen said, and the help it calls for.
#[derive(Serialize, ToSchema)]
pub(super) struct Screened {
    outcome: ScreenOutcome,
    /// Whether a "Yes" spoke of self-harm.
    self_harm: bool,
    positive: bool,
    /// Whether the answers were kept.
    stored: bool,
    /// The kept screen's id, when kept: to delete it, or to show its
    /// result to one counsellor (`POST /grants/{id}/share-safety`).
    id: Option<i64>,
    help: Option<Help>,
    /// Help lines and crisis lines, whenever there is help to show.
    resources: Option<Resources>,
}

/// Answer the safety screen: its outcome and the help it calls for.
#[utoipa::path(
    post,
    path = "/safety",
    tag = "safety",
    security(("session" = [], "csrf" = [])),
    request_body = Screen,
    responses(
        (status = 200, description = "The outcome and the help, in reading order.", body = Screened),
        SignedOut,
        WriteRefused,
    )
)]
///
/// `POST /safety`: the outcome (clear, unclear, concern, urgent) and the
/// help it calls for, in reading order; `help` is null only when every
/// item was answered "No".
pub(super) async fn screen(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<Screen>,
) -> Result<Json<Screened>, AppError> {
    api(async {
        let instrument = state.safety();
        let mut answers = Answers::new();
        for (item, answer) in answers_from(instrument, &body.answers)? {
            if let Some(answer) = answer {
                answers
                    .set(instrument, &item, answer)
                    .map_err(|e| AppError::invalid(e.to_string()))?;
            }
        }
        let screen = SafetyScreen::from_answers(instrument, answers).map_err(AppError::internal)?;
        let kept =
            crate::pages::safety::record(&state, &session, instrument, &screen, body.keep).await?;
        let summary = screen.summary();
        let help = Help::for_screen(state.resources(), summary);
        Ok(Json(Screened {
            outcome: summary.outcome,
            self_harm: summary.self_harm,
            positive: screen.is_positive(),
            stored: body.keep,
            id: kept.map(|id| id.0),
            resources: help.is_some().then(|| state.resources().clone()),
            help,
        }))
    }
    .await)
}

/// `DELETE /safety/{id}`: one kept screen gone for good; the plan is remade.
#[utoipa::path(
    delete,
    path = "/safety/{id}",
    tag = "safety",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The kept screen.")),
    responses(
        (status = 204, description = "Deleted for good."),
        SignedOut,
        CsrfRefused,
        BadId,
        NotFound,
    )
)]
pub(super) async fn delete_screen(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .delete_safety_screen(session.user, SafetyScreenId(id))
        .await
        .map_err(AppError::from))?;
    crate::follow_up::plan_after_change(&state, &session).await;
    Ok(StatusCode::NO_CONTENT)
}

/// The research choice.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Research {
    research: bool,
}

/// Whether my answers may help research.
#[utoipa::path(
    get,
    path = "/research",
    tag = "safety",
    security(("session" = [])),
    responses((status = 200, description = "My choice.", body = Research), SignedOut)
)]
pub(super) async fn research(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Research>, AppError> {
    let research = api(state
        .store()
        .research_consent(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(Research { research }))
}

/// Give or take back consent to research use.
#[utoipa::path(
    put,
    path = "/research",
    tag = "safety",
    security(("session" = [], "csrf" = [])),
    request_body = Research,
    responses(
        (status = 200, description = "The choice, as kept.", body = Research),
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn set_research(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<Research>,
) -> Result<Json<Research>, AppError> {
    api(state
        .store()
        .set_research_consent(session.user, body.research)
        .await
        .map_err(AppError::from))?;
    crate::follow_up::estimates_soon(&state);
    Ok(Json(body))
}

//! Instruments and administrations in the API: an instrument's definition,
//! a whole administration at once, a check-in, or one begun and filled page
//! by page.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tandem_core::answers::{Answer, Answers};
use tandem_core::input::About;
use tandem_core::instrument::{Instrument, Kind};
use tandem_store::{Administration, AdministrationId, RelationshipId};
use utoipa::ToSchema;

use super::openapi::{BadId, CsrfRefused, NotFound, SignedOut, WriteRefused};
use super::{ApiJson, ApiPath, api};
use crate::auth::{ApiUser, Session};
use crate::help::Help;
use crate::{AppError, AppState};

/// An instrument's definition (rdp, checkin, safety), as shipped.
#[utoipa::path(
    get,
    path = "/instruments/{id}",
    tag = "administrations",
    params(("id" = String, Path, description = "The instrument's id: rdp, checkin or safety.", example = "rdp")),
    responses(
        (status = 200, description = "Its items, scale, facets and indices.", body = Instrument),
        NotFound,
    )
)]
pub(super) async fn instrument(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Instrument>, AppError> {
    let found = state
        .instrument(&id)
        .ok_or_else(|| AppError::not_found().api())?;
    Ok(Json(found.clone()))
}

/// An administration, with the order its items are asked in.
#[derive(Serialize, ToSchema)]
pub(super) struct AdministrationView {
    #[serde(flatten)]
    administration: Administration,
    /// Its item ids in the order to ask them. The profile has an order of
    /// its own for each administration, so two partners never see the
    /// same; `position` counts along this order.
    item_order: Vec<String>,
}

impl AdministrationView {
    fn of(state: &AppState, administration: Administration) -> Result<Self, AppError> {
        let instrument = tandem_app::situation::version_of(state.content(), &administration)?;
        let item_order = administration
            .items(instrument)
            .iter()
            .map(|item| item.id.to_string())
            .collect();
        Ok(Self {
            administration,
            item_order,
        })
    }
}

/// My administrations, oldest first.
#[utoipa::path(
    get,
    path = "/administrations",
    tag = "administrations",
    security(("session" = [])),
    responses((status = 200, description = "Every administration of mine.", body = Vec<AdministrationView>), SignedOut)
)]
pub(super) async fn administrations(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<AdministrationView>>, AppError> {
    api(async {
        let all = state.store().administrations(session.user, None).await?;
        let views = all
            .into_iter()
            .map(|administration| AdministrationView::of(&state, administration))
            .collect::<Result<_, _>>()?;
        Ok(Json(views))
    }
    .await)
}

/// Item id → answer (a scale point, a text, or an answer code); null clears.
pub(super) type GivenAnswers = serde_json::Map<String, Value>;

/// A whole administration at once.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Record {
    instrument: String,
    #[serde(default)]
    about: Option<About>,
    #[serde(default)]
    relationship: Option<RelationshipId>,
    answers: GivenAnswers,
}

/// Checks a JSON object of answers against an instrument; null clears.
pub(crate) fn answers_from(
    instrument: &Instrument,
    given: &GivenAnswers,
) -> Result<Vec<(String, Option<Answer>)>, AppError> {
    given
        .iter()
        .map(|(item, value)| {
            let answer = Answer::from_json(instrument, item, value).map_err(AppError::invalid)?;
            if let Some(answer) = &answer {
                tandem_core::answers::check_answer(instrument, item, answer)
                    .map_err(|e| AppError::invalid(e.to_string()))?;
            } else if instrument.item(item).is_none() {
                return Err(AppError::invalid(format!(
                    "`{item}` is not an item of {}",
                    instrument.id
                )));
            }
            Ok((item.clone(), answer))
        })
        .collect()
}

fn scored_instrument<'a>(state: &'a AppState, id: &str) -> Result<&'a Instrument, AppError> {
    match state.instrument(id) {
        Some(found) if found.kind != Kind::Safety => Ok(found),
        Some(_) => Err(AppError::invalid("Safety answers go to /api/v1/safety.")),
        None => Err(AppError::invalid(format!("`{id}` is not an instrument"))),
    }
}

/// A recorded administration; a check-in also says what help it calls for.
#[derive(Serialize, ToSchema)]
pub(super) struct Recorded {
    id: AdministrationId,
    administration: Administration,
    /// Check-ins only: the usual help when the person felt afraid, else null.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Help>)]
    help: Option<Option<Help>>,
}

async fn record_answers(
    state: &AppState,
    session: &Session,
    instrument: &str,
    about: &About,
    given: &GivenAnswers,
) -> Result<Response, AppError> {
    let instrument = scored_instrument(state, instrument)?;
    let mut answers = Answers::new();
    for (item, answer) in answers_from(instrument, given)? {
        if let Some(answer) = answer {
            answers
                .set(instrument, &item, answer)
                .map_err(|e| AppError::invalid(e.to_string()))?;
        }
    }
    let recorded = state
        .store()
        .record_administration(session.user, instrument, about.as_str(), &answers)
        .await?;
    let checkin = instrument.kind == Kind::Checkin;
    // A check-in that says the person felt afraid brings the help at once.
    let afraid = checkin
        && tandem_core::risk::agrees_with_any(
            instrument,
            &answers,
            tandem_core::instrument::Signal::Safety,
        );
    if checkin {
        crate::follow_up::plan_after_checkin(state, session, afraid).await;
    } else {
        crate::follow_up::plan_after_change(state, session).await;
    }
    let help = checkin.then(|| afraid.then(|| Help::usual(state.resources())));
    let body = Recorded {
        id: recorded.id,
        administration: recorded,
        help,
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Record a whole administration, checked and stored in one write.
#[utoipa::path(
    post,
    path = "/administrations",
    tag = "administrations",
    security(("session" = [], "csrf" = [])),
    request_body = Record,
    responses(
        (status = 201, description = "Recorded.", body = Recorded, links(("Results" = (operation_id = "results", parameters(("id" = "$response.body#/id")))), ("SavePage" = (operation_id = "save_answers", parameters(("id" = "$response.body#/id")))), ("Complete" = (operation_id = "complete", parameters(("id" = "$response.body#/id")))))),
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn record(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<Record>,
) -> Result<Response, AppError> {
    api(async {
        let about = super::relationships::about_for(
            state.store(),
            session.user,
            body.about.as_ref(),
            body.relationship,
        )
        .await?;
        record_answers(&state, &session, &body.instrument, &about, &body.answers).await
    }
    .await)
}

/// A check-in: answers only.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Checkin {
    answers: GivenAnswers,
}

/// Record a check-in, with help at once if I felt afraid.
#[utoipa::path(
    post,
    path = "/checkins",
    tag = "administrations",
    security(("session" = [], "csrf" = [])),
    request_body = Checkin,
    responses(
        (status = 201, description = "Recorded; `help` is null unless it is needed.", body = Recorded),
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn checkin(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<Checkin>,
) -> Result<Response, AppError> {
    api(async {
        let about =
            super::relationships::about_for(state.store(), session.user, None, None).await?;
        record_answers(&state, &session, "checkin", &about, &body.answers).await
    }
    .await)
}

/// Start an administration to fill page by page.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Open {
    instrument: String,
    #[serde(default)]
    about: Option<About>,
    #[serde(default)]
    relationship: Option<RelationshipId>,
}

/// Start an administration to fill page by page.
#[utoipa::path(
    post,
    path = "/administrations/open",
    tag = "administrations",
    security(("session" = [], "csrf" = [])),
    request_body = Open,
    responses(
        (status = 201, description = "Begun.", body = AdministrationView, links(("SavePage" = (operation_id = "save_answers", parameters(("id" = "$response.body#/id")))), ("Complete" = (operation_id = "complete", parameters(("id" = "$response.body#/id")))))),
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn open(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<Open>,
) -> Result<Response, AppError> {
    api(async {
        let instrument = scored_instrument(&state, &body.instrument)?;
        let about = super::relationships::about_for(
            state.store(),
            session.user,
            body.about.as_ref(),
            body.relationship,
        )
        .await?;
        let started = state
            .store()
            .start_administration(session.user, instrument, about.as_str())
            .await?;
        Ok((
            StatusCode::CREATED,
            Json(AdministrationView::of(&state, started)?),
        )
            .into_response())
    }
    .await)
}

/// One page of answers.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Page {
    answers: GivenAnswers,
    position: usize,
}

/// Save one page of answers, with where to resume.
#[utoipa::path(
    put,
    path = "/administrations/{id}/answers",
    tag = "administrations",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The administration.")),
    request_body = Page,
    responses(
        (status = 204, description = "Saved."),
        SignedOut,
        WriteRefused,
        NotFound,
    )
)]
pub(super) async fn save_answers(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Page>,
) -> Result<StatusCode, AppError> {
    api(async {
        let administration = state
            .store()
            .administration(session.user, AdministrationId(id))
            .await?;
        scored_instrument(&state, &administration.instrument)?;
        // Answered with the version it was begun with.
        let instrument = tandem_app::situation::version_of(state.content(), &administration)?;
        let page = answers_from(instrument, &body.answers)?;
        state
            .store()
            .save_page(
                session.user,
                instrument,
                administration.id,
                &page,
                body.position.min(instrument.items.len()),
            )
            .await?;
        Ok(StatusCode::NO_CONTENT)
    }
    .await)
}

/// Finish an administration.
#[utoipa::path(
    post,
    path = "/administrations/{id}/complete",
    tag = "administrations",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The administration.")),
    responses(
        (status = 204, description = "Finished."),
        (status = 404, description = "No unfinished administration of mine has this id: one already finished is not found either.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        CsrfRefused,
        BadId,
    )
)]
pub(super) async fn complete(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    let finish = async {
        let id = AdministrationId(id);
        let administration = state.store().administration(session.user, id).await?;
        let version = tandem_app::situation::version_of(state.content(), &administration)?;
        state
            .store()
            .complete_administration(session.user, version, id)
            .await?;
        Ok::<_, AppError>(())
    };
    api(finish.await)?;
    crate::follow_up::plan_after_change(&state, &session).await;
    Ok(StatusCode::NO_CONTENT)
}

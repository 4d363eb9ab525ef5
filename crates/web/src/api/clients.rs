//! The counsellor's side of grants in the API: take a client's code, list
//! clients with who needs attention first, read one client's results
//! within the scope (with reliable and clinically significant change, the
//! safety result they chose to show, and their map, plan and exercises
//! where shared), and export them as CSV. Every read goes through a grant
//! the store checks again, and is written to the client's log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tandem_app::caseload::{self, ClientView, ScoreTrend, TrendPoint};
use tandem_app::estimates::Reliability;
use tandem_core::attention::{Alert, Reason};
use tandem_core::dates::rfc3339_of;
use tandem_store::shares::{Scope, SharedAdministration};
use tandem_store::{RelationshipId, ShareId, StoreError};
use utoipa::ToSchema;

use super::openapi::{BadId, NotFound, SignedOut, Throttled, WriteRefused};
use super::{ApiJson, ApiPath, api};
use crate::auth::counsellor::counsellor;
use crate::auth::flows::guess_code;
use crate::auth::{ApiUser, Client, now};
use crate::{AppError, AppState};

/// Taking a client's code.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AcceptGrant {
    /// The code the client gave.
    code: String,
}

/// A client just taken on.
#[derive(Serialize, ToSchema)]
pub(super) struct Accepted {
    /// The client's id for me: the grant's, never their user id.
    id: i64,
}

/// Which published rule holds for a client, and why.
#[derive(Serialize, ToSchema)]
pub(super) struct Attention {
    /// `red`, `amber`, `grey` or `green`.
    alert: Alert,
    /// Why.
    reason: Reason,
    /// The rule in plain words, as the caseload page publishes it.
    rule: &'static str,
}

/// One client on my caseload.
#[derive(Serialize, ToSchema)]
pub(super) struct ClientSummary {
    /// The client's id for me: the grant's.
    id: i64,
    /// Their user name.
    name: String,
    /// Who needs attention first.
    attention: Attention,
    /// What they share.
    scope: Scope,
    /// Since when.
    since: String,
    /// Until when, if they set an end.
    expires_at: Option<String>,
    /// Their latest profile's index scores, when they share them.
    latest: Option<LatestProfile>,
}

/// The latest profile a client shared.
#[derive(Serialize, ToSchema)]
pub(super) struct LatestProfile {
    /// When it was finished.
    at: String,
    /// Index scores by id.
    indices: std::collections::BTreeMap<String, f64>,
}

/// One client's results, within what they share.
#[derive(Serialize, ToSchema)]
pub(super) struct ClientResults {
    /// The client's id for me.
    id: i64,
    /// Their user name.
    name: String,
    /// What they share.
    scope: Scope,
    /// Which published rule holds.
    attention: Attention,
    /// What the Reliable Change Index rests on.
    reliability: Reliability,
    /// The relationship followed: that of the latest profile.
    #[schema(value_type = Option<i64>)]
    relationship: Option<RelationshipId>,
    /// Each index over time, with its change from the first measure to
    /// the latest (`change.rci`) and Jacobson & Truax's verdict
    /// (`clinical.outcome`, `clinical.cutoff`).
    indices: Vec<ScoreTrend>,
    /// Each facet, the same way, when facets are shared.
    facets: Vec<ScoreTrend>,
    /// The weekly pulse over time, when check-ins are shared.
    pulse: Vec<TrendPoint>,
    /// Every administration shared, oldest first.
    administrations: Vec<SharedAdministration>,
    /// The one safety check result the client chose to show me, if they
    /// did: its outcome, never its answers.
    safety: Option<super::safety_share::SharedSafety>,
    /// The people on the client's support map, with how each of them and
    /// the client lean on each other, when the grant shares the map.
    #[schema(value_type = Option<Vec<Object>>)]
    support_map: Option<Vec<tandem_core::network::Supporter>>,
    /// The steps of the client's plans, when the grant shares the plan
    /// (never a step that safety answers shaped).
    plan: Option<Vec<tandem_store::shares::SharedStep>>,
    /// The client's exercises (never the journal), with what they wrote
    /// only when the grant shares exercise texts.
    exercises: Option<Vec<tandem_store::shares::SharedExercise>>,
}

impl From<&ClientView> for Attention {
    fn from(view: &ClientView) -> Self {
        Self {
            alert: view.rule.alert,
            reason: view.rule.reason,
            rule: view.rule.text,
        }
    }
}

impl From<&ClientView> for ClientSummary {
    fn from(view: &ClientView) -> Self {
        let latest = view
            .administrations
            .iter()
            .rev()
            .find(|a| a.instrument == "rdp" && a.indices.is_some())
            .map(|a| LatestProfile {
                at: a.completed_at.clone(),
                indices: a.indices.clone().unwrap_or_default(),
            });
        Self {
            id: view.client.share.0,
            name: view.client.name.clone(),
            attention: view.into(),
            scope: view.client.scope.clone(),
            since: rfc3339_of(view.client.since_unix),
            expires_at: view.client.expires_unix.map(rfc3339_of),
            latest,
        }
    }
}

/// Take a client's code (approved counsellors only).
#[utoipa::path(
    post,
    path = "/grants/accept",
    tag = "counsellors",
    security(("session" = [], "csrf" = [])),
    request_body = AcceptGrant,
    responses(
        (status = 201, description = "The client is on my caseload.", body = Accepted),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        (status = 409, description = "This counsellor account is not approved yet.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        WriteRefused,
        Throttled,
    )
)]
pub(super) async fn accept_grant(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    client: Client,
    ApiJson(body): ApiJson<AcceptGrant>,
) -> Result<Response, AppError> {
    api(counsellor(&state, &session).await)?;
    let attempt = caseload::accept(state.store(), session.user, &body.code, now());
    let outcome = api(guess_code(&state, "grant", &session, &client, attempt).await)?;
    let id = api(outcome.map_err(AppError::from))?;
    Ok((StatusCode::CREATED, Json(Accepted { id: id.0 })).into_response())
}

/// My clients, who needs attention first.
#[utoipa::path(
    get,
    path = "/clients",
    tag = "counsellors",
    security(("session" = [])),
    responses(
        (status = 200, description = "Each client with what they share, red first, then amber, grey, green.", body = Vec<ClientSummary>),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
    )
)]
pub(super) async fn clients(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<ClientSummary>>, AppError> {
    api(counsellor(&state, &session).await)?;
    let views = api(
        caseload::caseload(state.store(), state.content(), session.user, now())
            .await
            .map_err(AppError::from),
    )?;
    Ok(Json(views.iter().map(ClientSummary::from).collect()))
}

/// One client's results within what they share, with reliable and
/// clinically significant change.
#[utoipa::path(
    get,
    path = "/clients/{id}/results",
    tag = "counsellors",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The client's id for me.")),
    responses(
        (status = 200, description = "Within the scope the client chose.", body = ClientResults),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        NotFound,
        BadId,
        SignedOut,
    )
)]
pub(super) async fn client_results(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ClientResults>, AppError> {
    api(counsellor(&state, &session).await)?;
    let view = api(caseload::client_view(
        state.store(),
        state.content(),
        session.user,
        ShareId(id),
        now(),
    )
    .await
    .map_err(AppError::from))?;
    let attention = Attention::from(&view);
    Ok(Json(ClientResults {
        id: view.client.share.0,
        name: view.client.name,
        scope: view.client.scope,
        attention,
        reliability: view.reliability,
        relationship: view.relationship,
        indices: view.indices,
        facets: view.facets,
        pulse: view.pulse,
        administrations: view.administrations,
        safety: view.safety.map(Into::into),
        support_map: view.work.support_map,
        plan: view.work.plan,
        exercises: view.work.exercises,
    }))
}

/// Which instrument's CSV.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub(super) struct CsvQuery {
    /// `rdp` or `checkin`.
    instrument: Option<String>,
}

/// One client's shared results of one instrument as CSV: a row per
/// administration, a column per score and item the grant shows.
#[utoipa::path(
    get,
    path = "/clients/{id}/export",
    tag = "counsellors",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The client's id for me."), CsvQuery),
    responses(
        (status = 200, description = "The CSV (a header row, then a row per administration, oldest first).", content_type = "text/csv", body = String),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such instrument to export.", body = super::openapi::Problem, content_type = "application/problem+json"),
        NotFound,
        BadId,
        SignedOut,
    )
)]
pub(super) async fn client_export(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    super::ApiQuery(query): super::ApiQuery<CsvQuery>,
) -> Result<Response, AppError> {
    api(counsellor(&state, &session).await)?;
    let instrument = query.instrument.unwrap_or_default();
    let known = state
        .content()
        .instrument(&instrument)
        .is_some_and(|i| i.kind != tandem_core::instrument::Kind::Safety);
    if !known {
        return Err(AppError::from(StoreError::invalid(
            "instrument",
            "There is no such instrument to export.",
        ))
        .api());
    }
    let view = api(caseload::client_view(
        state.store(),
        state.content(),
        session.user,
        ShareId(id),
        now(),
    )
    .await
    .map_err(AppError::from))?;
    let text =
        api(
            tandem_app::caseload_csv::csv_of(state.content(), &view.administrations, &instrument)
                .map_err(AppError::from),
        )?;
    let name = format!("attachment; filename=\"client-{id}-{instrument}.csv\"");
    let disposition = axum::http::HeaderValue::from_str(&name).map_err(AppError::internal)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}

//! The support map in the API: the people a person leans on, adding and
//! removing them, and the map's metrics and flags.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tandem_core::input::PersonName;
use tandem_core::network::{
    Domain, DomainMetrics, Flag, Level, Reciprocity, Role, SupportMap, Supporter, analyse,
};
use tandem_store::SupporterId;
use utoipa::ToSchema;

use super::openapi::{BadId, CsrfRefused, NotFound, SignedOut, WriteRefused};
use super::{ApiJson, ApiPath, api};
use crate::auth::ApiUser;
use crate::{AppError, AppState};

/// One person on the map, with the id to remove them by.
#[derive(Serialize, ToSchema)]
pub(crate) struct Person {
    id: SupporterId,
    person: Supporter,
}

/// Every person on the map, with their ids.
pub(crate) fn listed(people: Vec<(SupporterId, Supporter)>) -> Vec<Person> {
    people
        .into_iter()
        .map(|(id, person)| Person { id, person })
        .collect()
}

/// My support map.
#[utoipa::path(
    get,
    path = "/people",
    tag = "people",
    security(("session" = [])),
    responses((status = 200, description = "Everyone on my map.", body = Vec<Person>), SignedOut)
)]
pub(super) async fn people(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<Person>>, AppError> {
    let people = api(state
        .store()
        .support_map(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(listed(people)))
}

/// A person for the support map.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewPerson {
    /// A name or nickname: 1 to 80 characters that can be seen, with no
    /// direction controls.
    #[schema(value_type = String, min_length = 1, max_length = 80)]
    name: PersonName,
    role: Role,
    #[serde(default)]
    leans_on: BTreeMap<Domain, Level>,
    #[serde(default)]
    leans_back: BTreeMap<Domain, Level>,
}

/// Add a person to my map.
#[utoipa::path(
    post,
    path = "/people",
    tag = "people",
    security(("session" = [], "csrf" = [])),
    request_body = NewPerson,
    responses(
        (status = 201, description = "Added.", body = Person, links(("RemovePerson" = (operation_id = "remove_person", parameters(("id" = "$response.body#/id")))))),
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn add_person(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<NewPerson>,
) -> Result<Response, AppError> {
    let mut supporter = Supporter::new(body.name.as_str(), body.role);
    supporter.leans_on = body.leans_on;
    supporter.leans_back = body.leans_back;
    let id = api(state
        .store()
        .add_supporter(session.user, &supporter)
        .await
        .map_err(AppError::from))?;
    let body = Person {
        id,
        person: supporter,
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Remove a person from my map.
#[utoipa::path(
    delete,
    path = "/people/{id}",
    tag = "people",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The person.")),
    responses(
        (status = 204, description = "Removed."),
        SignedOut,
        CsrfRefused,
        BadId,
        NotFound,
    )
)]
pub(super) async fn remove_person(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .remove_supporter(session.user, SupporterId(id))
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A flag with its words.
#[derive(Serialize, ToSchema)]
pub(super) struct FlagView {
    flag: Flag,
    message: String,
}

/// The map's metrics.
#[derive(Serialize, ToSchema)]
pub(super) struct Metrics {
    domains: Vec<DomainMetrics>,
    reciprocity: Vec<Reciprocity>,
    flags: Vec<FlagView>,
}

/// My map's metrics: per-domain spread, reciprocity and flags.
#[utoipa::path(
    get,
    path = "/people/metrics",
    tag = "people",
    security(("session" = [])),
    responses((status = 200, description = "The metrics.", body = Metrics), SignedOut)
)]
pub(super) async fn people_metrics(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Metrics>, AppError> {
    let people = api(state
        .store()
        .support_map(session.user)
        .await
        .map_err(AppError::from))?;
    let report = analyse(&SupportMap {
        people: people.into_iter().map(|(_, p)| p).collect(),
    });
    let flags = report
        .flags
        .iter()
        .map(|f| FlagView {
            flag: f.clone(),
            message: f.message(),
        })
        .collect();
    Ok(Json(Metrics {
        domains: report.domains,
        reciprocity: report.reciprocity,
        flags,
    }))
}

//! The JSON API under `/api/v1`: everything the pages do, with problem
//! objects (RFC 9457) for errors and an OpenAPI description.

mod openapi;
mod plan;
mod safety;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tandem_core::answers::{Answer, Answers};
use tandem_core::input::{About, PersonName};
use tandem_core::instrument::Kind;
use tandem_core::network::{Domain, Level, Role, SupportMap, Supporter, analyse};
use tandem_store::{AdministrationId, SupporterId, UserId};

use crate::auth::{ApiUser, Client, MaybeUser, Session, cleared_cookie, flows, session_cookie};
use crate::results::rdp_results;
use crate::{AppError, AppState};

pub use openapi::ROUTES;

/// Every API route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/accounts", post(create_account))
        .route("/session", post(create_session).delete(end_session))
        .route("/instruments/{id}", get(instrument))
        .route("/administrations", get(administrations).post(record))
        .route("/administrations/open", post(open))
        .route("/administrations/{id}/answers", put(save_answers))
        .route("/administrations/{id}/complete", post(complete))
        .route("/results/latest", get(latest_results))
        .route("/results/{id}", get(results))
        .route("/checkins", post(checkin))
        .route("/people", get(people).post(add_person))
        .route("/people/{id}", delete(remove_person))
        .route("/people/metrics", get(people_metrics))
        .route("/safety", post(safety::screen))
        .route("/safety/{id}", delete(safety::delete_screen))
        .route("/research", get(safety::research).put(safety::set_research))
        .route("/export", get(export))
        .route("/account", delete(delete_account))
        .route("/account/password", put(change_password))
        .route("/sessions", get(sessions))
        .route("/sessions/end-others", post(end_other_sessions))
        .route("/plan", get(plan::plan))
        .route("/plan/{id}", put(plan::set_plan_status))
        .route("/exercises", get(plan::exercises).post(plan::add_exercise))
        .route(
            "/exercises/{id}",
            put(plan::update_exercise).delete(plan::delete_exercise),
        )
        .route(
            "/exercises/{id}/weeks/{week}",
            put(plan::set_week).delete(plan::set_week),
        )
        .fallback(|| async { AppError::not_found().api() })
}

/// JSON in, with refusals as problem objects: wrong content type (415),
/// malformed or unknown fields (400/422), oversized (413).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => {
                    AppError::unsupported("Send JSON with Content-Type: application/json.")
                }
                JsonRejection::JsonDataError(e) => AppError::invalid(e.body_text()),
                JsonRejection::JsonSyntaxError(e) => AppError::bad_request(e.body_text()),
                JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    AppError::too_large()
                }
                other => AppError::bad_request(other.body_text()),
            }
            .api()),
        }
    }
}

fn api<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    result.map_err(AppError::api)
}

/// Name and password.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    name: String,
    password: String,
}

fn with_cookie(state: &AppState, status: StatusCode, token: &str, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(state.config().secure_cookies, token),
    );
    response
}

async fn create_account(
    State(state): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<Response, AppError> {
    let started =
        api(flows::sign_up(&state, &client, &body.name, &body.password, &body.password).await)?;
    Ok(with_cookie(
        &state,
        StatusCode::CREATED,
        &started.token,
        json!({ "user": started.user, "csrf_token": started.csrf_token }),
    ))
}

async fn create_session(
    State(state): State<AppState>,
    client: Client,
    MaybeUser(previous): MaybeUser,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<Response, AppError> {
    let started = api(flows::sign_in(
        &state,
        &client,
        &body.name,
        &body.password,
        previous.as_ref(),
    )
    .await)?;
    Ok(with_cookie(
        &state,
        StatusCode::OK,
        &started.token,
        json!({ "user": started.user, "csrf_token": started.csrf_token }),
    ))
}

async fn end_session(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Response, AppError> {
    api(state
        .store()
        .end_session(&session.token)
        .await
        .map_err(AppError::from))?;
    crate::plan::forget_held(&state, session.user).await;
    Ok(signed_out(&state))
}

/// 204 for a sign-out or a deletion: the cookie cleared, and the browser
/// told to forget everything of this site, as the pages do.
fn signed_out(state: &AppState) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::SET_COOKIE,
        cleared_cookie(state.config().secure_cookies),
    );
    headers.insert(
        "clear-site-data",
        axum::http::HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    response
}

async fn instrument(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let found = state
        .instrument(&id)
        .ok_or_else(|| AppError::not_found().api())?;
    Ok(Json(
        serde_json::to_value(found).map_err(|e| AppError::internal(e).api())?,
    ))
}

async fn administrations(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Value>, AppError> {
    let all = api(state
        .store()
        .administrations(session.user, None)
        .await
        .map_err(AppError::from))?;
    Ok(Json(json!(all)))
}

/// A whole administration at once.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    instrument: String,
    #[serde(default)]
    about: About,
    answers: serde_json::Map<String, Value>,
}

/// Checks a JSON object of answers against an instrument; null clears.
pub(crate) fn answers_from(
    instrument: &tandem_core::instrument::Instrument,
    given: &serde_json::Map<String, Value>,
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

fn scored_instrument<'a>(
    state: &'a AppState,
    id: &str,
) -> Result<&'a tandem_core::instrument::Instrument, AppError> {
    match state.instrument(id) {
        Some(found) if found.kind != Kind::Safety => Ok(found),
        Some(_) => Err(AppError::invalid("Safety answers go to /api/v1/safety.")),
        None => Err(AppError::invalid(format!("`{id}` is not an instrument"))),
    }
}

async fn record_answers(
    state: &AppState,
    session: &Session,
    instrument: &str,
    about: &About,
    given: &serde_json::Map<String, Value>,
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
    // A check-in that says the person felt afraid brings the help at once.
    let afraid = instrument.kind == Kind::Checkin
        && tandem_core::risk::agrees_with_any(
            instrument,
            &answers,
            tandem_core::instrument::Signal::Safety,
        );
    if instrument.kind == Kind::Checkin {
        crate::plan::refresh_after_checkin(state, session, afraid).await;
    } else {
        crate::plan::refresh_after_change(state, session).await;
    }
    let help = afraid.then(|| crate::help::Help::usual(state.resources()));
    let mut body = json!({ "id": recorded.id, "administration": recorded });
    if instrument.kind == Kind::Checkin {
        body["help"] = json!(help);
    }
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn record(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<Record>,
) -> Result<Response, AppError> {
    api(record_answers(
        &state,
        &session,
        &body.instrument,
        &body.about,
        &body.answers,
    )
    .await)
}

/// A check-in: answers only.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Checkin {
    answers: serde_json::Map<String, Value>,
}

async fn checkin(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<Checkin>,
) -> Result<Response, AppError> {
    api(record_answers(
        &state,
        &session,
        "checkin",
        &About::my_partner(),
        &body.answers,
    )
    .await)
}

/// Start an administration to fill page by page.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Open {
    instrument: String,
    #[serde(default)]
    about: About,
}

async fn open(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<Open>,
) -> Result<Response, AppError> {
    api(async {
        let instrument = scored_instrument(&state, &body.instrument)?;
        let started = state
            .store()
            .start_administration(session.user, instrument, body.about.as_str())
            .await?;
        Ok((StatusCode::CREATED, Json(json!(started))).into_response())
    }
    .await)
}

/// One page of answers.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Page {
    answers: serde_json::Map<String, Value>,
    position: usize,
}

async fn save_answers(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<Page>,
) -> Result<StatusCode, AppError> {
    api(async {
        let administration = state
            .store()
            .administration(session.user, AdministrationId(id))
            .await?;
        scored_instrument(&state, &administration.instrument)?;
        // Answered with the version it was begun with.
        let instrument = crate::situation::version_of(state.content(), &administration)?;
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

async fn complete(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .complete_administration(session.user, AdministrationId(id))
        .await
        .map_err(AppError::from))?;
    crate::plan::refresh_after_change(&state, &session).await;
    Ok(StatusCode::NO_CONTENT)
}

fn results_json(results: crate::results::Results) -> Value {
    let reliability = match results.estimated_from {
        Some(n) => json!({ "source": "estimated", "administrations": n }),
        None => json!({ "source": "none" }),
    };
    json!({
        "reliability": reliability,
        "instrument": "rdp",
        "administration": results.administration.id,
        "completed_at": results.administration.completed_at,
        "facets": results.scores.facets,
        "indices": results.scores.indices,
        "profile": results.profile,
        "change": results.change.map(|(earlier, changes)| json!({ "since": earlier.id, "indices": changes })),
    })
}

async fn latest_results(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Value>, AppError> {
    let results = api(rdp_results(
        state.store(),
        state.content(),
        session.user,
        None,
        crate::situation::held(&state, &session).await?,
    )
    .await)?
    .ok_or_else(|| AppError::not_found().api())?;
    Ok(Json(results_json(results)))
}

async fn results(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let results = api(rdp_results(
        state.store(),
        state.content(),
        session.user,
        Some(AdministrationId(id)),
        crate::situation::held(&state, &session).await?,
    )
    .await)?
    .ok_or_else(|| AppError::not_found().api())?;
    Ok(Json(results_json(results)))
}

async fn people(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Value>, AppError> {
    let people = api(state
        .store()
        .support_map(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(json!(
        people
            .iter()
            .map(|(id, p)| json!({ "id": id, "person": p }))
            .collect::<Vec<_>>()
    )))
}

/// A person for the support map.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewPerson {
    name: PersonName,
    role: Role,
    #[serde(default)]
    leans_on: std::collections::BTreeMap<Domain, Level>,
    #[serde(default)]
    leans_back: std::collections::BTreeMap<Domain, Level>,
}

async fn add_person(
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
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "person": supporter })),
    )
        .into_response())
}

async fn remove_person(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .remove_supporter(session.user, SupporterId(id))
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn people_metrics(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Value>, AppError> {
    let people = api(state
        .store()
        .support_map(session.user)
        .await
        .map_err(AppError::from))?;
    let report = analyse(&SupportMap {
        people: people.into_iter().map(|(_, p)| p).collect(),
    });
    let flags: Vec<Value> = report
        .flags
        .iter()
        .map(|f| json!({ "flag": f, "message": f.message() }))
        .collect();
    Ok(Json(
        json!({ "domains": report.domains, "reciprocity": report.reciprocity, "flags": flags }),
    ))
}

/// Everything of one person's, for their own download.
pub async fn export_of(state: &AppState, user: UserId) -> Result<Value, AppError> {
    let store = state.store();
    let mut administrations = Vec::new();
    for administration in store.administrations(user, None).await? {
        // Each read with the version it was taken with, so old answers read as they were given.
        let instrument = crate::situation::version_of(state.content(), &administration)?;
        let answers = store.answers(user, instrument, administration.id).await?;
        administrations.push(json!({ "administration": administration, "answers": answers }));
    }
    let people = store.support_map(user).await?;
    Ok(json!({
        "format": "tandem-export",
        "version": 1,
        "user": store.user_name(user).await?,
        "administrations": administrations,
        "people": people.iter().map(|(id, p)| json!({ "id": id, "person": p })).collect::<Vec<_>>(),
        "safety_screens": store.safety_screens(user).await?,
    }))
}

async fn export(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Value>, AppError> {
    Ok(Json(api(export_of(&state, session.user).await)?))
}

/// Current and new password.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewPassword {
    current: String,
    password: String,
}

async fn change_password(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<NewPassword>,
) -> Result<StatusCode, AppError> {
    api(flows::change_password(
        &state,
        session.user,
        &session.token,
        &body.current,
        &body.password,
        &body.password,
    )
    .await)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The password, to confirm a deletion.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Confirm {
    password: String,
}

async fn delete_account(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<Confirm>,
) -> Result<Response, AppError> {
    api(async {
        if !flows::password_matches(&state, session.user, &body.password).await? {
            return Err(AppError::bad_credentials(
                "That password is not right, so nothing was deleted.",
            ));
        }
        state.store().delete_account(session.user).await?;
        Ok(signed_out(&state))
    }
    .await)
}

async fn sessions(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Value>, AppError> {
    let current = tandem_store::token_hash_hex(&session.token);
    let all = api(state
        .store()
        .sessions_of(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(json!(
        all.iter()
            .map(|s| json!({
                "id": s.token_hash_hex,
                "label": s.label,
                "created_unix": s.created_unix,
                "last_seen_unix": s.last_seen_unix,
                "current": s.token_hash_hex == current,
            }))
            .collect::<Vec<_>>()
    )))
}

async fn end_other_sessions(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Value>, AppError> {
    let ended = api(state
        .store()
        .end_other_sessions(session.user, &session.token)
        .await
        .map_err(AppError::from))?;
    Ok(Json(json!({ "ended": ended })))
}

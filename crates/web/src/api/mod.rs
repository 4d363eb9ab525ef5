//! The JSON API under `/api/v1`: everything the pages do, with problem
//! objects (RFC 9457) for errors and an OpenAPI description. One module
//! per resource; this one holds the router and the JSON extractor.

mod account;
mod administrations;
mod exercises;
mod export;
mod openapi;
mod people;
mod plan;
mod results;
mod safety;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::de::DeserializeOwned;

use crate::{AppError, AppState};

pub(crate) use export::export_of;
pub use openapi::ROUTES;

/// Every API route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/accounts", post(account::create_account))
        .route(
            "/session",
            post(account::create_session).delete(account::end_session),
        )
        .route("/instruments/{id}", get(administrations::instrument))
        .route(
            "/administrations",
            get(administrations::administrations).post(administrations::record),
        )
        .route("/administrations/open", post(administrations::open))
        .route(
            "/administrations/{id}/answers",
            put(administrations::save_answers),
        )
        .route(
            "/administrations/{id}/complete",
            post(administrations::complete),
        )
        .route("/results/latest", get(results::latest_results))
        .route("/results/{id}", get(results::results))
        .route("/checkins", post(administrations::checkin))
        .route("/people", get(people::people).post(people::add_person))
        .route("/people/{id}", delete(people::remove_person))
        .route("/people/metrics", get(people::people_metrics))
        .route("/safety", post(safety::screen))
        .route("/safety/{id}", delete(safety::delete_screen))
        .route("/research", get(safety::research).put(safety::set_research))
        .route("/export", get(export::export))
        .route("/account", delete(account::delete_account))
        .route("/account/password", put(account::change_password))
        .route("/sessions", get(account::sessions))
        .route("/sessions/end-others", post(account::end_other_sessions))
        .route("/plan", get(plan::plan))
        .route("/plan/{id}", put(plan::set_plan_status))
        .route(
            "/exercises",
            get(exercises::exercises).post(exercises::add_exercise),
        )
        .route(
            "/exercises/{id}",
            put(exercises::update_exercise).delete(exercises::delete_exercise),
        )
        .route(
            "/exercises/{id}/weeks/{week}",
            put(exercises::set_week).delete(exercises::set_week),
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

/// Marks an error as the API's, so it answers with a problem object.
fn api<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    result.map_err(AppError::api)
}

//! The JSON API under `/api/v1`: everything the pages do, with problem
//! objects (RFC 9457) for errors and an OpenAPI description. One module
//! per resource; this one holds the router and the JSON extractor.

mod account;
mod administrations;
mod answers_schema;
mod clients;
mod counsel;
mod exercises;
mod export;
mod grants;
mod guessing;
mod links;
mod openapi;
mod passkeys;
mod people;
mod plan;
mod recovery;
mod relationships;
mod results;
mod safety;
mod safety_share;
mod us;

use std::sync::OnceLock;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::{AppError, AppState};

pub(crate) use export::export_of;
pub use openapi::ROUTES;

/// Every API route, nested under `/api/v1`, with its fallback 404.
pub fn routes() -> Router<AppState> {
    built().0.clone()
}

/// The router and its document, made once: generating every schema takes
/// milliseconds, and tests build many apps.
fn built() -> &'static (Router<AppState>, utoipa::openapi::OpenApi) {
    static BUILT: OnceLock<(Router<AppState>, utoipa::openapi::OpenApi)> = OnceLock::new();
    BUILT.get_or_init(build)
}

/// The router and its document, from the same `#[utoipa::path]`
/// attributes: a handler is routed only through `routes!`, so only with
/// its description.
fn build() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let api = OpenApiRouter::new()
        .routes(routes!(openapi::document))
        .routes(routes!(account::create_account))
        .routes(routes!(account::create_session, account::end_session))
        .routes(routes!(recovery::recover))
        .routes(routes!(recovery::codes_left, recovery::renew))
        .routes(routes!(administrations::instrument))
        .routes(routes!(
            administrations::administrations,
            administrations::record
        ))
        .routes(routes!(administrations::open))
        .routes(routes!(administrations::save_answers))
        .routes(routes!(administrations::complete))
        .routes(routes!(results::latest_results))
        .routes(routes!(results::results))
        .routes(routes!(administrations::checkin))
        .routes(routes!(people::people, people::add_person))
        .routes(routes!(people::remove_person))
        .routes(routes!(people::people_metrics))
        .routes(routes!(
            relationships::relationships,
            relationships::add_relationship
        ))
        .routes(routes!(links::links, links::create_link))
        .routes(routes!(links::accept_link))
        .routes(routes!(links::unlink))
        .routes(routes!(links::set_sharing))
        .routes(routes!(links::mark_item))
        .routes(routes!(links::comparison))
        .routes(routes!(guessing::set_guessing))
        .routes(routes!(guessing::guesses, guessing::save_guesses))
        .routes(routes!(us::us_form, us::save_us))
        .routes(routes!(safety::screen))
        .routes(routes!(safety::delete_screen))
        .routes(routes!(safety::research, safety::set_research))
        .routes(routes!(export::export))
        .routes(routes!(grants::grants, grants::create_grant))
        .routes(routes!(grants::revoke_grant))
        .routes(routes!(safety_share::share_safety))
        .routes(routes!(clients::accept_grant))
        .routes(routes!(clients::clients))
        .routes(routes!(clients::client_results))
        .routes(routes!(clients::client_export))
        .routes(routes!(counsel::client_assignments, counsel::assign))
        .routes(routes!(counsel::client_notes, counsel::add_note))
        .routes(routes!(counsel::my_notes))
        .routes(routes!(counsel::delete_note))
        .routes(routes!(counsel::my_assignments))
        .routes(routes!(counsel::decline))
        .routes(routes!(counsel::shared_with_me))
        .routes(routes!(grants::access_log))
        .routes(routes!(grants::audit_log))
        .routes(routes!(passkeys::passkey_options))
        .routes(routes!(passkeys::list_passkeys, passkeys::add_passkey))
        .routes(routes!(passkeys::remove_passkey))
        .routes(routes!(passkeys::sign_in_options))
        .routes(routes!(passkeys::sign_in_with_passkey))
        .routes(routes!(account::delete_account))
        .routes(routes!(account::change_password))
        .routes(routes!(account::time_zone, account::set_time_zone))
        .routes(routes!(account::sessions))
        .routes(routes!(account::end_other_sessions))
        .routes(routes!(plan::plan))
        .routes(routes!(plan::set_plan_status))
        .routes(routes!(exercises::exercises, exercises::add_exercise))
        .routes(routes!(
            exercises::update_exercise,
            exercises::delete_exercise
        ))
        .routes(routes!(exercises::tick_week, exercises::untick_week))
        .routes(routes!(exercises::set_shown))
        .fallback(|| async { AppError::not_found().api() });
    let (router, doc) = OpenApiRouter::new().nest("/api/v1", api).split_for_parts();
    (router, doc)
}

/// A path parameter, refused with a problem object (400) when it does not
/// parse, as every other API refusal is.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => Err(AppError::bad_request(rejection.body_text()).api()),
        }
    }
}

/// A query string, refused with a problem object (400) when it does not fit.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(AppError::bad_request(rejection.body_text()).api()),
        }
    }
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

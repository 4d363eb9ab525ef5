//! One error type for every handler: a clear 4xx for the person, an opaque
//! 5xx with the cause logged (never answers or text, only the error).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use tandem_store::StoreError;

use crate::auth::ReturnTo;
use crate::view;

/// How long a client waits before trying again after a 503 for an outage.
const UNAVAILABLE_RETRY_SECS: i64 = 5;

/// What went wrong, and whether to answer in HTML or JSON.
#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    message: String,
    api: bool,
    /// For pages: a person who must sign in is sent to the sign-in page,
    /// carrying the page they asked for when there was a safe one.
    sign_in: Option<Option<ReturnTo>>,
    /// Seconds to wait before trying again, sent as `Retry-After`.
    retry_after: Option<i64>,
    /// The value that does not fit, named in an API answer's `field`.
    field: Option<String>,
}

impl AppError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            api: false,
            sign_in: None,
            retry_after: None,
            field: None,
        }
    }

    /// 429 with `Retry-After`: too many attempts; try again after `seconds`.
    pub fn throttled(seconds: i64) -> Self {
        let seconds = seconds.max(1);
        let wait = if seconds < 120 {
            format!("{seconds} seconds")
        } else {
            format!("{} minutes", (seconds + 59) / 60)
        };
        Self {
            retry_after: Some(seconds),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("Too many tries. Please wait {wait} before you try again."),
            )
        }
    }

    /// 503 with `Retry-After`: busy for a moment (every password worker is
    /// taken and the queue is full).
    pub fn busy() -> Self {
        Self {
            retry_after: Some(1),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Many people are signing in right now. Please try again in a moment.",
            )
        }
    }

    /// 503 with `Retry-After`: the database is away or busy for a moment.
    /// Nothing of the request was kept; the cause is logged (the driver's
    /// words never reach the person).
    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        tracing::warn!(%cause, "the database is not available");
        Self {
            retry_after: Some(UNAVAILABLE_RETRY_SECS),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "We cannot reach our records just now, so nothing on this page was saved. Please try again in a moment.",
            )
        }
    }

    /// 401: these credentials do not fit (no redirect; the form says why).
    pub fn bad_credentials(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    /// Seconds to wait, when the refusal is a throttle.
    pub fn retry_after(&self) -> Option<i64> {
        self.retry_after
    }

    /// 400: the request does not fit.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 422: well formed, but a value does not fit.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 403: refused (for example, no CSRF token).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 404: not there, or not yours; the two look the same.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "There is nothing here.")
    }

    /// 413: the body is larger than any honest request.
    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "That was more than this page accepts.",
        )
    }

    /// 415: the body is not in a type we read.
    pub fn unsupported(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, message)
    }

    /// 409: a conflict such as a taken name.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// 429: too many tries.
    pub fn too_many(message: impl Into<String>) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, message)
    }

    /// 401: a session is needed (a page answers with the sign-in page).
    pub fn unauthenticated() -> Self {
        Self::unauthenticated_from(None)
    }

    /// 401 as [`unauthenticated`](Self::unauthenticated), remembering the
    /// page asked for, so sign-in returns there.
    pub fn unauthenticated_from(next: Option<ReturnTo>) -> Self {
        Self {
            sign_in: Some(next),
            ..Self::new(StatusCode::UNAUTHORIZED, "Please sign in first.")
        }
    }

    /// 507: the server's storage is full, so nothing was saved; the same
    /// request can succeed once the operator frees space. Logged, since only
    /// the operator can act on it.
    pub fn storage_full() -> Self {
        tracing::error!("a write failed: the storage holding the database is full");
        Self::new(
            StatusCode::INSUFFICIENT_STORAGE,
            "The server's storage is full, so this was not saved. Everything saved before is safe; please try again later.",
        )
    }

    /// 500: our fault; the cause is logged, the person sees a calm message.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on our side. Nothing you entered on this page was saved; please try again.",
        )
    }

    /// Answer as a JSON problem object instead of a page.
    pub fn api(mut self) -> Self {
        self.api = true;
        self
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The words shown to the person.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status.as_u16(), self.message)
    }
}

impl std::error::Error for AppError {}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound { .. } => Self::not_found(),
            StoreError::Invalid { field, message } => Self {
                field: Some(field),
                ..Self::invalid(message)
            },
            StoreError::Conflict(message) => Self::conflict(message),
            StoreError::Full => Self::storage_full(),
            unavailable @ StoreError::Unavailable(_) => Self::unavailable(unavailable),
            other => Self::internal(other),
        }
    }
}

impl From<tandem_app::ServiceError> for AppError {
    fn from(err: tandem_app::ServiceError) -> Self {
        match err {
            tandem_app::ServiceError::Store(err) => err.into(),
            internal @ tandem_app::ServiceError::Internal(_) => Self::internal(internal),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let retry_after = self.retry_after;
        let mut response = self.respond();
        if let Some(seconds) = retry_after
            && let Ok(value) = axum::http::HeaderValue::from_str(&seconds.to_string())
        {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, value);
        }
        response
    }
}

impl AppError {
    fn respond(self) -> Response {
        if self.api {
            let body = json!({
                "type": "about:blank",
                "title": self.status.canonical_reason().unwrap_or("Error"),
                "status": self.status.as_u16(),
                "detail": self.message,
            });
            let body = match self.field {
                Some(field) => {
                    let mut body = body;
                    body["field"] = json!(field);
                    body
                }
                None => body,
            };
            let mut response = (self.status, Json(body)).into_response();
            response.headers_mut().insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/problem+json"),
            );
            return response;
        }
        if let Some(next) = self.sign_in {
            let to = next.map_or_else(|| "/account/signin".to_owned(), |n| n.sign_in_url());
            return Redirect::to(&to).into_response();
        }
        let heading = match self.status {
            StatusCode::NOT_FOUND => "Page not found",
            StatusCode::TOO_MANY_REQUESTS => "Please wait a moment",
            StatusCode::SERVICE_UNAVAILABLE => "Busy just now",
            s if s.is_server_error() => "Sorry, something went wrong",
            _ => "Sorry, that did not work",
        };
        (self.status, view::message_page(heading, &self.message)).into_response()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    async fn answer(err: StoreError) -> (StatusCode, Option<String>, serde_json::Value) {
        let response = AppError::from(err).api().into_response();
        let status = response.status();
        let retry = response
            .headers()
            .get(axum::http::header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, retry, serde_json::from_slice(&body).unwrap())
    }

    #[tokio::test]
    async fn a_service_error_answers_as_its_store_error_and_a_build_fault_as_500() {
        use tandem_app::ServiceError;
        let cases = [
            (ServiceError::not_found("RDP result", 3), 404),
            (
                ServiceError::Store(StoreError::Unavailable("pool timed out".into())),
                503,
            ),
            (
                ServiceError::Store(StoreError::invalid("about", "too long")),
                422,
            ),
            (ServiceError::internal("no rdp 0.9 in this build"), 500),
        ];
        for (err, status) in cases {
            let shown = err.to_string();
            let response = AppError::from(err).api().into_response();
            assert_eq!(response.status().as_u16(), status, "{shown}");
            let body = axum::body::to_bytes(response.into_body(), 1 << 16)
                .await
                .unwrap();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let detail = body["detail"].as_str().unwrap();
            assert!(
                !detail.contains("pool") && !detail.contains("0.9"),
                "{detail}"
            );
        }
    }

    #[tokio::test]
    async fn each_kind_of_store_error_has_its_status_and_never_the_drivers_words() {
        let driver = "near \"SELEC\": syntax error in sqlx";
        let cases = [
            (
                StoreError::NotFound {
                    what: "plan item",
                    id: 7,
                },
                404,
                None,
            ),
            (StoreError::Conflict("that name is taken".into()), 409, None),
            (
                StoreError::invalid("progress", "progress 101 is not between 0 and 100"),
                422,
                None,
            ),
            (StoreError::Unavailable(driver.into()), 503, Some("5")),
            (StoreError::corrupt(driver), 500, None),
            (StoreError::Database(driver.into()), 500, None),
            (StoreError::Migrate(driver.into()), 500, None),
            (StoreError::Full, 507, None),
        ];
        for (err, status, retry) in cases {
            let shown = err.to_string();
            let (got, got_retry, body) = answer(err).await;
            assert_eq!(got.as_u16(), status, "{shown}");
            assert_eq!(got_retry.as_deref(), retry, "{shown}");
            assert_eq!(body["status"], status, "{shown}");
            let detail = body["detail"].as_str().unwrap();
            assert!(
                !detail.contains("sqlx") && !detail.contains("SELEC"),
                "{detail}"
            );
        }
        let (_, _, body) = answer(StoreError::invalid("progress", "not between 0 and 100")).await;
        assert_eq!(body["field"], "progress");
        assert_eq!(body["detail"], "not between 0 and 100");
    }
}

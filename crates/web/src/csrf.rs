//! CSRF protection for every state-changing request, in two layers:
//! the browser's own `Sec-Fetch-Site` / `Origin` must say "same origin", and
//! a signed-in request must carry the session's token (form field `csrf` or
//! header `X-CSRF-Token`). A GET never changes state, so it is not checked.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::address::PublicUrl;
use crate::auth::Session;
use crate::{AppError, AppState, BODY_LIMIT};

/// Header an API client sends the token in.
pub const TOKEN_HEADER: &str = "x-csrf-token";

/// Requests that need no token: they start a session or an account.
const WITHOUT_SESSION: [&str; 6] = [
    "/account/new",
    "/account/signin",
    "/account/recover",
    "/api/v1/accounts",
    "/api/v1/session",
    "/api/v1/session/recover",
];

/// Whether the browser says the request came from our own pages: its
/// `Origin` must be the configured public address, or without one, the
/// host the request was sent to.
fn same_origin(headers: &HeaderMap, public_url: Option<&PublicUrl>) -> Result<(), &'static str> {
    if let Some(site) = headers.get("sec-fetch-site") {
        return match site.as_bytes() {
            b"same-origin" | b"none" => Ok(()),
            _ => Err("This request came from another site, so it was refused."),
        };
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match (
        headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()),
        host,
    ) {
        (Some(origin), _) if let Some(public) = public_url => {
            if origin.eq_ignore_ascii_case(public.origin()) {
                Ok(())
            } else {
                Err("This request came from another site, so it was refused.")
            }
        }
        (Some(origin), Some(host)) => {
            let origin_host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"))
                .unwrap_or("");
            if origin_host == host {
                Ok(())
            } else {
                Err("This request came from another site, so it was refused.")
            }
        }
        // An API client outside a browser sends neither; it must carry the token.
        _ => Ok(()),
    }
}

fn tokens_match(given: &str, expected: &str) -> bool {
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

/// The middleware.
pub async fn check(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let api = request.uri().path().starts_with("/api/");
    let refuse = |message: &str| {
        let err = AppError::forbidden(message);
        if api { err.api() } else { err }.into_response()
    };
    if let Err(message) = same_origin(request.headers(), state.config().public_url.as_ref()) {
        return refuse(message);
    }
    let path = request.uri().path().to_owned();
    let session = request.extensions().get::<Session>().cloned();
    let Some(session) = session else {
        if WITHOUT_SESSION.contains(&path.as_str()) {
            if request.headers().get("sec-fetch-site").is_none()
                && request.headers().get(header::ORIGIN).is_none()
                && !api
            {
                return refuse("This form must be sent from a Tandem page.");
            }
            return next.run(request).await;
        }
        // No session: the handler answers "please sign in".
        return next.run(request).await;
    };
    if let Some(given) = request
        .headers()
        .get(TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        return if tokens_match(given, &session.csrf_token) {
            next.run(request).await
        } else {
            refuse("The security token did not match. Reload the page and try again.")
        };
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return refuse("A security token is missing from this request.");
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, BODY_LIMIT).await else {
        let err = AppError::too_large();
        return if api { err.api() } else { err }.into_response();
    };
    let token = form_urlencoded_value(&bytes, "csrf");
    match token {
        Some(given) if tokens_match(&given, &session.csrf_token) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => refuse("A security token is missing from this form. Reload the page and try again."),
    }
}

/// The first value of `key` in a urlencoded body.
fn form_urlencoded_value(body: &[u8], key: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

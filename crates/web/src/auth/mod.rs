//! Who is asking: the session cookie, looked up once per request, and the
//! extractors that make a handler's signature say it needs a signed-in user.

pub mod counsellor;
pub mod flows;
pub mod hashing;
mod next;
pub mod passkeys;
pub mod password;
pub mod recovery;

use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tandem_store::Owner;

pub use next::ReturnTo;

use crate::{AppError, AppState};

/// Seconds since the Unix epoch; the web edge is where the clock is read.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A live session, put in the request's extensions by [`load_session`].
#[derive(Debug, Clone)]
pub struct Session {
    /// Whose session it is.
    pub user: Owner,
    /// The token forms and API calls must echo.
    pub csrf_token: String,
    /// The cookie value, to end this session.
    pub token: String,
    /// Whether this session began with a second factor (a passkey).
    pub second_factor: bool,
}

/// The cookie's name: `__Host-` behind TLS, so no subdomain can set it.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-tandem" } else { "tandem" }
}

/// The `Set-Cookie` value for a new session (a browser-session cookie: it
/// ends when the browser closes, which suits a shared device).
pub fn session_cookie(secure: bool, token: &str) -> HeaderValue {
    let secure_attr = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax{secure_attr}",
        cookie_name(secure)
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie(secure: bool) -> HeaderValue {
    let secure_attr = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure_attr}",
        cookie_name(secure)
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn token_from(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty() && value.len() <= 128)
}

/// Finds the session behind the cookie, if any, and records it for the
/// extractors and the CSRF check. Expired sessions are ended by the store.
pub async fn load_session(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let name = cookie_name(state.config().secure_cookies);
    if let Some(token) = token_from(request.headers(), name) {
        let config = state.config();
        match state
            .store()
            .session(
                &token,
                now(),
                config.idle_timeout_secs,
                config.absolute_timeout_secs,
            )
            .await
        {
            Ok(Some(info)) => {
                let session = Session {
                    user: info.user,
                    csrf_token: info.csrf_token,
                    token,
                    second_factor: info.second_factor,
                };
                request.extensions_mut().insert(session.clone());
                // Also on the way out, so an error or message page drawn at
                // the edge has the signed-in frame, whose sign-out token
                // lets the quick exit end the session there too.
                let mut response = next.run(request).await;
                response.extensions_mut().insert(session);
                return response;
            }
            Ok(None) => {}
            Err(err) => {
                // By its kind, like any other store error: an outage is a
                // 503 with Retry-After, not our fault.
                use axum::response::IntoResponse;
                return AppError::from(err).into_response();
            }
        }
    }
    next.run(request).await
}

/// A signed-in person, for pages: without a session, a redirect to sign in
/// that carries the page asked for (a page read, never a form's target).
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Session);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        if let Some(session) = parts.extensions.get::<Session>() {
            return Ok(CurrentUser(session.clone()));
        }
        let uri = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or(&parts.uri, |original| &original.0);
        let asked = uri.path_and_query().map_or("/", |p| p.as_str());
        Err(AppError::unauthenticated_from(ReturnTo::of_request(
            &parts.method,
            asked,
        )))
    }
}

/// A signed-in person, for the API: without a session, 401 as JSON.
#[derive(Debug, Clone)]
pub struct ApiUser(pub Session);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<Session>()
            .cloned()
            .map(ApiUser)
            .ok_or_else(|| AppError::unauthenticated().api())
    }
}

/// The session if there is one, for pages that show differently when signed in.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(parts.extensions.get::<Session>().cloned()))
    }
}

/// The client's address (for throttling) and a short label of its browser
/// (for the sessions list) — never logged.
#[derive(Debug, Clone)]
pub struct Client {
    /// The bucket the client's address counts in for throttling (the peer,
    /// or the client behind a trusted proxy; an IPv6 address by its /64),
    /// or `unknown` when served without one (tests).
    pub addr: String,
    /// Such as "Firefox on Linux".
    pub label: String,
}

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let proxies = &state.config().trusted_proxies;
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(
                || "unknown".to_owned(),
                |info| crate::address::throttle_bucket(proxies.client(info.0.ip(), &parts.headers)),
            );
        let agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Ok(Client {
            addr,
            label: browser_label(agent),
        })
    }
}

/// A coarse, human label for a user agent: browser and system only.
fn browser_label(agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(needle, _)| agent.contains(needle))
    .map_or("A browser", |(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "Mac"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| agent.contains(needle))
    .map_or("", |(_, name)| name);
    if system.is_empty() {
        browser.to_owned()
    } else {
        format!("{browser} on {system}")
    }
}

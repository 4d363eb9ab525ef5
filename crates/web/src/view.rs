//! Rendering: every page goes through [`render`], which turns an askama
//! template into HTML (auto-escaped) or a logged 500; plus static files.

use askama::Template;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::AppError;
use crate::auth::Session;

/// What every page's frame needs.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Whether to show the signed-in navigation.
    pub signed_in: bool,
    /// The token every form echoes.
    pub csrf: String,
    /// Where the quick exit goes.
    pub exit_url: String,
    /// Which navigation entry is current.
    pub current: &'static str,
}

impl Layout {
    /// The frame for a page, signed in or not.
    pub fn new(session: Option<&Session>, exit_url: &str, current: &'static str) -> Self {
        Self {
            signed_in: session.is_some(),
            csrf: session.map(|s| s.csrf_token.clone()).unwrap_or_default(),
            exit_url: exit_url.to_owned(),
            current,
        }
    }
}

/// Renders a template into a response.
pub fn render(template: &impl Template) -> Result<Response, AppError> {
    template
        .render()
        .map(|html| Html(html).into_response())
        .map_err(AppError::internal)
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    layout: Layout,
    heading: &'a str,
    message: &'a str,
}

/// A message waiting in a response for [`render_messages`], which knows the
/// settings (the quick exit above all) that the code making it may not.
#[derive(Debug, Clone)]
struct Message {
    heading: String,
    message: String,
}

/// A plain page with a heading and a message (errors, confirmations),
/// status 200 until the caller changes it; rendered at the edge by
/// [`render_messages`] with this server's quick-exit address.
pub fn message_page(heading: &str, message: &str) -> Response {
    let mut response = StatusCode::OK.into_response();
    response.extensions_mut().insert(Message {
        heading: heading.to_owned(),
        message: message.to_owned(),
    });
    response
}

/// The middleware that renders every [`message_page`], keeping its status
/// and headers, so error pages lead to the configured quick exit too.
pub async fn render_messages(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let page = !request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    if !page && response.extensions().get::<Panicked>().is_some() {
        return AppError::internal("a request panicked")
            .api()
            .into_response();
    }
    let session = response.extensions_mut().remove::<Session>();
    let found = response.extensions_mut().remove::<Message>();
    let Some(Message { heading, message }) = found.or_else(|| bare_error(page, &response)) else {
        return response;
    };
    let page = MessagePage {
        layout: Layout::new(session.as_ref(), &state.config().exit_url, ""),
        heading: &heading,
        message: &message,
    };
    let (mut parts, _) = response.into_parts();
    let html = match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(_) => message.into_response(),
    };
    let (rendered, body) = html.into_parts();
    if let Some(kind) = rendered.headers.get(header::CONTENT_TYPE) {
        parts.headers.insert(header::CONTENT_TYPE, kind.clone());
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

/// Marks the answer [`panicked`] gives, so the API can turn it into a
/// problem object.
#[derive(Debug, Clone, Copy)]
struct Panicked;

/// The answer to a request whose handler panicked: a bare 500 that
/// [`render_messages`] turns into the calm error page (or, for the API, a
/// problem object); the cause is logged, never shown.
pub fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request panicked");
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(Panicked);
    response
}

/// A page's error answered by a layer that knows nothing of pages (the
/// router's 405, the body limit's 413, a form that does not parse, a
/// timeout): it gets the frame too, with words for its status. JSON, HTML
/// and the API's answers are left as they are.
fn bare_error(page: bool, response: &Response) -> Option<Message> {
    let status = response.status();
    if !page || !(status.is_client_error() || status.is_server_error()) {
        return None;
    }
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if kind.starts_with("text/html") || kind.contains("json") {
        return None;
    }
    let (heading, message) = match status {
        StatusCode::NOT_FOUND => ("Page not found", "There is nothing at this address."),
        StatusCode::METHOD_NOT_ALLOWED => (
            "This page cannot be used that way",
            "Please go back and use the links and buttons on the page.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "That was too much to send",
            "That was more than this page accepts, so nothing was saved. Please send less.",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "That took too long",
            "The page took too long, so nothing was saved. Please try again.",
        ),
        s if s.is_client_error() => (
            "Sorry, that did not work",
            "This form could not be read, so nothing was saved. Please go back, reload the page and try again.",
        ),
        _ => (
            "Sorry, something went wrong",
            "Something went wrong on our side. Nothing you entered on this page was saved; please try again.",
        ),
    };
    Some(Message {
        heading: heading.to_owned(),
        message: message.to_owned(),
    })
}

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");

/// Serves the embedded stylesheet and script.
pub async fn static_file(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "app.css" => ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response(),
        "app.js" => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            JS,
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use tower::ServiceExt;

    use crate::{AppState, WebConfig};

    /// A router with handlers that fail as layers and bugs do, behind the
    /// same panic catcher and renderer as the app.
    async fn failing() -> (Router, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let (store, rights) = tandem_store_sqlite::open_with_rights(dir.path())
            .await
            .unwrap();
        let state = AppState::new(store, rights.research, WebConfig::default()).unwrap();
        let handler_panics = || async {
            if true {
                panic!("a bug");
            }
            "never"
        };
        let router = Router::new()
            .route("/boom", get(handler_panics))
            .route("/api/v1/boom", get(handler_panics))
            .route(
                "/raw",
                get(|| async { (StatusCode::BAD_GATEWAY, "upstream said no") }),
            )
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(
                super::panicked,
            ))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                super::render_messages,
            ))
            .with_state(state);
        (router, dir)
    }

    async fn answer(router: &Router, path: &str) -> (StatusCode, String, String) {
        let response = router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let kind = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, kind, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn a_panic_or_a_bare_error_is_a_calm_page_in_the_frame() {
        let (router, _dir) = failing().await;
        for (path, status) in [
            ("/boom", StatusCode::INTERNAL_SERVER_ERROR),
            ("/raw", StatusCode::BAD_GATEWAY),
        ] {
            let (got, kind, body) = answer(&router, path).await;
            assert_eq!(got, status, "{path}");
            assert!(kind.starts_with("text/html"), "{path}: {kind}");
            assert!(body.contains("id=\"quick-exit\""), "{path}: {body}");
            assert!(
                body.contains("Something went wrong on our side"),
                "{path}: {body}"
            );
            assert!(
                !body.contains("a bug") && !body.contains("upstream"),
                "{body}"
            );
        }
        let (got, kind, body) = answer(&router, "/api/v1/boom").await;
        assert_eq!(got, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(kind, "application/problem+json");
        assert!(!body.contains("a bug"), "{body}");
    }
}

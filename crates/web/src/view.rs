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
    let mut response = next.run(request).await;
    let Some(Message { heading, message }) = response.extensions_mut().remove::<Message>() else {
        return response;
    };
    let page = MessagePage {
        layout: Layout::new(None, &state.config().exit_url, ""),
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

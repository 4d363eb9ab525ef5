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

/// A plain page with a heading and a message (errors, confirmations).
pub fn message_page(heading: &str, message: &str) -> Response {
    let page = MessagePage {
        layout: Layout {
            signed_in: false,
            csrf: String::new(),
            exit_url: crate::WebConfig::default().exit_url,
            current: "",
        },
        heading,
        message,
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(_) => message.to_owned().into_response(),
    }
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

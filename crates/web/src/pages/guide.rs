//! The guide to warning signs of controlling behaviour, at a neutral
//! address (`/guide`), beside the safety check and the plan.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tandem_core::signs::SignsGuide;

use crate::auth::CurrentUser;
use crate::view::{Layout, render};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "guide.html")]
struct GuidePage<'a> {
    layout: Layout,
    guide: &'a SignsGuide,
}

/// `GET /guide`.
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response, AppError> {
    render(&GuidePage {
        layout: Layout::new(Some(&session), &state.config().exit_url, "c"),
        guide: &state.content().signs,
    })
}

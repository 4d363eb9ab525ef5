//! The web app: server-rendered pages that work without JavaScript, a JSON
//! API under `/api/v1`, accounts with database sessions, CSRF protection and
//! security headers on every response.
//!
//! `app(state)` builds the whole router, so tests can drive it without a
//! socket; `serve` binds it to a listener and shuts down gracefully.

pub mod address;
pub mod analysis;
mod api;
mod auth;
mod charts;
mod csrf;
mod error;
mod follow_up;
mod headers;
pub mod help;
mod log;
mod moments;
mod pages;
pub mod report;
mod state;
mod trends;
mod view;

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::get;

pub use api::ROUTES as API_ROUTES;
pub use auth::counsellor::SecondFactor;
pub use error::AppError;
pub use state::{AppState, DEFAULT_EXIT_URL, WebConfig};
pub use tandem_app::Content;

/// The stylesheet, for reports written to a file.
pub const APP_CSS: &str = include_str!("../static/app.css");

/// Largest request body accepted, in bytes: far above any honest form.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The whole application: pages, API, static files and every middleware.
pub fn app(state: AppState) -> Router {
    let timeout_secs = state.config().request_timeout_secs;
    Router::new()
        .merge(pages::routes())
        .merge(api::routes())
        .route("/healthz", get(|| async { "ok" }))
        .route("/static/{file}", get(view::static_file))
        .fallback(pages::not_found)
        // Order: the session is found first, then CSRF is checked against it;
        // headers wrap everything, errors included.
        .layer(middleware::from_fn_with_state(state.clone(), csrf::check))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::load_session,
        ))
        // A handler that panics answers 500 instead of dropping the
        // connection, and one that takes too long answers 408; both inside
        // the renderer, so their pages keep the frame.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            view::panicked,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(timeout_secs),
        ))
        // Outside both, so their refusals are rendered too.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            view::render_messages,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(headers::security))
        .layer(middleware::from_fn(log::requests))
        .with_state(state)
}

/// Serves the app on `listener` until `shutdown` resolves, then lets
/// in-flight requests finish.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let housekeeping = tokio::spawn(prune_regularly(state.clone()));
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    housekeeping.abort();
    served
}

/// Makes the kept scores that are missing, once; then ends expired sessions
/// and forgets old sign-in failures, every few minutes,
/// so neither table grows without bound; and brings reliability estimates
/// up to date (the first tick is at start).
async fn prune_regularly(state: AppState) {
    // Scores kept beside finished administrations, for those from before
    // they were kept or scored by older rules: once, at start. A reader
    // who comes first scores their own.
    match tandem_app::results::backfill(state.store(), state.content()).await {
        Ok((0, 0)) => {}
        Ok((scored, failed)) => {
            tracing::info!(
                scored,
                failed,
                "kept scores made for earlier administrations"
            );
        }
        Err(err) => tracing::warn!(%err, "making kept scores failed"),
    }
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    loop {
        tick.tick().await;
        let now = auth::now();
        let config = state.config();
        let store = state.store();
        if let Err(err) = store
            .prune_sessions(now, config.idle_timeout_secs, config.absolute_timeout_secs)
            .await
        {
            tracing::warn!(%err, "pruning sessions failed");
        }
        if let Err(err) = store.prune_login_failures(now - 24 * 60 * 60).await {
            tracing::warn!(%err, "pruning sign-in failures failed");
        }
        // Off the request path: pages only read the last estimate.
        if let Err(err) = state
            .content()
            .refresh_estimates(store, state.research())
            .await
        {
            tracing::warn!(%err, "estimating reliability failed");
        }
    }
}

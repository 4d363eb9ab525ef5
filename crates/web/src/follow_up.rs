//! What a request sets going once it has saved: the plans made again from
//! the person's situation, and the reliability estimates brought up to date
//! in the background. Neither can undo what the person just saved: a
//! failure is logged, never answered.

use tandem_core::safety::ScreenSummary;
use tandem_store::Owner;

use crate::AppError;
use crate::auth::Session;

/// Refreshes the plan from a request handler; a failure is logged and does
/// not undo what the person just saved.
pub async fn plan_after_change(state: &crate::AppState, session: &Session) {
    let held = match state.store().held_screen(&session.token).await {
        Ok(held) => held,
        Err(err) => {
            tracing::warn!(%err, "reading the session's screen failed");
            None
        }
    };
    if let Err(err) = tandem_app::plan::refresh_all(
        state.store(),
        state.content(),
        session.user,
        held,
        crate::auth::now(),
    )
    .await
    {
        tracing::warn!(%err, "refreshing the plan failed");
    }
}

/// Remakes the plan from what is kept alone, once a session (and the
/// unkept screen it may have held) is over: at sign-out, and at sign-in
/// after a session that expired. A failure is logged, as above.
pub async fn forget_held(state: &crate::AppState, user: Owner) {
    if let Err(err) = tandem_app::plan::refresh_all(
        state.store(),
        state.content(),
        user,
        None,
        crate::auth::now(),
    )
    .await
    {
        tracing::warn!(%err, "refreshing the plan failed");
    }
}

/// After a check-in: the plan is remade only when this check-in's safety
/// item signals, or the plan holds steps shaped by safety answers that a
/// calm week may ease. Every other check-in leaves the plan as it is, so a
/// check-in costs what it did before the safety item existed.
pub async fn plan_after_checkin(state: &crate::AppState, session: &Session, signals: bool) {
    let needed = signals
        || match state.store().plan_has_safety_items(session.user).await {
            Ok(found) => found,
            Err(err) => {
                tracing::warn!(%err, "reading the plan failed");
                true
            }
        };
    if needed {
        plan_after_change(state, session).await;
    }
}

/// Asks for the estimates to be brought up to date in the background: the
/// request that asks does not wait, and a burst of asks (one account
/// toggling its consent in a loop) costs one refresh at a time, never a
/// queue of them.
pub fn estimates_soon(state: &crate::AppState) {
    if !state.content().estimates.ask() {
        // The running task sees the ask before it stops.
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let cache = &state.content().estimates;
        loop {
            while cache.take_ask() {
                if let Err(err) = state
                    .content()
                    .refresh_estimates(state.store(), state.research())
                    .await
                {
                    tracing::warn!(%err, "estimating reliability failed");
                }
            }
            if !cache.stop() {
                break;
            }
        }
    });
}

/// What this web session holds of an unkept safety screen.
pub async fn held(
    state: &crate::AppState,
    session: &Session,
) -> Result<Option<ScreenSummary>, AppError> {
    Ok(state.store().held_screen(&session.token).await?)
}

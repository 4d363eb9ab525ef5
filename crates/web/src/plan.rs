//! Keeping the action plan in step with the person's results: after a new
//! profile or a kept safety screen, suggestions are recomputed (core) and
//! merged into the stored plan (store), which keeps what the person chose
//! and the history of what was replaced.

use tandem_core::safety::ScreenSummary;
use tandem_store::{NewSuggestion, Owner, Store};

use crate::AppError;
use crate::state::Content;

/// Recomputes the suggestions from the person's situation (latest finished
/// RDP, latest kept or session-held safety screen, latest check-in) and
/// merges them into the stored plan.
pub async fn refresh(
    store: &Store,
    content: &Content,
    user: Owner,
    held: Option<ScreenSummary>,
    now: i64,
) -> Result<(), AppError> {
    let assessment = crate::situation::assess(store, content, user, held).await?;
    let suggestions: Vec<NewSuggestion> = assessment
        .plan(&content.guidance)
        .suggestions
        .into_iter()
        .map(|s| NewSuggestion {
            from_safety: s.from_safety,
            strategy: s.strategy.to_string(),
            reason: serde_json::to_value(&s.reasons).unwrap_or_default(),
        })
        .collect();
    store.refresh_plan(user, &suggestions, now).await?;
    if assessment.risk.adapts_plan() {
        // Under risk, a step the person had already taken up can no longer
        // stand: nothing done together, no maintenance, no assertion step
        // without its safe version.
        let guidance = &content.guidance;
        let maintenance: Vec<&str> = guidance
            .rules_where(|t| *t == tandem_core::guidance::Trigger::Maintenance)
            .flat_map(|rule| rule.strategies.iter().map(|s| s.as_str()))
            .collect();
        let unfit: Vec<String> = guidance
            .strategies
            .iter()
            .filter(|s| s.joint || s.safe_version.is_some() || maintenance.contains(&s.id.as_str()))
            .map(|s| s.id.to_string())
            .collect();
        store.retire_plan_items(user, &unfit, now).await?;
    }
    Ok(())
}

/// Refreshes the plan from a request handler; a failure is logged and does
/// not undo what the person just saved.
pub async fn refresh_after_change(state: &crate::AppState, session: &crate::auth::Session) {
    let held = match state.store().held_screen(&session.token).await {
        Ok(held) => held,
        Err(err) => {
            tracing::warn!(%err, "reading the session's screen failed");
            None
        }
    };
    if let Err(err) = refresh(
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
    if let Err(err) = refresh(
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

/// Makes every stored plan anew when the rules that make plans have changed
/// since they were made (an upgrade: new guidance, new instrument versions),
/// so that no plan made under old rules outlives them. Returns how many
/// plans were remade. Run at start by `tandem serve` and the terminal.
pub async fn refresh_all_if_rules_changed(
    store: &Store,
    content: &Content,
    now: i64,
) -> Result<usize, AppError> {
    let fingerprint = tandem_core::guidance::rules_fingerprint(&[
        &content.rdp,
        &content.checkin,
        &content.safety,
    ]);
    if store.plan_rules().await?.as_deref() == Some(fingerprint.as_str()) {
        return Ok(0);
    }
    let owners = store.owners_with_plans().await?;
    for owner in &owners {
        refresh(store, content, *owner, None, now).await?;
    }
    store.set_plan_rules(&fingerprint).await?;
    Ok(owners.len())
}

/// After a check-in: the plan is remade only when this check-in's safety
/// item signals, or the plan holds steps shaped by safety answers that a
/// calm week may ease. Every other check-in leaves the plan as it is, so a
/// check-in costs what it did before the safety item existed.
pub async fn refresh_after_checkin(
    state: &crate::AppState,
    session: &crate::auth::Session,
    signals: bool,
) {
    let needed = signals
        || match state.store().plan_has_safety_items(session.user).await {
            Ok(found) => found,
            Err(err) => {
                tracing::warn!(%err, "reading the plan failed");
                true
            }
        };
    if needed {
        refresh_after_change(state, session).await;
    }
}

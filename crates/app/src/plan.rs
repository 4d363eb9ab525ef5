//! Keeping the action plan in step with the person's results: after a new
//! profile or a kept safety screen, suggestions are recomputed (core) and
//! merged into the stored plan (store), which keeps what the person chose
//! and the history of what was replaced.

use tandem_core::safety::ScreenSummary;
use tandem_store::{NewSuggestion, Owner, Store};

use crate::Content;
use crate::ServiceError;

/// Recomputes the suggestions from the person's situation (latest finished
/// RDP, latest kept or session-held safety screen, latest check-in) and
/// merges them into the stored plan.
pub async fn refresh(
    store: &Store,
    content: &Content,
    user: Owner,
    held: Option<ScreenSummary>,
    now: i64,
) -> Result<(), ServiceError> {
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

/// Makes every stored plan anew when the rules that make plans have changed
/// since they were made (an upgrade: new guidance, new instrument versions),
/// so that no plan made under old rules outlives them. Returns how many
/// plans were remade. Run at start by `tandem serve` and the terminal.
pub async fn refresh_all_if_rules_changed(
    store: &Store,
    content: &Content,
    now: i64,
) -> Result<usize, ServiceError> {
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

//! Keeping the action plans in step with the person's results, one plan
//! per relationship: after a new profile or a kept safety screen,
//! suggestions are recomputed (core) and merged into the stored plan
//! (store), which keeps what the person chose and the history of what was
//! replaced.

use std::collections::BTreeSet;

use tandem_core::assessment::Assessment;
use tandem_core::input::About;
use tandem_core::safety::ScreenSummary;
use tandem_store::{NewSuggestion, Owner, RelationshipId, Store};

use crate::Content;
use crate::ServiceError;

/// The suggestions a situation makes, as the store keeps them.
fn suggestions_of(assessment: &Assessment, content: &Content) -> Vec<NewSuggestion> {
    assessment
        .plan(&content.guidance)
        .suggestions
        .into_iter()
        .map(|s| NewSuggestion {
            from_safety: s.from_safety,
            strategy: s.strategy.to_string(),
            reason: serde_json::to_value(&s.reasons).unwrap_or_default(),
        })
        .collect()
}

/// Recomputes the suggestions for the person's plan about `relationship`
/// from their situation there (latest finished RDP and check-in about it,
/// latest kept or session-held safety screen) and merges them into that
/// plan. Another person's relationship is `NotFound`.
pub async fn refresh(
    store: &Store,
    content: &Content,
    user: Owner,
    relationship: RelationshipId,
    held: Option<ScreenSummary>,
    now: i64,
) -> Result<(), ServiceError> {
    let assessment =
        crate::situation::assess_about(store, content, user, Some(relationship), held).await?;
    let suggestions = suggestions_of(&assessment, content);
    store
        .refresh_plan(user, relationship, &suggestions, now)
        .await?;
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
        store
            .retire_plan_items(user, relationship, &unfit, now)
            .await?;
    }
    Ok(())
}

/// Every relationship of the person that has a plan or a finished
/// administration: the plans a change to what is shared by all of them
/// (a safety screen, the end of a session, new rules) remakes.
async fn relationships_with_plans(
    store: &Store,
    user: Owner,
) -> Result<BTreeSet<RelationshipId>, ServiceError> {
    let mut found: BTreeSet<RelationshipId> = store
        .planned_relationships(user)
        .await?
        .into_iter()
        .collect();
    found.extend(
        store
            .administrations(user, None)
            .await?
            .into_iter()
            .filter(|a| a.completed_at.is_some())
            .map(|a| a.relationship),
    );
    Ok(found)
}

/// Remakes every plan of the person, one per relationship, after a change
/// that bears on all of them. Someone who has answered about no one yet
/// still gets a plan when their safety answers call for one, kept with
/// their "my partner" relationship (made if missing).
pub async fn refresh_all(
    store: &Store,
    content: &Content,
    user: Owner,
    held: Option<ScreenSummary>,
    now: i64,
) -> Result<(), ServiceError> {
    let mut relationships = relationships_with_plans(store, user).await?;
    if relationships.is_empty() {
        let assessment = crate::situation::assess_about(store, content, user, None, held).await?;
        if suggestions_of(&assessment, content).is_empty() {
            return Ok(());
        }
        relationships.insert(store.relationship_for(user, &About::default()).await?);
    }
    for relationship in relationships {
        refresh(store, content, user, relationship, held, now).await?;
    }
    Ok(())
}

/// The relationship whose plan is shown when none is asked for: that of
/// the person's latest finished RDP, else the first with a plan, else
/// none.
pub async fn current_relationship(
    store: &Store,
    user: Owner,
) -> Result<Option<RelationshipId>, ServiceError> {
    if let Some(latest) = store.latest_complete(user, "rdp", None).await? {
        return Ok(Some(latest.relationship));
    }
    Ok(store.planned_relationships(user).await?.first().copied())
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
        refresh_all(store, content, *owner, None, now).await?;
    }
    store.set_plan_rules(&fingerprint).await?;
    Ok(owners.len())
}

//! Keeping the action plan in step with the person's results: after a new
//! profile or a kept safety screen, suggestions are recomputed (core) and
//! merged into the stored plan (store), which keeps what the person chose
//! and the history of what was replaced.

use tandem_core::guidance::Guidance;
use tandem_core::instrument::Instrument;
use tandem_core::plan::{Reason, suggest};
use tandem_core::safety::SafetyScreen;
use tandem_core::scoring::score;
use tandem_store::{NewSuggestion, Store, StoreError, UserId};

/// Why the plan could not be refreshed.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Scoring failed (a stored answer no longer fits).
    #[error("scoring: {0}")]
    Scoring(String),
}

/// Recomputes the suggestions from the latest finished RDP and the latest
/// kept safety screen, and merges them into the stored plan.
pub async fn refresh(
    store: &Store,
    rdp: &Instrument,
    safety: &Instrument,
    guidance: &Guidance,
    user: UserId,
    now: i64,
) -> Result<(), PlanError> {
    let latest = store
        .administrations(user, Some(rdp.id.as_str()))
        .await?
        .into_iter()
        .rev()
        .find(|a| a.completed_at.is_some());
    let scores = match latest {
        Some(administration) => {
            let answers = store.answers(user, rdp, administration.id).await?;
            Some(score(rdp, &answers).map_err(|e| PlanError::Scoring(e.to_string()))?)
        }
        None => None,
    };
    // Only a screen the person chose to keep can inform the plan; an unkept
    // one showed its resources at once and was forgotten.
    let safety_positive = match store.safety_screens(user).await?.last() {
        Some(screen) => {
            let mut answers = tandem_core::answers::Answers::new();
            for (item, value) in &screen.answers {
                answers
                    .set(
                        safety,
                        item.as_str(),
                        tandem_core::answers::Answer::Value(*value),
                    )
                    .map_err(|e| PlanError::Scoring(e.to_string()))?;
            }
            SafetyScreen::from_answers(safety, answers)
                .map_err(|e| PlanError::Scoring(e.to_string()))?
                .is_positive()
        }
        None => false,
    };
    let suggestions: Vec<NewSuggestion> = suggest(guidance, scores.as_ref(), safety_positive)
        .into_iter()
        .map(|s| NewSuggestion {
            from_safety: s.reasons.contains(&Reason::Safety),
            strategy: s.strategy.to_string(),
            reason: serde_json::to_value(&s.reasons).unwrap_or_default(),
        })
        .collect();
    store.refresh_plan(user, &suggestions, now).await?;
    Ok(())
}

/// Refreshes the plan from a request handler; a failure is logged and does
/// not undo what the person just saved.
pub async fn refresh_after_change(state: &crate::AppState, user: UserId) {
    let content = state.content();
    if let Err(err) = refresh(
        state.store(),
        &content.rdp,
        &content.safety,
        &content.guidance,
        user,
        crate::auth::now(),
    )
    .await
    {
        tracing::warn!(%err, "refreshing the plan failed");
    }
}

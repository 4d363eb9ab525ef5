//! The couple plan: steps two linked partners do together, chosen by the
//! guidance's couple rules from what their comparison shows. Never for a
//! person at risk: a step done together is not safe to suggest to someone
//! who may not be safe with the other.

use serde::Serialize;

use super::mutuality::{Flow, Mutuality};
use super::{DiscussionItem, Gap};
use crate::guidance::{CoupleSignal, Guidance, Trigger};
use crate::ids::GuidanceId;
use crate::risk::RiskContext;

/// What a comparison shows, as the couple rules read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CoupleSigns {
    /// A gap beyond chance, or items answered far apart.
    pub gaps: bool,
    /// Some kind of support flows one way only.
    pub one_way_support: bool,
}

impl CoupleSigns {
    /// The signs in a comparison's gaps, talk list and mutuality.
    pub fn of(gaps: &[Gap], discussion: &[DiscussionItem], mutuality: &[Mutuality]) -> Self {
        Self {
            gaps: gaps.iter().any(|g| g.flagged) || !discussion.is_empty(),
            one_way_support: mutuality
                .iter()
                .any(|m| matches!(m.flow, Flow::ToMe | Flow::ToThem)),
        }
    }

    /// Whether the comparison shows `signal`.
    pub fn shows(self, signal: CoupleSignal) -> bool {
        match signal {
            CoupleSignal::Gaps => self.gaps,
            CoupleSignal::OneWaySupport => self.one_way_support,
            CoupleSignal::Linked => true,
        }
    }
}

/// One step of the couple plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TogetherStep {
    /// The strategy (always one done together).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub strategy: GuidanceId,
    /// What in the comparison it answers: the first couple rule that
    /// suggested it.
    pub because: CoupleSignal,
}

/// The couple plan for the person whose `risk` this is: each couple rule
/// whose signal `signs` shows, in the guidance's order, each strategy once.
/// Empty under any risk that rules out couple features or adapts the plan.
pub fn couple_plan(
    guidance: &Guidance,
    signs: CoupleSigns,
    risk: &RiskContext,
) -> Vec<TogetherStep> {
    if risk.rules_out_couple_features() || risk.adapts_plan() {
        return Vec::new();
    }
    let mut steps: Vec<TogetherStep> = Vec::new();
    for rule in &guidance.rules {
        let Trigger::Couple { signal } = rule.trigger else {
            continue;
        };
        if !signs.shows(signal) {
            continue;
        }
        for id in &rule.strategies {
            let joint = guidance.strategy(id.as_str()).is_some_and(|s| s.joint);
            if joint && !steps.iter().any(|s| &s.strategy == id) {
                steps.push(TogetherStep {
                    strategy: id.clone(),
                    because: signal,
                });
            }
        }
    }
    steps
}

//! The action plan's suggestions: from a person's latest results, the
//! quality of their answers and their risk context to an ordered list of
//! strategies.
//!
//! Without risk: elevated risks (highest first), then low strengths (lowest
//! first), and maintenance only for a balanced profile. Under risk (see
//! [`crate::risk`]): the emergency step first for urgent answers, then
//! safety and power; no maintenance; no step done together with the other
//! person; assertion and boundary steps in their safety-adapted versions.
//! Answers that fail the quality checks get only the risk-driven steps and
//! a request to look over the answers. Only the first [`FOCUS`] are current
//! suggestions; the rest wait as "later".

use serde::Serialize;

use crate::guidance::{Guidance, Trigger};
use crate::ids::GuidanceId;
use crate::quality::ResponseQuality;
use crate::risk::{RiskContext, RiskSignal, low_power};
use crate::scoring::Scores;

/// How many suggestions a plan shows as current; the rest are "later".
pub const FOCUS: usize = 3;

/// Why a strategy is suggested.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Safety answers: the screen or the check-in's safety item.
    Safety,
    /// Urgent safety answers: the emergency step.
    Urgent,
    /// Profile items that can point to coercive control.
    Coercion,
    /// A facet or index in a band that a rule names.
    Score {
        /// The facet or index id.
        of: String,
        /// The band.
        band: String,
        /// The score.
        score: f64,
    },
    /// A balanced profile with no risk: keep up what works.
    Maintenance,
}

impl Reason {
    /// The reason in plain words, such as "Emotional reliance is high".
    pub fn words(&self, instrument: &crate::instrument::Instrument) -> String {
        match self {
            Reason::Safety => "your answers on staying safe".to_owned(),
            Reason::Urgent => "your answers say you may be in danger".to_owned(),
            Reason::Coercion => "some answers about who decides things".to_owned(),
            Reason::Maintenance => "keeping up what works".to_owned(),
            Reason::Score { of, band, .. } => {
                let name = instrument
                    .facet(of)
                    .map(|f| f.name.clone())
                    .or_else(|| instrument.index(of).map(|i| i.name.clone()))
                    .unwrap_or_else(|| of.clone());
                let level = if band == "low" { "low" } else { "high" };
                format!("{name} is {level}")
            }
        }
    }

    /// Whether this reason comes from safety answers.
    pub fn from_safety_answers(&self) -> bool {
        matches!(self, Reason::Safety | Reason::Urgent)
    }
}

/// One suggestion, in plan order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The strategy.
    pub strategy: GuidanceId,
    /// The most urgent reason, which decided its place.
    pub reason: Reason,
    /// Every reason it helps with, most urgent first.
    pub reasons: Vec<Reason>,
    /// Whether it is done together with the other person.
    pub joint: bool,
    /// The strategy it stands in for, when it is a safety-adapted version.
    pub adapted_from: Option<GuidanceId>,
    /// Whether it is here, or in this form, because of safety answers: then
    /// it never appears in a view shared with anyone else.
    pub from_safety: bool,
}

/// Everything the plan is decided from.
#[derive(Debug, Clone, Copy)]
pub struct PlanInputs<'a> {
    /// Scores of the latest RDP, if there is one.
    pub scores: Option<&'a Scores>,
    /// The quality of its answers.
    pub quality: Option<&'a ResponseQuality>,
    /// Whether its profile is "Balanced interdependence".
    pub balanced: bool,
    /// The person's risk context.
    pub risk: &'a RiskContext,
}

/// The plan: suggestions in order, and what else to offer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The suggestions, most important first.
    pub suggestions: Vec<Suggestion>,
    /// Whether to offer the safety check with the plan.
    pub offer_safety_screen: bool,
    /// Whether the answers should be looked over before more is suggested.
    pub review_answers: bool,
}

/// Tiers, in plan order.
const URGENT: u8 = 0;
const SELF_HARM: u8 = 1;
const SAFETY: u8 = 2;
const POWER: u8 = 3;
const RISKS: u8 = 4;
const STRENGTHS: u8 = 5;
const MAINTENANCE: u8 = 6;

/// Orders the suggestions for a person. Each strategy appears once, at its
/// most urgent place.
pub fn suggest(guidance: &Guidance, inputs: PlanInputs<'_>) -> Plan {
    let risk = inputs.risk;
    let review_answers = inputs.quality.is_some_and(|q| !q.is_ok());
    let mut ordered: Vec<(u8, f64, &[GuidanceId], Reason)> = Vec::new();
    let mut rules_of = |trigger: Trigger, tier: u8, reason: Reason| {
        for rule in guidance.rules_where(|t| *t == trigger) {
            ordered.push((tier, 0.0, &rule.strategies, reason.clone()));
        }
    };
    if risk.is_urgent() {
        rules_of(Trigger::Urgent, URGENT, Reason::Urgent);
    }
    if risk.has(RiskSignal::SelfHarm) {
        rules_of(Trigger::SelfHarm, SELF_HARM, Reason::Urgent);
    }
    if risk.calls_for_abuse_help() {
        rules_of(Trigger::Safety, SAFETY, Reason::Safety);
    }
    if risk.has(RiskSignal::Coercion) {
        rules_of(Trigger::Safety, POWER, Reason::Coercion);
    }
    if let Some(scores) = inputs.scores {
        let power_first = risk.adapts_plan() || low_power(scores);
        for rule in &guidance.rules {
            let (of, band, score) = match &rule.trigger {
                Trigger::Facet { facet, band } => (facet.as_str(), band, scores.facets.get(facet)),
                Trigger::Index { index, band } => (index.as_str(), band, scores.indices.get(index)),
                _ => continue,
            };
            let Some(score) = score else { continue };
            let (Some(value), Some(actual)) = (score.score, score.band.as_ref()) else {
                continue;
            };
            if actual != band {
                continue;
            }
            let is_power = matches!(of, "PB" | "power_balance");
            // Elevated risks before low strengths; within each, the furthest
            // from the middle first. Facets before indices at equal scores.
            // Power leads whenever it is low or anything points to risk.
            let (tier, key) = match (is_power && power_first, band.as_str() == "low") {
                (true, _) => (POWER, value),
                (false, true) => (STRENGTHS, value),
                (false, false) => (RISKS, -value),
            };
            if review_answers && tier != POWER {
                continue;
            }
            let facet_first = if matches!(rule.trigger, Trigger::Facet { .. }) {
                0.0
            } else {
                1e-9
            };
            ordered.push((
                tier,
                key + facet_first,
                &rule.strategies,
                Reason::Score {
                    of: of.to_owned(),
                    band: band.to_string(),
                    score: value,
                },
            ));
        }
    }
    if inputs.balanced && !risk.adapts_plan() && !review_answers {
        for rule in guidance.rules_where(|t| *t == Trigger::Maintenance) {
            ordered.push((MAINTENANCE, 0.0, &rule.strategies, Reason::Maintenance));
        }
    }
    ordered.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut suggestions: Vec<Suggestion> = Vec::new();
    for (_, _, strategies, reason) in ordered {
        for id in strategies {
            let Some(strategy) = guidance.strategy(id.as_str()) else {
                continue;
            };
            let (chosen, adapted_from) = match (&strategy.safe_version, risk.adapts_plan()) {
                (Some(safe), true) => (safe.clone(), Some(id.clone())),
                _ => (id.clone(), None),
            };
            if risk.adapts_plan() && strategy.joint {
                continue;
            }
            let joint = guidance.strategy(chosen.as_str()).is_some_and(|s| s.joint);
            let shaped_by_safety = adapted_from.is_some() && risk.from_safety_answers();
            match suggestions.iter_mut().find(|s| s.strategy == chosen) {
                Some(existing) => {
                    if !existing.reasons.contains(&reason) {
                        existing.reasons.push(reason.clone());
                    }
                    existing.from_safety |= reason.from_safety_answers() || shaped_by_safety;
                }
                None => suggestions.push(Suggestion {
                    strategy: chosen,
                    reason: reason.clone(),
                    reasons: vec![reason.clone()],
                    joint,
                    adapted_from,
                    from_safety: reason.from_safety_answers() || shaped_by_safety,
                }),
            }
        }
    }
    Plan {
        suggestions,
        offer_safety_screen: risk.offers_screen(),
        review_answers,
    }
}

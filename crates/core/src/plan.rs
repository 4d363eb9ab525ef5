//! The action plan's suggestions: from a person's latest results and safety
//! screen to an ordered list of strategies. Safety first, then elevated
//! risks (highest first), then low strengths (lowest first); a profile with
//! neither gets maintenance suggestions, not alarms.

use serde::Serialize;

use crate::guidance::{Guidance, Trigger};
use crate::ids::GuidanceId;
use crate::scoring::Scores;

/// Why a strategy is suggested.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// A positive safety answer.
    Safety,
    /// A facet or index in a band that a rule names.
    Score {
        /// The facet or index id.
        of: String,
        /// The band.
        band: String,
        /// The score.
        score: f64,
    },
    /// Nothing stands out: keep up what works.
    Maintenance,
}

impl Reason {
    /// The reason in plain words, such as "Emotional reliance is high".
    pub fn words(&self, instrument: &crate::instrument::Instrument) -> String {
        match self {
            Reason::Safety => "your answers on staying safe".to_owned(),
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
}

/// Orders the suggestions for a person. `scores` are of their latest RDP
/// (none yet: only safety or maintenance can apply); `safety_positive` is
/// whether their latest safety screen had a positive answer. Each strategy
/// appears once, at its most urgent place.
pub fn suggest(
    guidance: &Guidance,
    scores: Option<&Scores>,
    safety_positive: bool,
) -> Vec<Suggestion> {
    let mut ordered: Vec<(u8, f64, &[GuidanceId], Reason)> = Vec::new();
    if safety_positive {
        for rule in guidance.rules_where(|t| *t == Trigger::Safety) {
            ordered.push((0, 0.0, &rule.strategies, Reason::Safety));
        }
    }
    if let Some(scores) = scores {
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
            // Elevated risks before low strengths; within each, the furthest
            // from the middle first. Facets before indices at equal scores.
            let (tier, key) = if band.as_str() == "low" {
                (2, value)
            } else {
                (1, -value)
            };
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
    if ordered.iter().all(|(tier, ..)| *tier == 0) {
        for rule in guidance.rules_where(|t| *t == Trigger::Maintenance) {
            ordered.push((3, 0.0, &rule.strategies, Reason::Maintenance));
        }
    }
    ordered.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut suggestions: Vec<Suggestion> = Vec::new();
    for (_, _, strategies, reason) in ordered {
        for strategy in strategies {
            match suggestions.iter_mut().find(|s| &s.strategy == strategy) {
                Some(existing) => existing.reasons.push(reason.clone()),
                None => suggestions.push(Suggestion {
                    strategy: strategy.clone(),
                    reason: reason.clone(),
                    reasons: vec![reason.clone()],
                }),
            }
        }
    }
    suggestions
}

//! Clinically significant change (Jacobson & Truax 1991): whether a change
//! that is reliable (see [`crate::change`]) also takes a score from the
//! range of people seeking help into the range of people in general.
//!
//! The cut-off is chosen by what the instrument declares:
//! - **c**, between the two means weighted by the other's SD,
//!   `(SD_f · M_d + SD_d · M_f) / (SD_f + SD_d)`, when both the general
//!   (functional) and the help-seeking (dysfunctional) norms are declared;
//! - **a**, two SDs from the help-seeking mean towards better, when only
//!   those norms are;
//! - **b**, two SDs from the general mean towards worse, when only those
//!   are;
//! - none when neither is, which the verdict says plainly.

use serde::Serialize;

use crate::change::{Change, Verdict};
use crate::instrument::{Better, Norms};

/// Which of Jacobson & Truax's cut-offs is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CutoffKind {
    /// Two SDs beyond the help-seeking mean.
    A,
    /// Within two SDs of the general mean.
    B,
    /// Between the two means.
    C,
}

/// A cut-off and its value on the score's scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cutoff {
    /// Which one.
    pub kind: CutoffKind,
    /// The score it falls at.
    pub value: f64,
}

/// The cut-off the declared norms allow, if any.
pub fn cutoff(
    functional: Option<&Norms>,
    dysfunctional: Option<&Norms>,
    better: Better,
) -> Option<Cutoff> {
    // Towards better is down when lower is better.
    let toward_better = match better {
        Better::Lower => -1.0,
        Better::Higher => 1.0,
    };
    match (functional, dysfunctional) {
        (Some(f), Some(d)) => Some(Cutoff {
            kind: CutoffKind::C,
            value: (f.sd * d.mean + d.sd * f.mean) / (f.sd + d.sd),
        }),
        (None, Some(d)) => Some(Cutoff {
            kind: CutoffKind::A,
            value: d.mean + toward_better * 2.0 * d.sd,
        }),
        (Some(f), None) => Some(Cutoff {
            kind: CutoffKind::B,
            value: f.mean - toward_better * 2.0 * f.sd,
        }),
        (None, None) => None,
    }
}

/// What a change comes to, judged the way round that is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    /// A reliable change for the better that crossed the cut-off.
    Recovered,
    /// A reliable change for the better (that did not cross it, or with no
    /// cut-off to cross).
    Improved,
    /// Within measurement error.
    NoReliableChange,
    /// A reliable change for the worse.
    Deteriorated,
    /// No verdict: reliability is not known, or the questions changed.
    NotJudged,
}

/// The clinical reading of one change.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClinicalChange {
    /// What it comes to.
    pub outcome: Outcome,
    /// The cut-off used; none when no norms are declared, so "recovered"
    /// cannot be said.
    pub cutoff: Option<Cutoff>,
}

/// Whether the reliable part of a change is for the better, the worse, or
/// neither, given which way is better.
pub fn direction(change: &Change, better: Better) -> Outcome {
    match (change.verdict, better) {
        (Verdict::ReliableDecrease, Better::Lower)
        | (Verdict::ReliableIncrease, Better::Higher) => Outcome::Improved,
        (Verdict::ReliableIncrease, Better::Lower)
        | (Verdict::ReliableDecrease, Better::Higher) => Outcome::Deteriorated,
        (Verdict::WithinError, _) => Outcome::NoReliableChange,
        (Verdict::Unknown | Verdict::QuestionsChanged, _) => Outcome::NotJudged,
    }
}

/// Jacobson & Truax's verdict on `change`: recovered when it is reliably
/// better and now lies on the better side of the cut-off having started on
/// the other.
pub fn clinical_change(change: &Change, better: Better, cutoff: Option<Cutoff>) -> ClinicalChange {
    let on_better_side = |score: f64, at: f64| match better {
        Better::Lower => score < at,
        Better::Higher => score > at,
    };
    let outcome = match direction(change, better) {
        Outcome::Improved
            if cutoff.is_some_and(|c| {
                !on_better_side(change.from, c.value) && on_better_side(change.to, c.value)
            }) =>
        {
            Outcome::Recovered
        }
        other => other,
    };
    ClinicalChange { outcome, cutoff }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::reliable_change;
    use crate::instrument::Precision;

    fn norms(mean: f64, sd: f64) -> Norms {
        Norms {
            mean,
            sd,
            n: 100,
            population: "test".into(),
        }
    }

    #[test]
    fn the_healthy_scores_are_better_higher_and_their_facets_follow() {
        let rdp = crate::instrument::builtin::builtin_by_id("rdp")
            .unwrap()
            .unwrap();
        for index in &rdp.indices {
            let healthy = ["interdependence", "power_balance"].contains(&index.id.as_str());
            let expected = if healthy {
                Better::Higher
            } else {
                Better::Lower
            };
            assert_eq!(index.better, expected, "{}", index.id);
            for facet in rdp.facets.iter().filter(|f| index.facets.contains(&f.id)) {
                assert_eq!(facet.better, expected, "{}", facet.id);
            }
        }
        let checkin = crate::instrument::builtin::builtin_by_id("checkin")
            .unwrap()
            .unwrap();
        assert!(checkin.indices.iter().all(|i| i.better == Better::Higher));
        assert!(checkin.facets.iter().all(|f| f.better == Better::Higher));
    }

    #[test]
    fn cutoffs_follow_the_declared_norms() {
        let general = norms(2.0, 0.5);
        let seeking = norms(4.0, 1.0);
        // c = (0.5·4 + 1·2) / 1.5 = 8/3.
        let c = cutoff(Some(&general), Some(&seeking), Better::Lower).unwrap();
        assert_eq!(c.kind, CutoffKind::C);
        assert!((c.value - 8.0 / 3.0).abs() < 1e-12);
        // a = 4 − 2·1 when lower is better, 4 + 2 when higher is.
        assert_eq!(
            cutoff(None, Some(&seeking), Better::Lower).unwrap().value,
            2.0
        );
        assert_eq!(
            cutoff(None, Some(&seeking), Better::Higher).unwrap().value,
            6.0
        );
        // b = 2 + 2·0.5 when lower is better, 2 − 1 when higher is.
        let b = cutoff(Some(&general), None, Better::Lower).unwrap();
        assert_eq!((b.kind, b.value), (CutoffKind::B, 3.0));
        assert_eq!(
            cutoff(Some(&general), None, Better::Higher).unwrap().value,
            1.0
        );
        assert_eq!(cutoff(None, None, Better::Lower), None);
    }

    #[test]
    fn worked_examples() {
        // SEM = 1 · √(1 − 0.84) = 0.4; √2 · SEM ≈ 0.566, so a change of more
        // than 1.96 · 0.566 ≈ 1.109 is reliable.
        let precision = Some(Precision {
            reliability: 0.84,
            sd: 1.0,
        });
        let c = Some(Cutoff {
            kind: CutoffKind::C,
            value: 3.0,
        });
        let cases = [
            // from, to, better, outcome
            (4.5, 2.5, Better::Lower, Outcome::Recovered),
            (4.5, 3.2, Better::Lower, Outcome::Improved),
            (2.9, 1.5, Better::Lower, Outcome::Improved),
            (3.5, 2.8, Better::Lower, Outcome::NoReliableChange),
            (2.0, 3.5, Better::Lower, Outcome::Deteriorated),
            (2.0, 3.5, Better::Higher, Outcome::Recovered),
            (4.0, 2.5, Better::Higher, Outcome::Deteriorated),
            (3.2, 4.5, Better::Higher, Outcome::Improved),
        ];
        for (from, to, better, outcome) in cases {
            let change = reliable_change(from, to, precision);
            assert_eq!(
                clinical_change(&change, better, c).outcome,
                outcome,
                "{from} → {to}, {better:?} better"
            );
        }
        // No norms: reliably better is "improved", never "recovered".
        let change = reliable_change(4.5, 2.5, precision);
        let judged = clinical_change(&change, Better::Lower, None);
        assert_eq!((judged.outcome, judged.cutoff), (Outcome::Improved, None));
        // No reliability: no verdict at all.
        let unknown = reliable_change(4.5, 1.0, None);
        assert_eq!(
            clinical_change(&unknown, Better::Lower, c).outcome,
            Outcome::NotJudged
        );
    }
}

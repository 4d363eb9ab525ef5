//! Change between two administrations, judged by the Reliable Change Index
//! (Jacobson & Truax 1991): `RCI = (x2 − x1) / (√2 · SEM)`, real when |RCI| > 1.96.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ids::IndexId;
use crate::instrument::{Instrument, Precision};
use crate::scoring::{Scores, Z95};

/// What a change between two scores means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Verdict {
    /// The score rose by more than measurement error explains.
    ReliableIncrease,
    /// The score fell by more than measurement error explains.
    ReliableDecrease,
    /// The difference is within measurement error.
    WithinError,
    /// Reliability is not known, so no verdict is given.
    Unknown,
    /// The two were taken with different versions of the questions, so
    /// their scores are not compared by the RCI.
    QuestionsChanged,
}

/// The change in one score.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// Earlier score.
    pub from: f64,
    /// Later score.
    pub to: f64,
    /// `to − from`.
    pub difference: f64,
    /// The Reliable Change Index, when reliability is known.
    pub rci: Option<f64>,
    /// What the change means.
    pub verdict: Verdict,
}

/// The change from `x1` to `x2` on a score measured with `precision`.
pub fn reliable_change(x1: f64, x2: f64, precision: Option<Precision>) -> Change {
    let difference = x2 - x1;
    let rci = precision.map(|p| difference / (std::f64::consts::SQRT_2 * p.sem()));
    let verdict = match rci {
        None => Verdict::Unknown,
        Some(rci) if rci > Z95 => Verdict::ReliableIncrease,
        Some(rci) if rci < -Z95 => Verdict::ReliableDecrease,
        Some(_) => Verdict::WithinError,
    };
    Change {
        from: x1,
        to: x2,
        difference,
        rci,
        verdict,
    }
}

/// The change in every index scored in both administrations. Across a
/// version change there is no RCI: the verdict says the questions changed.
pub fn compare(
    instrument: &Instrument,
    earlier: &Scores,
    later: &Scores,
) -> BTreeMap<IndexId, Change> {
    let same_questions = earlier.version == later.version && earlier.instrument == later.instrument;
    instrument
        .indices
        .iter()
        .filter_map(|index| {
            let x1 = earlier.indices.get(&index.id)?.score?;
            let x2 = later.indices.get(&index.id)?.score?;
            let change = if same_questions {
                reliable_change(x1, x2, index.precision)
            } else {
                Change {
                    from: x1,
                    to: x2,
                    difference: x2 - x1,
                    rci: None,
                    verdict: Verdict::QuestionsChanged,
                }
            };
            Some((index.id.clone(), change))
        })
        .collect()
}

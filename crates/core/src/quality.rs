//! Response quality: answers that may not say what the person means.
//!
//! Four checks on one administration of a profile instrument, each a known
//! pattern of careless or one-sided answering (Paulhus 1991; Meade & Craig
//! 2012): acquiescence (agreeing whatever the keying), straight-lining (the
//! same answer nearly everywhere), midpoint overuse, and inconsistency
//! (items of one facet that contradict each other once keyed). When a flag
//! fires, the pattern is withheld and the person is asked, kindly, to look
//! over their answers. Quality never silences risk: that is decided apart.

use serde::Serialize;

use crate::answers::Answers;
use crate::instrument::{Instrument, Item, Kind, ResponseKind};
use crate::scoring::keyed_value;

/// Fewer scale answers than this are too few to judge.
pub const MIN_ANSWERS: usize = 12;

/// Acquiescence fires when the balanced mean agreement is this far (or
/// further) from the scale's middle, on a 1–5 scale 3.6 and above or 2.4
/// and below. A consistent person answers forward and reverse items of a
/// facet in opposite directions, so their balanced mean sits near the middle.
pub const ACQUIESCENCE_DISTANCE: f64 = 0.6;

/// Straight-lining fires when one answer makes up this share of all answers.
pub const STRAIGHT_LINE_SHARE: f64 = 0.8;

/// Midpoint overuse fires when the middle point makes up this share.
pub const MIDPOINT_SHARE: f64 = 0.5;

/// A forward and a reverse item of one facet contradict each other when
/// their keyed values lie this far apart (agreeing with both, say).
pub const CONTRADICTION_GAP: i64 = 3;

/// Inconsistency fires when this share of the forward–reverse pairs contradict.
pub const INCONSISTENT_SHARE: f64 = 0.2;

/// A pattern in how the answers were given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QualityFlag {
    /// Agreeing (or disagreeing) with items whichever way they are keyed.
    Acquiescence,
    /// Nearly the same answer to every item.
    StraightLine,
    /// The middle answer for most items.
    Midpoint,
    /// Items that should agree, once keyed, point opposite ways.
    Inconsistent,
}

impl QualityFlag {
    /// A kind sentence about the pattern, for the person.
    pub fn words(self) -> &'static str {
        match self {
            Self::Acquiescence => {
                "You agreed with most statements, also ones that say opposite things."
            }
            Self::StraightLine => "You gave the same answer to almost every question.",
            Self::Midpoint => "You picked the middle answer for most questions.",
            Self::Inconsistent => "Some answers point in opposite ways on the same topic.",
        }
    }
}

/// The checks' results for one administration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseQuality {
    /// The flags that fired, in a fixed order.
    pub flags: Vec<QualityFlag>,
    /// Scale answers the checks looked at.
    pub answered: usize,
    /// Mean raw agreement, each facet's forward and reverse items weighted alike.
    pub balanced_agreement: Option<f64>,
    /// Share of the most common answer.
    pub same_answer_share: Option<f64>,
    /// Share of middle answers.
    pub midpoint_share: Option<f64>,
    /// Share of forward–reverse pairs within a facet that contradict.
    pub contradiction_share: Option<f64>,
}

impl ResponseQuality {
    /// Whether the answers look trustworthy enough to name a pattern.
    pub fn is_ok(&self) -> bool {
        self.flags.is_empty()
    }

    /// No checks ran (a check-in, or too few answers).
    fn unchecked(answered: usize) -> Self {
        Self {
            flags: Vec::new(),
            answered,
            balanced_agreement: None,
            same_answer_share: None,
            midpoint_share: None,
            contradiction_share: None,
        }
    }
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Runs the four checks on a profile administration. Check-ins and
/// administrations with fewer than [`MIN_ANSWERS`] scale answers get no flags.
pub fn check_quality(instrument: &Instrument, answers: &Answers) -> ResponseQuality {
    let scored: Vec<(&Item, i64)> = instrument
        .items
        .iter()
        .filter(|item| item.response == ResponseKind::Scale && item.facet.is_some())
        .filter_map(|item| Some((item, answers.value(item.id.as_str())?)))
        .collect();
    if instrument.kind != Kind::Profile || scored.len() < MIN_ANSWERS {
        return ResponseQuality::unchecked(scored.len());
    }
    let total = scored.len() as f64;
    let scale = &instrument.scale;

    // Balanced agreement: per facet, the mean of its forward items' mean and
    // its reverse items' mean, so a facet keyed 3 to 1 counts like 2 to 2.
    let mut facet_means = Vec::new();
    for facet in &instrument.facets {
        let side = |reverse: bool| -> Vec<f64> {
            scored
                .iter()
                .filter(|(item, _)| {
                    item.facet.as_ref() == Some(&facet.id) && item.reverse == reverse
                })
                .map(|(_, value)| *value as f64)
                .collect()
        };
        match (mean(&side(false)), mean(&side(true))) {
            (Some(forward), Some(reverse)) => facet_means.push((forward + reverse) / 2.0),
            (Some(one), None) | (None, Some(one)) => facet_means.push(one),
            (None, None) => {}
        }
    }
    let balanced_agreement = mean(&facet_means);
    let middle = (scale.min + scale.max) as f64 / 2.0;

    let count_of = |value: i64| scored.iter().filter(|(_, v)| *v == value).count() as f64;
    let same_answer_share = (scale.min..=scale.max).map(count_of).fold(0.0, f64::max) / total;
    let midpoint_share = if (scale.min + scale.max) % 2 == 0 {
        count_of((scale.min + scale.max) / 2) / total
    } else {
        0.0
    };

    let mut pairs = 0usize;
    let mut contradictions = 0usize;
    for (i, (a, a_value)) in scored.iter().enumerate() {
        for (b, b_value) in &scored[i + 1..] {
            if a.facet != b.facet || a.reverse == b.reverse {
                continue;
            }
            pairs += 1;
            let gap = keyed_value(instrument, a.reverse, *a_value)
                - keyed_value(instrument, b.reverse, *b_value);
            if gap.abs() >= CONTRADICTION_GAP {
                contradictions += 1;
            }
        }
    }
    let contradiction_share = (pairs > 0).then(|| contradictions as f64 / pairs as f64);

    let mut flags = Vec::new();
    if balanced_agreement.is_some_and(|a| (a - middle).abs() >= ACQUIESCENCE_DISTANCE - 1e-9) {
        flags.push(QualityFlag::Acquiescence);
    }
    if same_answer_share >= STRAIGHT_LINE_SHARE {
        flags.push(QualityFlag::StraightLine);
    }
    if midpoint_share >= MIDPOINT_SHARE {
        flags.push(QualityFlag::Midpoint);
    }
    if contradiction_share.is_some_and(|share| share >= INCONSISTENT_SHARE) {
        flags.push(QualityFlag::Inconsistent);
    }
    ResponseQuality {
        flags,
        answered: scored.len(),
        balanced_agreement,
        same_answer_share: Some(same_answer_share),
        midpoint_share: Some(midpoint_share),
        contradiction_share,
    }
}

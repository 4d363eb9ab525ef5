//! Two partners' results side by side: perception gaps judged against the
//! noise of a difference, and the items far enough apart to talk about.
//! Pure functions over what each side shows; which side shows what is
//! decided by the store's sharing levels before anything reaches here.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::instrument::{Instrument, Precision, Signal};
use crate::scoring::Z95;

mod mutuality;
mod reading;
mod together;
mod us;
pub use mutuality::{
    FLOWS_FROM, Flow, Leaning, Mutuality, Told, flow_words, mutuality, partner_entry,
};
pub use reading::{GUESS_FACETS, GuessError, Reading, check_guesses, guess_items, reading};
pub use together::{CoupleSigns, TogetherStep, couple_plan};
pub use us::{US_ITEMS, US_SCALE, UsError, UsItem, check_us, us_score};

/// A gap of at least this many points (on the 1–5 scale) is flagged when
/// the score's reliability is not known.
pub const FIXED_GAP: f64 = 1.0;

/// Two answers at least this many points apart make a discussion item.
pub const DISCUSSION_DISTANCE: i64 = 2;

/// A 20-minute talk holds about this many items, a few minutes each.
pub const AGENDA_LENGTH: usize = 5;

/// What one side shows: index scores always, facets and items from their
/// levels up.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shown {
    /// Index scores by index id.
    pub indices: BTreeMap<String, f64>,
    /// Facet scores by facet id, when shown.
    pub facets: Option<BTreeMap<String, f64>>,
    /// Each item's answer on its scale, when shown.
    pub items: Option<BTreeMap<String, i64>>,
}

/// What a gap is a gap in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum GapOf {
    /// A composite index.
    Index,
    /// A facet.
    Facet,
}

/// What a gap's flag rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum GapBasis {
    /// The score's reliability: flagged beyond the noise of a difference.
    Reliability,
    /// No reliability known: flagged from [`FIXED_GAP`] points.
    Fixed,
}

/// One perception gap: how far apart two partners' scores are.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Gap {
    /// Index or facet.
    pub of: GapOf,
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// This person's score.
    pub mine: f64,
    /// The partner's score.
    pub theirs: f64,
    /// `theirs − mine`.
    pub gap: f64,
    /// How far apart two scores can be by measurement error alone (95%):
    /// `1.96 · √2 · SEM`, when reliability is known.
    pub noise: Option<f64>,
    /// What the flag rests on.
    pub basis: GapBasis,
    /// Whether the gap is larger than chance alone explains.
    pub flagged: bool,
}

/// One item the two answered at least [`DISCUSSION_DISTANCE`] points apart.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiscussionItem {
    /// The item.
    pub item: String,
    /// The facet it counts towards.
    pub facet: String,
    /// A neutral question to open the talk with.
    pub prompt: &'static str,
    /// This person's answer.
    pub mine: i64,
    /// The partner's answer.
    pub theirs: i64,
    /// How far apart, in points.
    pub distance: i64,
}

/// Whether `gap` is flagged: beyond the noise of a difference of two scores
/// measured with `precision`, or from [`FIXED_GAP`] points without it.
pub fn judge(gap: f64, precision: Option<Precision>) -> (Option<f64>, GapBasis, bool) {
    match precision {
        Some(p) => {
            let noise = Z95 * std::f64::consts::SQRT_2 * p.sem();
            (Some(noise), GapBasis::Reliability, gap.abs() > noise)
        }
        None => (None, GapBasis::Fixed, gap.abs() >= FIXED_GAP - 1e-9),
    }
}

/// The gaps in every index both sides show, then every facet when both
/// show facets, in the instrument's order.
pub fn gaps(instrument: &Instrument, mine: &Shown, theirs: &Shown) -> Vec<Gap> {
    let gap = |of, id: &str, name: &str, pair: (f64, f64), precision| {
        let (noise, basis, flagged) = judge(pair.1 - pair.0, precision);
        Gap {
            of,
            id: id.to_owned(),
            name: name.to_owned(),
            mine: pair.0,
            theirs: pair.1,
            gap: pair.1 - pair.0,
            noise,
            basis,
            flagged,
        }
    };
    let both = |a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>, id: &str| {
        Some((*a.get(id)?, *b.get(id)?))
    };
    let mut found: Vec<Gap> = instrument
        .indices
        .iter()
        .filter_map(|index| {
            let pair = both(&mine.indices, &theirs.indices, index.id.as_str())?;
            Some(gap(
                GapOf::Index,
                index.id.as_str(),
                &index.name,
                pair,
                index.precision,
            ))
        })
        .collect();
    if let (Some(a), Some(b)) = (&mine.facets, &theirs.facets) {
        found.extend(instrument.facets.iter().filter_map(|facet| {
            let pair = both(a, b, facet.id.as_str())?;
            Some(gap(
                GapOf::Facet,
                facet.id.as_str(),
                &facet.name,
                pair,
                facet.precision,
            ))
        }));
    }
    found
}

/// The items both answered at least [`DISCUSSION_DISTANCE`] points apart,
/// farthest first (the instrument's order among equals), at most
/// [`AGENDA_LENGTH`]; none unless both show items. Items that can signal
/// coercive control are never among them: a talk about them is not one to
/// start from a report.
pub fn discussion_items(
    instrument: &Instrument,
    mine: &Shown,
    theirs: &Shown,
) -> Vec<DiscussionItem> {
    let (Some(a), Some(b)) = (&mine.items, &theirs.items) else {
        return Vec::new();
    };
    let mut found: Vec<DiscussionItem> = instrument
        .items
        .iter()
        .filter(|item| item.signals != Some(Signal::Coercion))
        .filter_map(|item| {
            let facet = item.facet.as_ref()?;
            let (mine, theirs) = (*a.get(item.id.as_str())?, *b.get(item.id.as_str())?);
            let distance = (mine - theirs).abs();
            (distance >= DISCUSSION_DISTANCE).then(|| DiscussionItem {
                item: item.id.to_string(),
                facet: facet.to_string(),
                prompt: talk_prompt(facet.as_str()),
                mine,
                theirs,
                distance,
            })
        })
        .collect();
    found.sort_by_key(|d| std::cmp::Reverse(d.distance));
    found.truncate(AGENDA_LENGTH);
    found
}

/// A neutral question for talking about one facet: about how each of you
/// sees it, never about who is right.
pub fn talk_prompt(facet: &str) -> &'static str {
    match facet {
        "ER" => "Where does each of you go when feelings run high?",
        "VS" => "How much does each of you need to hear that you are doing well?",
        "DD" => "How do you each make choices that are mostly about yourself?",
        "FA" => "How does time apart feel to each of you?",
        "CT" => "Who takes care of whose problems, and does that feel fair?",
        "SN" => "What has each of you kept for yourself, and what has faded?",
        "MS" => "When did each of you last feel you could count on the other?",
        "AU" => "What does each of you do just for yourself, and how does that feel?",
        "CN" => "How easy is it for each of you to say what you need?",
        "BD" => "How do you each say no, and how is a no taken?",
        "DT" => "How close or how far does each of you like to be?",
        "PB" => "How do you make big choices together, such as about money?",
        _ => "How does each of you see this part of your life together?",
    }
}

#[cfg(test)]
mod tests;

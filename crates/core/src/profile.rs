//! The profile: a plain description of the pattern the indices show, never a
//! diagnosis. A condition that holds only for part of a score's 95% interval
//! (or, while reliability is unknown, within [`BORDERLINE_MARGIN`] of a
//! cut-off) makes the profile "borderline" instead of forcing a type.
//!
//! Risk shapes it: low shared power is a flag shown above the pattern, and
//! under any risk the pattern is never "balanced". Answers that fail the
//! response-quality checks get no pattern at all, only their flags.

use serde::Serialize;

use crate::instrument::Instrument;
use crate::quality::ResponseQuality;
use crate::risk::{RiskContext, RiskSignal, low_power};
use crate::scoring::{Score, Scores};

/// Without known reliability, a score this close to a cut-off counts as
/// possibly on either side of it.
pub const BORDERLINE_MARGIN: f64 = 0.25;

/// Something shown above the pattern, because it matters more than the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ProfileFlag {
    /// Shared power is low: choices or money sit on one side.
    LowPowerBalance,
    /// Answers to items that can point to coercive control.
    CoercionSignals,
    /// The safety check or a check-in raised a concern (the person's own view only).
    SafetyConcern,
}

impl ProfileFlag {
    /// What the flag means, in calm words.
    pub fn words(self) -> &'static str {
        match self {
            Self::LowPowerBalance => {
                "Power looks one-sided: choices or money seem to rest mostly with the other person. This matters more than any pattern below."
            }
            Self::CoercionSignals => {
                "Some answers suggest the other person may control things that should be yours to decide. You deserve a say in your own life."
            }
            Self::SafetyConcern => {
                "Your answers about feeling safe come first. Your plan starts with support for staying safe."
            }
        }
    }
}

/// The patterns of docs/DOMAIN.md ("Profiles"), most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ProfileKind {
    /// Over-dependence and detachment both elevated.
    PushAndPull,
    /// Over-dependence elevated.
    LeaningInTooFar,
    /// Caretaking elevated.
    CarryingTheRelationship,
    /// Detachment elevated and mutual support low.
    HoldingBack,
    /// Interdependence high and the three risks low.
    BalancedInterdependence,
    /// None of the above; the report speaks facet by facet.
    Mixed,
}

impl ProfileKind {
    /// The name a person reads.
    pub fn name(self) -> &'static str {
        match self {
            Self::PushAndPull => "Push and pull",
            Self::LeaningInTooFar => "Leaning in too far",
            Self::CarryingTheRelationship => "Carrying the relationship",
            Self::HoldingBack => "Holding back",
            Self::BalancedInterdependence => "Balanced interdependence",
            Self::Mixed => "Mixed",
        }
    }

    /// What the pattern means, in plain and kind words.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::PushAndPull => {
                "You lean on this person a lot, and you also keep them at a distance. Wanting to be close and wanting to be safe can pull in two ways at once."
            }
            Self::LeaningInTooFar => {
                "Much of how you feel, and many of your choices, rest on this person. Leaning on someone is good; it helps to have other places to lean too."
            }
            Self::CarryingTheRelationship => {
                "You take on a lot of this person's feelings and problems, and your own needs may get left behind. Caring for them works best when you care for yourself too."
            }
            Self::HoldingBack => {
                "You tend to keep your distance and handle things on your own. Letting this person help now and then can make the bond stronger."
            }
            Self::BalancedInterdependence => {
                "You give and take support, say what you need, and keep a life of your own. This is a healthy balance to keep up."
            }
            Self::Mixed => {
                "Your answers do not fit one simple pattern. The facets below show where things stand, one by one."
            }
        }
    }
}

/// The profile of one administration.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// The pattern; `None` when it is withheld.
    pub kind: Option<ProfileKind>,
    /// Its name; `None` when it is withheld.
    pub name: Option<&'static str>,
    /// Whether the pattern is withheld because the answers did not pass the
    /// response-quality checks.
    pub withheld: bool,
    /// What is shown above the pattern.
    pub flags: Vec<ProfileFlag>,
    /// Whether a score's interval straddles a cut-off that decides the pattern.
    pub borderline: bool,
    /// Other patterns that also hold.
    pub also: Vec<ProfileKind>,
    /// Whether intervals were known; without them the pattern rests on point scores.
    pub intervals_known: bool,
}

impl Profile {
    /// The heading a person reads: the pattern's name (with "borderline"),
    /// or a gentle word when it is withheld.
    pub fn title(&self) -> String {
        match self.name {
            Some(name) if self.borderline => format!("{name} (borderline)"),
            Some(name) => name.to_owned(),
            None => "Not named yet".to_owned(),
        }
    }

    /// What the pattern means, or why it is not named.
    pub fn meaning(&self) -> &'static str {
        match self.kind {
            Some(kind) => kind.meaning(),
            None => {
                "Some of your answers follow a pattern that can hide what you really think, so we have not named one. Please look over your answers and change any that do not fit, or take the profile again when you have a quiet moment."
            }
        }
    }

    /// The flags in plain words, most important first.
    pub fn flag_words(&self) -> Vec<&'static str> {
        self.flags.iter().map(|f| f.words()).collect()
    }
}

/// Three-valued truth: a condition can hold, fail, or depend on where in its
/// interval the true score lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    Yes,
    Maybe,
    No,
}

fn all(truths: &[Truth]) -> Truth {
    if truths.contains(&Truth::No) {
        Truth::No
    } else if truths.contains(&Truth::Maybe) {
        Truth::Maybe
    } else {
        Truth::Yes
    }
}

/// Whether a score lies in a band, judged across its whole interval (or
/// the margin, while reliability is unknown).
fn in_band(instrument: &Instrument, score: &Score, band: &str) -> Option<Truth> {
    let point = score.score?;
    let (min, max) = (instrument.scale.min as f64, instrument.scale.max as f64);
    let (low, high) = match (score.low, score.high, score.sem) {
        (Some(low), Some(high), Some(_)) => (low, high),
        _ => (
            (point - BORDERLINE_MARGIN).max(min),
            (point + BORDERLINE_MARGIN).min(max),
        ),
    };
    let band_at = |x: f64| instrument.band_of(x).map(|b| b.id.as_str() == band);
    let hits = [band_at(low)?, band_at(point)?, band_at(high)?];
    Some(if hits.iter().all(|hit| *hit) {
        Truth::Yes
    } else if hits.iter().any(|hit| *hit) {
        Truth::Maybe
    } else {
        Truth::No
    })
}

/// Decides the profile from the RDP's indices, the answers' quality and the
/// person's risk context. `None` when a needed index or facet is not scored
/// (too many answers missing) or the instrument has none.
pub fn profile(
    instrument: &Instrument,
    scores: &Scores,
    quality: &ResponseQuality,
    risk: &RiskContext,
) -> Option<Profile> {
    let pattern = pattern(instrument, scores)?;
    let mut flags = Vec::new();
    if low_power(scores) {
        flags.push(ProfileFlag::LowPowerBalance);
    }
    if risk.has(RiskSignal::Coercion) {
        flags.push(ProfileFlag::CoercionSignals);
    }
    if risk.from_safety_answers() && risk.rules_out_balance() {
        flags.push(ProfileFlag::SafetyConcern);
    }
    let under_risk = risk.rules_out_balance() || !flags.is_empty();
    let (mut kind, mut borderline, mut also) = pattern;
    if under_risk {
        also.retain(|k| *k != ProfileKind::BalancedInterdependence);
        if kind == ProfileKind::BalancedInterdependence {
            kind = ProfileKind::Mixed;
            borderline = false;
        }
    }
    let intervals_known = scores.indices.values().all(|score| score.sem.is_some());
    let withheld = !quality.is_ok();
    Some(Profile {
        kind: (!withheld).then_some(kind),
        name: (!withheld).then_some(kind.name()),
        withheld,
        flags,
        borderline: !withheld && borderline,
        also: if withheld { Vec::new() } else { also },
        intervals_known,
    })
}

/// The pattern the indices alone show: kind, borderline, others that hold.
fn pattern(
    instrument: &Instrument,
    scores: &Scores,
) -> Option<(ProfileKind, bool, Vec<ProfileKind>)> {
    let index = |id: &str, band: &str| in_band(instrument, scores.indices.get(id)?, band);
    let facet = |id: &str, band: &str| in_band(instrument, scores.facets.get(id)?, band);
    let over = index("over_dependence", "elevated")?;
    let care = index("caretaking", "elevated")?;
    let detach = index("detachment", "elevated")?;
    let inter = index("interdependence", "elevated")?;
    let support_low = facet("MS", "low")?;
    let low = |id: &str| index(id, "low");
    let rules = [
        (ProfileKind::PushAndPull, all(&[over, detach])),
        (ProfileKind::LeaningInTooFar, over),
        (ProfileKind::CarryingTheRelationship, care),
        (ProfileKind::HoldingBack, all(&[detach, support_low])),
        (
            ProfileKind::BalancedInterdependence,
            all(&[
                inter,
                low("over_dependence")?,
                low("caretaking")?,
                low("detachment")?,
            ]),
        ),
    ];
    let chosen = rules
        .iter()
        .position(|(_, truth)| *truth == Truth::Yes)
        .or_else(|| rules.iter().position(|(_, truth)| *truth == Truth::Maybe));
    let Some(at) = chosen else {
        return Some((ProfileKind::Mixed, false, Vec::new()));
    };
    let (kind, truth) = rules[at];
    let borderline = truth == Truth::Maybe || rules[..at].iter().any(|(_, t)| *t == Truth::Maybe);
    let also = rules[at + 1..]
        .iter()
        .filter(|(other, t)| {
            *t == Truth::Yes
                && !(kind == ProfileKind::PushAndPull && *other == ProfileKind::LeaningInTooFar)
        })
        .map(|(other, _)| *other)
        .collect();
    Some((kind, borderline, also))
}

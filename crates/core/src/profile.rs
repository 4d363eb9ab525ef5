//! The profile: a plain description of the pattern the indices show, never a
//! diagnosis. A condition that holds only for part of a score's 95% interval
//! makes the profile "borderline" instead of forcing a type.

use serde::Serialize;

use crate::instrument::Instrument;
use crate::scoring::{Score, Scores};

/// The patterns of DOMAIN.md, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
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
pub struct Profile {
    /// The pattern.
    pub kind: ProfileKind,
    /// Its name.
    pub name: &'static str,
    /// Whether a score's interval straddles a cut-off that decides the pattern.
    pub borderline: bool,
    /// Other patterns that also hold.
    pub also: Vec<ProfileKind>,
    /// Whether intervals were known; without them the pattern rests on point scores.
    pub intervals_known: bool,
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

/// Whether a score lies in a band, judged across its whole interval.
fn in_band(instrument: &Instrument, score: &Score, band: &str) -> Option<Truth> {
    let point = score.score?;
    let (low, high) = (score.low.unwrap_or(point), score.high.unwrap_or(point));
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

/// Decides the profile from the RDP's indices. `None` when a needed index or
/// facet is not scored (too many answers missing) or the instrument has none.
pub fn profile(instrument: &Instrument, scores: &Scores) -> Option<Profile> {
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
    let intervals_known = scores.indices.values().all(|score| score.sem.is_some());
    let Some(at) = chosen else {
        return Some(Profile {
            kind: ProfileKind::Mixed,
            name: ProfileKind::Mixed.name(),
            borderline: false,
            also: Vec::new(),
            intervals_known,
        });
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
    Some(Profile {
        kind,
        name: kind.name(),
        borderline,
        also,
        intervals_known,
    })
}

//! Scoring one administration: facet means with the missing-item rule,
//! composite indices, standard errors with 95% intervals, bands and norms.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::answers::Answers;
use crate::ids::{BandId, FacetId, IndexId, InstrumentId};
use crate::instrument::{Instrument, Kind, Norms, Precision, ScoringRule};

/// The version of the scoring rules in [`score`]. Point scores kept beside
/// an administration carry it, and are made again whenever it changes: raise
/// it with any change to how a facet or index score is computed.
pub const SCORER_VERSION: i64 = 1;

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Why an administration cannot be scored at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    /// Safety screens are screened, never scored into the generic results.
    #[error("{0} is a safety screen: it is screened, not scored")]
    SafetyScreen(InstrumentId),
}

/// One facet or index score with what is known about its precision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    /// Mean on the scale, or `None` when too many items are missing.
    pub score: Option<f64>,
    /// Lower edge of the 95% interval, when reliability is known.
    pub low: Option<f64>,
    /// Upper edge of the 95% interval, when reliability is known.
    pub high: Option<f64>,
    /// The band of the score.
    pub band: Option<BandId>,
    /// Whether the interval reaches into another band than the score's.
    pub borderline: bool,
    /// Standard error of measurement, when reliability is known.
    pub sem: Option<f64>,
    /// Percentile in the declared norm population, when norms exist.
    pub percentile: Option<f64>,
    /// Items (or facets, for an index) that counted.
    pub answered: usize,
    /// Items (or facets) that were missing.
    pub missing: usize,
}

/// Every score of one administration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// The instrument scored.
    pub instrument: InstrumentId,
    /// Its version.
    pub version: String,
    /// Facet scores by facet id.
    pub facets: BTreeMap<FacetId, Score>,
    /// Index scores by index id.
    pub indices: BTreeMap<IndexId, Score>,
}

impl Scores {
    /// Whether every facet has a score: an administration with a facet the
    /// missing rule left unscored is incomplete, and is never the latest
    /// result that a profile, a plan or a trend is built from.
    pub fn is_complete(&self) -> bool {
        self.facets.values().all(|facet| facet.score.is_some())
    }

    /// The facets the missing rule left unscored.
    pub fn unscored_facets(&self) -> Vec<&FacetId> {
        self.facets
            .iter()
            .filter(|(_, facet)| facet.score.is_none())
            .map(|(id, _)| id)
            .collect()
    }
}

/// The band's label as the person reads it, with "(borderline)" when the
/// interval reaches into another band; a dash when not scored.
pub fn band_label(instrument: &Instrument, score: &Score) -> String {
    let label = score
        .band
        .as_ref()
        .and_then(|id| instrument.bands.iter().find(|band| &band.id == id))
        .map_or("—", |band| band.label.as_str());
    if score.borderline {
        format!("{label} (borderline)")
    } else {
        label.to_owned()
    }
}

/// A score as a person reads it: `3.25`, `3.25 (2.90 to 3.60)` with an
/// interval, or "not scored".
pub fn score_text(score: &Score) -> String {
    match (score.score, score.low, score.high) {
        (Some(x), Some(low), Some(high)) => format!("{x:.2} ({low:.2} to {high:.2})"),
        (Some(x), _, _) => format!("{x:.2}"),
        _ => "not scored".to_owned(),
    }
}

/// Whether a facet's cluster is a strength (high is good) rather than a risk.
pub fn is_strength(facet: &crate::instrument::Facet) -> bool {
    matches!(facet.cluster.as_str(), "interdependence" | "power_balance")
}

/// The facets that stand out, in instrument order: risks in the elevated
/// band and strengths in the low band. Reports, journal prompts and the
/// terminal all ask this one question.
pub fn standing_out<'a>(
    instrument: &'a Instrument,
    scores: &Scores,
) -> Vec<&'a crate::instrument::Facet> {
    instrument
        .facets
        .iter()
        .filter(|facet| {
            let band = scores
                .facets
                .get(&facet.id)
                .and_then(|s| s.band.as_ref())
                .map(|b| b.as_str());
            matches!(
                (band, is_strength(facet)),
                (Some("elevated"), false) | (Some("low"), true)
            )
        })
        .collect()
}

/// The value an item contributes after keying: reverse items are mirrored.
pub fn keyed_value(instrument: &Instrument, reverse: bool, value: i64) -> i64 {
    if reverse {
        instrument.scale.mirror(value)
    } else {
        value
    }
}

/// Scores an administration of a profile or check-in instrument.
pub fn score(instrument: &Instrument, answers: &Answers) -> Result<Scores, ScoringError> {
    let max_missing = match instrument.scoring {
        ScoringRule::Mean { max_missing } if instrument.kind != Kind::Safety => max_missing,
        _ => return Err(ScoringError::SafetyScreen(instrument.id.clone())),
    };
    let facets: BTreeMap<FacetId, Score> = instrument
        .facets
        .iter()
        .map(|facet| {
            let mut values = Vec::new();
            let mut missing = 0;
            for item in instrument.items_of(&facet.id) {
                match answers.value(item.id.as_str()) {
                    Some(value) => values.push(keyed_value(instrument, item.reverse, value) as f64),
                    None => missing += 1,
                }
            }
            let mean = (missing <= max_missing && !values.is_empty())
                .then(|| values.iter().sum::<f64>() / values.len() as f64);
            let score = describe(
                instrument,
                mean,
                facet.precision,
                facet.norms.as_ref(),
                values.len(),
                missing,
            );
            (facet.id.clone(), score)
        })
        .collect();
    let indices = instrument
        .indices
        .iter()
        .map(|index| {
            let means: Vec<Option<f64>> = index
                .facets
                .iter()
                .map(|facet| facets.get(facet).and_then(|score| score.score))
                .collect();
            let answered = means.iter().flatten().count();
            let missing = means.len() - answered;
            // An index is the mean of its facet means; with a facet unscored it
            // would silently mean something else, so it is not scored either.
            let mean = (missing == 0 && answered > 0)
                .then(|| means.iter().flatten().sum::<f64>() / answered as f64);
            let score = describe(
                instrument,
                mean,
                index.precision,
                index.norms.as_ref(),
                answered,
                missing,
            );
            (index.id.clone(), score)
        })
        .collect();
    Ok(Scores {
        instrument: instrument.id.clone(),
        version: instrument.version.clone(),
        facets,
        indices,
    })
}

fn describe(
    instrument: &Instrument,
    mean: Option<f64>,
    precision: Option<Precision>,
    norms: Option<&Norms>,
    answered: usize,
    missing: usize,
) -> Score {
    let sem = precision.map(|p| p.sem());
    let interval = mean.zip(sem).map(|(mean, sem)| {
        let (min, max) = (instrument.scale.min as f64, instrument.scale.max as f64);
        (
            (mean - Z95 * sem).clamp(min, max),
            (mean + Z95 * sem).clamp(min, max),
        )
    });
    let band = mean.and_then(|mean| instrument.band_of(mean));
    let borderline = interval.is_some_and(|(low, high)| {
        let id = |x: f64| instrument.band_of(x).map(|band| band.id.clone());
        id(low) != id(high)
    });
    Score {
        score: mean,
        low: interval.map(|(low, _)| low),
        high: interval.map(|(_, high)| high),
        band: band.map(|band| band.id.clone()),
        borderline,
        sem,
        percentile: mean
            .zip(norms)
            .map(|(mean, norms)| 100.0 * normal_cdf((mean - norms.mean) / norms.sd)),
        answered,
        missing,
    }
}

/// Standard normal distribution function, via the error function.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * (1.0 + erf(z / std::f64::consts::SQRT_2))
}

/// Error function, Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7),
/// ample for a percentile shown as a whole number.
fn erf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let y = 1.0 - poly * (-x * x).exp();
    if x >= 0.0 { y } else { -y }
}

//! Loading an instrument definition (TOML) and checking every rule, so that a
//! broken file is refused with each problem named by file, line and id.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{
    AnswerCode, Band, Better, CodePoint, Facet, Index, Instrument, Item, Kind, Norms, Precision,
    ResponseKind, SafetyLevel, Scale, ScalePoint, ScoringRule, Signal, SignalWhen, Voice,
};
use crate::guidance;
use crate::ids::{BandId, FacetId, GuidanceId, IndexId, InstrumentId, ItemId};

/// One thing wrong with a definition file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// 1-based line, when the problem has a place.
    pub line: Option<usize>,
    /// The item, facet, index or band id concerned, when there is one.
    pub id: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
}

/// A definition file that could not be loaded, with every problem found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct LoadError {
    /// The file name as the caller gave it.
    pub file: String,
    /// Everything wrong, in file order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(
            f,
            "{}: {count} problem{} in instrument definition",
            self.file,
            if count == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n  {}", self.file)?;
            if let Some(line) = problem.line {
                write!(f, ":{line}")?;
            }
            write!(f, ": ")?;
            if let Some(id) = &problem.id {
                write!(f, "`{id}`: ")?;
            }
            write!(f, "{}", problem.message)?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    instrument: RawHeader,
    scale: Spanned<RawScale>,
    scoring: Spanned<RawScoring>,
    #[serde(default)]
    bands: Vec<Spanned<RawBand>>,
    #[serde(default)]
    facets: Vec<Spanned<RawFacet>>,
    #[serde(default)]
    indices: Vec<Spanned<RawIndex>>,
    #[serde(default)]
    items: Vec<Spanned<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: Spanned<String>,
    version: String,
    name: String,
    kind: Kind,
    #[serde(default)]
    intro: String,
    #[serde(default)]
    voice: Voice,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    points: Vec<RawPoint>,
}

/// A point of the scale as written: a `value`, or a `code` such as
/// `prefer_not_to_say` for a choice without one.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    value: Option<i64>,
    code: Option<String>,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, tag = "method", rename_all = "snake_case")]
enum RawScoring {
    Mean { max_missing: usize },
    Flag { positive_at: i64 },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    id: String,
    label: String,
    from: f64,
    to: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFacet {
    id: String,
    name: String,
    cluster: String,
    high_means: String,
    reliability: Option<f64>,
    sd: Option<f64>,
    norms: Option<Norms>,
    clinical_norms: Option<Norms>,
    better: Option<Better>,
    #[serde(default)]
    guidance: HashMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndex {
    id: String,
    name: String,
    facets: Vec<String>,
    reliability: Option<f64>,
    sd: Option<f64>,
    norms: Option<Norms>,
    clinical_norms: Option<Norms>,
    better: Option<Better>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    text: String,
    facet: Option<String>,
    #[serde(default)]
    reverse: bool,
    #[serde(default = "scale_response")]
    response: ResponseKind,
    #[serde(default)]
    optional: bool,
    signals: Option<Signal>,
    signals_when: Option<SignalWhen>,
    level: Option<SafetyLevel>,
}

fn scale_response() -> ResponseKind {
    ResponseKind::Scale
}

/// Placeholders an item text may use.
const PLACEHOLDERS: [&str; 1] = ["{other}"];

/// Collects problems while the file is checked, each with its place.
struct Checker<'a> {
    source: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn line_of(&self, span: &Range<usize>) -> usize {
        line_at(self.source, span.start)
    }

    fn report(&mut self, span: &Range<usize>, id: Option<&str>, message: impl Into<String>) {
        let line = self.line_of(span);
        self.problems.push(Problem {
            line: Some(line),
            id: id.map(str::to_owned),
            message: message.into(),
        });
    }

    fn id<T>(
        &mut self,
        span: &Range<usize>,
        raw: &str,
        make: fn(String) -> Result<T, crate::ids::InvalidId>,
    ) -> Option<T> {
        match make(raw.to_owned()) {
            Ok(id) => Some(id),
            Err(err) => {
                self.report(span, Some(raw), err.to_string());
                None
            }
        }
    }

    fn precision(
        &mut self,
        span: &Range<usize>,
        id: &str,
        reliability: Option<f64>,
        sd: Option<f64>,
    ) -> Option<Precision> {
        match (reliability, sd) {
            (None, None) => None,
            (Some(reliability), Some(sd)) => {
                let mut ok = true;
                if !(reliability > 0.0 && reliability < 1.0) {
                    self.report(span, Some(id), "reliability must lie between 0 and 1");
                    ok = false;
                }
                if !(sd > 0.0 && sd.is_finite()) {
                    self.report(span, Some(id), "sd must be a positive number");
                    ok = false;
                }
                ok.then_some(Precision { reliability, sd })
            }
            _ => {
                self.report(
                    span,
                    Some(id),
                    "declare reliability and sd together: the standard error needs both",
                );
                None
            }
        }
    }

    fn norms(&mut self, span: &Range<usize>, id: &str, norms: Option<Norms>) -> Option<Norms> {
        let norms = norms?;
        if !(norms.sd > 0.0 && norms.sd.is_finite() && norms.mean.is_finite()) || norms.n == 0 {
            self.report(
                span,
                Some(id),
                "norms need a finite mean, a positive sd and n above 0",
            );
            return None;
        }
        Some(norms)
    }
}

/// 1-based line number of a byte offset.
fn line_at(source: &str, offset: usize) -> usize {
    source
        .get(..offset.min(source.len()))
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// Parses and validates an instrument definition. `file` names the source in
/// errors; every problem found is reported at once, not just the first.
pub fn load_instrument(file: &str, source: &str) -> Result<Instrument, LoadError> {
    let fail = |problems| LoadError {
        file: file.to_owned(),
        problems,
    };
    let raw: RawFile = toml::from_str(source).map_err(|err| {
        fail(vec![Problem {
            line: err.span().map(|span| line_at(source, span.start)),
            id: None,
            message: err.message().trim().to_owned(),
        }])
    })?;
    let mut checker = Checker {
        source,
        problems: Vec::new(),
    };
    let instrument = check(&mut checker, raw);
    if checker.problems.is_empty() {
        instrument.ok_or_else(|| fail(Vec::new()))
    } else {
        let mut problems = checker.problems;
        problems.sort_by_key(|problem| problem.line);
        Err(fail(problems))
    }
}

fn check(c: &mut Checker<'_>, raw: RawFile) -> Option<Instrument> {
    let id_span = raw.instrument.id.span();
    let id = c.id(&id_span, raw.instrument.id.get_ref(), InstrumentId::new);
    let kind = raw.instrument.kind;
    if raw.instrument.version.trim().is_empty() {
        c.report(&id_span, None, "the instrument needs a version");
    }
    check_placeholders(c, &id_span, "intro", &raw.instrument.intro);
    let scale = check_scale(c, &raw.scale);
    let scoring = check_scoring(c, &raw.scoring, kind, scale.as_ref());
    let bands = scale
        .as_ref()
        .map(|scale| check_bands(c, &raw.bands, scale, &raw.scale.span(), kind))
        .unwrap_or_default();
    let band_ids: HashSet<&str> = bands.iter().map(|band| band.id.as_str()).collect();
    let mut facets = check_facets(c, &raw.facets, &band_ids);
    let facet_ids: HashSet<FacetId> = facets.iter().map(|facet| facet.id.clone()).collect();
    let indices = check_indices(c, &raw.indices, &facet_ids);
    inherit_better(&mut facets, &raw.facets, &indices);
    let items = check_items(c, &raw.items, &facet_ids, kind);
    check_facet_coverage(c, &raw.facets, &items, scoring);
    if items.is_empty() && c.problems.is_empty() {
        c.report(&id_span, None, "the instrument has no items");
    }
    Some(Instrument {
        id: id?,
        version: raw.instrument.version,
        name: raw.instrument.name,
        kind,
        intro: raw.instrument.intro,
        voice: raw.instrument.voice,
        scale: scale?,
        scoring: scoring?,
        bands,
        facets,
        indices,
        items,
    })
}

fn check_scale(c: &mut Checker<'_>, raw: &Spanned<RawScale>) -> Option<Scale> {
    let span = raw.span();
    let mut points = Vec::new();
    let mut codes: Vec<CodePoint> = Vec::new();
    for point in &raw.get_ref().points {
        match (point.value, &point.code) {
            (Some(value), None) => points.push(ScalePoint {
                value,
                label: point.label.clone(),
            }),
            (None, Some(code)) => match AnswerCode::parse(code) {
                Some(code) if codes.iter().any(|known| known.code == code) => c.report(
                    &span,
                    None,
                    format!("scale code `{}` appears twice", code.as_str()),
                ),
                Some(code) if point.label.trim().is_empty() => c.report(
                    &span,
                    None,
                    format!("scale code `{}` has no label", code.as_str()),
                ),
                Some(code) => codes.push(CodePoint {
                    code,
                    label: point.label.clone(),
                }),
                None => c.report(
                    &span,
                    None,
                    format!(
                        "unknown scale code `{code}` (known: {})",
                        AnswerCode::ALL.map(AnswerCode::as_str).join(", ")
                    ),
                ),
            },
            _ => c.report(
                &span,
                None,
                format!(
                    "scale point `{}` needs either a value or a code, not both",
                    point.label
                ),
            ),
        }
    }
    if points.len() < 2 {
        c.report(&span, None, "a scale needs at least two points");
        return None;
    }
    points.sort_by_key(|point| point.value);
    let mut ok = true;
    for pair in points.windows(2) {
        let (low, high) = (pair[0].value, pair[1].value);
        if low == high {
            c.report(&span, None, format!("scale value {low} appears twice"));
            ok = false;
        } else if high != low + 1 {
            c.report(
                &span,
                None,
                format!(
                    "scale has a gap: no point between {low} and {high} (values must be consecutive)"
                ),
            );
            ok = false;
        }
    }
    for point in &points {
        if point.label.trim().is_empty() {
            c.report(
                &span,
                None,
                format!("scale value {} has no label", point.value),
            );
            ok = false;
        }
    }
    let (min, max) = (points.first()?.value, points.last()?.value);
    ok.then_some(Scale {
        min,
        max,
        points,
        codes,
    })
}

fn check_scoring(
    c: &mut Checker<'_>,
    raw: &Spanned<RawScoring>,
    kind: Kind,
    scale: Option<&Scale>,
) -> Option<ScoringRule> {
    let span = raw.span();
    match (raw.get_ref(), kind) {
        (RawScoring::Mean { max_missing }, Kind::Profile | Kind::Checkin) => {
            Some(ScoringRule::Mean {
                max_missing: *max_missing,
            })
        }
        (RawScoring::Flag { positive_at }, Kind::Safety) => {
            if scale.is_some_and(|scale| !scale.contains(*positive_at)) {
                c.report(&span, None, "positive_at must be a value on the scale");
                return None;
            }
            Some(ScoringRule::Flag {
                positive_at: *positive_at,
            })
        }
        (RawScoring::Mean { .. }, Kind::Safety) => {
            c.report(
                &span,
                None,
                "a safety screen is scored with method = \"flag\"",
            );
            None
        }
        (RawScoring::Flag { .. }, _) => {
            c.report(&span, None, "only a safety screen uses method = \"flag\"");
            None
        }
    }
}

fn check_bands(
    c: &mut Checker<'_>,
    raw: &[Spanned<RawBand>],
    scale: &Scale,
    scale_span: &Range<usize>,
    kind: Kind,
) -> Vec<Band> {
    if raw.is_empty() {
        if kind != Kind::Safety {
            c.report(
                scale_span,
                None,
                "no [[bands]]: bands must cover the whole scale",
            );
        }
        return Vec::new();
    }
    let mut bands = Vec::new();
    let mut seen = HashSet::new();
    let mut expected_from = scale.min as f64;
    for spanned in raw {
        let span = spanned.span();
        let band = spanned.get_ref();
        let Some(id) = c.id(&span, &band.id, BandId::new) else {
            continue;
        };
        if !seen.insert(band.id.clone()) {
            c.report(&span, Some(&band.id), "duplicate band id");
        }
        if band.from >= band.to {
            c.report(
                &span,
                Some(&band.id),
                "a band's `from` must be below its `to`",
            );
        }
        if band.from != expected_from {
            c.report(
                &span,
                Some(&band.id),
                format!(
                    "bands must cover the scale without gaps or overlaps: expected this band to start at {expected_from}, found {}",
                    band.from
                ),
            );
        }
        expected_from = band.to;
        bands.push(Band {
            id,
            label: band.label.clone(),
            from: band.from,
            to: band.to,
        });
    }
    if let Some(last) = raw.last().filter(|_| expected_from != scale.max as f64) {
        c.report(
            &last.span(),
            Some(&last.get_ref().id),
            format!(
                "bands must reach the top of the scale ({}), but the last one ends at {expected_from}",
                scale.max
            ),
        );
    }
    bands
}

fn check_facets(
    c: &mut Checker<'_>,
    raw: &[Spanned<RawFacet>],
    band_ids: &HashSet<&str>,
) -> Vec<Facet> {
    let mut facets = Vec::new();
    let mut seen = HashSet::new();
    for spanned in raw {
        let span = spanned.span();
        let facet = spanned.get_ref();
        let Some(id) = c.id(&span, &facet.id, FacetId::new) else {
            continue;
        };
        if !seen.insert(facet.id.clone()) {
            c.report(&span, Some(&facet.id), "duplicate facet id");
        }
        let precision = c.precision(&span, &facet.id, facet.reliability, facet.sd);
        let norms = c.norms(&span, &facet.id, facet.norms.clone());
        let clinical_norms = c.norms(&span, &facet.id, facet.clinical_norms.clone());
        let mut guidance = Vec::new();
        let mut links: Vec<_> = facet.guidance.iter().collect();
        links.sort();
        for (band, strategies) in links {
            if !band_ids.contains(band.as_str()) {
                c.report(
                    &span,
                    Some(&facet.id),
                    format!("guidance names band `{band}`, which is not declared"),
                );
                continue;
            }
            let mut ids = Vec::new();
            for strategy in strategies {
                if !guidance::is_strategy(strategy) {
                    c.report(
                        &span,
                        Some(&facet.id),
                        format!(
                            "guidance `{strategy}` is not a known strategy (known: {})",
                            guidance::STRATEGIES.join(", ")
                        ),
                    );
                } else if let Some(id) = c.id(&span, strategy, GuidanceId::new) {
                    ids.push(id);
                }
            }
            if let Some(band) = c.id(&span, band, BandId::new) {
                guidance.push((band, ids));
            }
        }
        facets.push(Facet {
            id,
            name: facet.name.clone(),
            cluster: facet.cluster.clone(),
            high_means: facet.high_means.clone(),
            precision,
            norms,
            clinical_norms,
            // Filled from the facet's index once indices are read.
            better: facet.better.unwrap_or_default(),
            guidance,
        });
    }
    facets
}

/// A facet that does not say which way is better takes its index's way.
fn inherit_better(facets: &mut [Facet], raw: &[Spanned<RawFacet>], indices: &[Index]) {
    for facet in facets.iter_mut() {
        let declared = raw
            .iter()
            .any(|r| r.get_ref().id == facet.id.as_str() && r.get_ref().better.is_some());
        if !declared
            && let Some(index) = indices
                .iter()
                .find(|index| index.facets.contains(&facet.id))
        {
            facet.better = index.better;
        }
    }
}

fn check_indices(
    c: &mut Checker<'_>,
    raw: &[Spanned<RawIndex>],
    facet_ids: &HashSet<FacetId>,
) -> Vec<Index> {
    let mut indices = Vec::new();
    let mut seen = HashSet::new();
    for spanned in raw {
        let span = spanned.span();
        let index = spanned.get_ref();
        let Some(id) = c.id(&span, &index.id, IndexId::new) else {
            continue;
        };
        if !seen.insert(index.id.clone()) {
            c.report(&span, Some(&index.id), "duplicate index id");
        }
        if index.facets.is_empty() {
            c.report(&span, Some(&index.id), "an index needs at least one facet");
        }
        let mut facets = Vec::new();
        for name in &index.facets {
            match FacetId::new(name.clone()) {
                Ok(facet) if facet_ids.contains(&facet) => facets.push(facet),
                _ => c.report(
                    &span,
                    Some(&index.id),
                    format!("index names facet `{name}`, which is not declared"),
                ),
            }
        }
        let precision = c.precision(&span, &index.id, index.reliability, index.sd);
        let norms = c.norms(&span, &index.id, index.norms.clone());
        let clinical_norms = c.norms(&span, &index.id, index.clinical_norms.clone());
        indices.push(Index {
            id,
            name: index.name.clone(),
            facets,
            precision,
            norms,
            clinical_norms,
            better: index.better.unwrap_or_default(),
        });
    }
    indices
}

fn check_items(
    c: &mut Checker<'_>,
    raw: &[Spanned<RawItem>],
    facet_ids: &HashSet<FacetId>,
    kind: Kind,
) -> Vec<Item> {
    let mut items = Vec::new();
    let mut seen = HashSet::new();
    for spanned in raw {
        let span = spanned.span();
        let item = spanned.get_ref();
        let line = c.line_of(&span);
        let Some(id) = c.id(&span, &item.id, ItemId::new) else {
            continue;
        };
        if !seen.insert(item.id.clone()) {
            c.report(&span, Some(&item.id), "duplicate item id");
        }
        if item.text.trim().is_empty() {
            c.report(&span, Some(&item.id), "item text is empty");
        }
        check_placeholders(c, &span, &item.id, &item.text);
        let facet = match (&item.facet, item.response, kind) {
            (Some(name), ResponseKind::Scale, Kind::Profile | Kind::Checkin) => {
                match FacetId::new(name.clone()) {
                    Ok(facet) if facet_ids.contains(&facet) => Some(facet),
                    _ => {
                        c.report(
                            &span,
                            Some(&item.id),
                            format!("item names facet `{name}`, which is not declared"),
                        );
                        None
                    }
                }
            }
            (None, ResponseKind::Scale, Kind::Profile | Kind::Checkin)
                if item.signals.is_none() =>
            {
                c.report(&span, Some(&item.id), "a scale item needs a facet");
                None
            }
            (Some(_), ResponseKind::Text, _) => {
                c.report(
                    &span,
                    Some(&item.id),
                    "a free-text item is never scored, so it takes no facet",
                );
                None
            }
            (Some(_), _, Kind::Safety) => {
                c.report(
                    &span,
                    Some(&item.id),
                    "safety items take no facet: they are screened, not scored",
                );
                None
            }
            (None, _, _) => None,
        };
        check_marks(c, &span, item, kind);
        let scored = item.facet.is_some() && item.response == ResponseKind::Scale;
        if item.reverse && !(scored && kind != Kind::Safety) {
            c.report(
                &span,
                Some(&item.id),
                "only a scored scale item can be reverse-keyed",
            );
        }
        if item.response == ResponseKind::Text && !item.optional {
            c.report(
                &span,
                Some(&item.id),
                "free-text items must be optional: nobody is made to write",
            );
        }
        items.push(Item {
            id,
            text: item.text.clone(),
            facet,
            reverse: item.reverse,
            response: item.response,
            optional: item.optional,
            signals: item.signals,
            signals_when: item.signals_when,
            level: item.level,
            line,
        });
    }
    items
}

/// `signals` and `level` go only where they mean something.
fn check_marks(c: &mut Checker<'_>, span: &Range<usize>, item: &RawItem, kind: Kind) {
    if item.signals.is_some() && (item.response != ResponseKind::Scale || kind == Kind::Safety) {
        c.report(
            span,
            Some(&item.id),
            "only a scale item of a profile or check-in can signal",
        );
    }
    if item.signals_when.is_some() && item.signals.is_none() {
        c.report(
            span,
            Some(&item.id),
            "signals_when needs signals: say what the item signals",
        );
    }
    match (item.level, kind, item.response) {
        (None, Kind::Safety, ResponseKind::Scale) => c.report(
            span,
            Some(&item.id),
            "a safety item needs a level: concern, urgent or self_harm",
        ),
        (Some(_), kind, _) if kind != Kind::Safety => {
            c.report(span, Some(&item.id), "only safety items take a level")
        }
        _ => {}
    }
}

fn check_placeholders(c: &mut Checker<'_>, span: &Range<usize>, id: &str, text: &str) {
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start..];
        let end = after.find('}').map_or(after.len(), |end| end + 1);
        let token = &after[..end];
        if !PLACEHOLDERS.contains(&token) {
            c.report(
                span,
                Some(id),
                format!(
                    "unknown placeholder `{token}` (known: {})",
                    PLACEHOLDERS.join(", ")
                ),
            );
        }
        rest = &after[end..];
    }
}

/// Every facet needs enough items to survive its own missing-item rule.
fn check_facet_coverage(
    c: &mut Checker<'_>,
    raw: &[Spanned<RawFacet>],
    items: &[Item],
    scoring: Option<ScoringRule>,
) {
    let Some(ScoringRule::Mean { max_missing }) = scoring else {
        return;
    };
    for spanned in raw {
        let facet = spanned.get_ref();
        let count = items
            .iter()
            .filter(|item| item.facet.as_ref().is_some_and(|f| f.as_str() == facet.id))
            .count();
        if count == 0 {
            c.report(&spanned.span(), Some(&facet.id), "facet has no items");
        } else if count <= max_missing {
            c.report(
                &spanned.span(),
                Some(&facet.id),
                format!(
                    "facet has {count} items but up to {max_missing} may be missing: it could be scored from no answers"
                ),
            );
        }
    }
}

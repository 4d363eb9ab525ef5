//! Reliability and SD an operator pins per instrument version from a
//! published source (`reliability_file`), used instead of estimates from the
//! deployment's own administrations: numbers no account here can move, and
//! reports cite where they come from.
//!
//! ```toml
//! source = "Tandem RDP 1.1 field study (2026), n = 1,204"
//!
//! [[pinned]]
//! instrument = "rdp"
//! version = "1.1.0"
//! facets = { ER = { reliability = 0.81, sd = 0.74 } }
//! indices = { over_dependence = { reliability = 0.9, sd = 0.6 } }
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{Instrument, LoadError, Precision, Problem};

/// A loaded, checked reliability file.
#[derive(Debug, Clone)]
pub struct Published {
    /// Where the numbers come from, as reports cite it.
    pub source: String,
    /// Each pinned version, with its precision filled in.
    instruments: Vec<Instrument>,
}

impl Published {
    /// The pinned copy of this instrument version, if the file names it.
    pub fn instrument(&self, id: &str, version: &str) -> Option<&Instrument> {
        self.instruments
            .iter()
            .find(|i| i.id.as_str() == id && i.version == version)
    }

    /// Every pinned version.
    pub fn instruments(&self) -> &[Instrument] {
        &self.instruments
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    source: Spanned<String>,
    pinned: Vec<Spanned<RawPinned>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPinned {
    instrument: String,
    version: String,
    #[serde(default)]
    facets: BTreeMap<String, RawPrecision>,
    #[serde(default)]
    indices: BTreeMap<String, RawPrecision>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct RawPrecision {
    reliability: f64,
    sd: f64,
}

fn line_at(source: &str, offset: usize) -> usize {
    source
        .get(..offset.min(source.len()))
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// Parses and checks a reliability file against the instrument versions
/// this build knows (`known`): every instrument, version, facet and index
/// must exist, each reliability lie strictly between 0 and 1 and each SD be
/// positive, and nothing the instrument itself declares may be pinned over.
/// Every problem is reported at once, with its line and id.
pub fn load_published(
    file: &str,
    text: &str,
    known: &[Instrument],
) -> Result<Published, LoadError> {
    let fail = |problems| LoadError {
        file: file.to_owned(),
        problems,
    };
    let raw: RawFile = toml::from_str(text).map_err(|err| {
        fail(vec![Problem {
            line: err.span().map(|span| line_at(text, span.start)),
            id: None,
            message: err.message().trim().to_owned(),
        }])
    })?;
    let mut problems = Vec::new();
    let mut problem = |line: usize, id: Option<String>, message: String| {
        problems.push(Problem {
            line: Some(line),
            id,
            message,
        });
    };
    if raw.source.get_ref().trim().is_empty() {
        problem(
            line_at(text, raw.source.span().start),
            None,
            "`source` must say where the numbers come from".into(),
        );
    }
    let mut instruments: Vec<Instrument> = Vec::new();
    for pinned in &raw.pinned {
        let line = line_at(text, pinned.span().start);
        let pinned = pinned.get_ref();
        let name = format!("{} {}", pinned.instrument, pinned.version);
        let Some(base) = known
            .iter()
            .find(|i| i.id.as_str() == pinned.instrument && i.version == pinned.version)
        else {
            problem(line, Some(name), "no such instrument version".into());
            continue;
        };
        if instruments
            .iter()
            .any(|i| i.id == base.id && i.version == base.version)
        {
            problem(line, Some(name), "pinned twice".into());
            continue;
        }
        let mut copy = base.clone();
        let check = |id: &str, given: RawPrecision, declared: Option<Option<Precision>>| {
            let Some(declared) = declared else {
                return Err(format!("{name} has no `{id}`"));
            };
            if declared.is_some() {
                return Err(format!(
                    "`{id}` of {name} declares its own reliability, which always wins"
                ));
            }
            if !(given.reliability > 0.0 && given.reliability < 1.0) {
                return Err(format!(
                    "`{id}`: reliability must be between 0 and 1, not {}",
                    given.reliability
                ));
            }
            if !(given.sd > 0.0 && given.sd.is_finite()) {
                return Err(format!("`{id}`: sd must be above 0, not {}", given.sd));
            }
            Ok(Precision {
                reliability: given.reliability,
                sd: given.sd,
            })
        };
        for (id, given) in &pinned.facets {
            let declared = copy
                .facets
                .iter()
                .find(|f| f.id.as_str() == id)
                .map(|f| f.precision);
            match check(id, *given, declared) {
                Ok(precision) => {
                    if let Some(facet) = copy.facets.iter_mut().find(|f| f.id.as_str() == id) {
                        facet.precision = Some(precision);
                    }
                }
                Err(message) => problem(line, Some(id.clone()), message),
            }
        }
        for (id, given) in &pinned.indices {
            let declared = copy
                .indices
                .iter()
                .find(|i| i.id.as_str() == id)
                .map(|i| i.precision);
            match check(id, *given, declared) {
                Ok(precision) => {
                    if let Some(index) = copy.indices.iter_mut().find(|i| i.id.as_str() == id) {
                        index.precision = Some(precision);
                    }
                }
                Err(message) => problem(line, Some(id.clone()), message),
            }
        }
        instruments.push(copy);
    }
    if problems.is_empty() {
        Ok(Published {
            source: raw.source.into_inner().trim().to_owned(),
            instruments,
        })
    } else {
        Err(fail(problems))
    }
}

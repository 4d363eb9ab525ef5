//! Guidance as data: strategies (why they help, first steps, an exercise)
//! and the rules that link a facet or index band, a positive safety screen,
//! or a balanced profile to them. Loaded from `content/guidance.toml` and
//! checked against the instrument it serves.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::ids::{BandId, FacetId, GuidanceId, IndexId};
use crate::instrument::{Instrument, LoadError, Problem};

/// Every strategy family, by id (docs/DOMAIN.md, "Guidance and exercises").
pub const STRATEGIES: [&str; 10] = [
    "self-worth",
    "own-interests",
    "wider-support",
    "personal-goals",
    "self-care",
    "voice-needs",
    "boundaries",
    "reflection",
    "couple-conversation",
    "seek-help",
];

/// Whether `id` names a known strategy family.
pub fn is_strategy(id: &str) -> bool {
    STRATEGIES.contains(&id)
}

/// The exercise a strategy comes with; each keeps what the person writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Exercise {
    /// What I feel, when, what I need, what I ask.
    NeedsStatement,
    /// The limit, why it matters, how I will say it, what I do if it is crossed.
    BoundaryPlan,
    /// Interests, weekly time, who with; ticked week by week.
    OwnLife,
    /// A domain with few supporters, a person to reach, a first step.
    SupportGrowth,
    /// A personal goal with progress.
    Goals,
    /// A self-care routine.
    SelfCare,
    /// Reflection with prompts.
    Journal,
    /// Reading and doing, nothing to fill in.
    None,
}

/// One strategy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Strategy {
    /// Stable id.
    pub id: GuidanceId,
    /// Its family (one of [`STRATEGIES`]).
    pub family: String,
    /// A short, warm title.
    pub title: String,
    /// Why it helps.
    pub why: String,
    /// First steps.
    pub steps: Vec<String>,
    /// The exercise that goes with it.
    pub exercise: Exercise,
    /// Whether it points to counselling or specialised services.
    pub specialised_help: bool,
    /// Whether it is done together with the other person. Never offered
    /// under risk.
    pub joint: bool,
    /// The safety-adapted version offered instead under risk (assertion,
    /// boundary, voice-needs and own-choices steps).
    pub safe_version: Option<GuidanceId>,
    /// Whether this is itself a safety-adapted version, offered only in
    /// place of another strategy under risk.
    pub adapted: bool,
}

/// What makes a rule apply.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trigger {
    /// A facet's score falls in a band.
    Facet {
        /// The facet.
        facet: FacetId,
        /// The band.
        band: BandId,
    },
    /// An index's score falls in a band.
    Index {
        /// The index.
        index: IndexId,
        /// The band.
        band: BandId,
    },
    /// Any safety concern: a positive or unclear screen, a check-in's
    /// safety answer, or items that signal coercion.
    Safety,
    /// An urgent answer: harm, choking, sexual coercion, threats to kill or
    /// a weapon, feeling unsafe now, thoughts of self-harm.
    Urgent,
    /// Thoughts of self-harm.
    SelfHarm,
    /// Nothing else applies: keep up what works.
    Maintenance,
    /// Something a linked couple's comparison shows: its strategies are
    /// done together, so they make the couple plan, never one person's own.
    Couple {
        /// What the comparison shows.
        signal: CoupleSignal,
    },
}

/// What a couple's comparison shows that a step done together answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CoupleSignal {
    /// Scores apart beyond chance, or items answered far apart.
    Gaps,
    /// In some kind of support, help that flows one way only.
    OneWaySupport,
    /// Two partners linked and both sharing: always.
    Linked,
}

/// A rule: when the trigger holds, suggest these strategies, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// When it applies.
    pub trigger: Trigger,
    /// What it suggests.
    pub strategies: Vec<GuidanceId>,
}

/// All strategies and rules, validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guidance {
    /// The strategies, in file order.
    pub strategies: Vec<Strategy>,
    /// The rules, in file order.
    pub rules: Vec<Rule>,
}

impl Guidance {
    /// The strategy with this id.
    pub fn strategy(&self, id: &str) -> Option<&Strategy> {
        self.strategies.iter().find(|s| s.id.as_str() == id)
    }

    /// The rules of one kind of trigger.
    pub fn rules_where(&self, keep: impl Fn(&Trigger) -> bool) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |rule| keep(&rule.trigger))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    strategies: Vec<Spanned<RawStrategy>>,
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStrategy {
    id: String,
    family: String,
    title: String,
    why: String,
    steps: Vec<String>,
    exercise: Exercise,
    #[serde(default)]
    specialised_help: bool,
    #[serde(default)]
    joint: bool,
    safe_version: Option<String>,
    #[serde(default)]
    adapted: bool,
}

/// Strategies that work from the couple report, so only for two linked
/// partners: only a couple rule may suggest them.
const NEEDS_A_LINK: [&str; 1] = ["talk-where-you-differ"];

/// Families whose steps ask something of the other person, so that under
/// risk they need a safety-adapted version (or are dropped if joint).
const ASSERTIVE_FAMILIES: [&str; 2] = ["voice-needs", "boundaries"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    facet: Option<String>,
    index: Option<String>,
    #[serde(default)]
    safety: bool,
    #[serde(default)]
    urgent: bool,
    #[serde(default)]
    self_harm: bool,
    #[serde(default)]
    maintenance: bool,
    couple: Option<CoupleSignal>,
    band: Option<String>,
    strategies: Vec<String>,
}

fn line_at(source: &str, offset: usize) -> usize {
    source
        .get(..offset.min(source.len()))
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// Parses and validates guidance for `instrument`: every strategy id is
/// unique and of a known family, every rule names strategies that exist and
/// a facet, index and band the instrument has, and each rule has exactly one
/// trigger. Every problem is reported with its line.
pub fn load_guidance(
    file: &str,
    source: &str,
    instrument: &Instrument,
) -> Result<Guidance, LoadError> {
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
    let mut problems = Vec::new();
    let mut report = |span: &std::ops::Range<usize>, id: &str, message: String| {
        problems.push(Problem {
            line: Some(line_at(source, span.start)),
            id: Some(id.to_owned()),
            message,
        });
    };
    let mut strategies = Vec::new();
    let mut seen = HashSet::new();
    for spanned in &raw.strategies {
        let (span, s) = (spanned.span(), spanned.get_ref());
        let Ok(id) = GuidanceId::new(s.id.clone()) else {
            report(&span, &s.id, "not a valid strategy id".into());
            continue;
        };
        if !seen.insert(s.id.clone()) {
            report(&span, &s.id, "duplicate strategy id".into());
        }
        if !is_strategy(&s.family) {
            report(
                &span,
                &s.id,
                format!(
                    "unknown family `{}` (known: {})",
                    s.family,
                    STRATEGIES.join(", ")
                ),
            );
        }
        if s.title.trim().is_empty() || s.why.trim().is_empty() || s.steps.is_empty() {
            report(
                &span,
                &s.id,
                "a strategy needs a title, a why and at least one step".into(),
            );
        }
        strategies.push(Strategy {
            id,
            family: s.family.clone(),
            title: s.title.clone(),
            why: s.why.clone(),
            steps: s.steps.clone(),
            exercise: s.exercise,
            specialised_help: s.specialised_help,
            joint: s.joint,
            safe_version: None,
            adapted: s.adapted,
        });
    }
    // Safe versions are checked once every strategy is known.
    for (spanned, strategy) in raw.strategies.iter().zip(strategies.iter_mut()) {
        let (span, s) = (spanned.span(), spanned.get_ref());
        let assertive = ASSERTIVE_FAMILIES.contains(&s.family.as_str())
            || s.id == "take-back-your-choices"
            || s.id == "ask-for-a-fair-say";
        match &s.safe_version {
            Some(name) => match raw.strategies.iter().find(|o| &o.get_ref().id == name) {
                Some(found) if found.get_ref().adapted && !found.get_ref().joint => {
                    strategy.safe_version = GuidanceId::new(name.clone()).ok();
                }
                Some(_) => report(
                    &span,
                    &s.id,
                    format!("safe_version `{name}` must be an adapted strategy that is not joint"),
                ),
                None => report(
                    &span,
                    &s.id,
                    format!("safe_version `{name}` does not exist"),
                ),
            },
            None if assertive && !s.adapted && !s.joint => report(
                &span,
                &s.id,
                "an assertion or boundary step needs a safe_version for people at risk".into(),
            ),
            None => {}
        }
        if s.adapted && (s.joint || s.safe_version.is_some()) {
            report(
                &span,
                &s.id,
                "an adapted strategy is done alone and has no safe_version of its own".into(),
            );
        }
    }
    let band_ok = |band: &str| instrument.bands.iter().any(|b| b.id.as_str() == band);
    let mut rules = Vec::new();
    for spanned in &raw.rules {
        let (span, r) = (spanned.span(), spanned.get_ref());
        let label = r
            .facet
            .clone()
            .or_else(|| r.index.clone())
            .unwrap_or_else(|| {
                if r.safety {
                    "safety".into()
                } else if r.urgent {
                    "urgent".into()
                } else if r.self_harm {
                    "self_harm".into()
                } else if r.couple.is_some() {
                    "couple".into()
                } else {
                    "maintenance".into()
                }
            });
        let triggers = usize::from(r.facet.is_some())
            + usize::from(r.index.is_some())
            + usize::from(r.safety)
            + usize::from(r.urgent)
            + usize::from(r.self_harm)
            + usize::from(r.maintenance)
            + usize::from(r.couple.is_some());
        if triggers != 1 {
            report(
                &span,
                &label,
                "a rule needs exactly one of facet, index, safety, urgent, self_harm, maintenance or couple"
                    .into(),
            );
            continue;
        }
        let band = match (&r.band, r.facet.is_some() || r.index.is_some()) {
            (Some(band), true) if band_ok(band) => BandId::new(band.clone()).ok(),
            (Some(band), true) => {
                report(
                    &span,
                    &label,
                    format!("band `{band}` is not a band of {}", instrument.id),
                );
                None
            }
            (None, true) => {
                report(&span, &label, "a facet or index rule needs a band".into());
                None
            }
            (Some(_), false) => {
                report(
                    &span,
                    &label,
                    "safety, urgent, self_harm, maintenance and couple rules take no band".into(),
                );
                None
            }
            (None, false) => None,
        };
        let trigger = if let Some(facet) = &r.facet {
            match (instrument.facet(facet), band) {
                (Some(found), Some(band)) => Some(Trigger::Facet {
                    facet: found.id.clone(),
                    band,
                }),
                (None, _) => {
                    report(
                        &span,
                        &label,
                        format!("facet `{facet}` is not a facet of {}", instrument.id),
                    );
                    None
                }
                _ => None,
            }
        } else if let Some(index) = &r.index {
            match (instrument.index(index), band) {
                (Some(found), Some(band)) => Some(Trigger::Index {
                    index: found.id.clone(),
                    band,
                }),
                (None, _) => {
                    report(
                        &span,
                        &label,
                        format!("index `{index}` is not an index of {}", instrument.id),
                    );
                    None
                }
                _ => None,
            }
        } else if r.safety {
            Some(Trigger::Safety)
        } else if r.urgent {
            Some(Trigger::Urgent)
        } else if r.self_harm {
            Some(Trigger::SelfHarm)
        } else if let Some(signal) = r.couple {
            Some(Trigger::Couple { signal })
        } else {
            Some(Trigger::Maintenance)
        };
        if r.strategies.is_empty() {
            report(&span, &label, "a rule needs at least one strategy".into());
        }
        let mut ids = Vec::new();
        for name in &r.strategies {
            match strategies
                .iter()
                .find(|s: &&Strategy| s.id.as_str() == name)
            {
                Some(found) if r.couple.is_some() && !found.joint => report(
                    &span,
                    &label,
                    format!(
                        "strategy `{name}` is not joint: a couple rule suggests only steps done together"
                    ),
                ),
                Some(found) if r.couple.is_none() && NEEDS_A_LINK.contains(&found.id.as_str()) => {
                    report(
                        &span,
                        &label,
                        format!(
                            "strategy `{name}` needs a linked partner: only a couple rule may suggest it"
                        ),
                    )
                }
                Some(found) => ids.push(found.id.clone()),
                None => report(&span, &label, format!("strategy `{name}` does not exist")),
            }
        }
        if let Some(trigger) = trigger {
            rules.push(Rule {
                trigger,
                strategies: ids,
            });
        }
    }
    for (kind, present) in [
        ("safety", rules.iter().any(|r| r.trigger == Trigger::Safety)),
        ("urgent", rules.iter().any(|r| r.trigger == Trigger::Urgent)),
        (
            "self_harm",
            rules.iter().any(|r| r.trigger == Trigger::SelfHarm),
        ),
        (
            "maintenance",
            rules.iter().any(|r| r.trigger == Trigger::Maintenance),
        ),
    ] {
        if !present {
            problems.push(Problem {
                line: None,
                id: None,
                message: format!("there must be a `{kind} = true` rule"),
            });
        }
    }
    if problems.is_empty() {
        Ok(Guidance { strategies, rules })
    } else {
        Err(fail(problems))
    }
}

/// The shipped guidance file.
const BUILTIN_SOURCE: &str = include_str!("../../../content/guidance.toml");

/// The guidance shipped in the binary, for the built-in RDP.
pub fn builtin_guidance(rdp: &Instrument) -> Result<Guidance, LoadError> {
    load_guidance("content/guidance.toml", BUILTIN_SOURCE, rdp)
}

/// A fingerprint of everything that decides a plan: the shipped guidance
/// and the current instrument versions. When it changes (an upgrade), every
/// stored plan is made anew, so no plan made under old rules outlives them.
pub fn rules_fingerprint(instruments: &[&Instrument]) -> String {
    // FNV-1a, 64 bits: stable across builds and platforms.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let versions = instruments
        .iter()
        .map(|i| format!("{}@{};", i.id, i.version))
        .collect::<String>();
    for byte in BUILTIN_SOURCE.bytes().chain(versions.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

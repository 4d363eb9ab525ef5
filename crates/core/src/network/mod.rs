//! Support map: who a person leans on, in which life domain, and what that spread looks like.
//!
//! The map lists supporters (partner, friends, family, … and "myself") with a
//! 0–4 reliance per domain in both directions. [`analyse`] turns it into
//! per-domain concentration metrics, per-person reciprocity and a few gentle
//! flags (docs/DOMAIN.md, "Dependence domains and the support map"). Ids are the
//! store's business; this module only knows names.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Partner share above this (strictly) in emotional support or validation is flagged.
const PARTNER_SHARE_LIMIT_NUM: u32 = 4;
/// Denominator of the partner-share limit, kept as a fraction so that exactly
/// 0.8 (e.g. 4 of 5) is compared without floating-point doubt.
const PARTNER_SHARE_LIMIT_DEN: u32 = 5;
/// How many partner-only domains make "all eggs in one basket".
const ALL_EGGS_MIN_DOMAINS: usize = 3;

/// The kind of relationship a supporter has with the person using the app.
///
/// The role matters for the partner share and for leaving "myself" out of
/// reciprocity; otherwise every source counts the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// A romantic partner; several may be listed, and their weight is summed.
    Partner,
    /// A friend.
    Friend,
    /// A family member.
    Family,
    /// Someone from work or study.
    Colleague,
    /// A paid or trained helper: counsellor, doctor, advisor.
    Professional,
    /// A club, community or support group, counted as one source.
    Group,
    /// The person themself: relying on yourself is a real source too.
    Myself,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 7] = [
        Role::Partner,
        Role::Friend,
        Role::Family,
        Role::Colleague,
        Role::Professional,
        Role::Group,
        Role::Myself,
    ];

    /// The lowercase name used in JSON, the CLI and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Partner => "partner",
            Role::Friend => "friend",
            Role::Family => "family",
            Role::Colleague => "colleague",
            Role::Professional => "professional",
            Role::Group => "group",
            Role::Myself => "myself",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a text was refused as a [`Role`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role `{value}`: expected one of partner, friend, family, colleague, professional, group, myself"
)]
pub struct UnknownRole {
    /// The refused text.
    pub value: String,
}

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole {
                value: s.to_owned(),
            })
    }
}

/// A life domain in which a person may rely on others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Domain {
    /// Comfort, being listened to, sharing feelings.
    Emotional,
    /// Feeling valued, affirmed and taken seriously.
    Validation,
    /// Talking choices through and making up one's mind.
    Decisions,
    /// Money: income, lending, paying the bills.
    Money,
    /// Daily life, health and care.
    Practical,
    /// Company and social life: going out, not being alone.
    Company,
}

impl Domain {
    /// Every domain, in the order reports list them.
    pub const ALL: [Domain; 6] = [
        Domain::Emotional,
        Domain::Validation,
        Domain::Decisions,
        Domain::Money,
        Domain::Practical,
        Domain::Company,
    ];

    /// The lowercase name used in JSON, the CLI and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Domain::Emotional => "emotional",
            Domain::Validation => "validation",
            Domain::Decisions => "decisions",
            Domain::Money => "money",
            Domain::Practical => "practical",
            Domain::Company => "company",
        }
    }

    /// Plain words for the domain, written to follow "for" in a sentence
    /// ("you turn to one person for help with money").
    pub fn label(self) -> &'static str {
        match self {
            Domain::Emotional => "emotional support",
            Domain::Validation => "feeling valued",
            Domain::Decisions => "help with decisions",
            Domain::Money => "help with money",
            Domain::Practical => "practical help",
            Domain::Company => "company and social life",
        }
    }

    /// One or two plain words for lists, where the full label would make the
    /// sentence hard to read.
    fn short_label(self) -> &'static str {
        match self {
            Domain::Emotional => "comfort",
            Domain::Validation => "feeling valued",
            Domain::Decisions => "decisions",
            Domain::Money => "money",
            Domain::Practical => "practical help",
            Domain::Company => "company",
        }
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a text was refused as a [`Domain`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown domain `{value}`: expected one of emotional, validation, decisions, money, practical, company"
)]
pub struct UnknownDomain {
    /// The refused text.
    pub value: String,
}

impl FromStr for Domain {
    type Err = UnknownDomain;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Domain::ALL
            .into_iter()
            .find(|domain| domain.as_str() == s)
            .ok_or_else(|| UnknownDomain {
                value: s.to_owned(),
            })
    }
}

/// How much one person leans on another in a domain, from 0 (not at all) to 4
/// (a great deal).
///
/// The field is private and deserialisation goes through [`Level::new`], so a
/// stored or typed 7 can never reach the metrics.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(try_from = "u8", into = "u8")]
pub struct Level(u8);

/// Why a number was refused as a [`Level`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("reliance must be 0 to 4, got {got}")]
pub struct LevelError {
    /// The refused number.
    pub got: u8,
}

impl Level {
    /// No reliance at all; the same as leaving the domain out.
    pub const ZERO: Level = Level(0);
    /// The most reliance the scale can express.
    pub const MAX: Level = Level(4);

    /// Checks that `value` is on the 0–4 scale.
    pub fn new(value: u8) -> Result<Level, LevelError> {
        if value <= Self::MAX.0 {
            Ok(Level(value))
        } else {
            Err(LevelError { got: value })
        }
    }

    /// The level as a number, for arithmetic.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// In the API's description: a whole number from 0 to 4.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Level {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .minimum(Some(0))
            .maximum(Some(4))
            .description(Some("How much: 0 (not at all) to 4 (a great deal)."))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Level {}

impl TryFrom<u8> for Level {
    type Error = LevelError;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Level::new(value)
    }
}

impl From<Level> for u8 {
    fn from(level: Level) -> u8 {
        level.0
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One person (or group, or "myself") on the support map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Supporter {
    /// The name the person gave them; shown back, never interpreted.
    pub name: String,
    /// What kind of relationship this is.
    pub role: Role,
    /// How much I lean on them, per domain; a missing domain means 0.
    #[serde(default)]
    pub leans_on: BTreeMap<Domain, Level>,
    /// How much they lean on me, per domain; a missing domain means 0.
    #[serde(default)]
    pub leans_back: BTreeMap<Domain, Level>,
}

impl Supporter {
    /// A supporter with no reliance recorded yet in either direction.
    pub fn new(name: impl Into<String>, role: Role) -> Supporter {
        Supporter {
            name: name.into(),
            role,
            leans_on: BTreeMap::new(),
            leans_back: BTreeMap::new(),
        }
    }

    /// How much I lean on them in `domain`, treating a missing entry as 0.
    pub fn level_on(&self, domain: Domain) -> Level {
        self.leans_on.get(&domain).copied().unwrap_or_default()
    }

    /// How much they lean on me in `domain`, treating a missing entry as 0.
    pub fn level_back(&self, domain: Domain) -> Level {
        self.leans_back.get(&domain).copied().unwrap_or_default()
    }
}

/// Everyone the person listed, in the order they listed them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportMap {
    /// The supporters; order is kept so reports follow the person's own list.
    pub people: Vec<Supporter>,
}

/// How reliance in one domain is spread across supporters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainMetrics {
    /// The domain these numbers describe.
    pub domain: Domain,
    /// How many people (myself included) have a reliance above 0 here.
    pub supporters: usize,
    /// The sum of reliance levels, Σw.
    pub total: u32,
    /// Share of the total held by partners; `None` when the total is 0,
    /// because a share of nothing is undefined rather than zero.
    pub partner_share: Option<f64>,
    /// Concentration `Σ s_i²`, from 1/n (even spread) to 1 (one source);
    /// `None` when the total is 0.
    pub hhi: Option<f64>,
    /// `1 / HHI`: how many equally relied-on supporters the spread is worth;
    /// `None` when the total is 0.
    pub effective_supporters: Option<f64>,
}

/// The give-and-take between the person and one supporter, over all domains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reciprocity {
    /// The supporter's name.
    pub name: String,
    /// What I give: the sum of how much they lean on me.
    pub gives: u32,
    /// What I receive: the sum of how much I lean on them.
    pub receives: u32,
    /// `(gives − receives) / (gives + receives)`, in [−1, 1]; positive when I
    /// give more. `None` when both sums are 0.
    pub balance: Option<f64>,
}

/// A pattern in the map worth noticing, phrased without judgement by
/// [`Flag::message`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Flag {
    /// Exactly one person has a reliance above 0 in this domain.
    OneSupporter {
        /// The domain with a single source.
        domain: Domain,
    },
    /// Nobody has a reliance above 0 in this domain (only raised when the map
    /// lists at least one person, so an empty map is not a list of worries).
    NoSupporter {
        /// The domain with no source.
        domain: Domain,
    },
    /// Partners hold more than 80% of the reliance in emotional support or
    /// validation, where spreading matters most (Cheung et al. 2015).
    PartnerShareHigh {
        /// Emotional or validation.
        domain: Domain,
        /// The partner share, above 0.8.
        share: f64,
    },
    /// In three or more domains the partner is the only source, myself included.
    AllEggsInOneBasket {
        /// The partner-only domains, in [`Domain::ALL`] order.
        domains: Vec<Domain>,
    },
}

impl Flag {
    /// A short, warm sentence for the person, describing what is and not what
    /// they should feel about it.
    pub fn message(&self) -> String {
        match self {
            Flag::OneSupporter { domain } => {
                format!(
                    "Right now, you turn to just one person for {}.",
                    domain.label()
                )
            }
            Flag::NoSupporter { domain } => {
                format!(
                    "Right now, no one on your map is there for {}.",
                    domain.label()
                )
            }
            Flag::PartnerShareHigh { domain, share } => {
                format!(
                    "For {}, your partner carries about {}% of what you lean on right now.",
                    domain.label(),
                    percent(*share)
                )
            }
            Flag::AllEggsInOneBasket { domains } if domains.len() >= Domain::ALL.len() => {
                // Listing all six would make the sentence long for no gain.
                "Right now, your partner is your only support in all six areas of life.".to_owned()
            }
            Flag::AllEggsInOneBasket { domains } => {
                // Short names keep the list within easy reading.
                let names: Vec<&str> = domains.iter().map(|d| d.short_label()).collect();
                format!(
                    "Right now, your partner is your only support in {} areas. They are {}.",
                    domains.len(),
                    join_and(&names)
                )
            }
        }
    }
}

/// A share as a whole percentage for messages; shares are always in [0, 1],
/// so the cast cannot overflow.
fn percent(share: f64) -> u32 {
    (share.clamp(0.0, 1.0) * 100.0).round() as u32
}

/// Joins words as in speech: "a", "a and b", "a, b and c".
fn join_and(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}

/// Everything [`analyse`] finds in a support map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkReport {
    /// One entry per domain, in [`Domain::ALL`] order.
    pub domains: Vec<DomainMetrics>,
    /// One entry per supporter other than "myself", in map order.
    pub reciprocity: Vec<Reciprocity>,
    /// Patterns worth noticing: per-domain flags in domain order, then
    /// "all eggs in one basket" last because it sums the others up.
    pub flags: Vec<Flag>,
}

/// Computes metrics, reciprocity and flags for a support map.
pub fn analyse(map: &SupportMap) -> NetworkReport {
    let domains: Vec<DomainMetrics> = Domain::ALL
        .into_iter()
        .map(|domain| domain_metrics(map, domain))
        .collect();
    let reciprocity = map
        .people
        .iter()
        .filter(|person| person.role != Role::Myself)
        .map(reciprocity)
        .collect();
    let flags = flags(map, &domains);
    NetworkReport {
        domains,
        reciprocity,
        flags,
    }
}

/// The reliance weights of one domain, summed over partners and over everyone.
struct Weights {
    supporters: usize,
    total: u32,
    partner: u32,
    sum_of_squares: u32,
}

fn weights(map: &SupportMap, domain: Domain) -> Weights {
    let mut weights = Weights {
        supporters: 0,
        total: 0,
        partner: 0,
        sum_of_squares: 0,
    };
    for person in &map.people {
        let w = u32::from(person.level_on(domain).get());
        if w == 0 {
            continue;
        }
        weights.supporters += 1;
        weights.total += w;
        weights.sum_of_squares += w * w;
        if person.role == Role::Partner {
            weights.partner += w;
        }
    }
    weights
}

fn domain_metrics(map: &SupportMap, domain: Domain) -> DomainMetrics {
    let w = weights(map, domain);
    let (partner_share, hhi, effective_supporters) = if w.total == 0 {
        (None, None, None)
    } else {
        // Σ(w_i/W)² = Σw_i² / W², computed from integers so that equal
        // weights give exactly 1/n rather than a rounded sum of rounded shares.
        let total = f64::from(w.total);
        let squares = f64::from(w.sum_of_squares);
        (
            Some(f64::from(w.partner) / total),
            Some(squares / (total * total)),
            Some(total * total / squares),
        )
    };
    DomainMetrics {
        domain,
        supporters: w.supporters,
        total: w.total,
        partner_share,
        hhi,
        effective_supporters,
    }
}

fn reciprocity(person: &Supporter) -> Reciprocity {
    let sum = |levels: &BTreeMap<Domain, Level>| -> u32 {
        levels.values().map(|level| u32::from(level.get())).sum()
    };
    let gives = sum(&person.leans_back);
    let receives = sum(&person.leans_on);
    let both = gives + receives;
    let balance = (both > 0).then(|| (f64::from(gives) - f64::from(receives)) / f64::from(both));
    Reciprocity {
        name: person.name.clone(),
        gives,
        receives,
        balance,
    }
}

fn flags(map: &SupportMap, metrics: &[DomainMetrics]) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mut partner_only = Vec::new();
    for m in metrics {
        let domain = m.domain;
        let w = weights(map, domain);
        match w.supporters {
            0 if !map.people.is_empty() => flags.push(Flag::NoSupporter { domain }),
            1 => flags.push(Flag::OneSupporter { domain }),
            _ => {}
        }
        // Compare partner/total > 4/5 by cross-multiplying, so 4 of 5 is
        // exactly the limit and not flagged.
        let sensitive = matches!(domain, Domain::Emotional | Domain::Validation);
        if sensitive
            && w.partner * PARTNER_SHARE_LIMIT_DEN > w.total * PARTNER_SHARE_LIMIT_NUM
            && let Some(share) = m.partner_share
        {
            flags.push(Flag::PartnerShareHigh { domain, share });
        }
        if w.partner > 0 && w.partner == w.total {
            partner_only.push(domain);
        }
    }
    if partner_only.len() >= ALL_EGGS_MIN_DOMAINS {
        flags.push(Flag::AllEggsInOneBasket {
            domains: partner_only,
        });
    }
    flags
}

#[cfg(test)]
mod tests;

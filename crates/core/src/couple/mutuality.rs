//! Mutuality: whether support between two partners flows both ways, domain
//! by domain, as both their support maps tell it. Each map has the person's
//! own entry for the other: how much I lean on them, and how much they lean
//! on me. So each direction is told twice, once by each partner.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::network::{Domain, Level, Supporter};
use crate::relationship::normalise;

/// A direction flows when the maps that tell it put it at this level or
/// more on average (0 is none, 4 the most).
pub const FLOWS_FROM: f64 = 1.0;

/// One partner's entry for the other on their support map: the levels
/// alone, never the name they gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Leaning {
    /// How much the map's owner leans on the other, per domain.
    pub leans_on: BTreeMap<Domain, Level>,
    /// How much the other leans on the map's owner, per domain.
    pub leans_back: BTreeMap<Domain, Level>,
}

impl From<&Supporter> for Leaning {
    fn from(entry: &Supporter) -> Self {
        Self {
            leans_on: entry.leans_on.clone(),
            leans_back: entry.leans_back.clone(),
        }
    }
}

impl Leaning {
    fn on(&self, domain: Domain) -> u8 {
        self.leans_on
            .get(&domain)
            .copied()
            .unwrap_or_default()
            .get()
    }

    fn back(&self, domain: Domain) -> u8 {
        self.leans_back
            .get(&domain)
            .copied()
            .unwrap_or_default()
            .get()
    }
}

/// The entry on a support map for the partner of the relationship named
/// `partner`: the one of that name (compared normalised), else the only
/// one marked as a partner; none when it is not clear which.
pub fn partner_entry<'m>(
    partner: &str,
    map: impl IntoIterator<Item = &'m Supporter>,
) -> Option<Leaning> {
    let wanted = normalise(partner);
    let map: Vec<&Supporter> = map.into_iter().collect();
    if let Some(named) = map.iter().find(|entry| normalise(&entry.name) == wanted) {
        return Some(Leaning::from(*named));
    }
    let mut partners = map
        .iter()
        .filter(|entry| entry.role == crate::network::Role::Partner);
    match (partners.next(), partners.next()) {
        (Some(only), None) => Some(Leaning::from(*only)),
        _ => None,
    }
}

/// How much one partner leans on the other in a domain, as each tells it;
/// none from a partner with no entry for the other on their map.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Told {
    /// As I put it on my map.
    pub by_me: Option<u8>,
    /// As my partner put it on theirs.
    pub by_them: Option<u8>,
}

impl Told {
    /// The mean of what is told; none when neither tells it.
    fn mean(self) -> Option<f64> {
        let told: Vec<f64> = [self.by_me, self.by_them]
            .into_iter()
            .flatten()
            .map(f64::from)
            .collect();
        (!told.is_empty()).then(|| told.iter().sum::<f64>() / told.len() as f64)
    }

    fn flows(self) -> bool {
        self.mean().is_some_and(|mean| mean >= FLOWS_FROM)
    }
}

/// Which way support flows in a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Flow {
    /// Each leans on the other.
    BothWays,
    /// I lean on my partner; they do not lean on me.
    ToMe,
    /// My partner leans on me; I do not lean on them.
    ToThem,
    /// Neither leans on the other here.
    Neither,
}

/// One domain of support between the two.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mutuality {
    /// The domain.
    pub domain: Domain,
    /// How much I lean on my partner.
    pub i_lean: Told,
    /// How much my partner leans on me.
    pub they_lean: Told,
    /// Which way support flows, from both tellings.
    pub flow: Flow,
    /// Whether the two maps tell a direction two or more levels apart: the
    /// two see it differently, which is worth a word.
    pub seen_differently: bool,
}

/// Mutuality in each domain from my entry for my partner and theirs for
/// me; empty when neither map has an entry for the other.
pub fn mutuality(mine: Option<&Leaning>, theirs: Option<&Leaning>) -> Vec<Mutuality> {
    if mine.is_none() && theirs.is_none() {
        return Vec::new();
    }
    let level = |entry: Option<&Leaning>, read: fn(&Leaning, Domain) -> u8, domain| {
        entry.map(|entry| read(entry, domain))
    };
    Domain::ALL
        .into_iter()
        .map(|domain| {
            let i_lean = Told {
                by_me: level(mine, Leaning::on, domain),
                by_them: level(theirs, Leaning::back, domain),
            };
            let they_lean = Told {
                by_me: level(mine, Leaning::back, domain),
                by_them: level(theirs, Leaning::on, domain),
            };
            let flow = match (i_lean.flows(), they_lean.flows()) {
                (true, true) => Flow::BothWays,
                (true, false) => Flow::ToMe,
                (false, true) => Flow::ToThem,
                (false, false) => Flow::Neither,
            };
            let apart = |told: Told| match (told.by_me, told.by_them) {
                (Some(a), Some(b)) => a.abs_diff(b) >= 2,
                _ => false,
            };
            Mutuality {
                domain,
                i_lean,
                they_lean,
                flow,
                seen_differently: apart(i_lean) || apart(they_lean),
            }
        })
        .collect()
}

/// The flow in plain words, to show beside a domain.
pub fn flow_words(flow: Flow) -> &'static str {
    match flow {
        Flow::BothWays => "You lean on each other.",
        Flow::ToMe => "You lean on your partner more than they lean on you.",
        Flow::ToThem => "Your partner leans on you more than you lean on them.",
        Flow::Neither => "Neither of you leans on the other here.",
    }
}

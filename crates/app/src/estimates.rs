//! Reliability and SD estimated from this deployment's own administrations
//! (docs/DOMAIN.md, "Check-in"): once at least [`MIN_ADMINISTRATIONS`] people who
//! opted in to research have finished the current RDP version (the first
//! administration of each counts, once), facet and index precision comes
//! from the psychometrics engine,
//! so scores get intervals and changes get a Reliable Change verdict. Until
//! then, none is invented. Declared values in the instrument always win, and
//! a version the operator pinned from a published source
//! ([`tandem_core::instrument::published`]) is never estimated. One account
//! counts once, and estimates are made in the background, never while a
//! request waits.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use tandem_core::ids::{FacetId, IndexId};
use tandem_core::instrument::{Instrument, Precision, ResponseKind};
use tandem_stats::moments::{Missing, Moments};
use tandem_stats::reliability::reliability;
use tandem_store::{Research, Store};

use crate::ServiceError;

/// People (one first administration each) needed before estimates are used.
pub const MIN_ADMINISTRATIONS: u64 = 200;

/// The instrument with estimated precision, and how many administrations it rests on.
#[derive(Debug)]
pub struct Estimated {
    /// The RDP with estimates filled in.
    pub instrument: Instrument,
    /// Administrations the estimates come from.
    pub from: u64,
}

/// What the precision of a score rests on, as results and reports say it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Reliability {
    /// Nothing yet: no intervals, no change verdicts.
    None,
    /// Estimated here from this many people's first administrations.
    Estimated {
        /// People the estimate rests on.
        administrations: u64,
    },
    /// Pinned by the operator from a published source (`reliability_file`).
    Published {
        /// The source, as the file names it.
        citation: String,
    },
}

impl Reliability {
    /// What intervals and change verdicts rest on, in words for a page.
    pub fn words(&self) -> Option<String> {
        match self {
            Self::None => None,
            Self::Estimated { administrations } => Some(format!(
                "Intervals and change verdicts use reliability estimated from {administrations} profiles taken here."
            )),
            Self::Published { citation } => Some(format!(
                "Intervals and change verdicts use published reliability: {citation}."
            )),
        }
    }
}

/// The last estimate, kept off the request path: pages only read it;
/// [`Cache::refresh`] recomputes it when the people it would rest on changed
/// (joined, left, or were replaced by others), in the server's housekeeping
/// every few minutes, and soon after a research consent changes (the web
/// app's one background task, however many changes come: [`Cache::ask`]).
#[derive(Default)]
pub struct Cache {
    latest: std::sync::RwLock<Option<Arc<Estimated>>>,
    /// Who the estimate was made from; held while one is computed, so
    /// refreshes never run side by side.
    computed_from: tokio::sync::Mutex<Option<(u64, i64, i64)>>,
    /// A refresh is asked for.
    wanted: AtomicBool,
    /// A background refresh task is running.
    running: AtomicBool,
}

impl Cache {
    /// The estimate made last, or `None` below the threshold (or before the
    /// first refresh). Never reads the store.
    pub fn current(&self) -> Option<Arc<Estimated>> {
        self.latest
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Recomputes the estimate for `rdp` when the people it would rest on
    /// are not those of the last one.
    pub async fn refresh(
        &self,
        store: &Store,
        research: &Research,
        rdp: &Instrument,
    ) -> Result<(), ServiceError> {
        let mut computed_from = self.computed_from.lock().await;
        let people = store.research_fingerprint(research, rdp).await?;
        if *computed_from == Some(people) {
            return Ok(());
        }
        let estimate = if people.0 < MIN_ADMINISTRATIONS {
            None
        } else {
            estimate(store, research, rdp).await?.map(Arc::new)
        };
        *self
            .latest
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = estimate;
        *computed_from = Some(people);
        Ok(())
    }

    /// Asks for a refresh. True when no refresh task is running, so the
    /// caller must start one; false when the running one will see the ask.
    pub fn ask(&self) -> bool {
        self.wanted.store(true, Ordering::SeqCst);
        !self.running.swap(true, Ordering::SeqCst)
    }

    /// Takes the ask, for the running task: true when one was waiting.
    pub fn take_ask(&self) -> bool {
        self.wanted.swap(false, Ordering::SeqCst)
    }

    /// The running task stops. True when it must go on after all: an ask
    /// came just as it was stopping, found it still running, and no new
    /// task took it.
    pub fn stop(&self) -> bool {
        self.running.store(false, Ordering::SeqCst);
        self.wanted.load(Ordering::SeqCst) && !self.running.swap(true, Ordering::SeqCst)
    }
}

/// Estimates facet and index precision from the first finished
/// administration of each person who opted in, of this version.
pub async fn estimate(
    store: &Store,
    research: &Research,
    rdp: &Instrument,
) -> Result<Option<Estimated>, ServiceError> {
    let items: Vec<String> = rdp
        .items
        .iter()
        .filter(|i| i.response == ResponseKind::Scale && i.facet.is_some())
        .map(|i| i.id.to_string())
        .collect();
    let mut moments = crate::research::item_moments(store, research, rdp, &items).await?;
    let rows = moments.rows();
    if rows < MIN_ADMINISTRATIONS {
        return Ok(None);
    }
    let reversed: Vec<usize> = rdp
        .items
        .iter()
        .filter(|i| i.reverse)
        .filter_map(|i| items.iter().position(|id| id == i.id.as_str()))
        .collect();
    moments.reverse(&reversed, rdp.scale.min as f64, rdp.scale.max as f64);
    let (facets, indices) = precision(rdp, &moments, &items);
    Ok(Some(Estimated {
        instrument: rdp.with_estimates(&facets, &indices),
        from: rows,
    }))
}

/// Precision of every facet (alpha; SD of the facet mean) and index (the
/// reliability of a mean of facet means from the facets' error variances —
/// stratified alpha, Rajaratnam, Cronbach & Gleser 1965; its SD).
fn precision(
    rdp: &Instrument,
    moments: &Moments,
    items: &[String],
) -> (BTreeMap<FacetId, Precision>, BTreeMap<IndexId, Precision>) {
    let c = moments.covariance(Missing::Pairwise);
    let index_of = |id: &str| items.iter().position(|i| i == id);
    let members: BTreeMap<FacetId, Vec<usize>> = rdp
        .facets
        .iter()
        .map(|f| {
            (
                f.id.clone(),
                rdp.items_of(&f.id)
                    .filter_map(|i| index_of(i.id.as_str()))
                    .collect(),
            )
        })
        .collect();
    // Covariance of two facet means.
    let c = &c;
    let cov = |a: &[usize], b: &[usize]| {
        let sum: f64 = a
            .iter()
            .flat_map(|i| b.iter().map(move |j| c[(*i, *j)]))
            .sum();
        sum / (a.len() * b.len()) as f64
    };
    let cov = &cov;
    let mut facets = BTreeMap::new();
    for (id, idx) in &members {
        let Ok(rel) = reliability(moments, idx, Missing::Pairwise) else {
            continue;
        };
        let (alpha, var) = (rel.alpha.raw, cov(idx, idx));
        if alpha > 0.0 && alpha < 1.0 && var > 0.0 {
            facets.insert(
                id.clone(),
                Precision {
                    reliability: alpha,
                    sd: var.sqrt(),
                },
            );
        }
    }
    let mut indices = BTreeMap::new();
    for index in &rdp.indices {
        let parts: Vec<(&Vec<usize>, &Precision)> = index
            .facets
            .iter()
            .filter_map(|f| Some((members.get(f)?, facets.get(f)?)))
            .collect();
        if parts.len() != index.facets.len() || parts.is_empty() {
            continue;
        }
        let k = parts.len() as f64;
        let var: f64 = parts
            .iter()
            .flat_map(|(a, _)| parts.iter().map(move |(b, _)| cov(a, b)))
            .sum::<f64>()
            / (k * k);
        let error: f64 = parts
            .iter()
            .map(|(_, p)| p.sd * p.sd * (1.0 - p.reliability))
            .sum::<f64>()
            / (k * k);
        let reliability = 1.0 - error / var;
        if var > 0.0 && reliability > 0.0 && reliability < 1.0 {
            indices.insert(
                index.id.clone(),
                Precision {
                    reliability,
                    sd: var.sqrt(),
                },
            );
        }
    }
    (facets, indices)
}

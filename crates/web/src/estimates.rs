//! Reliability and SD estimated from this deployment's own administrations
//! (DOMAIN.md, "Check-in"): once at least [`MIN_ADMINISTRATIONS`] people who
//! opted in to research have finished the current RDP version (the first
//! administration of each counts, once), facet and index precision comes
//! from the psychometrics engine,
//! so scores get intervals and changes get a Reliable Change verdict. Until
//! then, none is invented. Declared values in the instrument always win.

use std::collections::BTreeMap;
use std::sync::Arc;

use tandem_core::ids::{FacetId, IndexId};
use tandem_core::instrument::{Instrument, Precision, ResponseKind};
use tandem_stats::moments::{Accumulator, Missing, Moments};
use tandem_stats::reliability::reliability;
use tandem_store::Store;

use crate::AppError;

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

/// The last estimate and the count it was made at; recomputed when the count moves.
#[derive(Default)]
pub struct Cache(tokio::sync::Mutex<Option<(u64, Option<Arc<Estimated>>)>>);

impl Cache {
    /// The current estimate for `rdp`, or `None` below the threshold.
    pub async fn current(
        &self,
        store: &Store,
        rdp: &Instrument,
    ) -> Result<Option<Arc<Estimated>>, AppError> {
        let count = store.count_finished(rdp).await?;
        if count < MIN_ADMINISTRATIONS {
            return Ok(None);
        }
        let mut cached = self.0.lock().await;
        if let Some((at, estimate)) = cached.as_ref()
            && *at == count
        {
            return Ok(estimate.clone());
        }
        let estimate = estimate(store, rdp).await?.map(Arc::new);
        *cached = Some((count, estimate.clone()));
        Ok(estimate)
    }
}

/// Estimates facet and index precision from the first finished
/// administration of each person who opted in, of this version.
pub async fn estimate(store: &Store, rdp: &Instrument) -> Result<Option<Estimated>, AppError> {
    let items: Vec<String> = rdp
        .items
        .iter()
        .filter(|i| i.response == ResponseKind::Scale && i.facet.is_some())
        .map(|i| i.id.to_string())
        .collect();
    let mut acc = Accumulator::new(items.clone());
    let rows = store
        .for_each_response(rdp, &items, |row| acc.push(row).map_err(|e| e.to_string()))
        .await?;
    if rows < MIN_ADMINISTRATIONS {
        return Ok(None);
    }
    let mut moments = acc.finish();
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

//! McDonald's omega by a Schmid–Leiman transformation, as `psych::omega`
//! (with its `schmid`) computes it for a correlation matrix.
//!
//! The steps, psych's: a minres solution with `nfactors` factors rotated by
//! varimax (psych's `fa` conventions), then GPArotation's oblimin of those
//! loadings gives the group-factor pattern `F` and correlations Φ. The general
//! factor's loadings on the group factors, `g_Φ`, come from a one-factor
//! minres of Φ when there are three or more group factors; with two, both are
//! set to `√|φ₁₂|` (psych's `option = "equal"`); with one, to 1. Then
//!
//! * general loadings `g = F·g_Φ`,
//! * group loadings `F_ij·√(1 − g_Φj²)` (zero when `g_Φj ≥ 1`),
//! * `h2` from the varimax loadings and `u2 = 1 − h2`;
//!
//! items whose general loading is negative are reversed (psych's
//! `flip = TRUE`), and with `Vt` the sum of the (flipped) correlation matrix
//!
//! * ω_h = (Σg)² / Vt, ω_total = (Vt − Σu2) / Vt, ω_limit = (Σg)² / (Vt − Σu2).

use nalgebra::DMatrix;
use serde::Serialize;

use super::fit::{self, Fit};
use super::linalg;
use super::rotate;
use super::{Extracted, FaError, Method, Rotation, checked_correlation, rotated, solve};

/// Omega for the items whose largest group loading is on one group factor
/// (a row of psych's `omega.group`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OmegaGroup {
    /// Items (0-based) assigned to this group factor.
    pub items: Vec<usize>,
    /// Omega total of those items: general and group factor together.
    pub total: f64,
    /// Share of those items' total variance due to the general factor.
    pub general: f64,
    /// Share due to the group factor alone.
    pub group: f64,
}

/// Omega hierarchical and total with the Schmid–Leiman loadings behind them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OmegaResult {
    /// Number of group factors.
    pub nfactors: usize,
    /// Omega hierarchical: the share of total-score variance due to the
    /// general factor (psych's `omega_h`).
    pub hierarchical: f64,
    /// Omega total: the share due to all common factors (psych's `omega.tot`).
    pub total: f64,
    /// ω_h / ω_total (psych's `omega.lim`).
    pub limit: f64,
    /// General-factor loadings per item, after reversing items whose general
    /// loading was negative.
    pub general: Vec<f64>,
    /// Group-factor loadings, items × group factors (same item signs).
    pub group: Vec<Vec<f64>>,
    /// Communalities per item.
    pub h2: Vec<f64>,
    /// Uniquenesses per item.
    pub u2: Vec<f64>,
    /// Items reversed because their general loading was negative.
    pub reversed: Vec<bool>,
    /// Loadings of the group factors on the general factor (psych's `gloading`).
    pub general_on_groups: Vec<f64>,
    /// Correlations of the oblique group factors.
    pub phi: Vec<Vec<f64>>,
    /// Omega per group factor (psych's `omega.group` without its first row).
    pub groups: Vec<OmegaGroup>,
    /// Fit of the `nfactors` minres solution behind the transformation.
    pub fit: Fit,
}

/// Omega hierarchical and total of correlation matrix `r` with `nfactors`
/// group factors, as `psych::omega(r, nfactors, n.obs = n)`. `n` only feeds
/// the fit measures; pass `f64::NAN` when it is unknown.
pub fn omega(r: &DMatrix<f64>, n: f64, nfactors: usize) -> Result<OmegaResult, FaError> {
    omega_from(&Extracted::new(r, nfactors, Method::Minres)?, n)
}

/// [`omega`] from factors already extracted by minres (those of another
/// method are extracted again by minres, as psych's `omega` does).
pub fn omega_from(extracted: &Extracted, n: f64) -> Result<OmegaResult, FaError> {
    if extracted.method != Method::Minres {
        return omega(&extracted.r, n, extracted.nfactors);
    }
    let (r, nfactors) = (&extracted.r, extracted.nfactors);
    let p = r.nrows();
    let orth = rotated(extracted.extraction.clone(), nfactors, Rotation::Varimax)?.loadings;
    let (fload, phi) = if nfactors == 1 {
        (orth.clone(), DMatrix::identity(1, 1))
    } else {
        let ob = rotate::oblimin(&orth).ok_or(FaError::RotationFailed)?;
        (ob.loadings, ob.phi)
    };
    let gload: Vec<f64> = match nfactors {
        1 => vec![1.0],
        2 => {
            let c = phi[(0, 1)];
            let root = c.abs().sqrt();
            vec![root, c.signum() * root]
        }
        _ => solve(&phi, 1, Method::Minres, Rotation::None)?
            .loadings
            .column(0)
            .iter()
            .copied()
            .collect(),
    };

    let mut general: Vec<f64> = (0..p)
        .map(|i| (0..nfactors).map(|j| fload[(i, j)] * gload[j]).sum())
        .collect();
    let mut group = DMatrix::from_fn(p, nfactors, |i, j| {
        let f = fload[(i, j)];
        let rest = (f * f - (f * gload[j]).powi(2)).max(0.0);
        r_sign(f) * rest.sqrt()
    });
    let h2: Vec<f64> = orth.row_iter().map(|row| row.norm_squared()).collect();
    let u2: Vec<f64> = h2.iter().enumerate().map(|(i, h)| r[(i, i)] - h).collect();

    let key: Vec<f64> = general
        .iter()
        .map(|&g| if g < 0.0 { -1.0 } else { 1.0 })
        .collect();
    let m = DMatrix::from_fn(p, p, |i, j| r[(i, j)] * key[i] * key[j]);
    for i in 0..p {
        general[i] *= key[i];
        group.row_mut(i).scale_mut(key[i]);
    }

    let vt = m.sum();
    let gsq = general.iter().sum::<f64>().powi(2);
    let uniq: f64 = u2.iter().sum();

    let assigned: Vec<usize> = (0..p)
        .map(|i| {
            let mut best = 0;
            for j in 1..nfactors {
                if group[(i, j)].abs() > group[(i, best)].abs() {
                    best = j;
                }
            }
            best
        })
        .collect();
    let groups = (0..nfactors)
        .map(|j| {
            let items: Vec<usize> = (0..p).filter(|&i| assigned[i] == j).collect();
            let vgr: f64 = items
                .iter()
                .map(|&a| items.iter().map(|&b| m[(a, b)]).sum::<f64>())
                .sum();
            let gr: f64 = items.iter().map(|&i| group[(i, j)]).sum();
            let gg: f64 = items.iter().map(|&i| general[i]).sum();
            let (total, general, group) = if items.is_empty() {
                (f64::NAN, f64::NAN, f64::NAN)
            } else {
                ((gr * gr + gg * gg) / vgr, gg * gg / vgr, gr * gr / vgr)
            };
            OmegaGroup {
                items,
                total,
                general,
                group,
            }
        })
        .collect();

    Ok(OmegaResult {
        nfactors,
        hierarchical: gsq / vt,
        total: (vt - uniq) / vt,
        limit: gsq / (vt - uniq),
        general,
        group: linalg::rows(&group),
        h2,
        u2,
        reversed: key.iter().map(|&k| k < 0.0).collect(),
        general_on_groups: gload,
        phi: linalg::rows(&phi),
        groups,
        fit: fit::fa_stats(r, &orth, &DMatrix::identity(nfactors, nfactors), n),
    })
}

/// R's `sign`: 0 for 0.
fn r_sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Omega total of one set of items (a facet) from a one-factor minres
/// solution: `psych::omega(r, nfactors = 1)$omega.tot`, that is
/// `(Vt − Σu2) / Vt` with items of negative loading reversed before summing
/// the correlation matrix into `Vt`. Needs at least two items.
pub fn omega_total(r: &DMatrix<f64>) -> Result<f64, FaError> {
    let r = checked_correlation(r, 2)?;
    let l = solve(&r, 1, Method::Minres, Rotation::None)?.loadings;
    let p = r.nrows();
    let key: Vec<f64> = l
        .column(0)
        .iter()
        .map(|&v| if v < 0.0 { -1.0 } else { 1.0 })
        .collect();
    let vt: f64 = (0..p)
        .map(|i| (0..p).map(|j| r[(i, j)] * key[i] * key[j]).sum::<f64>())
        .sum();
    let uniq: f64 = (0..p).map(|i| r[(i, i)] - l[(i, 0)].powi(2)).sum();
    Ok((vt - uniq) / vt)
}

//! Internal-consistency reliability of a set of items, computed from [`Moments`] the way R's
//! `psych::alpha` (psych 2.2.9) computes it, so the numbers agree with it.
//!
//! With `C` the covariance matrix of the `k` items (pairwise by default, as `psych::alpha`'s
//! `cov(x, use = "pairwise")`), `R = cov2cor(C)`, `1` a vector of ones and `N` the number of rows:
//!
//! * raw alpha (Cronbach 1951): `α = k/(k−1) · (1 − tr C / 1ᵀC1)`;
//! * standardized alpha: `α_std = k/(k−1) · (1 − k / 1ᵀR1)`;
//! * Guttman's λ₆ (Guttman 1945), with squared multiple correlations `smcᵢ = 1 − 1/(R⁻¹)ᵢᵢ`
//!   (R⁻¹ the Moore–Penrose inverse, smc clamped to [0, 1] as `psych::smc` does):
//!   `λ₆ = 1 − (k − Σ smcᵢ) / 1ᵀR1`;
//! * average inter-item correlation `r̄ = (1ᵀR1 − k) / (k(k−1))`, and signal/noise
//!   `S/N = k r̄ / (1 − r̄)`;
//! * alpha's standard error (Duhachek & Iacobucci 2004, as `psych::alpha`'s `ase`):
//!   `Q = 2k² / ((k−1)² (1ᵀC1)³) · (1ᵀC1 · (tr C² + (tr C)²) − 2 tr C · 1ᵀC²1)`, `se = √(Q/N)`,
//!   and the 95% interval `α ± 1.96 se`;
//! * corrected item–total correlation (`r.drop`): `(Σⱼ Cᵢⱼ − Cᵢᵢ) / √(Cᵢᵢ · 1ᵀC₋ᵢ1)`, with `C₋ᵢ`
//!   the covariances of the other items;
//! * alpha if item i is dropped: raw alpha of `C₋ᵢ` (defined for three items or more);
//! * standard error of measurement of the sum score: `SEM = √(1ᵀC1) · √(1 − α)`, and of the mean
//!   score `SEM / k`.
//!
//! `N` is every row read for pairwise handling (R's `nrow(x)`, rows with missing values
//! included) and the complete rows for listwise handling. Items without variance are not
//! dropped (psych drops them with a warning); their statistics come out as NaN (`null` in JSON).
//! So do alphas whose sum score has no variance (`1ᵀC1` or `1ᵀR1` zero up to rounding), where
//! psych would divide by a rounding residue.

use nalgebra::DMatrix;
use serde::Serialize;

use crate::moments::{Missing, Moments};

/// Reliability of a set of items: the scale statistics and one row per item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reliability {
    /// How missing values were handled.
    pub missing: Missing,
    /// Rows the standard error rests on (see the module docs).
    pub n: u64,
    /// Item ids, in the order analysed.
    pub items: Vec<String>,
    /// Scale-level statistics.
    pub alpha: Alpha,
    /// Per-item statistics, in the order of `items`.
    pub item_stats: Vec<ItemStats>,
}

/// Scale-level reliability statistics.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Alpha {
    /// Cronbach's alpha from the covariances (`raw_alpha`).
    pub raw: f64,
    /// Alpha from the correlations (`std.alpha`).
    pub std: f64,
    /// Guttman's lambda 6 (`G6(smc)`).
    pub g6: f64,
    /// Average inter-item correlation (`average_r`).
    pub average_r: f64,
    /// Median inter-item correlation (`median_r`).
    pub median_r: f64,
    /// Signal/noise ratio `k r̄ / (1 − r̄)` (`S/N`).
    pub signal_noise: f64,
    /// Standard error of raw alpha (`ase`).
    pub se: f64,
    /// 95% interval `[α − 1.96 se, α + 1.96 se]`.
    pub ci95: [f64; 2],
    /// Standard error of measurement of the sum score.
    pub sem: f64,
    /// Standard error of measurement of the mean score.
    pub sem_mean: f64,
}

/// Statistics for one item within the set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStats {
    /// Item id.
    pub id: String,
    /// Values of the item that entered its mean and SD.
    pub n: u64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation (`n − 1` denominator).
    pub sd: f64,
    /// Corrected item–total correlation (`r.drop`).
    pub r_drop: f64,
    /// Raw alpha of the other items; `None` with fewer than three items.
    pub alpha_if_dropped: Option<f64>,
}

/// The items asked for cannot be analysed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReliabilityError {
    /// Alpha needs at least two items.
    #[error("reliability needs at least two items, got {0}")]
    TooFewItems(usize),
    /// An index is not below the number of items.
    #[error("item index {index} is out of range for {p} items")]
    NoSuchItem {
        /// The index given.
        index: usize,
        /// Number of items in the statistics.
        p: usize,
    },
    /// The same item was listed twice.
    #[error("item {0:?} is listed twice")]
    Repeated(String),
}

/// Reliability of the items at `items` (indices into [`Moments::items`]).
pub fn reliability(
    m: &Moments,
    items: &[usize],
    missing: Missing,
) -> Result<Reliability, ReliabilityError> {
    let p = m.p();
    if let Some(&index) = items.iter().find(|&&i| i >= p) {
        return Err(ReliabilityError::NoSuchItem { index, p });
    }
    for (k, &i) in items.iter().enumerate() {
        if items[..k].contains(&i) {
            return Err(ReliabilityError::Repeated(m.items()[i].clone()));
        }
    }
    let k = items.len();
    if k < 2 {
        return Err(ReliabilityError::TooFewItems(k));
    }
    let full = m.covariance(missing);
    let c = DMatrix::from_fn(k, k, |a, b| full[(items[a], items[b])]);
    let r = cov2cor(&c);
    let n = m.n(missing);

    let raw = raw_alpha(&c);
    let sum_r = defined_total(r.sum(), r.trace());
    let kf = k as f64;
    let std = (1.0 - kf / sum_r) * (kf / (kf - 1.0));
    let smc_sum: f64 = smc(&r).iter().sum();
    let g6 = 1.0 - (kf - smc_sum) / sum_r;
    let average_r = (sum_r - kf) / (kf * (kf - 1.0));
    let signal_noise = kf * average_r / (1.0 - average_r);
    let se = (duhachek_q(&c) / n as f64).sqrt();
    let total_var = c.sum();
    let sem = total_var.sqrt() * (1.0 - raw).sqrt();

    let means = m.means(missing);
    let trace = c.trace();
    let item_stats = items
        .iter()
        .enumerate()
        .map(|(a, &i)| {
            // The covariances without item `a`, by their sums: its column
            // (and row) and its variance taken out of the whole, O(k) each.
            let c_drop = c.column(a).sum() - c[(a, a)];
            let mut rest_sum = total_var - 2.0 * c_drop - c[(a, a)];
            let mut rest_trace = trace - c[(a, a)];
            // Where the whole is not finite (a pair never answered together,
            // under pairwise deletion) or the subtraction cancels, the rest
            // is summed as it is, as before: an item's own NaN must not hide
            // what the others give without it.
            let scale = total_var.abs() + 2.0 * c_drop.abs() + c[(a, a)].abs();
            if !(total_var.is_finite() && trace.is_finite()) || rest_sum.abs() <= 1e-8 * scale {
                let rest: Vec<usize> = (0..k).filter(|&b| b != a).collect();
                let c_rest = c.select_rows(&rest).select_columns(&rest);
                (rest_sum, rest_trace) = (c_rest.sum(), c_rest.trace());
            }
            ItemStats {
                id: m.items()[i].clone(),
                n: m.item_n(i, missing) as u64,
                mean: means[i],
                sd: c[(a, a)].sqrt(),
                r_drop: c_drop / (c[(a, a)] * rest_sum).sqrt(),
                alpha_if_dropped: (k >= 3).then(|| alpha_of(k - 1, rest_trace, rest_sum)),
            }
        })
        .collect();

    Ok(Reliability {
        missing,
        n,
        items: items.iter().map(|&i| m.items()[i].clone()).collect(),
        alpha: Alpha {
            raw,
            std,
            g6,
            average_r,
            median_r: median_off_diagonal(&r),
            signal_noise,
            se,
            ci95: [raw - 1.96 * se, raw + 1.96 * se],
            sem,
            sem_mean: sem / kf,
        },
        item_stats,
    })
}

/// `k/(k−1) · (1 − tr C / 1ᵀC1)`.
fn raw_alpha(c: &DMatrix<f64>) -> f64 {
    alpha_of(c.nrows(), c.trace(), c.sum())
}

/// [`raw_alpha`] of `k` items from the trace and the sum of their covariances.
fn alpha_of(k: usize, trace: f64, sum: f64) -> f64 {
    let k = k as f64;
    (1.0 - trace / defined_total(sum, trace)) * (k / (k - 1.0))
}

/// The variance of the sum score `1ᵀC1`, or NaN when it is zero up to rounding (the items
/// cancel out, as two items that always sum to the same total). Alpha is undefined then;
/// dividing by a rounding residue would give an arbitrary number of any size.
fn defined_total(total: f64, trace: f64) -> f64 {
    if total.abs() <= 1e-12 * trace.abs() {
        f64::NAN
    } else {
        total
    }
}

/// Duhachek & Iacobucci's (2004) `Q`, written as in `psych::alpha`.
fn duhachek_q(c: &DMatrix<f64>) -> f64 {
    let k = c.nrows() as f64;
    let tr = c.trace();
    let s = defined_total(c.sum(), tr);
    let c2 = c * c;
    (2.0 * k * k / ((k - 1.0).powi(2) * s.powi(3)))
        * (s * (c2.trace() + tr * tr) - 2.0 * tr * c2.sum())
}

/// R's `cov2cor`: `Rᵢⱼ = Cᵢⱼ / √(Cᵢᵢ Cⱼⱼ)`, diagonal exactly 1 where defined.
pub fn cov2cor(c: &DMatrix<f64>) -> DMatrix<f64> {
    let inv_sd: Vec<f64> = c.diagonal().iter().map(|v| 1.0 / v.sqrt()).collect();
    DMatrix::from_fn(c.nrows(), c.ncols(), |i, j| {
        if i == j && c[(i, i)] > 0.0 {
            1.0
        } else {
            c[(i, j)] * inv_sd[i] * inv_sd[j]
        }
    })
}

/// Squared multiple correlations as `psych::smc`: `1 − 1/diag(pinv(R))`, clamped to [0, 1].
pub fn smc(r: &DMatrix<f64>) -> Vec<f64> {
    let diagonal = well_conditioned_inverse_diagonal(r)
        .unwrap_or_else(|| pinv(r).diagonal().iter().copied().collect());
    diagonal
        .iter()
        .map(|d| {
            let s = 1.0 - 1.0 / d;
            if s.is_nan() { s } else { s.clamp(0.0, 1.0) }
        })
        .collect()
}

/// The diagonal of `R⁻¹` when `R` is symmetric positive definite and so
/// well conditioned that [`pinv`] would drop no singular value — then the
/// two are equal, and a Cholesky factor `L` gives it for a fraction of the
/// cost of an SVD: `(R⁻¹)ᵢᵢ` is the squared norm of column `i` of `L⁻¹`.
/// `‖R‖_F·‖R⁻¹‖_F ≤ ‖R‖_F·‖L⁻¹‖²_F` bounds the condition number
/// `σ_max/σ_min` from above, so below `1/√ε` every singular value is above
/// `√ε·σ_max`, which `pinv` keeps.
pub(crate) fn well_conditioned_inverse_diagonal(r: &DMatrix<f64>) -> Option<Vec<f64>> {
    if !r.is_square() || r.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let l = r.clone().cholesky()?.unpack();
    let l_inv = l.solve_lower_triangular(&DMatrix::identity(r.nrows(), r.ncols()))?;
    let bound = l_inv.norm_squared() * r.norm();
    (bound < 1.0 / f64::EPSILON.sqrt())
        .then(|| l_inv.column_iter().map(|c| c.norm_squared()).collect())
}

/// Moore–Penrose inverse as `psych::Pinv`: singular values below `√ε` times the largest are
/// dropped. A matrix with non-finite entries gives a NaN matrix.
pub fn pinv(x: &DMatrix<f64>) -> DMatrix<f64> {
    if x.iter().any(|v| !v.is_finite()) {
        return DMatrix::from_element(x.nrows(), x.ncols(), f64::NAN);
    }
    let svd = x.clone().svd(true, true);
    let largest = svd.singular_values.iter().copied().fold(0.0, f64::max);
    let tol = f64::EPSILON.sqrt() * largest;
    match (svd.u, svd.v_t) {
        (Some(u), Some(v_t)) => {
            let mut out = DMatrix::zeros(x.ncols(), x.nrows());
            for (s, d) in svd.singular_values.iter().enumerate() {
                if *d > tol {
                    out += v_t.row(s).transpose() * u.column(s).transpose() / *d;
                }
            }
            out
        }
        _ => DMatrix::from_element(x.nrows(), x.ncols(), f64::NAN),
    }
}

/// Median of the strictly lower triangle, NaN entries left out (R's `median(…, na.rm = TRUE)`).
fn median_off_diagonal(r: &DMatrix<f64>) -> f64 {
    let mut v: Vec<f64> = (0..r.ncols())
        .flat_map(|j| (j + 1..r.nrows()).map(move |i| (i, j)))
        .map(|ij| r[ij])
        .filter(|x| !x.is_nan())
        .collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

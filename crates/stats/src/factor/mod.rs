//! Exploratory factor analysis, Horn's parallel analysis and McDonald's omega
//! from a correlation matrix, giving the numbers R's `psych` gives.
//!
//! Everything starts from a correlation matrix (`nalgebra::DMatrix<f64>`) and
//! the number of observations behind it, so it runs on the sufficient
//! statistics a streaming pass accumulates and never sees a row of data.
//!
//! * [`fa`] mirrors `psych::fa(r, nfactors, n.obs, fm, rotate)` (psych 2.2.9):
//!   minres or maximum-likelihood extraction, then no rotation, varimax or
//!   oblimin, psych's sign and order conventions, communalities, variance
//!   accounted for and `fa.stats` fit measures.
//! * [`parallel_analysis`] mirrors `psych::fa.parallel(r, n.obs, fa = "both")`
//!   with its defaults (see [`parallel`]).
//! * [`omega`] mirrors `psych::omega(r, nfactors)`: a Schmid–Leiman
//!   transformation of a minres/oblimin solution; [`omega_total`] is its
//!   one-factor case, used per facet.

mod extract;
mod fit;
mod linalg;
mod omega;
mod optim;
pub mod parallel;
mod rotate;

use std::fmt;
use std::str::FromStr;

use nalgebra::DMatrix;
use serde::Serialize;

pub use fit::Fit;
pub use omega::{OmegaGroup, OmegaResult, omega, omega_from, omega_total};
pub use parallel::{ParallelResult, parallel_analysis};

/// How factors are extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Minimum residual (unweighted least squares), psych's default `fm = "minres"`.
    Minres,
    /// Maximum likelihood, psych's `fm = "ml"`.
    Ml,
}

/// How extracted factors are rotated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rotation {
    /// Unrotated principal-axis loadings (`rotate = "none"`).
    None,
    /// Orthogonal varimax (`rotate = "varimax"`, R's `stats::varimax`).
    Varimax,
    /// Oblique oblimin with γ = 0, i.e. quartimin (`rotate = "oblimin"`,
    /// psych's default, by GPArotation).
    Oblimin,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Minres => "minres",
            Method::Ml => "ml",
        })
    }
}

impl fmt::Display for Rotation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rotation::None => "none",
            Rotation::Varimax => "varimax",
            Rotation::Oblimin => "oblimin",
        })
    }
}

/// A name that is not a known method or rotation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{name}` (expected one of: {expected})")]
pub struct UnknownName {
    kind: &'static str,
    name: String,
    expected: &'static str,
}

impl FromStr for Method {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "minres" | "uls" => Ok(Method::Minres),
            "ml" | "mle" => Ok(Method::Ml),
            _ => Err(UnknownName {
                kind: "factor method",
                name: s.to_owned(),
                expected: "minres, ml",
            }),
        }
    }
}

impl FromStr for Rotation {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "none" => Ok(Rotation::None),
            "varimax" => Ok(Rotation::Varimax),
            "oblimin" | "quartimin" => Ok(Rotation::Oblimin),
            _ => Err(UnknownName {
                kind: "rotation",
                name: s.to_owned(),
                expected: "none, varimax, oblimin",
            }),
        }
    }
}

/// Why a factor analysis could not be run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FaError {
    /// The matrix is not square.
    #[error("correlation matrix is {rows}×{cols}, not square")]
    NotSquare {
        /// Rows given.
        rows: usize,
        /// Columns given.
        cols: usize,
    },
    /// Fewer variables than the analysis needs.
    #[error("factor analysis needs at least {needed} variables, got {found}")]
    TooFewVariables {
        /// Variables given.
        found: usize,
        /// Variables needed.
        needed: usize,
    },
    /// An entry is NaN or infinite (for example a pairwise correlation with
    /// no overlapping observations).
    #[error("correlation matrix entry ({row}, {col}) is not a finite number")]
    NonFinite {
        /// Row of the entry (0-based).
        row: usize,
        /// Column of the entry (0-based).
        col: usize,
    },
    /// The matrix is not symmetric.
    #[error("correlation matrix is not symmetric at ({row}, {col})")]
    NotSymmetric {
        /// Row of the entry (0-based).
        row: usize,
        /// Column of the entry (0-based).
        col: usize,
    },
    /// A variance on the diagonal is not positive (a constant item).
    #[error("variable {index} has a non-positive variance on the diagonal")]
    NonPositiveVariance {
        /// The variable (0-based).
        index: usize,
    },
    /// The number of factors is zero or not below the number of variables.
    #[error(
        "cannot extract {requested} factors from {variables} variables (need 1 ≤ factors < variables)"
    )]
    FactorCount {
        /// Factors requested.
        requested: usize,
        /// Variables available.
        variables: usize,
    },
    /// The oblique rotation met a singular transformation.
    #[error("the oblimin rotation failed (singular transformation matrix)")]
    RotationFailed,
}

/// Variance accounted for by each factor, psych's `Vaccounted`. With an
/// oblique rotation the sums of squares are `diag(Φ·Λ'Λ)`, as psych reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variance {
    /// Sum of squared loadings per factor ("SS loadings").
    pub ss_loadings: Vec<f64>,
    /// Share of the total variance (the number of variables) per factor.
    pub proportion_var: Vec<f64>,
    /// Running total of `proportion_var`.
    pub cumulative_var: Vec<f64>,
    /// Share of the explained variance per factor.
    pub proportion_explained: Vec<f64>,
    /// Running total of `proportion_explained`.
    pub cumulative_proportion: Vec<f64>,
}

/// A fitted factor model, as `psych::fa` reports it. Matrices are vectors of
/// rows: `loadings[item][factor]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaResult {
    /// Extraction method.
    pub method: Method,
    /// Rotation.
    pub rotation: Rotation,
    /// Number of factors.
    pub nfactors: usize,
    /// Pattern loadings, items × factors, factors ordered by variance
    /// accounted for and signed so that every column sums to ≥ 0.
    pub loadings: Vec<Vec<f64>>,
    /// Structure loadings `ΛΦ` (correlations of items with factors); equal to
    /// the pattern for orthogonal solutions.
    pub structure: Vec<Vec<f64>>,
    /// Factor correlations Φ; the identity for unrotated and varimax solutions.
    pub phi: Vec<Vec<f64>>,
    /// Communalities `diag(ΛΦΛ')` (psych's `communality`).
    pub h2: Vec<f64>,
    /// Uniquenesses `1 − h2` (psych's `uniquenesses`).
    pub u2: Vec<f64>,
    /// The uniquenesses where the optimiser stopped, bounded below by 0.005
    /// (psych's `1 − communalities`). They differ from `u2` only in a Heywood
    /// case.
    pub psi: Vec<f64>,
    /// The extraction's own criterion at the solution: the sum of squared
    /// off-diagonal residuals (minres) or psych's `FAfn` likelihood
    /// criterion (ml).
    pub criterion: f64,
    /// Variance accounted for per factor.
    pub variance: Variance,
    /// Eigenvalues of the correlation matrix (psych's `e.values`).
    pub eigenvalues: Vec<f64>,
    /// Eigenvalues of the correlation matrix with the communalities on its
    /// diagonal (psych's `values`).
    pub common_eigenvalues: Vec<f64>,
    /// Goodness of fit.
    pub fit: Fit,
    /// A Heywood case: some uniqueness stopped at its lower bound or some
    /// communality reached 1, so that item's loadings deserve caution.
    pub heywood: bool,
    /// Whether the optimiser (and the rotation, if any) met its tolerance.
    pub converged: bool,
}

impl FaResult {
    /// The pattern loadings as a matrix (items × factors).
    pub fn loadings_matrix(&self) -> DMatrix<f64> {
        from_rows(&self.loadings)
    }

    /// The factor correlations as a matrix.
    pub fn phi_matrix(&self) -> DMatrix<f64> {
        from_rows(&self.phi)
    }
}

fn from_rows(rows: &[Vec<f64>]) -> DMatrix<f64> {
    let nrows = rows.len();
    let ncols = rows.first().map_or(0, Vec::len);
    DMatrix::from_fn(nrows, ncols, |i, j| rows[i][j])
}

/// Checks a correlation (or covariance) matrix and scales it to unit
/// diagonal, as psych's `cov2cor` does on the way in.
pub(crate) fn checked_correlation(
    r: &DMatrix<f64>,
    min_vars: usize,
) -> Result<DMatrix<f64>, FaError> {
    let (rows, cols) = r.shape();
    if rows != cols {
        return Err(FaError::NotSquare { rows, cols });
    }
    if rows < min_vars {
        return Err(FaError::TooFewVariables {
            found: rows,
            needed: min_vars,
        });
    }
    for j in 0..cols {
        for i in 0..rows {
            if !r[(i, j)].is_finite() {
                return Err(FaError::NonFinite { row: i, col: j });
            }
        }
    }
    let scale = r.amax().max(1.0);
    for j in 0..cols {
        for i in (j + 1)..rows {
            if (r[(i, j)] - r[(j, i)]).abs() > 1e-10 * scale {
                return Err(FaError::NotSymmetric { row: i, col: j });
            }
        }
    }
    if let Some(index) = (0..rows).find(|&i| r[(i, i)] <= 0.0) {
        return Err(FaError::NonPositiveVariance { index });
    }
    // Symmetrise exactly so that rounding in the input cannot leak through.
    let sym = (r + r.transpose()) * 0.5;
    Ok(linalg::cov2cor(&sym))
}

/// A solution before fit statistics: what `omega` needs from `fa`.
pub(crate) struct Solution {
    pub loadings: DMatrix<f64>,
    pub phi: Option<DMatrix<f64>>,
    pub h2: Vec<f64>,
    pub psi: Vec<f64>,
    pub criterion: f64,
    pub converged: bool,
}

/// Flips factors so that each loading column sums to ≥ 0 (psych: a zero sum
/// keeps its sign); returns the signs used.
fn flip_columns(l: &mut DMatrix<f64>) -> Vec<f64> {
    let signs: Vec<f64> = linalg::col_sums(l)
        .iter()
        .map(|&s| if s < 0.0 { -1.0 } else { 1.0 })
        .collect();
    for (j, &s) in signs.iter().enumerate() {
        if s < 0.0 {
            l.column_mut(j).neg_mut();
        }
    }
    signs
}

/// psych's `fac` from extraction to sorted, signed (rotated) loadings.
pub(crate) fn solve(
    r: &DMatrix<f64>,
    nf: usize,
    method: Method,
    rotation: Rotation,
) -> Result<Solution, FaError> {
    let ex = match method {
        Method::Minres => extract::minres(r, nf),
        Method::Ml => extract::ml(r, nf),
    };
    rotated(ex, nf, rotation)
}

/// An extraction rotated, with psych's sign and order conventions.
fn rotated(ex: extract::Extraction, nf: usize, rotation: Rotation) -> Result<Solution, FaError> {
    let mut loadings = ex.loadings;
    flip_columns(&mut loadings);
    // psych nudges exact zeros so that rotations never see a zero row.
    loadings.apply(|v| {
        if *v == 0.0 {
            *v = 1e-15;
        }
    });
    let h2: Vec<f64> = loadings.row_iter().map(|row| row.norm_squared()).collect();
    let mut converged = ex.converged;

    let mut phi = None;
    if nf > 1 {
        match rotation {
            Rotation::None => {}
            Rotation::Varimax => loadings = rotate::varimax(&loadings),
            Rotation::Oblimin => {
                let ob = rotate::oblimin(&loadings).ok_or(FaError::RotationFailed)?;
                converged &= ob.converged;
                loadings = ob.loadings;
                phi = Some(ob.phi);
            }
        }
    }
    let signs = flip_columns(&mut loadings);
    if let Some(p) = phi.as_mut() {
        for i in 0..nf {
            for j in 0..nf {
                p[(i, j)] *= signs[i] * signs[j];
            }
        }
    }
    if nf > 1 {
        let ev = variance_per_factor(&loadings, phi.as_ref());
        let mut order: Vec<usize> = (0..nf).collect();
        // A stable sort keeps tied factors in place, as R's `order` does.
        order.sort_by(|&a, &b| ev[b].total_cmp(&ev[a]));
        loadings = DMatrix::from_fn(loadings.nrows(), nf, |i, j| loadings[(i, order[j])]);
        phi = phi.map(|p| DMatrix::from_fn(nf, nf, |i, j| p[(order[i], order[j])]));
    }
    Ok(Solution {
        loadings,
        phi,
        h2,
        psi: ex.psi,
        criterion: ex.objective,
        converged,
    })
}

/// Sums of squared loadings per factor, `diag(Φ·Λ'Λ)` when oblique.
fn variance_per_factor(l: &DMatrix<f64>, phi: Option<&DMatrix<f64>>) -> Vec<f64> {
    let ltl = l.transpose() * l;
    match phi {
        Some(p) => {
            let m = p * ltl;
            (0..l.ncols()).map(|k| m[(k, k)]).collect()
        }
        None => (0..l.ncols()).map(|k| ltl[(k, k)]).collect(),
    }
}

fn cumulative(v: &[f64]) -> Vec<f64> {
    v.iter()
        .scan(0.0, |acc, x| {
            *acc += x;
            Some(*acc)
        })
        .collect()
}

/// Exploratory factor analysis of correlation matrix `r` from `n`
/// observations, as `psych::fa(r, nfactors, n.obs = n, fm, rotate)`.
///
/// `n` only feeds the chi-square based fit measures; pass `f64::NAN` when it
/// is unknown. A covariance matrix is accepted and scaled to correlations.
pub fn fa(
    r: &DMatrix<f64>,
    n: f64,
    nfactors: usize,
    method: Method,
    rotation: Rotation,
) -> Result<FaResult, FaError> {
    fa_from(&Extracted::new(r, nfactors, method)?, n, rotation)
}

/// Factors extracted from a correlation matrix, not yet rotated: [`fa_from`]
/// and [`omega::omega_from`] both finish one, so an analysis that wants
/// both (as `tandem analyze` does, like psych's `fa` then `omega` on the
/// same matrix) fits the factors once.
pub struct Extracted {
    r: DMatrix<f64>,
    nfactors: usize,
    method: Method,
    extraction: extract::Extraction,
}

impl Extracted {
    /// Extracts `nfactors` factors of correlation (or covariance) matrix `r`
    /// by `method`.
    pub fn new(r: &DMatrix<f64>, nfactors: usize, method: Method) -> Result<Self, FaError> {
        let r = checked_correlation(r, 2)?;
        let p = r.nrows();
        if nfactors == 0 || nfactors >= p {
            return Err(FaError::FactorCount {
                requested: nfactors,
                variables: p,
            });
        }
        let extraction = match method {
            Method::Minres => extract::minres(&r, nfactors),
            Method::Ml => extract::ml(&r, nfactors),
        };
        Ok(Self {
            r,
            nfactors,
            method,
            extraction,
        })
    }
}

/// [`fa`] of factors already extracted.
pub fn fa_from(extracted: &Extracted, n: f64, rotation: Rotation) -> Result<FaResult, FaError> {
    let (r, nfactors, method) = (&extracted.r, extracted.nfactors, extracted.method);
    let p = r.nrows();
    let sol = rotated(extracted.extraction.clone(), nfactors, rotation)?;
    let phi = sol
        .phi
        .clone()
        .unwrap_or_else(|| DMatrix::identity(nfactors, nfactors));
    let fit = fit::fa_stats(r, &sol.loadings, &phi, n);
    let u2: Vec<f64> = sol
        .h2
        .iter()
        .enumerate()
        .map(|(i, h)| r[(i, i)] - h)
        .collect();

    let ss = variance_per_factor(&sol.loadings, sol.phi.as_ref());
    let vtotal = p as f64;
    let explained: f64 = ss.iter().sum();
    let proportion_var: Vec<f64> = ss.iter().map(|v| v / vtotal).collect();
    let proportion_explained: Vec<f64> = ss.iter().map(|v| v / explained).collect();
    let variance = Variance {
        cumulative_var: cumulative(&proportion_var),
        cumulative_proportion: cumulative(&proportion_explained),
        proportion_var,
        proportion_explained,
        ss_loadings: ss,
    };
    let heywood =
        sol.psi.iter().any(|&v| v <= extract::PSI_LOWER) || sol.h2.iter().any(|&h| h >= 1.0);
    let mut unrotated_model = r.clone();
    for (i, h) in sol.h2.iter().enumerate() {
        unrotated_model[(i, i)] = *h;
    }
    Ok(FaResult {
        method,
        rotation: if nfactors > 1 {
            rotation
        } else {
            Rotation::None
        },
        nfactors,
        structure: linalg::rows(&(&sol.loadings * &phi)),
        loadings: linalg::rows(&sol.loadings),
        phi: linalg::rows(&phi),
        u2,
        h2: sol.h2,
        psi: sol.psi,
        criterion: sol.criterion,
        variance,
        eigenvalues: linalg::eigenvalues_desc(r),
        common_eigenvalues: linalg::eigenvalues_desc(&unrotated_model),
        fit,
        heywood,
        converged: sol.converged,
    })
}

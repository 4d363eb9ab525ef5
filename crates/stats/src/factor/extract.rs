//! Factor extraction: minimum residual (minres) and maximum likelihood, as
//! psych's `fa` finds them — by minimising over the uniquenesses ψ in
//! [0.005, 1] from the start 1 − SMC, then taking loadings from the
//! eigendecomposition at the optimum.
//!
//! **minres.** psych hands `optim` the sum of squared off-diagonal residuals
//! as the objective together with the gradient `diag(ΛΛ' + Ψ − R)` (its
//! `FAgr.minres`). That gradient is not the objective's: it is the exact
//! gradient of ½·Σ_{k>m} λ_k², the squared residual of `R − Ψ` beyond its first
//! m eigenpairs *including the diagonal*. The two share their interior
//! stationary points (where the communalities equal `diag(ΛΛ')`), but when a
//! uniqueness sits at its bound (a Heywood case) psych's result satisfies the
//! gradient's conditions, not the objective's. So we minimise the function
//! whose gradient psych uses, which lands where psych lands in both cases, and
//! report psych's objective at that point.
//!
//! **ml.** psych's `FAfn`/`FAgr`: with `S* = Ψ^{-1/2} R Ψ^{-1/2}` and its
//! eigenvalues e, minimise `−Σ_{k>m} (ln e_k − e_k) − m + p`; the gradient is
//! `diag(ΛΛ' + Ψ − R)/ψ²` with `Λ = Ψ^{1/2} V_m diag(√max(e − 1, 0))`.

use nalgebra::{DMatrix, DVector};

use super::linalg::{self, eigen_desc};
use super::optim::{self, Minimum, Options};

/// The lower bound psych puts on every uniqueness.
pub(crate) const PSI_LOWER: f64 = 0.005;

/// An extraction: unrotated loadings and the optimiser's uniquenesses.
#[derive(Clone)]
pub(crate) struct Extraction {
    /// Unrotated loadings, items × factors, before psych's sign convention.
    pub loadings: DMatrix<f64>,
    /// The uniquenesses where the optimiser stopped (psych's `1 − communalities`).
    pub psi: Vec<f64>,
    /// psych's objective at the optimum (sum of squared off-diagonal
    /// residuals for minres, the likelihood criterion for ml).
    pub objective: f64,
    /// Whether the optimiser met its tolerance.
    pub converged: bool,
}

fn start_and_upper(r: &DMatrix<f64>) -> (Vec<f64>, f64) {
    let smc = linalg::smc(r);
    let upper = smc.iter().fold(1.0_f64, |a, &v| a.max(v));
    let start = (0..r.nrows()).map(|i| r[(i, i)] - smc[i]).collect();
    (start, upper)
}

/// `R − Ψ` with ψ on the diagonal removed.
fn reduced(r: &DMatrix<f64>, psi: &[f64]) -> DMatrix<f64> {
    let mut s = r.clone();
    for (i, p) in psi.iter().enumerate() {
        s[(i, i)] -= p;
    }
    s
}

/// Loadings from the first `nf` eigenpairs of `m`, negative roots clipped to 0
/// (psych's `FAout.wls`).
#[cfg(test)]
fn principal_loadings(m: &DMatrix<f64>, nf: usize) -> DMatrix<f64> {
    let e = eigen_desc(m);
    let mut l = e.vectors.columns(0, nf).into_owned();
    for k in 0..nf {
        let root = e.values[k].max(0.0).sqrt();
        l.column_mut(k).scale_mut(root);
    }
    l
}

/// psych's minres objective (`fit.residuals`): the sum of squared
/// off-diagonal residuals of the `nf`-factor principal-axis model of `R` with
/// communalities `1 − ψ`.
#[cfg(test)]
fn minres_objective(r: &DMatrix<f64>, psi: &[f64], nf: usize) -> f64 {
    let s = reduced(r, psi);
    let e = eigen_desc(&s);
    let mut total = 0.0;
    let p = r.nrows();
    for j in 0..p {
        for i in (j + 1)..p {
            let mut model = 0.0;
            for k in 0..nf {
                // psych lifts eigenvalues below machine epsilon to 100·eps.
                let lambda = if e.values[k] < f64::EPSILON {
                    100.0 * f64::EPSILON
                } else {
                    e.values[k]
                };
                model += e.vectors[(i, k)] * e.vectors[(j, k)] * lambda;
            }
            let res = s[(i, j)] - model;
            total += res * res;
        }
    }
    total
}

/// Value and gradient of ½·Σ_{k>nf} λ_k(R − Ψ)², whose gradient is psych's
/// `FAgr.minres`, from the full decomposition.
#[cfg(test)]
fn uls_value_grad(r: &DMatrix<f64>, psi: &[f64], nf: usize) -> (f64, Vec<f64>) {
    let s = reduced(r, psi);
    let e = eigen_desc(&s);
    let p = r.nrows();
    let value: f64 = 0.5 * e.values.iter().skip(nf).map(|v| v * v).sum::<f64>();
    let grad = (0..p)
        .map(|i| {
            let common: f64 = (0..nf)
                .map(|k| e.values[k].max(0.0) * e.vectors[(i, k)].powi(2))
                .sum();
            common + psi[i] - r[(i, i)]
        })
        .collect();
    (value, grad)
}

/// `S* = Ψ^{-1/2} R Ψ^{-1/2}` and its sorted eigendecomposition.
fn scaled_eigen(r: &DMatrix<f64>, psi: &[f64]) -> linalg::Eigen {
    let sc: Vec<f64> = psi.iter().map(|p| 1.0 / p.sqrt()).collect();
    let sstar = DMatrix::from_fn(r.nrows(), r.ncols(), |i, j| r[(i, j)] * sc[i] * sc[j]);
    eigen_desc(&sstar)
}

/// Maximum-likelihood loadings at ψ (psych's `FAout`).
fn ml_loadings(e: &linalg::Eigen, psi: &[f64], nf: usize) -> DMatrix<f64> {
    let p = psi.len();
    DMatrix::from_fn(p, nf, |i, k| {
        psi[i].sqrt() * e.vectors[(i, k)] * (e.values[k] - 1.0).max(0.0).sqrt()
    })
}

/// Value and gradient of psych's `FAfn`/`FAgr`.
fn ml_value_grad(r: &DMatrix<f64>, psi: &[f64], nf: usize) -> (f64, Vec<f64>) {
    let p = r.nrows();
    let e = scaled_eigen(r, psi);
    let tail: f64 = e.values.iter().skip(nf).map(|&v| v.ln() - v).sum();
    let value = -(tail - nf as f64 + p as f64);
    let l = ml_loadings(&e, psi, nf);
    let grad = (0..p)
        .map(|i| {
            let common: f64 = (0..nf).map(|k| l[(i, k)].powi(2)).sum();
            (common + psi[i] - r[(i, i)]) / (psi[i] * psi[i])
        })
        .collect();
    (value, grad)
}

fn run(r: &DMatrix<f64>, fg: impl FnMut(&[f64]) -> (f64, Vec<f64>)) -> Minimum {
    let (start, upper) = start_and_upper(r);
    optim::minimize_box(fg, &start, PSI_LOWER, upper, Options::default())
}

/// The top `nf` eigenpairs of `s` (a reduced matrix `R − Ψ`), from the warm
/// start when that converges, else from the full decomposition; keeps the
/// answer as the next start.
fn top_of(s: &DMatrix<f64>, nf: usize, start: &mut DMatrix<f64>) -> linalg::Eigen {
    // One pair (parallel analysis fits one factor per simulated matrix):
    // Lanczos on one vector, whose small tridiagonal problem is cheaper to
    // solve at every step than the block method's projected one.
    let found = if nf == 1 {
        linalg::top_eigenpair(s, &start.column(0).into_owned()).map(|(value, vector)| {
            linalg::Eigen {
                values: DVector::from_element(1, value),
                vectors: DMatrix::from_column_slice(s.nrows(), 1, vector.as_slice()),
            }
        })
    } else {
        linalg::top_eigenpairs(s, nf, start)
    };
    let top = found.unwrap_or_else(|| {
        let e = eigen_desc(s);
        linalg::Eigen {
            values: e.values.rows(0, nf).into_owned(),
            vectors: e.vectors.columns(0, nf).into_owned(),
        }
    });
    start.copy_from(&top.vectors);
    top
}

/// [`uls_value_grad`] from the top `nf` eigenpairs alone: the squares of
/// all the eigenvalues sum to ‖R − Ψ‖²_F, so the rest need not be found.
fn uls_value_grad_warm(
    r: &DMatrix<f64>,
    psi: &[f64],
    nf: usize,
    start: &mut DMatrix<f64>,
) -> (f64, Vec<f64>) {
    let s = reduced(r, psi);
    let top = top_of(&s, nf, start);
    let s_norm2: f64 = s.iter().map(|x| x * x).sum();
    let head: f64 = top.values.iter().map(|v| v * v).sum();
    let value = 0.5 * (s_norm2 - head).max(0.0);
    let grad = (0..r.nrows())
        .map(|i| {
            let common: f64 = (0..nf)
                .map(|k| top.values[k].max(0.0) * top.vectors[(i, k)].powi(2))
                .sum();
            common + psi[i] - r[(i, i)]
        })
        .collect();
    (value, grad)
}

/// Minimum-residual extraction of `nf` factors.
pub(crate) fn minres(r: &DMatrix<f64>, nf: usize) -> Extraction {
    // R's own top eigenvectors, the first guess for the reduced matrix's,
    // from a plain start (all ones, then unit vectors); the SMCs from R⁻¹.
    let plain: DMatrix<f64> =
        DMatrix::from_fn(
            r.nrows(),
            nf,
            |i, k| if k == 0 || i == k { 1.0 } else { 0.0 },
        );
    let mut start = plain;
    top_of(r, nf, &mut start);
    minres_with(r, nf, &linalg::smc(r), start)
}

/// [`minres`] from the SMCs of `R` (the start and the bound) and a guess
/// `start` at the top `nf` eigenvectors of the reduced matrix (R's own
/// do). Each step of the optimiser then finds only the top `nf`
/// eigenpairs, warm-started from the step before, in place of a full
/// decomposition.
fn minres_with(
    r: &DMatrix<f64>,
    nf: usize,
    smc: &DVector<f64>,
    mut start: DMatrix<f64>,
) -> Extraction {
    let upper = smc.iter().fold(1.0_f64, |a, &v| a.max(v));
    let start_psi: Vec<f64> = (0..r.nrows()).map(|i| r[(i, i)] - smc[i]).collect();
    let m = optim::minimize_box(
        |psi| uls_value_grad_warm(r, psi, nf, &mut start),
        &start_psi,
        PSI_LOWER,
        upper,
        Options::default(),
    );
    let s = reduced(r, &m.x);
    let top = top_of(&s, nf, &mut start);
    let loadings = DMatrix::from_fn(r.nrows(), nf, |i, k| {
        top.vectors[(i, k)] * top.values[k].max(0.0).sqrt()
    });
    Extraction {
        objective: off_diagonal_residual(&s, &top),
        loadings,
        psi: m.x,
        converged: m.converged,
    }
}

/// psych's minres objective (`fit.residuals`) at `s = R − Ψ` from its top
/// eigenpairs: the sum of squared off-diagonal residuals of the
/// principal-axis model, with eigenvalues below machine epsilon lifted to
/// 100·eps as psych lifts them.
fn off_diagonal_residual(s: &DMatrix<f64>, top: &linalg::Eigen) -> f64 {
    let lifted: Vec<f64> = top
        .values
        .iter()
        .map(|&v| {
            if v < f64::EPSILON {
                100.0 * f64::EPSILON
            } else {
                v
            }
        })
        .collect();
    let p = s.nrows();
    let mut total = 0.0;
    for j in 0..p {
        for i in (j + 1)..p {
            let model: f64 = (0..lifted.len())
                .map(|k| top.vectors[(i, k)] * top.vectors[(j, k)] * lifted[k])
                .sum();
            let res = s[(i, j)] - model;
            total += res * res;
        }
    }
    total
}

/// [`minres`] with a full eigendecomposition at every step, for any `nf`:
/// what the warm-started one must land on.
#[cfg(test)]
fn minres_full(r: &DMatrix<f64>, nf: usize) -> Extraction {
    let m = run(r, |psi| uls_value_grad(r, psi, nf));
    let loadings = principal_loadings(&reduced(r, &m.x), nf);
    Extraction {
        objective: minres_objective(r, &m.x, nf),
        loadings,
        psi: m.x,
        converged: m.converged,
    }
}

/// Maximum-likelihood extraction of `nf` factors.
pub(crate) fn ml(r: &DMatrix<f64>, nf: usize) -> Extraction {
    let m = run(r, |psi| ml_value_grad(r, psi, nf));
    let e = scaled_eigen(r, &m.x);
    Extraction {
        loadings: ml_loadings(&e, &m.x, nf),
        objective: m.value,
        psi: m.x,
        converged: m.converged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric_grad(f: impl Fn(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
        (0..x.len())
            .map(|i| {
                let h = 1e-6;
                let mut a = x.to_vec();
                let mut b = x.to_vec();
                a[i] += h;
                b[i] -= h;
                (f(&a) - f(&b)) / (2.0 * h)
            })
            .collect()
    }

    fn example() -> DMatrix<f64> {
        let l = DMatrix::from_row_slice(
            6,
            2,
            &[0.8, 0.1, 0.7, 0.0, 0.6, 0.2, 0.1, 0.7, 0.0, 0.6, 0.2, 0.5],
        );
        let mut r = &l * l.transpose();
        for i in 0..6 {
            r[(i, i)] = 1.0;
        }
        r
    }

    #[test]
    fn gradients_match_finite_differences() {
        let r = example();
        let psi = [0.3, 0.4, 0.5, 0.45, 0.6, 0.7];
        let (_, g) = uls_value_grad(&r, &psi, 2);
        let ng = numeric_grad(|x| uls_value_grad(&r, x, 2).0, &psi);
        for (a, b) in g.iter().zip(&ng) {
            assert!((a - b).abs() < 1e-6, "{g:?} vs {ng:?}");
        }
        let (_, g) = ml_value_grad(&r, &psi, 2);
        let ng = numeric_grad(|x| ml_value_grad(&r, x, 2).0, &psi);
        for (a, b) in g.iter().zip(&ng) {
            assert!((a - b).abs() < 1e-5, "{g:?} vs {ng:?}");
        }
    }

    #[test]
    fn recovers_an_exact_two_factor_structure() {
        let r = example();
        for ex in [minres(&r, 2), ml(&r, 2)] {
            assert!(ex.converged);
            let model = &ex.loadings * ex.loadings.transpose();
            for i in 0..6 {
                for j in 0..6 {
                    if i != j {
                        assert!((model[(i, j)] - r[(i, j)]).abs() < 1e-6);
                    }
                }
            }
        }
    }

    /// A correlation matrix of `p` variables: one or two common factors
    /// plus seeded noise, so the top eigenvalue is sometimes well and
    /// sometimes barely separated.
    fn noisy_correlation(p: usize, seed: u64, strength: f64) -> DMatrix<f64> {
        let mut next = linalg::seeded_uniform(seed);
        let x = DMatrix::from_fn(p, p + 3, |i, k| {
            let common = if k == 0 {
                strength
            } else if k == 1 && i % 2 == 0 {
                strength / 2.0
            } else {
                0.0
            };
            common + next()
        });
        let cov = &x * x.transpose();
        let d: Vec<f64> = (0..p).map(|i| cov[(i, i)].sqrt()).collect();
        DMatrix::from_fn(p, p, |i, j| {
            if i == j {
                1.0
            } else {
                cov[(i, j)] / (d[i] * d[j])
            }
        })
    }

    #[test]
    fn the_warm_started_fit_lands_where_the_full_decomposition_does() {
        for (p, seed, strength, nf) in [
            (6, 1, 1.0, 1),
            (12, 2, 0.6, 1),
            (30, 3, 0.3, 1),
            (60, 4, 0.1, 1),
            (90, 5, 0.0, 1),
            (12, 6, 0.8, 2),
            (40, 7, 0.5, 3),
            (80, 8, 0.2, 3),
            (60, 9, 0.0, 4),
            (120, 10, 0.4, 2),
        ] {
            let r = noisy_correlation(p, seed, strength);
            let fast = minres(&r, nf);
            let full = minres_full(&r, nf);
            let what = format!("p {p} seed {seed} nf {nf}");
            for (a, b) in fast.psi.iter().zip(&full.psi) {
                assert!((a - b).abs() < 1e-7, "{what}: psi {a} vs {b}");
            }
            // Loadings up to the sign of each column (and, for nf > 1,
            // each column's own; R's eigen gives any sign).
            for k in 0..nf {
                for (a, b) in fast
                    .loadings
                    .column(k)
                    .iter()
                    .zip(full.loadings.column(k).iter())
                {
                    assert!(
                        (a.abs() - b.abs()).abs() < 1e-6,
                        "{what}: loading {a} vs {b}"
                    );
                }
            }
            assert!(
                (fast.objective - full.objective).abs() < 1e-9,
                "{what}: objective {} vs {}",
                fast.objective,
                full.objective
            );
            assert_eq!(fast.converged, full.converged, "{what}");
        }
    }

    #[test]
    fn the_warm_started_gradient_is_the_full_one() {
        let p = 80;
        let r = noisy_correlation(p, 9, 0.8);
        let psi: Vec<f64> = (0..p).map(|i| 0.3 + 0.4 * (i as f64 / p as f64)).collect();
        for nf in 1..=3 {
            let mut start = DMatrix::from_element(p, nf, 1.0);
            let (value, g) = uls_value_grad_warm(&r, &psi, nf, &mut start);
            let (full_value, full_g) = uls_value_grad(&r, &psi, nf);
            assert!(
                (value - full_value).abs() < 1e-12,
                "nf {nf}: {value} vs {full_value}"
            );
            for (a, b) in g.iter().zip(&full_g) {
                assert!((a - b).abs() < 1e-10, "nf {nf}: {g:?} vs {full_g:?}");
            }
        }
    }
}

//! Horn's parallel analysis as `psych::fa.parallel(r, n.obs = n, fa = "both")`
//! runs it on a correlation matrix with its defaults (`fm = "minres"`,
//! `SMC = FALSE`, `quant = 0.95`, simulation only since there are no rows to
//! resample):
//!
//! * factor eigenvalues are those of the correlation matrix with the
//!   communalities of a one-factor minres solution on its diagonal (psych's
//!   `fa.values`); component eigenvalues are those of the matrix itself;
//! * each iteration draws the correlation matrix of `n` independent standard
//!   normal observations on the same number of variables and takes both kinds
//!   of eigenvalues from it;
//! * the suggested number of factors (components) is the count of leading
//!   observed eigenvalues above the 95th percentile (R's type-7 quantile) of
//!   the simulated ones at the same position — psych's `nfact` (`ncomp`).
//!
//! Rather than draw `n × p` normal values per iteration, we draw the
//! cross-product matrix directly: for `n` independent N(0, I) rows the centred
//! scatter matrix is Wishart(n − 1, I), which Bartlett's decomposition
//! produces from `p(p+1)/2` draws, so the simulated correlation matrices have
//! exactly the distribution of psych's and cost nothing per row. (With
//! `n − 1 < p` the rows are drawn as psych does.) Iteration `i` uses the
//! ChaCha8 stream `i` of `seed`, so the result does not depend on how the
//! iterations are spread over threads.

use nalgebra::DMatrix;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_distr::{ChiSquared, Distribution, StandardNormal};
use serde::Serialize;

use super::linalg::{self, cov2cor};
use super::{FaError, checked_correlation, extract};

/// Iterations psych runs by default (`n.iter = 20`).
pub const DEFAULT_ITERATIONS: usize = 20;

/// Observed and simulated eigenvalues and the number of factors they suggest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParallelResult {
    /// Factor eigenvalues of the data (psych's `fa.values`), decreasing.
    pub observed: Vec<f64>,
    /// Mean simulated factor eigenvalues per position (psych's `fa.sim`).
    pub simulated_mean: Vec<f64>,
    /// 95th percentile of the simulated factor eigenvalues per position, the
    /// threshold the observed ones are compared with.
    pub simulated_95: Vec<f64>,
    /// Principal-component eigenvalues of the data (psych's `pc.values`).
    pub observed_components: Vec<f64>,
    /// Mean simulated component eigenvalues (psych's `pc.sim`).
    pub simulated_components_mean: Vec<f64>,
    /// 95th percentile of the simulated component eigenvalues.
    pub simulated_components_95: Vec<f64>,
    /// Suggested number of factors (psych's `nfact`); can be 0.
    pub suggested_factors: usize,
    /// Suggested number of components (psych's `ncomp`).
    pub suggested_components: usize,
    /// Simulations run.
    pub iterations: usize,
    /// Seed of the simulations.
    pub seed: u64,
}

/// Component and factor eigenvalues, both decreasing.
type EigenvaluePair = (Vec<f64>, Vec<f64>);

/// Component and factor eigenvalues of one correlation matrix: the
/// components' are its eigenvalues (no vectors needed), the factors' those
/// of the matrix with a one-factor fit's communalities on its diagonal
/// (only the squares of the loadings are used, so their signs do not
/// matter).
fn eigenvalue_pair(r: &DMatrix<f64>) -> Result<EigenvaluePair, FaError> {
    let pc = linalg::eigenvalues_desc(r);
    let l = extract::minres(r, 1).loadings;
    let mut reduced = r.clone();
    for i in 0..r.nrows() {
        reduced[(i, i)] = l[(i, 0)].powi(2);
    }
    Ok((pc, linalg::eigenvalues_desc(&reduced)))
}

/// The correlation matrix of `n` independent standard normal observations
/// on `p` variables.
fn random_correlation(rng: &mut ChaCha8Rng, n: usize, p: usize) -> DMatrix<f64> {
    let scatter = if n > p {
        // Bartlett: W = A·A' with A lower triangular, A_ii² ~ χ²(n − 1 − i),
        // A_ij ~ N(0, 1) below the diagonal, is Wishart(n − 1, I).
        let mut a = DMatrix::<f64>::zeros(p, p);
        for i in 0..p {
            let df = (n - 1 - i) as f64;
            a[(i, i)] = match ChiSquared::new(df) {
                Ok(chi) => chi.sample(rng).sqrt(),
                Err(_) => 0.0,
            };
            for j in 0..i {
                a[(i, j)] = StandardNormal.sample(rng);
            }
        }
        &a * a.transpose()
    } else {
        let x = DMatrix::<f64>::from_fn(n, p, |_, _| StandardNormal.sample(rng));
        let means: Vec<f64> = x.column_iter().map(|c| c.mean()).collect();
        let centred = DMatrix::from_fn(n, p, |i, j| x[(i, j)] - means[j]);
        centred.transpose() * &centred
    };
    cov2cor(&scatter)
}

/// R's default (type 7) quantile of `values`.
fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let h = (values.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(values.len() - 1);
    values[lo] + (h - lo as f64) * (values[hi] - values[lo])
}

/// Per position: the mean and the 95th percentile over simulations.
fn summarise(sims: &[Vec<f64>], p: usize) -> (Vec<f64>, Vec<f64>) {
    let mut means = Vec::with_capacity(p);
    let mut q95 = Vec::with_capacity(p);
    for k in 0..p {
        let mut column: Vec<f64> = sims.iter().map(|s| s[k]).collect();
        means.push(column.iter().sum::<f64>() / column.len() as f64);
        q95.push(quantile(&mut column, 0.95));
    }
    (means, q95)
}

/// Leading observed values above their thresholds.
fn leading_above(observed: &[f64], threshold: &[f64]) -> usize {
    observed
        .iter()
        .zip(threshold)
        .take_while(|(o, t)| o > t)
        .count()
}

/// Horn's parallel analysis of correlation matrix `r` from `n` observations
/// with `iterations` simulations (0 means psych's default of 20) drawn from
/// `seed`. See the [module documentation](self) for what it mirrors.
pub fn parallel_analysis(
    r: &DMatrix<f64>,
    n: usize,
    iterations: usize,
    seed: u64,
) -> Result<ParallelResult, FaError> {
    let r = checked_correlation(r, 2)?;
    let p = r.nrows();
    let iterations = if iterations == 0 {
        DEFAULT_ITERATIONS
    } else {
        iterations
    };
    let n = n.max(2);
    let (observed_components, observed) = eigenvalue_pair(&r)?;

    let simulate = |i: usize| -> Result<EigenvaluePair, FaError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(i as u64);
        eigenvalue_pair(&random_correlation(&mut rng, n, p))
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .min(iterations);
    let mut sims: Vec<Option<Result<EigenvaluePair, FaError>>> = vec![None; iterations];
    std::thread::scope(|scope| {
        for (t, chunk) in sims.chunks_mut(iterations.div_ceil(threads)).enumerate() {
            let simulate = &simulate;
            let first = t * iterations.div_ceil(threads);
            scope.spawn(move || {
                for (k, slot) in chunk.iter_mut().enumerate() {
                    *slot = Some(simulate(first + k));
                }
            });
        }
    });
    let mut pcs = Vec::with_capacity(iterations);
    let mut fas = Vec::with_capacity(iterations);
    for sim in sims.into_iter().flatten() {
        let (pc, fa) = sim?;
        pcs.push(pc);
        fas.push(fa);
    }

    let (simulated_mean, simulated_95) = summarise(&fas, p);
    let (simulated_components_mean, simulated_components_95) = summarise(&pcs, p);
    Ok(ParallelResult {
        suggested_factors: leading_above(&observed, &simulated_95),
        suggested_components: leading_above(&observed_components, &simulated_components_95),
        observed,
        simulated_mean,
        simulated_95,
        observed_components,
        simulated_components_mean,
        simulated_components_95,
        iterations,
        seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_is_rs_type_seven() {
        // quantile(c(3, 1, 4, 1, 5, 9, 2, 6), 0.95) in R is 7.95.
        let mut v = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        assert!((quantile(&mut v, 0.95) - 7.95).abs() < 1e-12);
    }

    #[test]
    fn simulated_correlations_look_like_sample_correlations() {
        // Off-diagonal sample correlations of independent variables have
        // mean 0 and variance close to 1/(n − 1).
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let (n, p) = (200, 10);
        let mut values = Vec::new();
        for _ in 0..200 {
            let r = random_correlation(&mut rng, n, p);
            assert!((r[(3, 3)] - 1.0).abs() < 1e-12);
            for i in 0..p {
                for j in 0..i {
                    values.push(r[(i, j)]);
                }
            }
        }
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64;
        assert!(mean.abs() < 0.005, "{mean}");
        assert!((var * (n as f64 - 1.0) - 1.0).abs() < 0.05, "{var}");
    }
}

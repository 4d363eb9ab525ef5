//! Small linear-algebra helpers shared by extraction, rotation and fit: sorted
//! symmetric eigendecomposition, psych's pseudo-inverse and smoothing, and
//! squared multiple correlations.

use nalgebra::{DMatrix, DVector, SymmetricEigen};

/// Eigenvalues in decreasing order with their eigenvectors as columns, the
/// order R's `eigen()` returns.
pub(crate) struct Eigen {
    pub values: DVector<f64>,
    pub vectors: DMatrix<f64>,
}

/// Symmetric eigendecomposition sorted by decreasing eigenvalue.
pub(crate) fn eigen_desc(m: &DMatrix<f64>) -> Eigen {
    let se = SymmetricEigen::new(m.clone());
    let n = se.eigenvalues.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| se.eigenvalues[b].total_cmp(&se.eigenvalues[a]));
    let values = DVector::from_iterator(n, order.iter().map(|&i| se.eigenvalues[i]));
    let mut vectors = DMatrix::zeros(n, n);
    for (dst, &src) in order.iter().enumerate() {
        vectors.set_column(dst, &se.eigenvectors.column(src));
    }
    Eigen { values, vectors }
}

/// The largest eigenvalue of symmetric `m` and a unit eigenvector, by
/// Lanczos iteration with full reorthogonalisation from `start` (a good
/// guess — the last answer, when solving for nearby matrices — makes it a
/// few matrix–vector products, each O(p²) instead of the O(p³) of a full
/// decomposition). `None` unless the answer's residual ‖m·x − λ·x‖ is
/// within `1e-11·max(1, ‖m‖)`, so callers fall back to [`eigen_desc`]
/// rather than take a poor answer.
pub(crate) fn top_eigenpair(m: &DMatrix<f64>, start: &DVector<f64>) -> Option<(f64, DVector<f64>)> {
    let p = m.nrows();
    let scale = m.norm().max(1.0);
    let tolerance = 1e-11 * scale;
    let steps = p.min(60);
    let mut first = start.clone();
    if first.norm() < f64::EPSILON {
        first = DVector::from_element(p, 1.0);
    }
    let mut basis: Vec<DVector<f64>> = vec![first.normalize()];
    let mut alpha: Vec<f64> = Vec::with_capacity(steps);
    let mut beta: Vec<f64> = Vec::with_capacity(steps);
    loop {
        let j = basis.len() - 1;
        let mut w = m * &basis[j];
        alpha.push(basis[j].dot(&w));
        // Twice is enough (Kahan: "twice is enough") to keep the basis
        // orthogonal to working precision.
        for _ in 0..2 {
            for q in &basis {
                let c = q.dot(&w);
                w.axpy(-c, q, 1.0);
            }
        }
        let b = w.norm();
        let k = alpha.len();
        // Checked at every step while the basis is small (a warm start
        // converges in a few), then every fourth, as each check solves the
        // k × k tridiagonal problem.
        if k > 8 && !k.is_multiple_of(4) && k < steps && b > tolerance {
            beta.push(b);
            basis.push(w / b);
            continue;
        }
        // The Ritz pair of the tridiagonal so far; its residual norm is
        // |b · y_last|, so convergence costs no product with `m`.
        let t = DMatrix::from_fn(k, k, |r, c| {
            if r == c {
                alpha[r]
            } else if r + 1 == c {
                beta[r]
            } else if c + 1 == r {
                beta[c]
            } else {
                0.0
            }
        });
        let ritz = SymmetricEigen::new(t);
        let top = (0..k).max_by(|&a, &c| ritz.eigenvalues[a].total_cmp(&ritz.eigenvalues[c]))?;
        let y = ritz.eigenvectors.column(top);
        let done = (b * y[k - 1]).abs() <= tolerance || b <= tolerance || k == steps;
        if done {
            let mut x = DVector::zeros(p);
            for (q, coefficient) in basis.iter().zip(y.iter()) {
                x.axpy(*coefficient, q, 1.0);
            }
            let x = x.normalize();
            let lambda = x.dot(&(m * &x));
            let residual = (m * &x - &x * lambda).norm();
            return (residual <= tolerance).then_some((lambda, x));
        }
        beta.push(b);
        basis.push(w / b);
    }
}

/// Eigenvalues only, in decreasing order.
pub(crate) fn eigenvalues_desc(m: &DMatrix<f64>) -> Vec<f64> {
    let mut v: Vec<f64> = m.clone().symmetric_eigenvalues().iter().copied().collect();
    v.sort_by(|a, b| b.total_cmp(a));
    v
}

/// psych's `Pinv` tolerance: singular values below `sqrt(eps)` times the
/// largest are dropped. For a symmetric matrix the singular values are the
/// absolute eigenvalues, so the eigendecomposition gives psych's pseudo-
/// inverse.
fn pinv_tolerance(values: &[f64]) -> f64 {
    let largest = values.iter().fold(0.0_f64, |acc, v| acc.max(v.abs()));
    f64::EPSILON.sqrt() * largest
}

/// Squared multiple correlations (psych's `smc`): `1 − 1/diag(R⁺)`, clipped to
/// [0, 1] as psych does.
pub(crate) fn smc(r: &DMatrix<f64>) -> DVector<f64> {
    smc_from(&eigen_desc(r))
}

/// [`smc`] from the eigendecomposition of `R`, which callers may need for
/// more: only the diagonal of the pseudo-inverse, `Σ_k v_ik²/λ_k`, is
/// formed, in O(p²).
pub(crate) fn smc_from(e: &Eigen) -> DVector<f64> {
    let tol = pinv_tolerance(e.values.as_slice());
    let p = e.vectors.nrows();
    DVector::from_iterator(
        p,
        (0..p).map(|i| {
            let diagonal: f64 = e
                .values
                .iter()
                .enumerate()
                .filter(|(_, lambda)| lambda.abs() > tol)
                .map(|(k, lambda)| e.vectors[(i, k)].powi(2) / lambda)
                .sum();
            let s = 1.0 - 1.0 / diagonal;
            if s.is_nan() { 1.0 } else { s.clamp(0.0, 1.0) }
        }),
    )
}

/// Rescales a covariance-like matrix to unit diagonal (R's `cov2cor`).
pub(crate) fn cov2cor(m: &DMatrix<f64>) -> DMatrix<f64> {
    let d: Vec<f64> = (0..m.nrows()).map(|i| 1.0 / m[(i, i)].sqrt()).collect();
    DMatrix::from_fn(m.nrows(), m.ncols(), |i, j| m[(i, j)] * d[i] * d[j])
}

/// psych's `cor.smooth`: a matrix that is not positive definite has its small
/// eigenvalues raised to 100·1e-12, is rescaled to keep the trace and
/// returned to unit diagonal; a positive definite matrix is returned as is.
pub(crate) fn cor_smooth(m: &DMatrix<f64>) -> DMatrix<f64> {
    let e = eigen_desc(m);
    let min = e.values.iter().fold(f64::INFINITY, |a, &v| a.min(v));
    if min >= f64::EPSILON {
        return m.clone();
    }
    let tol = 1e-12;
    let n = m.nrows();
    let mut values: Vec<f64> = e
        .values
        .iter()
        .map(|&v| if v < tol { 100.0 * tol } else { v })
        .collect();
    let total: f64 = values.iter().sum();
    for v in &mut values {
        *v *= n as f64 / total;
    }
    let d = DMatrix::from_diagonal(&DVector::from_vec(values));
    cov2cor(&(&e.vectors * d * e.vectors.transpose()))
}

/// Natural log of the determinant via LU, as R's `log(det(x))`: NaN when the
/// determinant is negative, −∞ when it is zero.
pub(crate) fn ln_det(m: &DMatrix<f64>) -> f64 {
    m.clone().lu().determinant().ln()
}

/// Column sums.
pub(crate) fn col_sums(m: &DMatrix<f64>) -> Vec<f64> {
    m.column_iter().map(|c| c.sum()).collect()
}

/// A matrix as a vector of rows, the shape the JSON reports use.
pub(crate) fn rows(m: &DMatrix<f64>) -> Vec<Vec<f64>> {
    m.row_iter().map(|r| r.iter().copied().collect()).collect()
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    #[test]
    fn the_top_eigenpair_equals_the_full_decomposition_s() {
        for (p, seed) in [(2usize, 1u64), (5, 2), (20, 3), (80, 4), (150, 5)] {
            let mut state = seed;
            let mut next = || {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
            };
            let a = nalgebra::DMatrix::from_fn(p, p, |_, _| next());
            let m = &a + a.transpose();
            let full = super::eigen_desc(&m);
            let start = nalgebra::DVector::from_fn(p, |i, _| full.vectors[(i, 0)] + 0.1);
            let (lambda, x) = super::top_eigenpair(&m, &start).expect("converges");
            assert!(
                (lambda - full.values[0]).abs() < 1e-9,
                "p {p}: {lambda} vs {}",
                full.values[0]
            );
            let overlap = x.dot(&full.vectors.column(0)).abs();
            assert!((overlap - 1.0).abs() < 1e-8, "p {p}: overlap {overlap}");
        }
    }
}

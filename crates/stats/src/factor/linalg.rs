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

/// The `k` largest eigenvalues of symmetric `m` (decreasing) with unit
/// eigenvectors as columns, by a block Krylov (Davidson-style) iteration
/// from the columns of `start`: a good guess — the last answer, when
/// solving for nearby matrices, as the minres optimiser does at every step
/// — makes it a few products of `m` with a `p × k` block, each O(p²k)
/// instead of the O(p³) of a full decomposition. A block rather than one
/// vector, so an eigenvalue of multiplicity up to `k` is found in full.
/// `None` unless every pair's residual ‖m·x − λ·x‖ is within
/// `1e-11·max(1, ‖m‖)`, so callers fall back to [`eigen_desc`] rather than
/// take a poor answer.
pub(crate) fn top_eigenpairs(m: &DMatrix<f64>, k: usize, start: &DMatrix<f64>) -> Option<Eigen> {
    let p = m.nrows();
    if k == 0 || k > p || start.nrows() != p {
        return None;
    }
    let tolerance = 1e-11 * m.norm().max(1.0);
    // Past this the warm start was not warm: the full decomposition is cheaper.
    let most = p.min(16 * k + 48);
    let mut basis: Vec<DVector<f64>> = Vec::with_capacity(most);
    let mut images: Vec<DVector<f64>> = Vec::with_capacity(most);
    let mut fresh: Vec<DVector<f64>> = start.column_iter().map(|c| c.into_owned()).collect();
    // One dense direction more, so no eigenvector the start is blind to (a
    // block of the matrix it has no part in) stays out of reach; and a
    // start with fewer than k usable columns is filled with unit vectors.
    let mut dense = seeded_uniform(0x9E37_79B9_7F4A_7C15 ^ p as u64);
    fresh.insert(k.min(fresh.len()), DVector::from_fn(p, |_, _| dense()));
    fresh.extend((0..p).map(|i| DVector::from_fn(p, |j, _| if i == j { 1.0 } else { 0.0 })));
    loop {
        // Orthonormalise the new directions against the basis, twice
        // (Kahan: "twice is enough"), dropping those with nothing new.
        let wanted = if basis.is_empty() { k + 1 } else { usize::MAX };
        let before = basis.len();
        for mut w in fresh.drain(..) {
            if basis.len() >= most || (wanted != usize::MAX && basis.len() >= wanted) {
                break;
            }
            let before = w.norm();
            for _ in 0..2 {
                for q in &basis {
                    let c = q.dot(&w);
                    w.axpy(-c, q, 1.0);
                }
            }
            let after = w.norm();
            if after > 1e-8 * before.max(f64::MIN_POSITIVE) && after > f64::MIN_POSITIVE {
                let q = w / after;
                images.push(m * &q);
                basis.push(q);
            }
        }
        let n = basis.len();
        // Nothing new to add (every residual already in the basis): the
        // search is stuck, and the full decomposition decides.
        if n < k || (before > 0 && n == before) {
            return None;
        }
        // Rayleigh–Ritz on the basis.
        let t = DMatrix::from_fn(n, n, |a, b| {
            0.5 * (basis[a].dot(&images[b]) + basis[b].dot(&images[a]))
        });
        let ritz = eigen_desc(&t);
        let mut values = DVector::zeros(k);
        let mut vectors = DMatrix::zeros(p, k);
        let mut residuals = Vec::with_capacity(k);
        for j in 0..k {
            let y = ritz.vectors.column(j);
            let mut x = DVector::zeros(p);
            let mut mx = DVector::zeros(p);
            for (c, (q, image)) in y.iter().zip(basis.iter().zip(&images)) {
                x.axpy(*c, q, 1.0);
                mx.axpy(*c, image, 1.0);
            }
            let lambda = ritz.values[j];
            let residual = &mx - &x * lambda;
            values[j] = lambda;
            vectors.set_column(j, &x);
            residuals.push(residual);
        }
        if residuals.iter().all(|r| r.norm() <= tolerance) {
            return Some(Eigen { values, vectors });
        }
        if n >= most {
            return None;
        }
        // The residuals are the next Krylov directions.
        fresh = residuals
            .into_iter()
            .filter(|r| r.norm() > tolerance)
            .collect();
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
    match crate::reliability::well_conditioned_inverse_diagonal(r) {
        Some(diagonal) => DVector::from_iterator(r.nrows(), diagonal.into_iter().map(smc_of)),
        None => smc_from(&eigen_desc(r)),
    }
}

/// One SMC from the diagonal entry `d` of the pseudo-inverse.
fn smc_of(d: f64) -> f64 {
    let s = 1.0 - 1.0 / d;
    if s.is_nan() { 1.0 } else { s.clamp(0.0, 1.0) }
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
            smc_of(diagonal)
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
    // Cheaply sure first: M − δI has a Cholesky factor, so λ_min(M) > δ less
    // the factorisation's backward error (about p·ε·‖M‖, far below δ), far
    // above ε. Only a matrix near singular needs the decomposition, which
    // decides as psych's does.
    let delta = 1e-9 * m.diagonal().amax().max(1.0);
    let shifted = m - DMatrix::from_diagonal_element(m.nrows(), m.ncols(), delta);
    if m.iter().all(|v| v.is_finite()) && shifted.cholesky().is_some() {
        return m.clone();
    }
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

/// Uniform draws in (−0.5, 0.5) from a seeded linear congruential
/// generator: fixed directions and test matrices, the same on every run and
/// machine, so no result depends on chance.
pub(crate) fn seeded_uniform(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed;
    move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::seeded_uniform;

    #[test]
    fn the_top_eigenpair_equals_the_full_decomposition_s() {
        for (p, seed) in [(2usize, 1u64), (5, 2), (20, 3), (80, 4), (150, 5)] {
            let mut next = seeded_uniform(seed);
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
    #[test]
    fn the_top_eigenpairs_equal_the_full_decomposition_s() {
        for (p, k, seed) in [
            (2usize, 1usize, 1u64),
            (5, 2, 2),
            (20, 3, 3),
            (80, 1, 4),
            (150, 4, 5),
        ] {
            let mut next = seeded_uniform(seed);
            let a = nalgebra::DMatrix::from_fn(p, p, |_, _| next());
            let m = &a + a.transpose();
            let full = super::eigen_desc(&m);
            // A warm start: the answer, disturbed.
            let start = nalgebra::DMatrix::from_fn(p, k, |i, j| full.vectors[(i, j)] + 0.1);
            let top = super::top_eigenpairs(&m, k, &start).unwrap_or_else(|| panic!("p {p} k {k}"));
            for j in 0..k {
                let (lambda, expected) = (top.values[j], full.values[j]);
                assert!(
                    (lambda - expected).abs() < 1e-9,
                    "p {p} pair {j}: {lambda} vs {expected}"
                );
                let overlap = top.vectors.column(j).dot(&full.vectors.column(j)).abs();
                assert!(
                    (overlap - 1.0).abs() < 1e-8,
                    "p {p} pair {j}: overlap {overlap}"
                );
            }
        }
    }

    #[test]
    fn an_eigenvalue_repeated_within_the_block_is_found_in_full() {
        // Two identical blocks: every eigenvalue twice.
        let block =
            nalgebra::DMatrix::from_row_slice(3, 3, &[2.0, 0.5, 0.1, 0.5, 1.5, 0.2, 0.1, 0.2, 1.0]);
        let mut m = nalgebra::DMatrix::zeros(6, 6);
        m.view_mut((0, 0), (3, 3)).copy_from(&block);
        m.view_mut((3, 3), (3, 3)).copy_from(&block);
        let full = super::eigen_desc(&m);
        let start = nalgebra::DMatrix::from_element(6, 2, 1.0);
        let top = super::top_eigenpairs(&m, 2, &start).expect("converges");
        assert!((top.values[0] - full.values[0]).abs() < 1e-10);
        assert!(
            (top.values[1] - full.values[1]).abs() < 1e-10,
            "{} vs {}",
            top.values[1],
            full.values[1]
        );
    }

    /// A correlation matrix with one common factor of loading `a`.
    fn one_factor(p: usize, a: f64) -> nalgebra::DMatrix<f64> {
        nalgebra::DMatrix::from_fn(p, p, |i, j| if i == j { 1.0 } else { a * a })
    }

    #[test]
    fn smcs_from_the_cholesky_factor_equal_those_from_the_decomposition() {
        for (r, cheap) in [
            (one_factor(6, 0.6), true),
            (one_factor(40, 0.3), true),
            // Every pair correlates 1: singular, so the pseudo-inverse decides.
            (one_factor(5, 1.0), false),
        ] {
            let found = crate::reliability::well_conditioned_inverse_diagonal(&r);
            assert_eq!(found.is_some(), cheap);
            let full = super::smc_from(&super::eigen_desc(&r));
            let smc = super::smc(&r);
            for (a, b) in smc.iter().zip(full.iter()) {
                assert!((a - b).abs() < 1e-12, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn only_a_matrix_that_is_not_positive_definite_is_smoothed() {
        let definite = one_factor(8, 0.5);
        assert_eq!(super::cor_smooth(&definite), definite);
        // Correlations no data can give: 0.9 between 1–2 and 2–3, −0.9 between 1–3.
        let broken = nalgebra::DMatrix::from_row_slice(
            3,
            3,
            &[1.0, 0.9, -0.9, 0.9, 1.0, 0.9, -0.9, 0.9, 1.0],
        );
        let smoothed = super::cor_smooth(&broken);
        assert_ne!(smoothed, broken);
        let lowest = super::eigen_desc(&smoothed).values[2];
        assert!(lowest > 0.0, "{lowest}");
        for i in 0..3 {
            assert!((smoothed[(i, i)] - 1.0).abs() < 1e-12);
        }
    }
}

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

/// Eigenvalues only, in decreasing order.
pub(crate) fn eigenvalues_desc(m: &DMatrix<f64>) -> Vec<f64> {
    let mut v: Vec<f64> = m.clone().symmetric_eigenvalues().iter().copied().collect();
    v.sort_by(|a, b| b.total_cmp(a));
    v
}

/// Moore–Penrose inverse of a symmetric matrix with psych's `Pinv` tolerance:
/// singular values below `sqrt(eps)` times the largest are dropped. For a
/// symmetric matrix the singular values are the absolute eigenvalues, so the
/// eigendecomposition gives the same inverse as psych's SVD.
pub(crate) fn pinv_sym(m: &DMatrix<f64>) -> DMatrix<f64> {
    let se = SymmetricEigen::new(m.clone());
    let largest = se
        .eigenvalues
        .iter()
        .fold(0.0_f64, |acc, v| acc.max(v.abs()));
    let tol = f64::EPSILON.sqrt() * largest;
    let n = m.nrows();
    let mut out = DMatrix::zeros(n, n);
    for (k, &lambda) in se.eigenvalues.iter().enumerate() {
        if lambda.abs() > tol {
            let v = se.eigenvectors.column(k);
            out += (v * v.transpose()) / lambda;
        }
    }
    out
}

/// Squared multiple correlations (psych's `smc`): `1 − 1/diag(R⁺)`, clipped to
/// [0, 1] as psych does.
pub(crate) fn smc(r: &DMatrix<f64>) -> DVector<f64> {
    let inv = pinv_sym(r);
    DVector::from_iterator(
        r.nrows(),
        (0..r.nrows()).map(|i| {
            let s = 1.0 - 1.0 / inv[(i, i)];
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

//! Rotations as psych calls them: R's `stats::varimax` (Kaiser-normalised,
//! eps = 1e-5) and GPArotation's `oblimin` (quartimin, γ = 0, by the
//! gradient-projection algorithm `GPFoblq`, unnormalised, eps = 1e-5, at most
//! 1000 iterations). Both follow their R algorithms step for step so that they
//! stop at the same iterate.

use nalgebra::DMatrix;

/// An oblique rotation: pattern loadings and factor correlations.
pub(crate) struct Oblique {
    pub loadings: DMatrix<f64>,
    pub phi: DMatrix<f64>,
    pub converged: bool,
}

/// Kaiser's varimax with row normalisation (R's `stats::varimax`).
pub(crate) fn varimax(a: &DMatrix<f64>) -> DMatrix<f64> {
    const EPS: f64 = 1e-5;
    let (p, k) = a.shape();
    if k < 2 {
        return a.clone();
    }
    let sc: Vec<f64> = a.row_iter().map(|r| r.norm()).collect();
    let x = DMatrix::from_fn(p, k, |i, j| a[(i, j)] / sc[i]);
    let mut t = DMatrix::<f64>::identity(k, k);
    let mut d = 0.0;
    for _ in 0..1000 {
        let z = &x * &t;
        let col_ss: Vec<f64> = z.column_iter().map(|c| c.norm_squared()).collect();
        let target = DMatrix::from_fn(p, k, |i, j| {
            z[(i, j)].powi(3) - z[(i, j)] * col_ss[j] / p as f64
        });
        let b = x.transpose() * target;
        let svd = b.svd(true, true);
        let (Some(u), Some(vt)) = (svd.u, svd.v_t) else {
            break;
        };
        t = u * vt;
        let dpast = d;
        d = svd.singular_values.sum();
        if d < dpast * (1.0 + EPS) {
            break;
        }
    }
    let z = &x * &t;
    DMatrix::from_fn(p, k, |i, j| z[(i, j)] * sc[i])
}

/// The quartimin criterion and its gradient (GPArotation's `vgQ.oblimin`, γ = 0).
fn quartimin(l: &DMatrix<f64>) -> (f64, DMatrix<f64>) {
    let (p, k) = l.shape();
    let sq = l.map(|v| v * v);
    let row_ss: Vec<f64> = sq.row_iter().map(|r| r.sum()).collect();
    // X = L² · (1 − I): each entry is the row's squared loadings on the other factors.
    let x = DMatrix::from_fn(p, k, |i, j| row_ss[i] - sq[(i, j)]);
    let gq = l.component_mul(&x);
    let f = sq.component_mul(&x).sum() / 4.0;
    (f, gq)
}

/// Gradient of the criterion with respect to the rotation `T`: `−(L'·Gq·T⁻¹)'`.
fn oblique_gradient(l: &DMatrix<f64>, gq: &DMatrix<f64>, t_inv: &DMatrix<f64>) -> DMatrix<f64> {
    -(l.transpose() * gq * t_inv).transpose()
}

/// Oblimin (quartimin) by GPArotation's `GPFoblq`, starting from the identity.
/// Returns `None` when a rotation matrix turns singular.
pub(crate) fn oblimin(a: &DMatrix<f64>) -> Option<Oblique> {
    const EPS: f64 = 1e-5;
    const MAXIT: usize = 1000;
    let k = a.ncols();
    let mut t = DMatrix::<f64>::identity(k, k);
    let mut al = 1.0;
    let mut t_inv = t.clone().try_inverse()?;
    let mut l = a * t_inv.transpose();
    let (mut f, gq) = quartimin(&l);
    let mut g = oblique_gradient(&l, &gq, &t_inv);
    let mut s = f64::INFINITY;
    for _ in 0..=MAXIT {
        // Project the gradient onto the tangent space of unit-length columns.
        let mut gp = g.clone();
        for j in 0..k {
            let tj = t.column(j) * t.column(j).dot(&g.column(j));
            let mut col = gp.column_mut(j);
            col -= tj;
        }
        s = gp.norm();
        if s < EPS {
            break;
        }
        al *= 2.0;
        let mut trial = None;
        for _ in 0..=10 {
            let mut x = &t - &gp * al;
            for mut col in x.column_iter_mut() {
                let norm = col.norm();
                col /= norm;
            }
            let x_inv = x.clone().try_inverse()?;
            let lt = a * x_inv.transpose();
            let (ft, gqt) = quartimin(&lt);
            let improvement = f - ft;
            let done = improvement > 0.5 * s * s * al;
            trial = Some((x, x_inv, lt, ft, gqt));
            if done {
                break;
            }
            al /= 2.0;
        }
        let (tt, tt_inv, lt, ft, gqt) = trial?;
        t = tt;
        t_inv = tt_inv;
        l = lt;
        f = ft;
        g = oblique_gradient(&l, &gqt, &t_inv);
    }
    Some(Oblique {
        loadings: l,
        phi: t.transpose() * &t,
        converged: s < EPS,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotations_keep_the_common_part() {
        let a = DMatrix::from_row_slice(
            6,
            2,
            &[
                0.7, 0.3, 0.6, 0.35, 0.65, 0.25, 0.4, -0.5, 0.45, -0.55, 0.35, -0.45,
            ],
        );
        let v = varimax(&a);
        let before = &a * a.transpose();
        let after = &v * v.transpose();
        assert!((before - after).amax() < 1e-12);
        let o = oblimin(&a).unwrap();
        let after = &o.loadings * &o.phi * o.loadings.transpose();
        assert!((&a * a.transpose() - after).amax() < 1e-10);
        assert!(o.converged);
    }
}

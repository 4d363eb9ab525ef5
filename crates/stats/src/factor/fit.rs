//! Goodness of fit as psych's `fa.stats` reports it for a correlation matrix:
//! RMSR, the likelihood criterion and its Bartlett-corrected chi-square,
//! degrees of freedom, Tucker–Lewis index and RMSEA.

use nalgebra::DMatrix;
use serde::Serialize;

use super::linalg::{cor_smooth, ln_det};

/// Fit of a factor model to the correlation matrix it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// Root mean square of the off-diagonal residuals `R − ΛΦΛ'` (psych's `rms`).
    pub rms: f64,
    /// RMSR corrected for degrees of freedom (psych's `crms`); `None` when
    /// the model has no degrees of freedom.
    pub crms: Option<f64>,
    /// 1 − (sum of squared residuals)/(sum of squared correlations), diagonal
    /// included (psych's `fit`).
    pub fit: f64,
    /// The same on the off-diagonal elements only (psych's `fit.off`).
    pub fit_off: f64,
    /// Degrees of freedom `p(p−1)/2 − p·m + m(m−1)/2`; can be zero or negative.
    pub dof: f64,
    /// The likelihood criterion `tr(Σ̂⁻¹R) − ln det(Σ̂⁻¹R) − p` (psych's
    /// `objective`), computed for every extraction method as psych does.
    pub objective: f64,
    /// Bartlett-corrected chi-square `objective·((n − 1) − (2p + 5)/6 − 2m/3)`,
    /// floored at 0 (psych's `STATISTIC`); `None` without a sample size.
    pub chi_square: Option<f64>,
    /// Upper-tail probability of `chi_square` on `dof` degrees of freedom.
    pub p_value: Option<f64>,
    /// Chi-square of the independence model (psych's `null.chisq`).
    pub null_chi_square: Option<f64>,
    /// Degrees of freedom of the independence model, `p(p−1)/2`.
    pub null_dof: f64,
    /// Tucker–Lewis index (psych's `TLI`; not capped at 1).
    pub tli: Option<f64>,
    /// Root mean square error of approximation, point estimate (psych's
    /// `RMSEA[1]`); `None` without a sample size or degrees of freedom.
    pub rmsea: Option<f64>,
    /// Bayesian information criterion `χ² − dof·ln n` (psych's `BIC`).
    pub bic: Option<f64>,
}

/// psych's `fa.stats` on correlation matrix `r` for pattern `f` with factor
/// correlations `phi`, `n` observations (NaN or ≤ 1 when unknown).
pub(crate) fn fa_stats(r: &DMatrix<f64>, f: &DMatrix<f64>, phi: &DMatrix<f64>, n: f64) -> Fit {
    let p = r.nrows();
    let pf = p as f64;
    let nf = f.ncols() as f64;
    let mut model = f * phi * f.transpose();
    let residual = r - &model;
    let r2: f64 = r.iter().map(|v| v * v).sum();
    let rstar2: f64 = residual.iter().map(|v| v * v).sum();
    let dof = pf * (pf - 1.0) / 2.0 - pf * nf + nf * (nf - 1.0) / 2.0;
    let r2_off = r2 - r.trace();
    let mut rstar_off = 0.0;
    for j in 0..p {
        for i in 0..p {
            if i != j {
                rstar_off += residual[(i, j)].powi(2);
            }
        }
    }
    let rms = (rstar_off / (pf * (pf - 1.0))).sqrt();
    let crms = (dof > 0.0).then_some((rstar_off / (2.0 * dof)).sqrt());

    for i in 0..p {
        model[(i, i)] = r[(i, i)];
    }
    let model = cor_smooth(&model);
    let rs = cor_smooth(r);
    // objective = tr(M⁻¹R) − ln det(M⁻¹R) − p, with det(M⁻¹R) = det R / det M.
    let objective = match model.clone().lu().solve(&rs) {
        Some(m_inv_r) => m_inv_r.trace() - ln_det(&m_inv_r) - pf,
        None => f64::NAN,
    };
    let objective = if objective.is_infinite() {
        rstar2
    } else {
        objective
    };
    let f0 = {
        let v = rs.trace() - ln_det(&rs) - pf;
        if v.is_infinite() { r2 } else { v }
    };

    let known_n = n.is_finite() && n > 1.0;
    let bartlett = (n - 1.0) - (2.0 * pf + 5.0) / 6.0 - 2.0 * nf / 3.0;
    let chisq = objective * bartlett;
    let chi_square = known_n.then_some(if chisq < 0.0 { 0.0 } else { chisq });
    let p_value = match chi_square {
        Some(x) if dof > 0.0 => Some(chisq_upper(x, dof)),
        _ => None,
    };
    let null_dof = pf * (pf - 1.0) / 2.0;
    let null_chi_square = known_n.then(|| f0 * ((n - 1.0) - (2.0 * pf + 5.0) / 6.0));
    let mm = objective / dof;
    let m0 = f0 * 2.0 / (pf * (pf - 1.0));
    let tli = known_n.then(|| (m0 - mm) / (m0 - 1.0 / bartlett));
    let with_dof = known_n && dof > 0.0 && objective.is_finite();
    let rmsea = with_dof.then(|| (chisq / (dof * n) - 1.0 / (n - 1.0)).max(0.0).sqrt());
    let bic = with_dof.then(|| chisq - dof * n.ln());

    Fit {
        rms,
        crms,
        fit: 1.0 - rstar2 / r2,
        fit_off: 1.0 - rstar_off / r2_off,
        dof,
        objective,
        chi_square,
        p_value,
        null_chi_square,
        null_dof,
        tli,
        rmsea,
        bic,
    }
}

/// Upper tail of the chi-square distribution, `Q(k/2, x/2)`.
pub(crate) fn chisq_upper(x: f64, k: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    gamma_q(k / 2.0, x / 2.0)
}

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection keeps the approximation accurate near zero.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Regularised upper incomplete gamma `Q(a, x)`: the series for `P` below
/// `a + 1`, Lentz's continued fraction for `Q` above.
fn gamma_q(a: f64, x: f64) -> f64 {
    let ln_pre = a * x.ln() - x - ln_gamma(a);
    if x < a + 1.0 {
        let mut sum = 1.0 / a;
        let mut term = sum;
        let mut ap = a;
        for _ in 0..10_000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        (1.0 - sum * ln_pre.exp()).max(0.0)
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (ln_pre.exp() * h).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi_square_tail_matches_r() {
        // pchisq(q, df, lower.tail = FALSE) in R 4.2.2.
        let cases = [
            (3.84, 1.0, 0.050043521248705224),
            (10.0, 5.0, 0.0752352461465122),
            (63.0, 63.0, 0.4763023833381302),
            (120.5, 87.0, 0.010149263315681936),
            (0.5, 2.0, 0.7788007830714049),
        ];
        for (x, k, want) in cases {
            let got = chisq_upper(x, k);
            assert!(
                (got - want).abs() < 1e-10,
                "pchisq({x}, {k}): {got} vs {want}"
            );
        }
    }
}

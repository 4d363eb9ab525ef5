//! A small box-constrained quasi-Newton minimiser (projected L-BFGS), standing
//! in for R's `optim(method = "L-BFGS-B")` on the uniquenesses.
//!
//! The problems are small (one variable per item) and smooth, so a projected
//! limited-memory BFGS with an Armijo backtracking search along the projected
//! path is enough. Variables at a bound whose gradient points out of the box
//! are held fixed; the quasi-Newton step is taken in the remaining ones.
//! Convergence is declared when the projected gradient vanishes or the
//! objective stops decreasing, much tighter than `optim`'s default, so the
//! result is the stationary point psych's optimiser heads for.

use std::collections::VecDeque;

/// Settings for [`minimize_box`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Stop once the largest projected-gradient component is below this.
    pub gtol: f64,
    /// Stop once a step lowers the objective by less than this, relative.
    pub ftol: f64,
    /// Most iterations.
    pub max_iter: usize,
    /// Pairs kept for the limited-memory Hessian.
    pub memory: usize,
    /// Largest change of any variable on the first step.
    pub first_step: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            gtol: 1e-10,
            ftol: 1e-15,
            max_iter: 1000,
            memory: 10,
            first_step: 0.1,
        }
    }
}

/// Where [`minimize_box`] stopped.
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub converged: bool,
}

fn dot(a: &[f64], b: &[f64], mask: &[bool]) -> f64 {
    a.iter()
        .zip(b)
        .zip(mask)
        .filter(|(_, m)| **m)
        .map(|((x, y), _)| x * y)
        .sum()
}

/// Minimises `fg` (returning value and gradient) over the box
/// `lower ≤ x ≤ upper`, starting from `x0` projected into the box.
pub(crate) fn minimize_box<F>(
    mut fg: F,
    x0: &[f64],
    lower: f64,
    upper: f64,
    opts: Options,
) -> Minimum
where
    F: FnMut(&[f64]) -> (f64, Vec<f64>),
{
    let n = x0.len();
    let project = |v: f64| v.clamp(lower, upper);
    let mut x: Vec<f64> = x0.iter().map(|&v| project(v)).collect();
    let (mut f, mut g) = fg(&x);
    let mut pairs: VecDeque<(Vec<f64>, Vec<f64>)> = VecDeque::new();
    let mut converged = false;

    for _ in 0..opts.max_iter {
        // Variables pinned at a bound with the gradient pushing outward stay put.
        let free: Vec<bool> = (0..n)
            .map(|i| !((x[i] <= lower && g[i] > 0.0) || (x[i] >= upper && g[i] < 0.0)))
            .collect();
        let pg_max = (0..n)
            .filter(|&i| free[i])
            .fold(0.0_f64, |a, i| a.max(g[i].abs()));
        if pg_max < opts.gtol || !f.is_finite() {
            converged = f.is_finite();
            break;
        }

        let mut d = two_loop(&g, &pairs, &free);
        let mut slope = dot(&g, &d, &free);
        if slope.is_nan() || slope >= 0.0 {
            pairs.clear();
            d = (0..n).map(|i| if free[i] { -g[i] } else { 0.0 }).collect();
            slope = dot(&g, &d, &free);
        }
        let mut alpha = 1.0;
        if pairs.is_empty() {
            let dmax = d.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
            if dmax > 0.0 {
                alpha = (opts.first_step / dmax).min(1.0);
            }
        }

        let mut accepted = None;
        for _ in 0..60 {
            let xt: Vec<f64> = (0..n).map(|i| project(x[i] + alpha * d[i])).collect();
            let (ft, gt) = fg(&xt);
            let decrease: f64 = (0..n).map(|i| g[i] * (xt[i] - x[i])).sum();
            if ft.is_finite() && ft <= f + 1e-4 * decrease.min(0.0) {
                accepted = Some((xt, ft, gt));
                break;
            }
            alpha *= 0.5;
        }
        let Some((xt, ft, gt)) = accepted else {
            // No decrease along the projected path: at the optimum to within
            // rounding.
            converged = true;
            break;
        };

        let s: Vec<f64> = (0..n).map(|i| xt[i] - x[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| gt[i] - g[i]).collect();
        let all = vec![true; n];
        let sy = dot(&s, &y, &all);
        if sy > 1e-12 * dot(&y, &y, &all).sqrt() * dot(&s, &s, &all).sqrt() {
            if pairs.len() == opts.memory {
                pairs.pop_front();
            }
            pairs.push_back((s, y));
        }
        let reduction = f - ft;
        x = xt;
        g = gt;
        let scale = f.abs().max(ft.abs()).max(1e-300);
        f = ft;
        if reduction <= opts.ftol * scale {
            converged = true;
            break;
        }
    }

    Minimum {
        x,
        value: f,
        converged,
    }
}

/// The L-BFGS two-loop recursion restricted to the free variables: returns
/// the descent direction −H·g with fixed variables left at zero.
fn two_loop(g: &[f64], pairs: &VecDeque<(Vec<f64>, Vec<f64>)>, free: &[bool]) -> Vec<f64> {
    let n = g.len();
    let mut q: Vec<f64> = (0..n).map(|i| if free[i] { g[i] } else { 0.0 }).collect();
    let mut alphas = Vec::with_capacity(pairs.len());
    let mut used = Vec::with_capacity(pairs.len());
    for (s, y) in pairs.iter().rev() {
        let sy = dot(s, y, free);
        if sy <= 0.0 {
            continue;
        }
        let rho = 1.0 / sy;
        let a = rho * dot(s, &q, free);
        for i in 0..n {
            if free[i] {
                q[i] -= a * y[i];
            }
        }
        alphas.push(a);
        used.push((s, y, rho));
    }
    let gamma = used
        .first()
        .map(|(s, y, _)| dot(s, y, free) / dot(y, y, free))
        .filter(|v| v.is_finite() && *v > 0.0)
        .unwrap_or(1.0);
    for v in &mut q {
        *v *= gamma;
    }
    for ((s, y, rho), a) in used.iter().rev().zip(alphas.iter().rev()) {
        let b = rho * dot(y, &q, free);
        for i in 0..n {
            if free[i] {
                q[i] += s[i] * (a - b);
            }
        }
    }
    q.iter().map(|v| -v).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_interior_and_bound_minima() {
        // (x0 − 0.3)² + (x1 + 1)² + 10·(x0·x1)² on [0, 1]²: x1 sticks at 0.
        let m = minimize_box(
            |x| {
                let f = (x[0] - 0.3).powi(2) + (x[1] + 1.0).powi(2) + 10.0 * (x[0] * x[1]).powi(2);
                let g = vec![
                    2.0 * (x[0] - 0.3) + 20.0 * x[0] * x[1] * x[1],
                    2.0 * (x[1] + 1.0) + 20.0 * x[0] * x[0] * x[1],
                ];
                (f, g)
            },
            &[0.9, 0.9],
            0.0,
            1.0,
            Options::default(),
        );
        assert!(m.converged);
        assert!((m.x[0] - 0.3).abs() < 1e-8, "{:?}", m.x);
        assert!(m.x[1].abs() < 1e-12, "{:?}", m.x);
    }
}

//! Mergeable sufficient statistics for a set of items: counts, sums and cross-products,
//! pairwise and listwise, from which every covariance and correlation is derived.
//!
//! The sums are kept as `f64`, which holds every integer below 2⁵³ exactly. For integer data
//! (Likert answers) each sum is therefore exact, its value does not depend on the order in which
//! rows were added, and [`Moments::merge`] gives bit-for-bit the same statistics as one pass over
//! all rows. For decimal data the sums are ordinary floating-point sums.
//!
//! Layout. Rows with every item present ("complete rows") are kept apart from rows with a missing
//! value, because complete rows are the common case and cost one cross-product each:
//!
//! * `complete` is the `(p+1)×(p+1)` matrix `[X 1]ᵀ[X 1]` over complete rows: cross-products
//!   `Σ xᵢxⱼ`, the sums `Σ xᵢ` in the last column and the count in the corner. These are the
//!   listwise statistics.
//! * `partial` is the `2p×2p` matrix `[X M]ᵀ[X M]` over rows with a missing value, where `X` holds
//!   the values with a missing value written as 0 and `M` is the 0/1 presence mask. Its blocks
//!   are `Σ xᵢxⱼ`, `Σ xᵢmⱼ` (the sum of item i over rows where j is present) and `Σ mᵢmⱼ` (the
//!   number of rows where both are present).
//! * `partial_sq` is the `p×p` matrix `Qᵀ M` over the same rows, `Q = X∘X`: `Σ xᵢ² mⱼ`.
//!
//! Pairwise statistics for items i and j add the complete part and the partial part. Memory is
//! `O(p²)` and does not depend on the number of rows.

mod accumulate;

pub use accumulate::{Accumulator, RowLengthError};

use std::fmt;
use std::str::FromStr;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// How rows with missing values enter a statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// Each pair of items uses every row where both are present, and each item every row where it
    /// is present (R's `use = "pairwise"`, the default of `psych::alpha`).
    #[default]
    Pairwise,
    /// Only rows where every item that was read is present (R's `na.omit` on the whole table).
    Listwise,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Missing::Pairwise => "pairwise",
            Missing::Listwise => "listwise",
        })
    }
}

/// The text given for [`Missing`] was neither `pairwise` nor `listwise`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("missing-value handling must be \"pairwise\" or \"listwise\", not {0:?}")]
pub struct ParseMissingError(pub String);

impl FromStr for Missing {
    type Err = ParseMissingError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pairwise" => Ok(Missing::Pairwise),
            "listwise" | "complete" => Ok(Missing::Listwise),
            _ => Err(ParseMissingError(s.to_owned())),
        }
    }
}

/// The raw sums for one pair of items over the rows that enter it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairSums {
    /// Number of rows.
    pub n: f64,
    /// `Σ x` of the first item.
    pub sx: f64,
    /// `Σ y` of the second item.
    pub sy: f64,
    /// `Σ x²`.
    pub sxx: f64,
    /// `Σ y²`.
    pub syy: f64,
    /// `Σ xy`.
    pub sxy: f64,
}

impl PairSums {
    /// `Σ (x − x̄)(y − ȳ)` over the pair's rows.
    pub fn centered_xy(&self) -> f64 {
        centered(self.n, self.sx, self.sy, self.sxy)
    }

    /// `Σ (x − x̄)²` over the pair's rows.
    pub fn centered_xx(&self) -> f64 {
        centered(self.n, self.sx, self.sx, self.sxx)
    }

    /// `Σ (y − ȳ)²` over the pair's rows.
    pub fn centered_yy(&self) -> f64 {
        centered(self.n, self.sy, self.sy, self.syy)
    }
}

/// Two [`Moments`] describe different item lists and cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot merge statistics over different items ({left:?} and {right:?})")]
pub struct ItemsMismatch {
    /// Items of the statistics merged into.
    pub left: Vec<String>,
    /// Items of the statistics being merged.
    pub right: Vec<String>,
}

/// A name asked for is not among the items.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no item named {0:?}")]
pub struct UnknownItem(pub String);

/// Sufficient statistics for `p` items, accumulated in one pass and mergeable exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    items: Vec<String>,
    rows: u64,
    complete: DMatrix<f64>,
    partial: DMatrix<f64>,
    partial_sq: DMatrix<f64>,
    min: Vec<f64>,
    max: Vec<f64>,
}

impl Moments {
    /// Empty statistics (no rows) for the named items.
    pub fn new(items: Vec<String>) -> Self {
        let p = items.len();
        Moments {
            items,
            rows: 0,
            complete: DMatrix::zeros(p + 1, p + 1),
            partial: DMatrix::zeros(2 * p, 2 * p),
            partial_sq: DMatrix::zeros(p, p),
            min: vec![f64::INFINITY; p],
            max: vec![f64::NEG_INFINITY; p],
        }
    }

    /// Statistics summed elsewhere (by a database's aggregates, say), from `rows` (every row,
    /// also those with no value) and the sums of each pair of items: `pair(i, j, true)` over the
    /// rows with every item present, `pair(i, j, false)` over the other rows where both `i` and
    /// `j` are present, each as [`PairSums`] with `x` item `i` and `y` item `j`, for every `i`
    /// and `j` below `items.len()`; `range(i)` is the smallest and largest value of item `i`.
    ///
    /// These are the quantities a streaming pass adds up, so for integer data the result equals,
    /// bit for bit, the [`Accumulator`] fed the same rows.
    pub fn from_pair_sums(
        items: Vec<String>,
        rows: u64,
        pair: impl Fn(usize, usize, bool) -> PairSums,
        range: impl Fn(usize) -> Option<(f64, f64)>,
    ) -> Self {
        let mut m = Moments::new(items);
        let p = m.p();
        m.rows = rows;
        for i in 0..p {
            for j in 0..p {
                let c = pair(i, j, true);
                m.complete[(i, j)] = c.sxy;
                let s = pair(i, j, false);
                m.partial[(i, j)] = s.sxy;
                m.partial[(i, p + j)] = s.sx;
                m.partial[(p + i, j)] = s.sy;
                m.partial[(p + i, p + j)] = s.n;
                m.partial_sq[(i, j)] = s.sxx;
            }
            let own = pair(i, i, true);
            m.complete[(i, p)] = own.sx;
            m.complete[(p, i)] = own.sx;
            if i == 0 {
                m.complete[(p, p)] = own.n;
            }
            if let Some((lo, hi)) = range(i) {
                m.min[i] = lo;
                m.max[i] = hi;
            }
        }
        m
    }

    /// The item ids, in column order.
    pub fn items(&self) -> &[String] {
        &self.items
    }

    /// Number of items `p`.
    pub fn p(&self) -> usize {
        self.items.len()
    }

    /// Number of rows read, including rows where every item is missing.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Number of rows where every item is present.
    pub fn complete_rows(&self) -> u64 {
        let p = self.p();
        self.complete[(p, p)] as u64
    }

    /// The number of rows a statistic over all items rests on: every row for
    /// [`Missing::Pairwise`] (as `nrow(x)` in R), the complete rows for [`Missing::Listwise`].
    pub fn n(&self, missing: Missing) -> u64 {
        match missing {
            Missing::Pairwise => self.rows,
            Missing::Listwise => self.complete_rows(),
        }
    }

    /// The indices of the named items, in the order given.
    pub fn indices<S: AsRef<str>>(&self, names: &[S]) -> Result<Vec<usize>, UnknownItem> {
        names
            .iter()
            .map(|name| {
                let name = name.as_ref();
                self.items
                    .iter()
                    .position(|item| item == name)
                    .ok_or_else(|| UnknownItem(name.to_owned()))
            })
            .collect()
    }

    /// The smallest and largest value seen over all items, or `None` before any value.
    pub fn observed_scale(&self) -> Option<(f64, f64)> {
        let min = self.min.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self.max.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (min <= max).then_some((min, max))
    }

    /// The smallest and largest value seen for item `i`, or `None` if it was always missing.
    pub fn item_range(&self, i: usize) -> Option<(f64, f64)> {
        let (min, max) = (*self.min.get(i)?, *self.max.get(i)?);
        (min <= max).then_some((min, max))
    }

    /// Adds the rows summarised by `other`. Exact for integer data (see the module docs).
    pub fn merge(&mut self, other: &Moments) -> Result<(), ItemsMismatch> {
        if self.items != other.items {
            return Err(ItemsMismatch {
                left: self.items.clone(),
                right: other.items.clone(),
            });
        }
        self.add(other);
        Ok(())
    }

    /// [`Moments::merge`] for statistics known to be over the same items.
    pub(crate) fn add(&mut self, other: &Moments) {
        self.rows += other.rows;
        self.complete += &other.complete;
        self.partial += &other.partial;
        self.partial_sq += &other.partial_sq;
        for (a, b) in self.min.iter_mut().zip(&other.min) {
            *a = a.min(*b);
        }
        for (a, b) in self.max.iter_mut().zip(&other.max) {
            *a = a.max(*b);
        }
    }

    /// Reverse-keys items: every value `x` of each listed item becomes `min + max − x`.
    ///
    /// The statistics are transformed exactly as if the reversed values had been read, so this
    /// may be applied after ingestion (and after merging), when the observed scale is known.
    /// Indices out of range are ignored.
    pub fn reverse(&mut self, items: &[usize], min: f64, max: f64) {
        let p = self.p();
        let c = min + max;
        for &i in items.iter().filter(|&&i| i < p) {
            // Complete rows: column i of [X 1] becomes c·1 − xᵢ; G' = Tᵀ G T.
            let ones = p;
            let g = &mut self.complete;
            for r in 0..=p {
                g[(r, i)] = c * g[(r, ones)] - g[(r, i)];
            }
            for col in 0..=p {
                g[(i, col)] = c * g[(ones, col)] - g[(i, col)];
            }
            // Rows with a missing value: xᵢ' = c·mᵢ − xᵢ (a missing value stays 0), and
            // qᵢ' = c²·mᵢ − 2c·xᵢ + qᵢ. Q'M needs the old X'M, so it goes first.
            let mask = p + i;
            for j in 0..p {
                let xm = self.partial[(i, p + j)];
                let mm = self.partial[(mask, p + j)];
                self.partial_sq[(i, j)] += c * c * mm - 2.0 * c * xm;
            }
            let g = &mut self.partial;
            for r in 0..2 * p {
                g[(r, i)] = c * g[(r, mask)] - g[(r, i)];
            }
            for col in 0..2 * p {
                g[(i, col)] = c * g[(mask, col)] - g[(i, col)];
            }
            if self.min[i] <= self.max[i] {
                let (lo, hi) = (self.min[i], self.max[i]);
                self.min[i] = c - hi;
                self.max[i] = c - lo;
            }
        }
    }

    /// The sums for items `i` and `j` over the rows that enter them under `missing`.
    /// With `i == j` these are the item's own sums (`sx == sy`, `sxx == sxy`).
    ///
    /// # Panics
    /// If `i` or `j` is not below [`Moments::p`].
    pub fn pair(&self, i: usize, j: usize, missing: Missing) -> PairSums {
        let p = self.p();
        let c = &self.complete;
        let listwise = PairSums {
            n: c[(p, p)],
            sx: c[(i, p)],
            sy: c[(j, p)],
            sxx: c[(i, i)],
            syy: c[(j, j)],
            sxy: c[(i, j)],
        };
        match missing {
            Missing::Listwise => listwise,
            Missing::Pairwise => {
                let g = &self.partial;
                let q = &self.partial_sq;
                PairSums {
                    n: listwise.n + g[(p + i, p + j)],
                    sx: listwise.sx + g[(i, p + j)],
                    sy: listwise.sy + g[(j, p + i)],
                    sxx: listwise.sxx + q[(i, j)],
                    syy: listwise.syy + q[(j, i)],
                    sxy: listwise.sxy + g[(i, j)],
                }
            }
        }
    }

    /// Number of values of item `i` that enter statistics under `missing`.
    pub fn item_n(&self, i: usize, missing: Missing) -> f64 {
        self.pair(i, i, missing).n
    }

    /// Item means (over each item's present values, or over complete rows).
    pub fn means(&self, missing: Missing) -> Vec<f64> {
        (0..self.p())
            .map(|i| {
                let s = self.pair(i, i, missing);
                s.sx / s.n
            })
            .collect()
    }

    /// Item standard deviations with the `n − 1` denominator, as R's `sd`.
    pub fn sds(&self, missing: Missing) -> Vec<f64> {
        (0..self.p())
            .map(|i| {
                let s = self.pair(i, i, missing);
                (s.centered_xx() / (s.n - 1.0)).sqrt()
            })
            .collect()
    }

    /// The covariance matrix with `n − 1` denominators, as R's `cov(x, use = …)`.
    ///
    /// Pairwise, entry (i, j) uses the rows where both items are present, with the means of those
    /// rows; the diagonal uses every present value of the item. Entries with fewer than two rows
    /// are NaN.
    pub fn covariance(&self, missing: Missing) -> DMatrix<f64> {
        let p = self.p();
        let mut out = DMatrix::zeros(p, p);
        for i in 0..p {
            for j in i..p {
                let s = self.pair(i, j, missing);
                let v = if s.n >= 2.0 {
                    s.centered_xy() / (s.n - 1.0)
                } else {
                    f64::NAN
                };
                out[(i, j)] = v;
                out[(j, i)] = v;
            }
        }
        out
    }

    /// The correlation matrix, as R's `cor(x, use = …)`: pairwise, each entry is the Pearson
    /// correlation over the rows where both items are present (with those rows' own means and
    /// standard deviations). The diagonal is exactly 1 for an item with variance, NaN otherwise.
    ///
    /// `psych::alpha` instead rescales the pairwise covariance matrix (`cov2cor`); the reliability
    /// module does that itself, so the two agree with R in both places.
    pub fn correlation(&self, missing: Missing) -> DMatrix<f64> {
        let p = self.p();
        let mut out = DMatrix::zeros(p, p);
        for i in 0..p {
            for j in i..p {
                let s = self.pair(i, j, missing);
                let (xx, yy) = (s.centered_xx(), s.centered_yy());
                let r = if s.n < 2.0 || xx <= 0.0 || yy <= 0.0 {
                    f64::NAN
                } else if i == j {
                    1.0
                } else {
                    (s.centered_xy() / (xx.sqrt() * yy.sqrt())).clamp(-1.0, 1.0)
                };
                out[(i, j)] = r;
                out[(j, i)] = r;
            }
        }
        out
    }

    pub(crate) fn parts_mut(&mut self) -> Parts<'_> {
        Parts {
            rows: &mut self.rows,
            complete: &mut self.complete,
            partial: &mut self.partial,
            partial_sq: &mut self.partial_sq,
            min: &mut self.min,
            max: &mut self.max,
        }
    }
}

/// Mutable access to the accumulators, for [`Accumulator`].
pub(crate) struct Parts<'a> {
    pub rows: &'a mut u64,
    pub complete: &'a mut DMatrix<f64>,
    pub partial: &'a mut DMatrix<f64>,
    pub partial_sq: &'a mut DMatrix<f64>,
    pub min: &'a mut [f64],
    pub max: &'a mut [f64],
}

/// Largest integer below which every integer is exactly representable in `f64`.
const EXACT: f64 = 9_007_199_254_740_992.0;

/// `Σ (x − x̄)(y − ȳ) = Σxy − ΣxΣy / n`.
///
/// When the sums are integers (Likert data) the numerator `n·Σxy − Σx·Σy` is formed exactly in
/// 128-bit integers, so there is a single rounding and no cancellation; otherwise the usual
/// floating-point formula is used.
fn centered(n: f64, sx: f64, sy: f64, sxy: f64) -> f64 {
    let integral = |v: f64| v.fract() == 0.0 && v.abs() < EXACT;
    if integral(n) && integral(sx) && integral(sy) && integral(sxy) {
        let num = n as i128 * sxy as i128 - sx as i128 * sy as i128;
        num as f64 / n
    } else {
        sxy - sx * sy / n
    }
}

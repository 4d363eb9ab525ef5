//! Row-by-row accumulation into [`Moments`], batching rows so that the cross-products are one
//! matrix product per block (nalgebra hands it to `matrixmultiply`, which uses the CPU's SIMD).
//!
//! Complete rows whose values are all small integers (Likert answers) go to a block kept in
//! `f32`: with at most [`BLOCK_ROWS`] rows every product and partial sum is an integer below
//! 2²⁴, so `f32` arithmetic, with twice the SIMD lanes, is exact and gives the same sums as
//! `f64`. A block of rows with missing values is multiplied in `f32` on the same condition.
//! Which block a row goes to, and how a block is multiplied, depend only on the rows, so every
//! reader that feeds the same rows in the same order gets the same statistics, bit for bit.

use nalgebra::{DMatrix, DMatrixView, Dyn};

use super::Moments;

/// Rows buffered before their cross-products are added in one matrix product.
const BLOCK_ROWS: usize = 256;

/// Largest magnitude of a "small integer": 256 rows · 255² < 2²⁴.
const SMALL: f64 = 255.0;
const _: () = assert!(BLOCK_ROWS as f64 * SMALL * SMALL < 16_777_216.0);

/// A row given to [`Accumulator::push`] does not have one value per item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("row has {found} values but there are {expected} items")]
pub struct RowLengthError {
    /// Number of items.
    pub expected: usize,
    /// Number of values in the row.
    pub found: usize,
}

/// Builds [`Moments`] from rows, one at a time.
///
/// ```
/// use tandem_stats::moments::{Accumulator, Missing};
/// let mut acc = Accumulator::new(vec!["a".into(), "b".into()]);
/// acc.push(&[Some(1.0), Some(2.0)])?;
/// acc.push(&[Some(3.0), None])?;
/// let m = acc.finish();
/// assert_eq!(m.rows(), 2);
/// assert_eq!(m.means(Missing::Pairwise), vec![2.0, 2.0]);
/// # Ok::<(), tandem_stats::moments::RowLengthError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Accumulator {
    moments: Moments,
    p: usize,
    /// Complete rows of small integers, row-major, each `[x₁ … x_p 1]`.
    small: Vec<f32>,
    small_rows: usize,
    /// Other complete rows, row-major, each `[x₁ … x_p 1]`.
    complete: Vec<f64>,
    complete_rows: usize,
    /// Rows with a missing value, row-major, each `[x₁ … x_p m₁ … m_p]` with missing `x` as 0.
    partial: Vec<f64>,
    partial_rows: usize,
    /// Whether every row of the partial block holds only small integers.
    partial_small: bool,
    /// Scratch: squares of the partial block, cross-products of a small block.
    squares: Vec<f64>,
    gram_small: DMatrix<f32>,
    single: Vec<f32>,
    squares_single: Vec<f32>,
    partial_gram_small: DMatrix<f32>,
    partial_sq_small: DMatrix<f32>,
}

impl Accumulator {
    /// An accumulator for the named items.
    pub fn new(items: Vec<String>) -> Self {
        let p = items.len();
        Accumulator {
            moments: Moments::new(items),
            p,
            small: vec![0.0; BLOCK_ROWS * (p + 1)],
            small_rows: 0,
            complete: vec![0.0; BLOCK_ROWS * (p + 1)],
            complete_rows: 0,
            partial: vec![0.0; BLOCK_ROWS * 2 * p],
            partial_rows: 0,
            partial_small: true,
            squares: vec![0.0; BLOCK_ROWS * p],
            gram_small: DMatrix::zeros(p + 1, p + 1),
            single: vec![0.0; BLOCK_ROWS * 2 * p],
            squares_single: vec![0.0; BLOCK_ROWS * p],
            partial_gram_small: DMatrix::zeros(2 * p, 2 * p),
            partial_sq_small: DMatrix::zeros(p, p),
        }
    }

    /// Adds one row; `None` is a missing value.
    pub fn push(&mut self, row: &[Option<f64>]) -> Result<(), RowLengthError> {
        if row.len() != self.p {
            return Err(RowLengthError {
                expected: self.p,
                found: row.len(),
            });
        }
        if row.iter().all(Option::is_some) {
            let values: Vec<f64> = row.iter().map(|v| v.unwrap_or(0.0)).collect();
            self.push_complete(&values);
        } else {
            let values: Vec<f64> = row.iter().map(|v| v.unwrap_or(0.0)).collect();
            let present: Vec<bool> = row.iter().map(Option::is_some).collect();
            self.push_partial(&values, &present);
        }
        Ok(())
    }

    /// Adds a row with every value present (`values.len() == p`).
    pub(crate) fn push_complete(&mut self, values: &[f64]) {
        if all_small(values) {
            for (slot, &x) in self.small_slot().iter_mut().zip(values) {
                *slot = x as f32;
            }
            for (i, &x) in values.iter().enumerate() {
                self.widen_range(i, x, x);
            }
        } else {
            self.complete_slot().copy_from_slice(values);
        }
    }

    /// Adds a row with a missing value: `values` has 0 where `present` is false.
    pub(crate) fn push_partial(&mut self, values: &[f64], present: &[bool]) {
        let p = self.p;
        self.partial_small &= all_small(values);
        let slot = self.partial_slot();
        let (x, m) = slot.split_at_mut(p);
        x.copy_from_slice(values);
        for (m, &present) in m.iter_mut().zip(present) {
            *m = if present { 1.0 } else { 0.0 };
        }
    }

    /// The `p` slots of the next complete row of small integers (magnitude at most 255, see the
    /// module docs). The caller must fill every slot and report the values' range with
    /// [`Accumulator::widen_range`].
    pub(crate) fn small_slot(&mut self) -> &mut [f32] {
        if self.small_rows == BLOCK_ROWS {
            self.flush_small();
        }
        let w = self.p + 1;
        let start = self.small_rows * w;
        self.small_rows += 1;
        *self.moments.parts_mut().rows += 1;
        let row = &mut self.small[start..start + w];
        row[w - 1] = 1.0;
        &mut row[..w - 1]
    }

    /// Widens the observed range of item `i` to include `lo..=hi`.
    pub(crate) fn widen_range(&mut self, i: usize, lo: f64, hi: f64) {
        let parts = self.moments.parts_mut();
        if let (Some(min), Some(max)) = (parts.min.get_mut(i), parts.max.get_mut(i)) {
            *min = min.min(lo);
            *max = max.max(hi);
        }
    }

    fn complete_slot(&mut self) -> &mut [f64] {
        if self.complete_rows == BLOCK_ROWS {
            self.flush_complete();
        }
        let w = self.p + 1;
        let start = self.complete_rows * w;
        self.complete_rows += 1;
        *self.moments.parts_mut().rows += 1;
        let row = &mut self.complete[start..start + w];
        row[w - 1] = 1.0;
        &mut row[..w - 1]
    }

    fn partial_slot(&mut self) -> &mut [f64] {
        if self.partial_rows == BLOCK_ROWS {
            self.flush_partial();
        }
        let w = 2 * self.p;
        let start = self.partial_rows * w;
        self.partial_rows += 1;
        *self.moments.parts_mut().rows += 1;
        &mut self.partial[start..start + w]
    }

    /// Adds the buffered rows and returns the statistics.
    pub fn finish(mut self) -> Moments {
        self.flush_small();
        self.flush_complete();
        self.flush_partial();
        self.moments
    }

    fn flush_small(&mut self) {
        let k = self.small_rows;
        if k == 0 {
            return;
        }
        let w = self.p + 1;
        let data = &self.small[..k * w];
        let at = DMatrixView::from_slice(data, w, k);
        let a = DMatrixView::from_slice_with_strides_generic(data, Dyn(k), Dyn(w), Dyn(w), Dyn(1));
        self.gram_small.gemm(1.0, &at, &a, 0.0);
        let complete = self.moments.parts_mut().complete;
        for (g, &s) in complete.iter_mut().zip(self.gram_small.iter()) {
            *g += f64::from(s);
        }
        self.small_rows = 0;
    }

    fn flush_complete(&mut self) {
        let k = self.complete_rows;
        if k == 0 {
            return;
        }
        let p = self.p;
        let w = p + 1;
        let data = &self.complete[..k * w];
        let parts = self.moments.parts_mut();
        add_gram(parts.complete, data, k, w);
        let (lo, hi) = (&mut parts.min[..p], &mut parts.max[..p]);
        for row in data.chunks_exact(w) {
            for ((lo, hi), &x) in lo.iter_mut().zip(hi.iter_mut()).zip(&row[..p]) {
                *lo = lo.min(x);
                *hi = hi.max(x);
            }
        }
        self.complete_rows = 0;
    }

    fn flush_partial(&mut self) {
        let k = self.partial_rows;
        if k == 0 {
            return;
        }
        let p = self.p;
        let w = 2 * p;
        let data = &self.partial[..k * w];
        for (q, row) in self.squares.chunks_exact_mut(p).zip(data.chunks_exact(w)) {
            for (q, x) in q.iter_mut().zip(&row[..p]) {
                *q = x * x;
            }
        }
        let parts = self.moments.parts_mut();
        for row in data.chunks_exact(w) {
            let (x, m) = row.split_at(p);
            let (lo, hi) = (&mut parts.min[..p], &mut parts.max[..p]);
            for (((lo, hi), &x), &m) in lo.iter_mut().zip(hi.iter_mut()).zip(x).zip(m) {
                // Selects rather than branches, so that the loop vectorises.
                let present = m != 0.0;
                *lo = if present && x < *lo { x } else { *lo };
                *hi = if present && x > *hi { x } else { *hi };
            }
        }
        let squares = &self.squares[..k * p];
        if self.partial_small {
            // Values, masks and squares (at most 255²; 256 · 255² < 2²⁴) are small integers:
            // exact in f32, as for complete rows.
            let single = &mut self.single[..k * w];
            for (s, &x) in single.iter_mut().zip(data) {
                *s = x as f32;
            }
            let squares_single = &mut self.squares_single[..k * p];
            for (s, &x) in squares_single.iter_mut().zip(squares) {
                *s = x as f32;
            }
            let (single, squares_single) = (&self.single[..k * w], &self.squares_single[..k * p]);
            let at = DMatrixView::from_slice(single, w, k);
            let a = DMatrixView::from_slice_with_strides_generic(
                single,
                Dyn(k),
                Dyn(w),
                Dyn(w),
                Dyn(1),
            );
            self.partial_gram_small.gemm(1.0, &at, &a, 0.0);
            let qt = DMatrixView::from_slice(squares_single, p, k);
            let m = DMatrixView::from_slice_with_strides_generic(
                &single[p..],
                Dyn(k),
                Dyn(p),
                Dyn(w),
                Dyn(1),
            );
            self.partial_sq_small.gemm(1.0, &qt, &m, 0.0);
            for (g, &s) in parts.partial.iter_mut().zip(self.partial_gram_small.iter()) {
                *g += f64::from(s);
            }
            for (g, &s) in parts
                .partial_sq
                .iter_mut()
                .zip(self.partial_sq_small.iter())
            {
                *g += f64::from(s);
            }
        } else {
            add_gram(parts.partial, data, k, w);
            // Qᵀ M: Q is k×p with row stride p; M is the right half of the partial block.
            let qt = DMatrixView::from_slice(squares, p, k);
            let m = DMatrixView::from_slice_with_strides_generic(
                &data[p..],
                Dyn(k),
                Dyn(p),
                Dyn(w),
                Dyn(1),
            );
            parts.partial_sq.gemm(1.0, &qt, &m, 1.0);
        }
        self.partial_rows = 0;
        self.partial_small = true;
    }
}

/// Whether every value is an integer of magnitude at most [`SMALL`].
fn all_small(values: &[f64]) -> bool {
    // Adding and subtracting 1.5·2⁵² rounds to an integer, so `r == x` holds exactly for
    // integers (of magnitude below 2⁵¹); plain arithmetic vectorises where `f64::trunc` would
    // call into libm.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let mut not_small = 0u32;
    for &x in values {
        let r = (x + ROUND) - ROUND;
        not_small += u32::from((r != x) | (x.abs() > SMALL));
    }
    not_small == 0
}

/// `g += Aᵀ A` for the `k×w` row-major block `data`.
fn add_gram(g: &mut DMatrix<f64>, data: &[f64], k: usize, w: usize) {
    // Column-major, the row-major block is Aᵀ (w×k); A itself is the same memory with swapped
    // strides.
    let at = DMatrixView::from_slice(data, w, k);
    let a = DMatrixView::from_slice_with_strides_generic(data, Dyn(k), Dyn(w), Dyn(w), Dyn(1));
    g.gemm(1.0, &at, &a, 1.0);
}

//! The sufficient statistics of research rows, summed where they are kept
//! (SQL aggregates in the database) instead of row by row in the caller:
//! plain numbers any statistics code can take up, with no type of its own.

/// The sums for one pair of items `(x, y)` over the rows of a group where
/// both have a value. With `x == y` they are the item's own sums.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PairTotals {
    /// Number of rows.
    pub n: f64,
    /// `Σ x`.
    pub sum_x: f64,
    /// `Σ y`.
    pub sum_y: f64,
    /// `Σ x²`.
    pub sum_xx: f64,
    /// `Σ y²`.
    pub sum_yy: f64,
    /// `Σ xy`.
    pub sum_xy: f64,
}

impl PairTotals {
    /// The same sums seen from the other item of the pair.
    pub fn swapped(self) -> Self {
        Self {
            n: self.n,
            sum_x: self.sum_y,
            sum_y: self.sum_x,
            sum_xx: self.sum_yy,
            sum_yy: self.sum_xx,
            sum_xy: self.sum_xy,
        }
    }
}

/// What [`crate::engine::ResearchData::item_sums`] gives: over the rows
/// [`crate::engine::ResearchData::for_each_response`] would give, the
/// sums of every pair of items, kept apart for the rows where every item
/// has a value (`complete`) and the rows where one is missing (`partial`),
/// as a streaming pass keeps them, so both add up the same numbers.
///
/// Values are integers (stored answers), so every sum below 2⁵³ is exact
/// in `f64` and does not depend on the order it was added up in.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSums {
    items: Vec<String>,
    rows: u64,
    complete: Vec<PairTotals>,
    partial: Vec<PairTotals>,
    range: Vec<Option<(f64, f64)>>,
}

impl ItemSums {
    /// No rows yet, for these items.
    pub fn new(items: Vec<String>) -> Self {
        let p = items.len();
        Self {
            items,
            rows: 0,
            complete: vec![PairTotals::default(); p * p],
            partial: vec![PairTotals::default(); p * p],
            range: vec![None; p],
        }
    }

    /// The items, in column order.
    pub fn items(&self) -> &[String] {
        &self.items
    }

    /// Every row, including those where no item has a value.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Sets the number of rows.
    pub fn set_rows(&mut self, rows: u64) {
        self.rows = rows;
    }

    /// The sums of items `i` and `j` over rows with every item present
    /// (`complete`) or with a missing value; zero outside `0..p`.
    pub fn pair(&self, i: usize, j: usize, complete: bool) -> PairTotals {
        let p = self.items.len();
        let table = if complete {
            &self.complete
        } else {
            &self.partial
        };
        if i < p && j < p {
            table[i * p + j]
        } else {
            PairTotals::default()
        }
    }

    /// Sets the sums of items `i` and `j` (and so of `j` and `i`); ignored
    /// outside `0..p`.
    pub fn set_pair(&mut self, i: usize, j: usize, complete: bool, totals: PairTotals) {
        let p = self.items.len();
        if i >= p || j >= p {
            return;
        }
        let table = if complete {
            &mut self.complete
        } else {
            &mut self.partial
        };
        table[i * p + j] = totals;
        table[j * p + i] = totals.swapped();
    }

    /// The smallest and largest value of item `i`, if it ever had one.
    pub fn range(&self, i: usize) -> Option<(f64, f64)> {
        self.range.get(i).copied().flatten()
    }

    /// Sets the range of item `i`; ignored outside `0..p`.
    pub fn set_range(&mut self, i: usize, range: Option<(f64, f64)>) {
        if let Some(slot) = self.range.get_mut(i) {
            *slot = range;
        }
    }
}

//! The inner loop: CSV records to [`Accumulator`] rows, stopping at the first bad row.

use std::io::Read;

use ::csv::{ByteRecord, Reader, ReaderBuilder};

use super::Scale;
use super::cell::{self, Cell};
use super::tap::Tap;
use crate::moments::Accumulator;

/// Size of the CSV reader's buffer.
const BUFFER: usize = 1 << 16;

/// How often (in records) a chunk looks whether it should stop early.
const CANCEL_EVERY: u64 = 4096;

/// A CSV reader over a [`Tap`], configured the same way everywhere: no header handling (the
/// header is read as a record), rows of any width (checked here, with a better error).
pub(super) fn reader<'a, R: Read>(tap: Tap<'a, R>) -> Reader<Tap<'a, R>> {
    ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(BUFFER)
        .from_reader(tap)
}

/// What each row must look like and which of its fields to read.
pub(super) struct Plan<'a> {
    /// Fields in the header; every row must have as many.
    pub width: usize,
    /// For each item, its 0-based column in the file.
    pub columns: &'a [usize],
    /// For each column, the item it holds if it is read.
    pub item_of: Vec<Option<usize>>,
    /// Bounds every value must lie within.
    pub scale: Option<Scale>,
}

impl<'a> Plan<'a> {
    pub(super) fn new(width: usize, columns: &'a [usize], scale: Option<Scale>) -> Self {
        let mut item_of = vec![None; width];
        for (item, &column) in columns.iter().enumerate() {
            if let Some(slot) = item_of.get_mut(column) {
                *slot = Some(item);
            }
        }
        Plan {
            width,
            columns,
            item_of,
            scale,
        }
    }
}

/// Why reading stopped before the end.
#[derive(Debug)]
pub(super) enum Stop {
    /// A bad row: `record` is 1-based among the records this reader read, `end` the offset
    /// just past it, `line` its last line when the reader counted lines.
    Bad {
        record: u64,
        end: u64,
        line: Option<u64>,
        fault: Fault,
    },
    /// Another thread asked this one to stop.
    Cancelled,
}

/// What was wrong with a row.
#[derive(Debug)]
pub(super) enum Fault {
    Ragged {
        found: usize,
    },
    NotNumber {
        item: usize,
        value: Vec<u8>,
    },
    OffScale {
        item: usize,
        value: Vec<u8>,
        scale: Scale,
    },
    Csv(::csv::Error),
}

/// Reads every remaining record of `rdr` into `acc`. Returns the number of records read.
pub(super) fn read_records<R: Read>(
    rdr: &mut Reader<Tap<'_, R>>,
    plan: &Plan<'_>,
    acc: &mut Accumulator,
    cancelled: &dyn Fn() -> bool,
) -> Result<u64, Stop> {
    let mut record = ByteRecord::new();
    let mut row = Row::new(plan.columns.len());
    let mut records: u64 = 0;
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(records),
            Err(e) => return Err(bad(rdr, records + 1, Fault::Csv(e))),
        }
        records += 1;
        if records.is_multiple_of(CANCEL_EVERY) && cancelled() {
            return Err(Stop::Cancelled);
        }
        if record.len() != plan.width {
            return Err(bad(
                rdr,
                records,
                Fault::Ragged {
                    found: record.len(),
                },
            ));
        }
        if let Err(fault) = row.fill(&mut record.iter(), plan) {
            return Err(bad(rdr, records, fault));
        }
        row.add_to(acc);
    }
}

/// One row's values being read, shared by both readers so that they agree on every cell.
pub(super) struct Row {
    values: Vec<f64>,
    present: Vec<bool>,
    missing: usize,
}

impl Row {
    pub(super) fn new(p: usize) -> Self {
        Row {
            values: vec![0.0; p],
            present: vec![false; p],
            missing: 0,
        }
    }

    /// Reads the row's fields, given in file order, taking exactly one per column; the first
    /// bad cell (in file order) is the fault reported. Too few fields give a
    /// [`Fault::Ragged`] whose count the caller must fill in.
    #[inline]
    pub(super) fn fill<'r>(
        &mut self,
        fields: &mut impl Iterator<Item = &'r [u8]>,
        plan: &Plan<'_>,
    ) -> Result<(), Fault> {
        self.missing = 0;
        for &item in &plan.item_of {
            let Some(field) = fields.next() else {
                return Err(Fault::Ragged { found: 0 });
            };
            let Some(item) = item else {
                continue;
            };
            let v = match field {
                // One digit: nearly every Likert answer.
                [d @ b'0'..=b'9'] => f64::from(d - b'0'),
                _ => match cell::parse(field) {
                    Cell::Value(v) => v,
                    Cell::Missing => {
                        self.missing += 1;
                        self.present[item] = false;
                        self.values[item] = 0.0;
                        continue;
                    }
                    Cell::Invalid => {
                        return Err(Fault::NotNumber {
                            item,
                            value: field.to_vec(),
                        });
                    }
                },
            };
            if let Some(scale) = plan.scale
                && !scale.contains(v)
            {
                return Err(Fault::OffScale {
                    item,
                    value: field.to_vec(),
                    scale,
                });
            }
            self.present[item] = true;
            self.values[item] = v;
        }
        Ok(())
    }

    /// Reads a record whose fields are each one digit or empty (`3,,5,1`), every column being
    /// read in order. Returns false, leaving the row in any state, for any other record or a
    /// digit off the scale; [`Row::fill`] then reads it (and finds the fault, if any).
    #[inline]
    pub(super) fn fill_short(&mut self, record: &[u8], scale: Option<Scale>) -> bool {
        let mut i = 0;
        let last = self.values.len().wrapping_sub(1);
        self.missing = 0;
        for (k, (value, present)) in self.values.iter_mut().zip(&mut self.present).enumerate() {
            match record.get(i) {
                Some(&b) if b.is_ascii_digit() => {
                    let v = f64::from(b - b'0');
                    if scale.is_some_and(|s| !s.contains(v)) {
                        return false;
                    }
                    *value = v;
                    *present = true;
                    i += 1;
                }
                _ => {
                    *value = 0.0;
                    *present = false;
                    self.missing += 1;
                }
            }
            if k != last {
                if record.get(i) != Some(&b',') {
                    return false;
                }
                i += 1;
            }
        }
        i == record.len()
    }

    /// Adds the row to `acc`.
    #[inline]
    pub(super) fn add_to(&self, acc: &mut Accumulator) {
        if self.missing == 0 {
            acc.push_complete(&self.values);
        } else {
            acc.push_partial(&self.values, &self.present);
        }
    }
}

/// A [`Stop::Bad`] for the record just read.
fn bad<R: Read>(rdr: &Reader<Tap<'_, R>>, record: u64, fault: Fault) -> Stop {
    // The reader's position is just past the record's terminator (or past the '\r' of a
    // "\r\n"), so the byte before it lies on the record's last line.
    let end = rdr.position().byte();
    let line = rdr
        .get_ref()
        .newlines_before(end.saturating_sub(1))
        .map(|n| n + 1);
    Stop::Bad {
        record,
        end,
        line,
        fault,
    }
}

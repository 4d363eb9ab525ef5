//! The fast path: a CSV without quote characters, read straight from bytes.
//!
//! Without quotes, the `csv` crate's reading (as configured in [`super::records`]) reduces to
//! this: a record is a maximal run of bytes other than `\r` and `\n` (so `\n`, `\r\n` and a
//! lone `\r` all end a record, and empty lines are skipped), and its fields are the pieces
//! between commas. This module reads exactly that, without copying fields into a `ByteRecord`,
//! and stops as soon as it meets a quote; the caller then reads the file with the `csv` crate.
//! The two agree on every input up to the first record that holds a quote — the integration
//! tests check this on arbitrary bytes — so the fast path changes speed, never results.

use std::io::{self, Read};

use super::Scale;
use super::records::{Fault, Plan, Row, Stop};
use super::tap::Progress;
use crate::moments::Accumulator;

/// Initial buffer size; it grows when one record is larger.
const BUFFER: usize = 1 << 18;

/// How often (in records) reading looks whether it should stop early.
const CANCEL_EVERY: u64 = 4096;

/// Why plain reading stopped before the end.
#[derive(Debug)]
pub(super) enum PlainStop {
    /// A record holds a quote: read the file with the `csv` crate instead.
    Quote,
    /// A bad row, or cancelled.
    Stop(Stop),
    /// The file could not be read.
    Io(io::Error),
}

/// Reads every record of `input` into `acc`; returns the number of records.
pub(super) fn read_plain<R: Read>(
    mut input: R,
    plan: &Plan<'_>,
    acc: &mut Accumulator,
    progress: &Progress<'_>,
    cancelled: &dyn Fn() -> bool,
) -> Result<u64, PlainStop> {
    let p = plan.columns.len();
    let mut digits = Digits {
        // Every column read, in file order: rows of one-digit answers take the shortest path.
        in_order: p == plan.width && plan.columns.iter().enumerate().all(|(k, &c)| k == c),
        values: vec![0.0; p],
        seen: vec![0; p],
    };
    let result = read_records(&mut input, plan, acc, progress, cancelled, &mut digits);
    for (i, &bits) in digits.seen.iter().enumerate() {
        if bits != 0 {
            let lo = bits.trailing_zeros();
            let hi = 15 - bits.leading_zeros();
            acc.widen_range(i, f64::from(lo), f64::from(hi));
        }
    }
    result
}

/// State of the one-digit path.
struct Digits {
    /// Whether the path applies: every column is read, in file order.
    in_order: bool,
    /// The row being read.
    values: Vec<f32>,
    /// For each item, the digits read on this path (bit d for digit d); the accumulator only
    /// learns the range of these values at the end.
    seen: Vec<u16>,
}

fn read_records<R: Read>(
    input: &mut R,
    plan: &Plan<'_>,
    acc: &mut Accumulator,
    progress: &Progress<'_>,
    cancelled: &dyn Fn() -> bool,
    digits: &mut Digits,
) -> Result<u64, PlainStop> {
    let mut row = Row::new(plan.columns.len());
    let mut buf = vec![0u8; BUFFER];
    let (mut pos, mut len) = (0usize, 0usize);
    // Offset in the input of buf[0].
    let mut base: u64 = 0;
    let mut eof = false;
    let mut records: u64 = 0;
    loop {
        let end = match memchr::memchr2(b'\n', b'\r', &buf[pos..len]) {
            Some(i) => pos + i,
            None if !eof => {
                // Keep the unfinished record, move it to the front and read more.
                buf.copy_within(pos..len, 0);
                base += pos as u64;
                len -= pos;
                pos = 0;
                if len == buf.len() {
                    buf.resize(buf.len() * 2, 0);
                }
                let n = input.read(&mut buf[len..]).map_err(PlainStop::Io)?;
                progress.add(n as u64);
                if n == 0 {
                    eof = true;
                } else {
                    len += n;
                }
                continue;
            }
            None if pos == len => return Ok(records),
            None => len,
        };
        let record = &buf[pos..end];
        let next = (end + 1).min(len);
        pos = next;
        if record.is_empty() {
            continue;
        }
        records += 1;
        if records.is_multiple_of(CANCEL_EVERY) && cancelled() {
            return Err(PlainStop::Stop(Stop::Cancelled));
        }
        if memchr::memchr(b'"', record).is_some() {
            return Err(PlainStop::Quote);
        }
        if digits.in_order {
            if digits_row(record, &mut digits.values, &mut digits.seen, plan.scale) {
                acc.small_slot().copy_from_slice(&digits.values);
                continue;
            }
            if row.fill_short(record, plan.scale) {
                row.add_to(acc);
                continue;
            }
        }
        let mut fields = Fields {
            rest: record,
            done: false,
        };
        let mut fault = row.fill(&mut fields, plan).err();
        if fault.is_some() || fields.next().is_some() {
            // A wrong number of fields is reported before any bad cell, as the csv reader
            // does; counting them is only needed when something is wrong.
            let found = memchr::memchr_iter(b',', record).count() + 1;
            if found != plan.width {
                fault = Some(Fault::Ragged { found });
            }
        }
        if let Some(fault) = fault {
            return Err(PlainStop::Stop(Stop::Bad {
                record: records,
                // Just past the record's first terminator byte, where the csv crate's position
                // would be.
                end: base + next as u64,
                line: None,
                fault,
            }));
        }
        row.add_to(acc);
    }
}

/// Reads a record made only of one-digit fields, `d,d,…,d`, into `values` (one per field), and
/// marks each digit in `seen` (bit d of the item's entry). Returns false, leaving `values` in
/// any state and `seen` untouched, when the record has another shape or a digit lies off the
/// scale; the general path then reads it (and finds the fault, if any).
#[inline]
fn digits_row(record: &[u8], values: &mut [f32], seen: &mut [u16], scale: Option<Scale>) -> bool {
    let p = values.len();
    if p == 0 || record.len() != 2 * p - 1 || seen.len() != p {
        return false;
    }
    let mut ok = true;
    let (mut lo, mut hi) = (9u8, 0u8);
    for (i, value) in values.iter_mut().enumerate() {
        let d = record[2 * i].wrapping_sub(b'0');
        ok &= d <= 9;
        lo = lo.min(d);
        hi = hi.max(d);
        *value = f32::from(d);
    }
    for &comma in record.iter().skip(1).step_by(2) {
        ok &= comma == b',';
    }
    if !(ok && scale.is_none_or(|s| s.contains(f64::from(lo)) && s.contains(f64::from(hi)))) {
        return false;
    }
    for (seen, &v) in seen.iter_mut().zip(values.iter()) {
        *seen |= 1 << (v as u16);
    }
    true
}

/// The fields of a record without quotes: the pieces between commas.
struct Fields<'r> {
    rest: &'r [u8],
    done: bool,
}

impl<'r> Iterator for Fields<'r> {
    type Item = &'r [u8];

    #[inline]
    fn next(&mut self) -> Option<&'r [u8]> {
        if self.done {
            return None;
        }
        let rest = self.rest;
        // An empty field, or a one-byte field followed by a comma, are the common cases.
        let cut = if rest.first() == Some(&b',') {
            0
        } else if rest.get(1) == Some(&b',') {
            1
        } else {
            match memchr::memchr(b',', rest) {
                Some(cut) => cut,
                None => {
                    self.done = true;
                    return Some(rest);
                }
            }
        };
        self.rest = &rest[cut + 1..];
        Some(&rest[..cut])
    }
}

//! Streaming ingestion of response CSVs into [`Moments`]: one row per administration, one column
//! per item, the header naming the items, blanks as missing values.
//!
//! The text is never held in memory: a file is read through a fixed buffer, and a large file is
//! cut into byte ranges at line ends that threads parse at once, each into its own
//! [`Accumulator`]; the results are merged in file order, which for integer data is exact.
//!
//! Two readers share the rules for a row and its cells. The header is always read with the `csv`
//! crate. Data rows are first read by a fast path that handles CSV without quote
//! characters straight from bytes; a file whose data hold a quote is read again from its first
//! data row with the `csv` crate (`ByteRecord` reuse), on one thread, since a quoted field may
//! hold a comma or a line end and a byte range could begin inside one. Other readers (standard
//! input) always use the `csv` crate. The tests check on arbitrary bytes that both readers, on
//! one thread or several, give the same statistics and the same errors.
//!
//! The first bad row ends reading with an error that names it (file, row, line, column, item
//! id, text); when several threads each meet one, the earliest row is reported, as one pass
//! would. Nothing is skipped silently; the only lines passed over are empty ones, as the `csv`
//! crate does (and R's `read.csv`).
//!
//! ```no_run
//! use std::path::PathBuf;
//! use tandem_stats::csv::{read_files, ReadOptions};
//! use tandem_stats::moments::Missing;
//!
//! let options = ReadOptions { reverse: vec!["q3".into()], ..ReadOptions::default() };
//! let moments = read_files(&[PathBuf::from("answers.csv")], &options)?;
//! let items: Vec<usize> = (0..moments.p()).collect();
//! let report = tandem_stats::reliability::reliability(&moments, &items, Missing::Pairwise);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cell;
mod error;
mod plain;
mod records;
mod scale;
mod split;
mod tap;

pub use error::CsvError;
pub use scale::{Scale, ScaleError};

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use plain::PlainStop;
use records::{Fault, Plan, Stop};
use tap::{Progress, Tap};

use crate::moments::{Accumulator, Moments};

/// How to read response CSVs.
pub struct ReadOptions<'a> {
    /// Item ids to read, in this order; `None` reads every column of the first file's header.
    pub items: Option<Vec<String>>,
    /// Item ids to reverse-key (`x → min + max − x`) on `scale`, or on the range of all values
    /// read when no scale is given (as `psych` does).
    pub reverse: Vec<String>,
    /// The scale every value must lie on; a value outside it is an error.
    pub scale: Option<Scale>,
    /// Threads to parse a file with; 0 uses every core.
    pub threads: usize,
    /// A file is only cut into ranges of at least this many bytes.
    pub min_chunk_bytes: u64,
    /// Called with the bytes read so far (over all files), from the reading threads.
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

impl Default for ReadOptions<'_> {
    fn default() -> Self {
        ReadOptions {
            items: None,
            reverse: Vec::new(),
            scale: None,
            threads: 0,
            min_chunk_bytes: 1 << 20,
            progress: None,
        }
    }
}

impl fmt::Debug for ReadOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadOptions")
            .field("items", &self.items)
            .field("reverse", &self.reverse)
            .field("scale", &self.scale)
            .field("threads", &self.threads)
            .field("min_chunk_bytes", &self.min_chunk_bytes)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// Reads one or more CSVs and merges their statistics; reverse keys are applied last.
///
/// Without [`ReadOptions::items`], every file must name the same items (in any order). With it,
/// every file must contain those items; other columns are not read.
pub fn read_files(paths: &[PathBuf], opts: &ReadOptions<'_>) -> Result<Moments, CsvError> {
    let (first, rest) = paths.split_first().ok_or(CsvError::NoFiles)?;
    let progress = Progress::new(opts.progress);
    let header = Header::from_file(first, &progress)?;
    let items = select_items(&header, opts, first)?;
    let mut total = read_file(first, &header, &items, opts, &progress)?;
    for path in rest {
        let other = Header::from_file(path, &progress)?;
        if opts.items.is_none() {
            same_items(&header, first, &other, path)?;
        }
        let m = read_file(path, &other, &items, opts, &progress)?;
        total.add(&m);
    }
    apply_reverse(total, opts)
}

/// Reads a CSV from any reader, on one thread (for standard input or data in memory). `name`
/// stands for the input in error messages.
pub fn read_reader<R: Read>(
    reader: R,
    name: &Path,
    opts: &ReadOptions<'_>,
) -> Result<Moments, CsvError> {
    let progress = Progress::new(opts.progress);
    let mut rdr = records::reader(Tap::new(reader, Some(&progress)).keep_lines());
    let header = Header::from_reader(&mut rdr, name)?;
    let items = select_items(&header, opts, name)?;
    let columns = header.columns(&items, name)?;
    let plan = Plan::new(header.names.len(), &columns, opts.scale);
    let mut acc = Accumulator::new(items.clone());
    match records::read_records(&mut rdr, &plan, &mut acc, &|| false) {
        Ok(_) => apply_reverse(acc.finish(), opts),
        Err(stop) => Err(place(stop, name, &items, &plan, 1, None)),
    }
}

/// Reverse-keys the items named in `opts.reverse`.
fn apply_reverse(mut m: Moments, opts: &ReadOptions<'_>) -> Result<Moments, CsvError> {
    if opts.reverse.is_empty() {
        return Ok(m);
    }
    let idx = m
        .indices(&opts.reverse)
        .map_err(|e| CsvError::UnknownReverse { item: e.0 })?;
    let range = opts
        .scale
        .map(|s| (s.min(), s.max()))
        .or_else(|| m.observed_scale());
    if let Some((min, max)) = range {
        m.reverse(&idx, min, max);
    }
    Ok(m)
}

/// The header row of a file and where its data begin.
struct Header {
    names: Vec<String>,
    /// Byte offset of the first data row.
    data_start: u64,
}

impl Header {
    fn from_file(path: &Path, progress: &Progress<'_>) -> Result<Self, CsvError> {
        let file = File::open(path).map_err(|source| io_error(path, source))?;
        let mut rdr = records::reader(Tap::new(file, None));
        let header = Header::from_reader(&mut rdr, path)?;
        progress.add(header.data_start);
        Ok(header)
    }

    fn from_reader<R: Read>(
        rdr: &mut ::csv::Reader<Tap<'_, R>>,
        path: &Path,
    ) -> Result<Self, CsvError> {
        let mut record = ::csv::ByteRecord::new();
        let found = rdr
            .read_byte_record(&mut record)
            .map_err(|source| CsvError::Csv {
                path: path.to_owned(),
                row: 1,
                source,
            })?;
        if !found {
            return Err(CsvError::Empty {
                path: path.to_owned(),
            });
        }
        let mut names = Vec::with_capacity(record.len());
        for (k, field) in record.iter().enumerate() {
            let name = std::str::from_utf8(field).map_err(|_| CsvError::HeaderNotUtf8 {
                path: path.to_owned(),
                column: k + 1,
            })?;
            names.push(name.trim().to_owned());
        }
        if names.iter().all(String::is_empty) {
            return Err(CsvError::NoItems {
                path: path.to_owned(),
            });
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (k, name) in names.iter().enumerate() {
            if name.is_empty() {
                return Err(CsvError::BlankItemId {
                    path: path.to_owned(),
                    column: k + 1,
                });
            }
            if let Some(first) = seen.insert(name, k + 1) {
                return Err(CsvError::DuplicateItem {
                    path: path.to_owned(),
                    item: name.clone(),
                    first,
                    second: k + 1,
                });
            }
        }
        Ok(Header {
            names,
            data_start: rdr.position().byte(),
        })
    }

    /// The 0-based column of each item.
    fn columns(&self, items: &[String], path: &Path) -> Result<Vec<usize>, CsvError> {
        items
            .iter()
            .map(|item| {
                self.names
                    .iter()
                    .position(|n| n == item)
                    .ok_or_else(|| CsvError::UnknownItem {
                        path: path.to_owned(),
                        item: item.clone(),
                    })
            })
            .collect()
    }
}

fn select_items(
    header: &Header,
    opts: &ReadOptions<'_>,
    path: &Path,
) -> Result<Vec<String>, CsvError> {
    let items = match &opts.items {
        None => header.names.clone(),
        Some(items) => {
            header.columns(items, path)?;
            let mut seen = BTreeSet::new();
            if let Some(item) = items.iter().find(|i| !seen.insert(i.as_str())) {
                return Err(CsvError::RepeatedItem { item: item.clone() });
            }
            items.clone()
        }
    };
    if items.is_empty() {
        return Err(CsvError::NoItems {
            path: path.to_owned(),
        });
    }
    Ok(items)
}

fn same_items(
    first: &Header,
    first_path: &Path,
    other: &Header,
    path: &Path,
) -> Result<(), CsvError> {
    let a: BTreeSet<&String> = first.names.iter().collect();
    let b: BTreeSet<&String> = other.names.iter().collect();
    if a == b {
        return Ok(());
    }
    Err(CsvError::HeaderMismatch {
        path: path.to_owned(),
        first: first_path.to_owned(),
        missing: a.difference(&b).map(|s| (*s).clone()).collect(),
        extra: b.difference(&a).map(|s| (*s).clone()).collect(),
    })
}

/// Reads the data rows of one file: by the fast path, on several threads when the file is large
/// enough, or with the `csv` crate on one thread when the data hold a quote.
fn read_file(
    path: &Path,
    header: &Header,
    items: &[String],
    opts: &ReadOptions<'_>,
    progress: &Progress<'_>,
) -> Result<Moments, CsvError> {
    let columns = header.columns(items, path)?;
    let plan = Plan::new(header.names.len(), &columns, opts.scale);
    let len = std::fs::metadata(path)
        .map_err(|source| io_error(path, source))?
        .len();
    let start = header.data_start.min(len);
    let threads = match opts.threads {
        0 => thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    let by_size = (len - start) / opts.min_chunk_bytes.max(1);
    let chunks = threads
        .min(usize::try_from(by_size).unwrap_or(usize::MAX))
        .max(1);
    let ranges = if chunks > 1 {
        split::split(path, start, len, chunks).map_err(|source| io_error(path, source))?
    } else {
        vec![(start, len)]
    };
    let before = progress.get();
    if let Some(m) = read_plain_ranges(path, items, &plan, &ranges, progress)? {
        return Ok(m);
    }
    // A quote: a field may hold a comma or a line end. Read the whole file again, with the csv
    // crate, on one thread (a byte range could begin inside a quoted field). The reader starts
    // at the top of the file, as `read_reader` does, so that it treats the data the same way
    // (it would take a byte-order mark at its first byte for one).
    progress.rewind(before.saturating_sub(start));
    let file = File::open(path).map_err(|source| io_error(path, source))?;
    let mut rdr = records::reader(Tap::new(file, Some(progress)));
    Header::from_reader(&mut rdr, path)?;
    let mut acc = Accumulator::new(items.to_vec());
    match records::read_records(&mut rdr, &plan, &mut acc, &|| false) {
        Ok(_) => Ok(acc.finish()),
        Err(stop) => Err(place(stop, path, items, &plan, 1, Some(0))),
    }
}

/// What reading one byte range gave.
struct RangeOutcome {
    records: u64,
    result: Result<Moments, PlainStop>,
}

/// Reads `range` of the file by the fast path.
fn read_plain_range(
    path: &Path,
    items: &[String],
    plan: &Plan<'_>,
    (start, end): (u64, u64),
    progress: &Progress<'_>,
    cancelled: &dyn Fn() -> bool,
) -> RangeOutcome {
    let open = || -> io::Result<_> {
        let mut file = File::open(path)?;
        file.seek(SeekFrom::Start(start))?;
        Ok(file.take(end - start))
    };
    let input = match open() {
        Ok(input) => input,
        Err(e) => {
            return RangeOutcome {
                records: 0,
                result: Err(PlainStop::Io(e)),
            };
        }
    };
    let mut acc = Accumulator::new(items.to_vec());
    match plain::read_plain(input, plan, &mut acc, progress, cancelled) {
        Ok(records) => RangeOutcome {
            records,
            result: Ok(acc.finish()),
        },
        Err(stop) => RangeOutcome {
            records: 0,
            result: Err(stop),
        },
    }
}

/// Reads the ranges by the fast path, one thread each, and merges them in order. `None` when a
/// quote was met before any bad row: the file must then be read with the csv crate.
fn read_plain_ranges(
    path: &Path,
    items: &[String],
    plan: &Plan<'_>,
    ranges: &[(u64, u64)],
    progress: &Progress<'_>,
) -> Result<Option<Moments>, CsvError> {
    // The first range (in file order) that stopped on a bad row or a quote: ranges after it
    // stop early, as their outcome no longer matters.
    let first_stop = AtomicUsize::new(usize::MAX);
    let run = |c: usize, range: (u64, u64)| {
        let cancelled = || first_stop.load(Ordering::Relaxed) < c;
        let outcome = read_plain_range(path, items, plan, range, progress, &cancelled);
        if matches!(
            outcome.result,
            Err(PlainStop::Quote | PlainStop::Stop(Stop::Bad { .. }))
        ) {
            first_stop.fetch_min(c, Ordering::Relaxed);
        }
        outcome
    };
    let outcomes: Vec<thread::Result<RangeOutcome>> = if let [range] = ranges {
        vec![Ok(run(0, *range))]
    } else {
        thread::scope(|s| {
            let handles: Vec<_> = ranges
                .iter()
                .enumerate()
                .map(|(c, &range)| s.spawn(move || run(c, range)))
                .collect();
            handles.into_iter().map(|h| h.join()).collect()
        })
    };
    let mut total = Moments::new(items.to_vec());
    let mut records = 0;
    for (outcome, &(start, _)) in outcomes.into_iter().zip(ranges) {
        let outcome = outcome.map_err(|_| CsvError::Worker {
            path: path.to_owned(),
        })?;
        match outcome.result {
            Ok(m) => total.add(&m),
            Err(PlainStop::Io(source)) => return Err(io_error(path, source)),
            Err(PlainStop::Stop(stop @ Stop::Bad { .. })) => {
                return Err(place(stop, path, items, plan, 1 + records, Some(start)));
            }
            // Only a stop in an earlier range cancels a range, and that is returned above; were
            // it otherwise, reading with the csv crate is always right.
            Err(PlainStop::Quote | PlainStop::Stop(Stop::Cancelled)) => return Ok(None),
        }
        records += outcome.records;
    }
    Ok(Some(total))
}

/// Turns a [`Stop`] into an error naming the place: `row_base` is the row before the reader's
/// first record; `range_start` is where in the file `path` the reader began, when it read a
/// file (whose lines are then counted now), or `None` when the reader counted lines itself.
fn place(
    stop: Stop,
    path: &Path,
    items: &[String],
    plan: &Plan<'_>,
    row_base: u64,
    range_start: Option<u64>,
) -> CsvError {
    let Stop::Bad {
        record,
        end,
        line,
        fault,
    } = stop
    else {
        return CsvError::Worker {
            path: path.to_owned(),
        };
    };
    let line = match (line, range_start) {
        (Some(line), _) => line,
        (None, Some(start)) => split::line_in_file(path, (start + end).saturating_sub(1)),
        (None, None) => 0,
    };
    let path = path.to_owned();
    let row = row_base + record;
    let text = |value: &[u8]| {
        let cut = &value[..value.len().min(64)];
        String::from_utf8_lossy(cut).into_owned()
    };
    match fault {
        Fault::Ragged { found } => CsvError::Ragged {
            path,
            row,
            line,
            expected: plan.width,
            found,
        },
        Fault::NotNumber { item, value } => CsvError::NotNumber {
            path,
            row,
            line,
            column: plan.columns[item] + 1,
            item: items[item].clone(),
            value: text(&value),
        },
        Fault::OffScale { item, value, scale } => CsvError::OffScale {
            path,
            row,
            line,
            column: plan.columns[item] + 1,
            item: items[item].clone(),
            value: text(&value),
            scale,
        },
        Fault::Csv(source) => CsvError::Csv { path, row, source },
    }
}

fn io_error(path: &Path, source: io::Error) -> CsvError {
    CsvError::Io {
        path: path.to_owned(),
        source,
    }
}

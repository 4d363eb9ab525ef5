//! Helpers shared by the test modules.

use std::io::Write;
use std::path::{Path, PathBuf};

use tandem_stats::csv::{CsvError, ReadOptions, read_files, read_reader};
use tandem_stats::moments::{Missing, Moments};

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Writes `bytes` to a new temporary file.
pub fn temp_csv(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    file.flush().unwrap();
    file
}

/// Options reading on `threads` threads with byte ranges as small as `min_chunk_bytes`.
pub fn options(threads: usize, min_chunk_bytes: u64) -> ReadOptions<'static> {
    ReadOptions {
        threads,
        min_chunk_bytes,
        ..ReadOptions::default()
    }
}

/// The error message with the file's path replaced by `FILE`, so that readers of the same bytes
/// from different places can be compared.
pub fn message(err: &CsvError, path: &Path) -> String {
    err.to_string().replace(&path.display().to_string(), "FILE")
}

/// Reads `bytes` every way there is: with the csv crate from a reader, and from a file on one
/// thread and on three threads with tiny byte ranges. Returns the results with messages made
/// comparable.
pub fn read_every_way(
    bytes: &[u8],
    opts: &ReadOptions<'_>,
) -> Vec<(String, Result<Moments, String>)> {
    let file = temp_csv(bytes);
    let path = file.path().to_owned();
    let mut out = Vec::new();
    let from_reader = read_reader(bytes, &path, opts).map_err(|e| message(&e, &path));
    out.push(("reader".to_owned(), from_reader));
    for (threads, chunk) in [(1, 1 << 20), (3, 1), (7, 8)] {
        let o = ReadOptions {
            items: opts.items.clone(),
            reverse: opts.reverse.clone(),
            scale: opts.scale,
            threads,
            min_chunk_bytes: chunk,
            progress: None,
        };
        let got = read_files(std::slice::from_ref(&path), &o).map_err(|e| message(&e, &path));
        out.push((format!("file, {threads} threads"), got));
    }
    out
}

/// Every statistic of `m` that the public API exposes, as numbers.
pub fn summary(m: &Moments) -> Vec<f64> {
    let mut v = vec![m.rows() as f64, m.complete_rows() as f64];
    for missing in [Missing::Pairwise, Missing::Listwise] {
        for i in 0..m.p() {
            for j in 0..m.p() {
                let s = m.pair(i, j, missing);
                v.extend([s.n, s.sx, s.sy, s.sxx, s.syy, s.sxy]);
            }
        }
    }
    for i in 0..m.p() {
        let (lo, hi) = m.item_range(i).unwrap_or((f64::NAN, f64::NAN));
        v.extend([lo, hi]);
    }
    v
}

/// Whether two summaries agree to a relative `tol` (exactly with `tol == 0`); NaN equals NaN.
pub fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(&x, &y)| {
            (x.is_nan() && y.is_nan()) || x == y || (x - y).abs() <= tol * x.abs().max(y.abs())
        })
}

//! The response-CSV reader on arbitrary bytes: the `csv`-crate reader and
//! the byte-level fast path, on one thread and on three with tiny byte
//! ranges, never panic and agree on the result and on the error.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tandem_stats::csv::{ReadOptions, Scale, read_files, read_reader};
use tandem_stats::moments::{Missing, Moments};

/// One file per fuzzing process, rewritten for each input.
fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("tandem-fuzz-{}.csv", std::process::id()))
    })
}

/// Every statistic the reader produced, as numbers (NaN-safe compare below).
fn summary(m: &Moments) -> Vec<f64> {
    let mut v = vec![m.rows() as f64, m.complete_rows() as f64];
    for i in 0..m.p() {
        for j in 0..m.p() {
            let s = m.pair(i, j, Missing::Pairwise);
            v.extend([s.n, s.sx, s.sy, s.sxx, s.syy, s.sxy]);
        }
    }
    v
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the options, the rest is the file.
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let scale = (pick & 1 == 1).then(|| Scale::new(0.0, 9.0).expect("a valid scale"));
    let path = scratch();
    std::fs::write(path, bytes).expect("the scratch file is writable");
    let message = |e: tandem_stats::csv::CsvError| e.to_string();
    let options = |threads, min_chunk_bytes| ReadOptions {
        scale,
        threads,
        min_chunk_bytes,
        ..ReadOptions::default()
    };
    let from_reader = read_reader(bytes, path, &options(1, 1 << 20)).map_err(message);
    let one_thread = read_files(std::slice::from_ref(path), &options(1, 1 << 20)).map_err(message);
    let threads = read_files(std::slice::from_ref(path), &options(3, 1)).map_err(message);
    match (&from_reader, &one_thread, &threads) {
        (Ok(a), Ok(b), Ok(c)) => {
            // One pass is exact whichever reader made it; threads group
            // decimal sums differently, so only the counts must match.
            assert!(
                same(&summary(a), &summary(b)),
                "reader and fast path differ"
            );
            assert_eq!((a.rows(), a.complete_rows()), (c.rows(), c.complete_rows()));
        }
        (Err(a), Err(b), Err(c)) => {
            assert_eq!(a, b, "reader and fast path name different errors");
            assert_eq!(a, c, "one thread and three name different errors");
        }
        _ => panic!("readers disagree: {from_reader:?} / {one_thread:?} / {threads:?}"),
    }
});

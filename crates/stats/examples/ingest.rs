//! Times reading a response CSV into moments and the reliability of all its items:
//! `cargo run --release -p tandem-stats --example ingest -- FILE [THREADS]`.

use std::path::PathBuf;
use std::time::Instant;

use tandem_stats::csv::{ReadOptions, read_files};
use tandem_stats::moments::Missing;
use tandem_stats::reliability::reliability;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().ok_or("usage: ingest FILE [THREADS]")?);
    let threads = args.next().map(|t| t.parse()).transpose()?.unwrap_or(0);
    let bytes = std::fs::metadata(&path)?.len();
    let start = Instant::now();
    let options = ReadOptions {
        threads,
        ..ReadOptions::default()
    };
    let m = read_files(&[path], &options)?;
    let read = start.elapsed();
    let items: Vec<usize> = (0..m.p()).collect();
    let r = reliability(&m, &items, Missing::Pairwise)?;
    let total = start.elapsed();
    println!(
        "{} rows × {} items, {:.1} MB: read {:.3} s ({:.0} MB/s), with alpha {:.3} s; alpha = {:.6}",
        m.rows(),
        m.p(),
        bytes as f64 / 1e6,
        read.as_secs_f64(),
        bytes as f64 / 1e6 / read.as_secs_f64(),
        total.as_secs_f64(),
        r.alpha.raw
    );
    Ok(())
}

//! Writes a synthetic response file for the analysis benchmark, from a
//! 3-factor model with correlated factors, answers on the 1–5 scale. Fixed
//! seed: the same file every run.
//!
//! By default (or with `--items 36`) the columns are 36 RDP items (the first
//! nine RDP facets, four items each) with the RDP's reverse-keyed items
//! answered in reverse, as `tandem analyze --instrument rdp` expects. Any other
//! `--items N` writes N generic items `i001`, `i002`, … in three equal blocks,
//! one per factor, none reverse-keyed, for `tandem analyze` without an
//! instrument. `--missing F` leaves each cell empty with probability F; the
//! holes are drawn from their own random stream, so the answers that remain are
//! those of the file without `--missing`.
//!
//! Usage: tandem-bench-gen ROWS SEED OUT.csv [--items N] [--missing F]

use std::io::{BufWriter, Write};

use tandem_core::instrument::builtin::builtin_by_id;

const USAGE: &str = "usage: tandem-bench-gen ROWS SEED OUT.csv [--items N] [--missing F]";

/// Items of the default, RDP-shaped file.
const RDP_ITEMS: usize = 36;

/// SplitMix64: tiny, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// A standard normal draw (Box–Muller).
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// One column of the file.
struct Item {
    id: String,
    /// Which of the three factors it loads on.
    factor: usize,
    /// Answered in reverse (6 − the answer).
    reverse: bool,
    loading: f64,
}

/// What the command line asks for.
struct Args {
    rows: u64,
    seed: u64,
    out: String,
    items: usize,
    missing: f64,
}

fn parse_args(args: &[String]) -> Result<Args, Box<dyn std::error::Error>> {
    let [rows, seed, out, options @ ..] = args else {
        return Err(USAGE.into());
    };
    let mut parsed = Args {
        rows: rows.parse()?,
        seed: seed.parse()?,
        out: out.clone(),
        items: RDP_ITEMS,
        missing: 0.0,
    };
    let mut options = options.iter();
    while let Some(option) = options.next() {
        let value = options.next().ok_or(USAGE)?;
        match option.as_str() {
            "--items" => parsed.items = value.parse()?,
            "--missing" => parsed.missing = value.parse()?,
            _ => return Err(USAGE.into()),
        }
    }
    // Three factors need at least three items; a probability of 1 would
    // leave no answers to analyse.
    if parsed.items < 3 {
        return Err("--items must be at least 3".into());
    }
    if !(0.0..1.0).contains(&parsed.missing) {
        return Err("--missing must be at least 0 and below 1".into());
    }
    Ok(parsed)
}

/// The 36 RDP items of the first nine facets, in facet order.
fn rdp_items() -> Result<Vec<Item>, Box<dyn std::error::Error>> {
    let rdp = builtin_by_id("rdp")?.ok_or("no rdp")?;
    let facets = ["ER", "VS", "DD", "FA", "CT", "SN", "MS", "AU", "CN"];
    // Factor of each facet: over-dependence, caretaking, interdependence.
    let factor_of = |facet: &str| match facet {
        "ER" | "VS" | "DD" | "FA" => 0,
        "CT" | "SN" => 1,
        _ => 2,
    };
    Ok(facets
        .iter()
        .flat_map(|facet| {
            rdp.items
                .iter()
                .filter(move |item| item.facet.as_ref().is_some_and(|f| f.as_str() == *facet))
                .enumerate()
                .map(move |(k, item)| Item {
                    id: item.id.to_string(),
                    factor: factor_of(facet),
                    reverse: item.reverse,
                    loading: 0.55 + 0.05 * k as f64,
                })
        })
        .collect())
}

/// `n` generic items in three blocks, one per factor, with loadings from 0.45
/// to 0.75 so that the items are not interchangeable.
fn generic_items(n: usize) -> Vec<Item> {
    let width = n.to_string().len().max(3);
    (0..n)
        .map(|k| Item {
            id: format!("i{:0width$}", k + 1),
            factor: k * 3 / n,
            reverse: false,
            loading: 0.45 + 0.05 * (k % 7) as f64,
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = parse_args(&args)?;
    let items = if args.items == RDP_ITEMS {
        rdp_items()?
    } else {
        generic_items(args.items)
    };
    let mut rng = Rng(args.seed);
    // The holes' own stream: drawing them never shifts the answers' stream.
    let mut holes = Rng(args.seed ^ 0x6D69_7373_696E_6721);
    let mut file = BufWriter::with_capacity(1 << 20, std::fs::File::create(&args.out)?);
    writeln!(
        file,
        "{}",
        items
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>()
            .join(",")
    )?;
    // Correlated factors: f2 = 0.3·f1 + …, f3 = −0.3·f1 + ….
    let mut line = String::with_capacity(2 * items.len() + 1);
    for _ in 0..args.rows {
        let g = rng.normal();
        let f = [
            g,
            0.3 * g + 0.954 * rng.normal(),
            -0.3 * g + 0.954 * rng.normal(),
        ];
        line.clear();
        for (i, item) in items.iter().enumerate() {
            let latent = item.loading * f[item.factor]
                + (1.0 - item.loading * item.loading).sqrt() * rng.normal();
            let value = match latent {
                x if x < -1.3 => 1,
                x if x < -0.4 => 2,
                x if x < 0.4 => 3,
                x if x < 1.3 => 4,
                _ => 5,
            };
            let value = if item.reverse { 6 - value } else { value };
            if i > 0 {
                line.push(',');
            }
            if args.missing == 0.0 || holes.uniform() >= args.missing {
                line.push(char::from(b'0' + value));
            }
        }
        line.push('\n');
        file.write_all(line.as_bytes())?;
    }
    file.flush()?;
    Ok(())
}

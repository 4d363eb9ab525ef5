//! Writes a synthetic RDP-shaped response file for the analysis benchmark:
//! `rows` rows × 36 items (the first nine RDP facets, four items each), from
//! a 3-factor model with correlated factors, answers on the 1–5 scale, and the
//! RDP's reverse-keyed items answered in reverse. Fixed seed: the same file
//! every run.
//!
//! Usage: tandem-bench-gen ROWS SEED OUT.csv

use std::io::{BufWriter, Write};

use tandem_core::instrument::builtin::builtin_by_id;

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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, rows, seed, out] = args.as_slice() else {
        return Err("usage: tandem-bench-gen ROWS SEED OUT.csv".into());
    };
    let rows: u64 = rows.parse()?;
    let mut rng = Rng(seed.parse()?);
    let rdp = builtin_by_id("rdp")?.ok_or("no rdp")?;
    let facets = ["ER", "VS", "DD", "FA", "CT", "SN", "MS", "AU", "CN"];
    // Factor of each facet: over-dependence, caretaking, interdependence.
    let factor_of = |facet: &str| match facet {
        "ER" | "VS" | "DD" | "FA" => 0,
        "CT" | "SN" => 1,
        _ => 2,
    };
    let items: Vec<(String, usize, bool, f64)> = facets
        .iter()
        .flat_map(|facet| {
            rdp.items
                .iter()
                .filter(move |item| item.facet.as_ref().is_some_and(|f| f.as_str() == *facet))
                .enumerate()
                .map(move |(k, item)| {
                    let loading = 0.55 + 0.05 * k as f64;
                    (item.id.to_string(), factor_of(facet), item.reverse, loading)
                })
        })
        .collect();
    let mut file = BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
    writeln!(
        file,
        "{}",
        items
            .iter()
            .map(|i| i.0.as_str())
            .collect::<Vec<_>>()
            .join(",")
    )?;
    // Correlated factors: f2 = 0.3·f1 + …, f3 = −0.3·f1 + ….
    let mut line = String::with_capacity(128);
    for _ in 0..rows {
        let g = rng.normal();
        let f = [
            g,
            0.3 * g + 0.954 * rng.normal(),
            -0.3 * g + 0.954 * rng.normal(),
        ];
        line.clear();
        for (i, (_, factor, reverse, loading)) in items.iter().enumerate() {
            let latent = loading * f[*factor] + (1.0 - loading * loading).sqrt() * rng.normal();
            let value = match latent {
                x if x < -1.3 => 1,
                x if x < -0.4 => 2,
                x if x < 0.4 => 3,
                x if x < 1.3 => 4,
                _ => 5,
            };
            let value = if *reverse { 6 - value } else { value };
            if i > 0 {
                line.push(',');
            }
            line.push(char::from(b'0' + value));
        }
        line.push('\n');
        file.write_all(line.as_bytes())?;
    }
    file.flush()?;
    Ok(())
}

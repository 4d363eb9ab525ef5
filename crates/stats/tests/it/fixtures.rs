//! Agreement with R's psych (and pingouin) on the fixture data sets: alpha and the item
//! statistics to 1e-6, the covariance and correlation matrices too. Reference values come from
//! `tests/fixtures/make.R` and `make.py`.

use serde_json::Value;
use tandem_stats::csv::{ReadOptions, Scale, read_files};
use tandem_stats::moments::{Missing, Moments};
use tandem_stats::reliability::reliability;

use crate::support::fixtures;

const TOL: f64 = 1e-6;
const DATA_SETS: &[&str] = &[
    "small_clean",
    "missing",
    "reversed",
    "three_factor",
    "decimal",
];

fn load(name: &str, suffix: &str) -> Value {
    let path = fixtures().join(format!("{name}.{suffix}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Reads a fixture as tandem analyze would: with its reverse keys on its declared scale.
fn read(reference: &Value, threads: usize, min_chunk_bytes: u64) -> Moments {
    let file = fixtures().join(reference["file"].as_str().unwrap());
    let reverse: Vec<String> = reference["reverse"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let scale = reference["scale"]
        .as_array()
        .map(|s| Scale::new(s[0].as_f64().unwrap(), s[1].as_f64().unwrap()).unwrap());
    let opts = ReadOptions {
        reverse,
        scale,
        threads,
        min_chunk_bytes,
        ..ReadOptions::default()
    };
    read_files(&[file], &opts).unwrap()
}

#[track_caller]
fn check(what: &str, got: f64, want: &Value) {
    let want = want
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: no reference value"));
    assert!(
        (got - want).abs() <= TOL,
        "{what}: tandem {got} vs psych {want} (difference {:e})",
        (got - want).abs()
    );
}

#[test]
fn alpha_and_item_statistics_match_psych() {
    let mut checked = 0;
    for name in DATA_SETS {
        let reference = load(name, "psych");
        let m = read(&reference, 1, 1 << 20);
        assert_eq!(
            m.rows(),
            reference["rows"].as_u64().unwrap(),
            "{name}: rows"
        );
        for analysis in reference["analyses"].as_array().unwrap() {
            let missing: Missing = analysis["missing"].as_str().unwrap().parse().unwrap();
            let label = format!("{name}/{}/{missing}", analysis["name"].as_str().unwrap());
            let names: Vec<&str> = analysis["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let items = m.indices(&names).unwrap();
            let r = reliability(&m, &items, missing).unwrap();
            assert_eq!(r.n, analysis["n"].as_u64().unwrap(), "{label}: n");
            let a = &analysis["alpha"];
            check(&format!("{label}: raw alpha"), r.alpha.raw, &a["raw"]);
            check(&format!("{label}: std alpha"), r.alpha.std, &a["std"]);
            check(&format!("{label}: G6"), r.alpha.g6, &a["g6"]);
            check(
                &format!("{label}: average r"),
                r.alpha.average_r,
                &a["average_r"],
            );
            check(
                &format!("{label}: median r"),
                r.alpha.median_r,
                &a["median_r"],
            );
            check(
                &format!("{label}: S/N"),
                r.alpha.signal_noise,
                &a["signal_noise"],
            );
            check(&format!("{label}: ase"), r.alpha.se, &a["se"]);
            let se = a["se"].as_f64().unwrap();
            let raw = a["raw"].as_f64().unwrap();
            check(
                &format!("{label}: ci lower"),
                r.alpha.ci95[0],
                &(raw - 1.96 * se).into(),
            );
            check(
                &format!("{label}: ci upper"),
                r.alpha.ci95[1],
                &(raw + 1.96 * se).into(),
            );
            let stats = analysis["item_stats"].as_array().unwrap();
            assert_eq!(r.item_stats.len(), stats.len());
            for (got, want) in r.item_stats.iter().zip(stats) {
                let id = want["id"].as_str().unwrap();
                assert_eq!(got.id, id);
                assert_eq!(got.n, want["n"].as_u64().unwrap(), "{label} {id}: n");
                check(&format!("{label} {id}: mean"), got.mean, &want["mean"]);
                check(&format!("{label} {id}: sd"), got.sd, &want["sd"]);
                check(
                    &format!("{label} {id}: r.drop"),
                    got.r_drop,
                    &want["r_drop"],
                );
                check(
                    &format!("{label} {id}: alpha if dropped"),
                    got.alpha_if_dropped.unwrap(),
                    &want["alpha_if_dropped"],
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 20);
}

#[test]
fn covariance_and_correlation_match_r() {
    for name in DATA_SETS {
        let reference = load(name, "psych");
        let m = read(&reference, 1, 1 << 20);
        for (key, got) in [
            ("cov_pairwise", m.covariance(Missing::Pairwise)),
            ("cor_pairwise", m.correlation(Missing::Pairwise)),
            ("cov_listwise", m.covariance(Missing::Listwise)),
            ("cor_listwise", m.correlation(Missing::Listwise)),
        ] {
            let want = reference[key].as_array().unwrap();
            for (i, row) in want.iter().enumerate() {
                for (j, v) in row.as_array().unwrap().iter().enumerate() {
                    check(&format!("{name} {key}[{i},{j}]"), got[(i, j)], v);
                }
            }
        }
    }
}

#[test]
fn raw_alpha_matches_pingouin() {
    for name in DATA_SETS {
        let reference = load(name, "psych");
        let pingouin = load(name, "pingouin");
        let m = read(&reference, 1, 1 << 20);
        for (analysis, second) in reference["analyses"]
            .as_array()
            .unwrap()
            .iter()
            .zip(pingouin["analyses"].as_array().unwrap())
        {
            assert_eq!(analysis["name"], second["name"]);
            let missing: Missing = second["missing"].as_str().unwrap().parse().unwrap();
            let names: Vec<&str> = analysis["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let r = reliability(&m, &m.indices(&names).unwrap(), missing).unwrap();
            check(
                &format!("{name}/{}: pingouin alpha", second["name"]),
                r.alpha.raw,
                &second["alpha"],
            );
        }
    }
}

#[test]
fn threads_do_not_change_the_fixture_statistics() {
    for name in DATA_SETS {
        let reference = load(name, "psych");
        let one = read(&reference, 1, 1 << 20);
        for threads in [2, 3, 7] {
            let many = read(&reference, threads, 64);
            if *name == "decimal" {
                // Decimal sums may round differently when grouped differently.
                let (a, b) = (
                    crate::support::summary(&one),
                    crate::support::summary(&many),
                );
                assert!(
                    crate::support::close(&a, &b, 1e-12),
                    "{name}, {threads} threads"
                );
            } else {
                assert_eq!(one, many, "{name}, {threads} threads");
            }
        }
    }
}

#[test]
fn reversing_on_the_observed_scale_matches_the_declared_one_when_the_data_span_it() {
    let reference = load("reversed", "psych");
    let declared = read(&reference, 1, 1 << 20);
    let file = fixtures().join("reversed.csv");
    let opts = ReadOptions {
        reverse: vec!["r3".into(), "r6".into()],
        ..ReadOptions::default()
    };
    let observed = read_files(&[file], &opts).unwrap();
    assert_eq!(observed.observed_scale(), Some((1.0, 5.0)));
    assert_eq!(declared, observed);
}

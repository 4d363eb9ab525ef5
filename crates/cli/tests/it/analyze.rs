//! `tandem analyze` through the binary: the numbers of R psych on its own
//! fixtures, exact merging across files, clear errors, and analysis from the store.

use predicates::str::contains;
use serde_json::{Value, json};

use crate::common::{Tandem, answers_file, path_str, people_with};

fn fixture(name: &str) -> String {
    format!(
        "{}/../stats/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn reference(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

fn close(a: &Value, b: &Value, tolerance: f64, what: &str) {
    let (a, b) = (
        a.as_f64().unwrap_or_else(|| panic!("{what}: {a}")),
        b.as_f64().unwrap_or_else(|| panic!("{what}: {b}")),
    );
    assert!((a - b).abs() < tolerance, "{what}: {a} vs {b}");
}

#[test]
fn alpha_and_item_statistics_equal_psych() {
    let t = Tandem::new();
    for (csv, reference_file, flags) in [
        ("small_clean.csv", "small_clean.psych.json", vec![]),
        ("missing.csv", "missing.psych.json", vec![]),
        (
            "reversed.csv",
            "reversed.psych.json",
            vec!["--reverse", "r3,r6", "--scale", "1..5"],
        ),
    ] {
        let expected = reference(reference_file);
        let all = expected["analyses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == "all" && a["missing"] == "pairwise")
            .unwrap();
        let path = fixture(csv);
        let mut args = vec!["analyze", path.as_str(), "--json", "--factors", "2"];
        args.extend(flags.iter().copied());
        let got = t.json(&args);
        for key in ["raw", "std", "g6", "average_r", "se"] {
            close(
                &got["alpha"][key],
                &all["alpha"][key],
                1e-6,
                &format!("{csv} alpha.{key}"),
            );
        }
        for (g, e) in got["item_stats"]
            .as_array()
            .unwrap()
            .iter()
            .zip(all["item_stats"].as_array().unwrap())
        {
            assert_eq!(g["id"], e["id"]);
            for key in ["mean", "sd", "r_drop"] {
                close(&g[key], &e[key], 1e-6, &format!("{csv} {} {key}", g["id"]));
            }
        }
        for key in ["n", "items", "alpha", "item_stats", "omega", "fa"] {
            assert!(got.get(key).is_some(), "{csv}: no {key}");
        }
        assert!(
            got["fa"]["loadings"].as_object().unwrap().len()
                == got["items"].as_array().unwrap().len()
        );
    }
}

#[test]
fn files_merge_exactly_and_directories_are_read() {
    let t = Tandem::new();
    let text = std::fs::read_to_string(fixture("three_factor.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let half = rows.len() / 2;
    let dir = t.data_dir().with_file_name("parts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a.csv"),
        format!("{header}\n{}\n", rows[..half].join("\n")),
    )
    .unwrap();
    std::fs::write(
        dir.join("b.csv"),
        format!("{header}\n{}\n", rows[half..].join("\n")),
    )
    .unwrap();
    let whole = t.json(&[
        "analyze",
        &fixture("three_factor.csv"),
        "--json",
        "--factors",
        "3",
    ]);
    let parts = t.json(&[
        "analyze",
        dir.join("a.csv").to_str().unwrap(),
        dir.join("b.csv").to_str().unwrap(),
        "--json",
        "--factors",
        "3",
    ]);
    let folder = t.json(&["analyze", dir.to_str().unwrap(), "--json", "--factors", "3"]);
    assert_eq!(whole["alpha"], parts["alpha"]);
    assert_eq!(whole["item_stats"], parts["item_stats"]);
    assert_eq!(whole["fa"]["loadings"], parts["fa"]["loadings"]);
    assert_eq!(parts, folder);
}

#[test]
fn bad_files_get_their_place() {
    let t = Tandem::new();
    let cases: &[(&str, &[&str])] = &[
        ("a,b,c\n1,2,3\n4,5\n", &["row 3"]),
        ("a,b,c\n1,2,3\n4,x,6\n", &["row 3", "b", "x"]),
        ("a,b,c\n1,2,3\n4,9,6\n", &["row 3", "b", "9"]),
        ("", &["empty"]),
        ("a,b,a\n1,2,3\n", &["a"]),
    ];
    for (contents, words) in cases {
        let file = t.file("bad.csv", contents);
        let output = t
            .cmd(&["analyze", path_str(&file), "--scale", "1..5"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{contents:?}: {stderr}");
        assert!(stderr.contains("bad.csv"), "{contents:?}: {stderr}");
        for word in *words {
            assert!(
                stderr.contains(word),
                "{contents:?}: {stderr:?} lacks {word:?}"
            );
        }
    }
    t.cmd(&["analyze", "/nonexistent.csv"])
        .assert()
        .code(3)
        .stderr(contains("/nonexistent.csv"));
    // Analysis of files never makes a store.
    assert!(!t.data_dir().exists());
}

#[test]
fn the_store_can_be_analysed_de_identified() {
    let t = Tandem::new();
    let instrument = t.json(&["instruments", "show", "rdp", "--json"]);
    let ids: Vec<String> = instrument["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let mut state: u64 = 7;
    let mut draw = |_| {
        let mut answers = tandem_core::answers::Answers::new();
        for id in &ids {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let value = 1 + ((state >> 33) % 5) as i64;
            answers
                .set(&rdp, id, tandem_core::answers::Answer::Value(value))
                .unwrap();
        }
        answers
    };
    // Eight people who opted in to research, and three who did not.
    people_with(&t, "yes", &rdp, 8, true, &mut draw);
    let declined = people_with(&t, "no", &rdp, 3, false, &mut draw);
    assert_eq!(declined.len(), 3);
    // The terminal's own person takes it twice: without consent, neither counts.
    let mine = answers_file(&t, "mine.json", &json!({"ER1": 5, "VS1": 4}));
    t.cmd(&["assess", "rdp", "--answers", path_str(&mine)])
        .assert()
        .success();
    let report = t.json(&[
        "analyze",
        "--from-store",
        "--instrument",
        "rdp",
        "--json",
        "--factors",
        "1",
    ]);
    assert_eq!(report["n"], 8);
    assert_eq!(report["items"].as_array().unwrap().len(), ids.len());
    assert!(report["facets"]["ER"]["alpha"]["raw"].is_number());
    let html = t.data_dir().with_file_name("analysis.html");
    t.cmd(&[
        "analyze",
        "--from-store",
        "--instrument",
        "rdp",
        "--factors",
        "1",
        "--html",
        html.to_str().unwrap(),
    ])
    .assert()
    .success();
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("<title>Tandem</title>") && page.matches("<svg").count() == 2,
        "scree plot and heat map"
    );
}

#[test]
fn parallel_analysis_runs_only_when_it_decides_something_or_is_asked_for() {
    let t = Tandem::new();
    let data = fixture("three_factor.csv");
    // (flags, parallel analysis ran, factors used, chosen by)
    let cases: [(&[&str], bool, u64, &str); 3] = [
        (&[], true, 3, "parallel analysis"),
        (&["--factors", "2"], false, 2, "--factors"),
        (&["--factors", "2", "--parallel"], true, 2, "--factors"),
    ];
    for (flags, ran, factors, chosen_by) in cases {
        let mut args = vec!["analyze", data.as_str(), "--json"];
        args.extend_from_slice(flags);
        let report = t.json(&args);
        assert_eq!(
            report["parallel"].is_object(),
            ran,
            "{flags:?}: {}",
            report["parallel"]
        );
        if ran {
            assert_eq!(report["parallel"]["suggested_factors"], 3, "{flags:?}");
            assert_eq!(report["parallel"]["iterations"], 20, "{flags:?}");
        } else {
            assert!(report["parallel"].is_null(), "{flags:?}");
        }
        assert_eq!(report["fa"]["factors"], factors, "{flags:?}");
        assert_eq!(report["fa"]["chosen_by"], chosen_by, "{flags:?}");
    }
    // The HTML report says why there is no comparison with random data.
    let html = t.data_dir().with_file_name("no-parallel.html");
    t.cmd(&[
        "analyze",
        data.as_str(),
        "--factors",
        "2",
        "--html",
        html.to_str().unwrap(),
    ])
    .assert()
    .success();
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("parallel analysis did not run"), "{page}");
    assert_eq!(page.matches("<svg").count(), 2, "scree plot and heat map");
}

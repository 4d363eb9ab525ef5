//! `assess --answers` then `report --json` equals an independent calculation
//! from `instruments show rdp --json` and the answers, keying and missing rule included.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::common::{Tandem, answers_file, path_str};

/// A small deterministic generator, so failures can be replayed by seed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// Facet and index scores computed from the instrument's own description.
fn expected(
    instrument: &Value,
    answers: &Map<String, Value>,
) -> (BTreeMap<String, Option<f64>>, BTreeMap<String, Option<f64>>) {
    let (min, max) = (
        instrument["scale"]["min"].as_i64().unwrap(),
        instrument["scale"]["max"].as_i64().unwrap(),
    );
    let max_missing = instrument["scoring"]["max_missing"].as_u64().unwrap() as usize;
    let items: BTreeMap<&str, &Value> = instrument["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| (item["id"].as_str().unwrap(), item))
        .collect();
    let mut facets = BTreeMap::new();
    for facet in instrument["facets"].as_array().unwrap() {
        let mut values = Vec::new();
        let mut missing = 0;
        for id in facet["items"].as_array().unwrap() {
            let id = id.as_str().unwrap();
            match answers.get(id).and_then(Value::as_i64) {
                Some(v) if items[id]["reverse"].as_bool().unwrap() => {
                    values.push((min + max - v) as f64)
                }
                Some(v) => values.push(v as f64),
                None => missing += 1,
            }
        }
        let score =
            (missing <= max_missing).then(|| values.iter().sum::<f64>() / values.len() as f64);
        facets.insert(facet["id"].as_str().unwrap().to_owned(), score);
    }
    let mut indices = BTreeMap::new();
    for index in instrument["indices"].as_array().unwrap() {
        let parts: Vec<Option<f64>> = index["facets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| facets[f.as_str().unwrap()])
            .collect();
        let score = parts
            .iter()
            .all(Option::is_some)
            .then(|| parts.iter().flatten().sum::<f64>() / parts.len() as f64);
        indices.insert(index["id"].as_str().unwrap().to_owned(), score);
    }
    (facets, indices)
}

fn assert_close(label: &str, got: &Value, want: Option<f64>) {
    match want {
        Some(want) => {
            let got = got
                .as_f64()
                .unwrap_or_else(|| panic!("{label}: expected {want}, got {got}"));
            assert!((got - want).abs() < 1e-9, "{label}: {got} != {want}");
        }
        None => assert!(got.is_null(), "{label}: expected not scored, got {got}"),
    }
}

#[test]
fn report_scores_equal_an_independent_calculation() {
    let t = Tandem::new();
    let instrument = t.json(&["instruments", "show", "rdp", "--json"]);
    let ids: Vec<&str> = instrument["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    let mut earlier_complete = false;
    for seed in 1..=6u64 {
        let mut rng = Lcg(seed);
        let mut answers = Map::new();
        for id in &ids {
            // Odd seeds leave about one in six items out, so the missing
            // rule is exercised; even seeds answer everything.
            if seed % 2 == 0 || rng.next(6) != 0 {
                answers.insert((*id).to_owned(), json!(1 + rng.next(5) as i64));
            }
        }
        let file = answers_file(
            &t,
            &format!("answers-{seed}.json"),
            &Value::Object(answers.clone()),
        );
        let taken = t.json(&["assess", "rdp", "--answers", path_str(&file), "--json"]);
        // Asked for by id: with items left out, a facet may go unscored,
        // and an incomplete profile is never "the latest" a bare report shows.
        let id = taken["administration"].to_string();
        let report = t.json(&["report", "--json", "--administration", &id]);
        assert_eq!(report["instrument"], "rdp");
        let (facets, indices) = expected(&instrument, &answers);
        for (id, want) in &facets {
            assert_close(
                &format!("seed {seed} facet {id}"),
                &report["facets"][id]["score"],
                *want,
            );
            for key in ["low", "high", "band"] {
                assert!(report["facets"][id].get(key).is_some(), "{id} lacks {key}");
            }
        }
        for (id, want) in &indices {
            assert_close(
                &format!("seed {seed} index {id}"),
                &report["indices"][id]["score"],
                *want,
            );
        }
        assert!(report.get("profile").is_some());
        // Change is measured from the last complete profile before this
        // one (every facet scored), and only then.
        assert_eq!(
            report["change"]["indices"].is_object(),
            earlier_complete,
            "seed {seed}: {report}"
        );
        let complete = report["facets"]
            .as_object()
            .unwrap()
            .values()
            .all(|facet| facet["score"].is_number());
        earlier_complete |= complete;
    }
    assert!(
        earlier_complete,
        "the seeds should give at least one complete profile"
    );
}

#[test]
fn a_second_administration_reports_change_per_index() {
    let t = Tandem::new();
    let instrument = t.json(&["instruments", "show", "rdp", "--json"]);
    let all = |value: i64| {
        let map: Map<String, Value> = instrument["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["id"].as_str().unwrap().to_owned(), json!(value)))
            .collect();
        Value::Object(map)
    };
    let first = answers_file(&t, "first.json", &all(2));
    let second = answers_file(&t, "second.json", &all(4));
    t.cmd(&["assess", "rdp", "--answers", path_str(&first)])
        .assert()
        .success();
    let before = t.json(&["report", "--json"]);
    assert!(before["change"].is_null());
    t.cmd(&["assess", "rdp", "--answers", path_str(&second)])
        .assert()
        .success();
    let report = t.json(&["report", "--json"]);
    assert_eq!(report["change"]["since"], before["administration"]);
    for index in instrument["indices"].as_array().unwrap() {
        let id = index["id"].as_str().unwrap();
        let change = &report["change"]["indices"][id];
        let (from, to) = (
            before["indices"][id]["score"].as_f64().unwrap(),
            report["indices"][id]["score"].as_f64().unwrap(),
        );
        assert!((change["difference"].as_f64().unwrap() - (to - from)).abs() < 1e-9);
        // No reliability is declared for the RDP yet, so no verdict is invented.
        assert_eq!(change["verdict"], "unknown");
        assert!(change["rci"].is_null());
    }
    // The earlier administration can still be reported on its own.
    let id = before["administration"].to_string();
    assert_eq!(
        t.json(&["report", "--json", "--administration", &id]),
        before
    );
    let text = t.cmd(&["report"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Change since"), "{text}");
    assert!(text.contains("no verdict"), "{text}");

    // A profile about someone else is no change in the one about the
    // partner: it has no "before" until Mum has a second one.
    let third = answers_file(&t, "third.json", &all(1));
    let about_mum = |t: &Tandem| {
        t.cmd(&[
            "assess",
            "rdp",
            "--about",
            "Mum",
            "--answers",
            path_str(&third),
        ])
        .assert()
        .success();
        t.json(&["report", "--json"])
    };
    let first_mum = about_mum(&t);
    assert_eq!(first_mum["about"], "Mum");
    assert!(first_mum["change"].is_null(), "{}", first_mum["change"]);
    let second_mum = about_mum(&t);
    assert_eq!(second_mum["change"]["since"], first_mum["administration"]);
    // The partner's latest, asked for by relationship, is still the second.
    let relationships = t.json(&["relationships", "list", "--json"]);
    let partner = relationships[0]["id"].to_string();
    let mum = relationships[1]["id"].to_string();
    assert_eq!(relationships[1]["name"], "Mum");
    let partners = t.json(&["report", "--json", "--relationship", &partner]);
    assert_eq!(partners["administration"], report["administration"]);
    assert_eq!(partners["change"]["since"], before["administration"]);
    let mums = t.json(&["report", "--json", "--relationship", &mum]);
    assert_eq!(mums["administration"], second_mum["administration"]);
    t.cmd(&["relationships", "add", "Kit", "--role", "friend"])
        .assert()
        .success();
    t.cmd(&["report", "--relationship", "3"])
        .assert()
        .code(4)
        .stderr(predicates::str::contains("no finished RDP about Kit"));
    t.cmd(&["report", "--relationship", "99"]).assert().code(4);
    for index in instrument["indices"].as_array().unwrap() {
        let id = index["id"].as_str().unwrap();
        assert_eq!(second_mum["change"]["indices"][id]["difference"], 0.0);
    }
}

#[test]
fn a_checkin_is_stored_and_shown_in_history() {
    let t = Tandem::new();
    let file = answers_file(
        &t,
        "c.json",
        &json!({"CI1": 4, "CI7": 2, "CI8": 1, "CI9": 3, "CI10": 5, "CI11": 1, "CI6": "A calm week."}),
    );
    let calm = t
        .cmd(&["checkin", "--answers", path_str(&file)])
        .output()
        .unwrap();
    assert!(calm.status.success());
    assert!(!String::from_utf8_lossy(&calm.stdout).contains(HELP_HEADING));
    // The same week at the worst safety answer: the help is shown at once,
    // and the pulse does not move.
    let worst = answers_file(
        &t,
        "w.json",
        &json!({"CI1": 4, "CI7": 2, "CI8": 1, "CI9": 3, "CI10": 5, "CI11": 5}),
    );
    let shown = t
        .cmd(&["checkin", "--answers", path_str(&worst)])
        .output()
        .unwrap();
    assert!(shown.status.success());
    let out = String::from_utf8_lossy(&shown.stdout);
    assert!(out.contains(HELP_HEADING), "{out}");
    assert!(out.contains("tandem assess safety"), "{out}");
    let history = t.json(&["history", "--json"]);
    let entries = history["administrations"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["instrument"], "checkin");
    assert_eq!(entries[0]["version"], "1.1.0");
    assert_eq!(entries[0]["answered"], 7);
    assert_eq!(entries[0]["note"], "A calm week.");
    for entry in entries {
        assert!((entry["indices"]["pulse"].as_f64().unwrap() - 4.2).abs() < 1e-9);
    }
    // The note is shown back in the terminal too.
    let text = String::from_utf8(t.cmd(&["history"]).output().unwrap().stdout).unwrap();
    assert!(text.contains("Your note: A calm week."), "{text}");
}

/// The heading of the safety help (content/resources.toml).
const HELP_HEADING: &str = "You deserve to be safe";

#[test]
fn reports_without_data_say_so() {
    let t = Tandem::new();
    t.cmd(&["report"])
        .assert()
        .code(4)
        .stderr(predicates::str::contains("tandem assess rdp"));
    t.cmd(&["report", "--administration", "99"])
        .assert()
        .code(4);
}

#[test]
fn instruments_list_and_show() {
    let t = Tandem::new();
    let list = t.json(&["instruments", "list", "--json"]);
    let ids: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["rdp", "checkin", "safety"]);
    let rdp = t.json(&["instruments", "show", "rdp", "--json"]);
    for key in ["id", "version", "scale", "items", "facets", "indices"] {
        assert!(rdp.get(key).is_some(), "show --json lacks {key}");
    }
    assert_eq!(rdp["facets"].as_array().unwrap().len(), 12);
    t.cmd(&["instruments", "show", "nope"]).assert().code(4);
    // Showing instruments never creates a store.
    assert!(!t.data_dir().exists());
}

#[test]
fn with_two_hundred_profiles_the_report_estimates_reliability() {
    let t = Tandem::new();
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let mut state = 5u64;
    let mut draw = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % 1000) as f64 / 1000.0
    };
    let mut answers_of = |_| {
        let level: std::collections::BTreeMap<String, f64> = rdp
            .facets
            .iter()
            .map(|f| (f.id.to_string(), 1.0 + 4.0 * draw()))
            .collect();
        let mut answers = tandem_core::answers::Answers::new();
        for item in &rdp.items {
            let x = level[item.facet.as_ref().unwrap().as_str()] + draw() - 0.5;
            let v = x.round().clamp(1.0, 5.0) as i64;
            let v = if item.reverse { 6 - v } else { v };
            answers
                .set(
                    &rdp,
                    item.id.as_str(),
                    tandem_core::answers::Answer::Value(v),
                )
                .unwrap();
        }
        answers
    };
    // 199 people who opted in, and many who did not: not yet enough.
    crate::common::people_with(&t, "in", &rdp, 199, true, &mut answers_of);
    crate::common::people_with(&t, "out", &rdp, 30, false, &mut answers_of);
    // The terminal's person takes it twice, so a change can be judged.
    for k in 0..2 {
        let mut answers = serde_json::Map::new();
        for (id, answer) in answers_of(k).iter() {
            answers.insert(id.to_string(), serde_json::to_value(answer).unwrap());
        }
        let file = answers_file(&t, &format!("mine{k}.json"), &Value::Object(answers));
        t.cmd(&["assess", "rdp", "--answers", path_str(&file)])
            .assert()
            .success();
    }
    let before = t.json(&["report", "--json"]);
    assert_eq!(before["reliability"]["source"], "none");
    assert!(before["facets"]["ER"]["low"].is_null());
    // One more person's consent makes 200 people: estimates come in. The
    // terminal's own two profiles count once between them.
    t.cmd(&["research", "on"]).assert().success();
    let report = t.json(&["report", "--json"]);
    assert_eq!(report["reliability"]["source"], "estimated");
    assert_eq!(report["reliability"]["administrations"], 200);
    assert!(report["facets"]["ER"]["low"].is_number());
    assert!(report["change"]["indices"]["caretaking"]["rci"].is_number());
    let text = String::from_utf8(t.cmd(&["report"]).output().unwrap().stdout).unwrap();
    assert!(
        text.contains("estimated from the profiles kept in this store"),
        "{text}"
    );
}

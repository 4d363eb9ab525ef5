//! `tandem plan` and `tandem report --html` on real scored administrations.

use predicates::str::contains;
use serde_json::{Map, Value, json};

use crate::common::{Tandem, answers_file, path_str};

fn rdp_answers(t: &Tandem, level: impl Fn(&str) -> i64) -> Value {
    let instrument = t.json(&["instruments", "show", "rdp", "--json"]);
    let map: Map<String, Value> = instrument["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let l = level(item["facet"].as_str().unwrap());
            let v = if item["reverse"].as_bool().unwrap() {
                6 - l
            } else {
                l
            };
            (item["id"].as_str().unwrap().to_owned(), json!(v))
        })
        .collect();
    Value::Object(map)
}

#[test]
fn the_plan_follows_the_profile_and_takes_choices() {
    let t = Tandem::new();
    assert!(t.json(&["plan", "--json"]).as_array().unwrap().is_empty());
    let answers = rdp_answers(&t, |f| match f {
        "ER" | "VS" | "DD" | "FA" => 5,
        "AU" => 1,
        "CT" | "SN" | "DT" => 1,
        _ => 5,
    });
    let file = answers_file(&t, "rdp.json", &answers);
    t.cmd(&["assess", "rdp", "--answers", path_str(&file)])
        .assert()
        .success();
    let plan = t.json(&["plan", "--json"]);
    let items = plan.as_array().unwrap();
    assert!(!items.is_empty());
    let first = items[0]["reasons"][0]["of"].as_str().unwrap();
    assert!(
        ["ER", "VS", "DD", "FA", "over_dependence"].contains(&first),
        "{first}"
    );
    let id = items[0]["id"].to_string();
    t.cmd(&["plan", "choose", &id])
        .assert()
        .success()
        .stdout(contains("[chosen]"));
    t.cmd(&["plan", "done", "99999"]).assert().code(4);
}

#[test]
fn the_html_report_is_written_privately() {
    let t = Tandem::new();
    let file = answers_file(&t, "rdp.json", &rdp_answers(&t, |_| 3));
    t.cmd(&["assess", "rdp", "--answers", path_str(&file)])
        .assert()
        .success();
    t.cmd(&[
        "network",
        "add",
        "Robin",
        "--role",
        "friend",
        "--lean",
        "emotional=3",
    ])
    .assert()
    .success();
    let out = t.data_dir().with_file_name("report.html");
    t.cmd(&["report", "--html", out.to_str().unwrap()])
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    for part in [
        "<title>Tandem</title>",
        "My Tandem report",
        "Pattern:",
        "The people I lean on",
        "Robin",
        "My plan and progress",
        "<svg",
        "<style>",
    ] {
        assert!(html.contains(part), "report lacks {part}");
    }
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn exercises_can_be_written_in_the_terminal_and_stay_sealed() {
    let t = Tandem::new();
    t.cmd(&["exercises", "fields", "boundary-plan"])
        .assert()
        .success()
        .stdout(contains("limit"));
    t.cmd(&[
        "exercises",
        "add",
        "needs-statement",
        "feeling=worn-out-6612",
        "situation=plans change",
        "need=notice",
        "request=tell me a day ahead",
    ])
    .assert()
    .success()
    .stdout(contains("I feel worn-out-6612 when plans change."));
    t.cmd(&[
        "exercises",
        "add",
        "own-life",
        "interests=choir-5531",
        "time=Thursday",
    ])
    .assert()
    .success();
    let own = t.json(&["exercises", "list", "--kind", "own-life", "--json"]);
    let id = own[0]["id"].to_string();
    t.cmd(&["exercises", "tick", &id])
        .assert()
        .success()
        .stdout(contains("-W"));
    let own = t.json(&["exercises", "list", "--kind", "own-life", "--json"]);
    assert_eq!(own[0]["ticks"].as_array().unwrap().len(), 1);
    // Bad input changes nothing.
    t.cmd(&["exercises", "add", "needs-statement", "mood=fine"])
        .assert()
        .code(3)
        .stderr(contains("mood"));
    t.cmd(&["exercises", "add", "astrology", "x=y"])
        .assert()
        .code(4);
    t.cmd(&["exercises", "tick", "9999"]).assert().code(4);
    assert_eq!(
        t.json(&["exercises", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    for entry in std::fs::read_dir(t.data_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for secret in ["worn-out-6612", "choir-5531"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in plain form"
            );
        }
    }
}

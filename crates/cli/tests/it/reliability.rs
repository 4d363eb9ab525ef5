//! `reliability_file` / `TANDEM_RELIABILITY_FILE`: published reliability an
//! operator pins is what the terminal's report uses and cites; a broken
//! file stops the command with its name, line and id, and changes nothing.

use serde_json::{Map, Value, json};

use crate::common::{Tandem, answers_file, path_str};

const PINNED: &str = r#"source = "RDP 1.1 field study (2026), n = 1,204"

[[pinned]]
instrument = "rdp"
version = "1.1.0"
facets = { ER = { reliability = 0.81, sd = 0.74 } }
"#;

fn take_rdp(t: &Tandem, value: i64) {
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let answers: Map<String, Value> = rdp
        .items
        .iter()
        .map(|item| (item.id.to_string(), json!(value)))
        .collect();
    let file = answers_file(t, &format!("rdp{value}.json"), &Value::Object(answers));
    t.cmd(&["assess", "rdp", "--answers", path_str(&file)])
        .assert()
        .success();
}

#[test]
fn the_report_uses_and_cites_pinned_reliability() {
    let t = Tandem::new();
    take_rdp(&t, 2);
    let pinned = t.file("reliability.toml", PINNED);
    let report = |args: &[&str]| {
        t.cmd(args)
            .env("TANDEM_RELIABILITY_FILE", &pinned)
            .output()
            .unwrap()
    };
    let output = report(&["report", "--json"]);
    assert!(output.status.success());
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json["reliability"],
        json!({ "source": "published", "citation": "RDP 1.1 field study (2026), n = 1,204" })
    );
    let sem = json["facets"]["ER"]["sem"].as_f64().unwrap();
    assert!((sem - 0.74 * 0.19f64.sqrt()).abs() < 1e-12, "{sem}");
    assert!(json["facets"]["VS"]["sem"].is_null());
    let text = String::from_utf8(report(&["report"]).stdout).unwrap();
    assert!(
        text.contains("published reliability: RDP 1.1 field study (2026), n = 1,204"),
        "{text}"
    );
    // Without the file: nothing is known.
    let bare = t.json(&["report", "--json"]);
    assert_eq!(bare["reliability"], json!({ "source": "none" }));
}

#[test]
fn a_broken_reliability_file_is_refused_with_where() {
    let t = Tandem::new();
    take_rdp(&t, 3);
    let before = t.json(&["history", "--json"]);
    let broken = t.file(
        "reliability.toml",
        &PINNED.replace("reliability = 0.81", "reliability = 1.81"),
    );
    let output = t
        .cmd(&["report"])
        .env("TANDEM_RELIABILITY_FILE", &broken)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert_eq!(output.status.code(), Some(3), "bad input exits 3");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("reliability.toml:3"), "{stderr}");
    assert!(stderr.contains("`ER`"), "{stderr}");
    assert!(stderr.contains("between 0 and 1"), "{stderr}");
    assert_eq!(t.json(&["history", "--json"]), before);
}

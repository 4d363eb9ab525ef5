//! Answer patterns through the terminal: what `report --json` and
//! `plan --json` say for answers that cannot be trusted, for low shared
//! power, and for "does not apply".

use serde_json::{Map, Value, json};

use crate::common::{Tandem, answers_file, path_str};

/// Answers for the current RDP: raw `value(item)` per item.
fn rdp_answers(t: &Tandem, value: impl Fn(&Value) -> Value) -> Value {
    let rdp = t.json(&["instruments", "show", "rdp", "--json"]);
    let mut answers = Map::new();
    for item in rdp["items"].as_array().unwrap() {
        answers.insert(item["id"].as_str().unwrap().to_owned(), value(item));
    }
    Value::Object(answers)
}

/// Keyed facet levels as raw answers: reverse items mirrored.
fn by_facet(level: impl Fn(&str) -> i64) -> impl Fn(&Value) -> Value {
    move |item| {
        let value = level(item["facet"].as_str().unwrap());
        json!(if item["reverse"] == true {
            6 - value
        } else {
            value
        })
    }
}

fn take(t: &Tandem, answers: &Value) {
    let file = answers_file(t, "rdp.json", answers);
    t.cmd(&["assess", "rdp", "--answers", path_str(&file)])
        .assert()
        .success();
}

fn strategies(plan: &Value) -> Vec<&str> {
    plan.as_array()
        .unwrap()
        .iter()
        .map(|i| i["strategy"].as_str().unwrap())
        .collect()
}

#[test]
fn agreeing_with_everything_withholds_the_pattern_but_not_the_safety_steps() {
    let t = Tandem::new();
    take(&t, &rdp_answers(&t, |_| json!(5)));
    let report = t.json(&["report", "--json"]);
    assert_eq!(report["profile"]["withheld"], true);
    assert_eq!(report["profile"]["kind"], Value::Null);
    let flags = report["response_quality"]["flags"].as_array().unwrap();
    assert!(flags.contains(&json!("acquiescence")), "{flags:?}");
    assert!(flags.contains(&json!("straight_line")), "{flags:?}");
    assert!(
        report["profile"]["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("coercion_signals"))
    );
    let plan = t.json(&["plan", "--json"]);
    assert_eq!(strategies(&plan)[0], "help-if-you-feel-unsafe");
    assert!(plan.as_array().unwrap().iter().all(|i| i["joint"] == false));
    let text = String::from_utf8(t.cmd(&["report"]).output().unwrap().stdout).unwrap();
    assert!(text.contains("not named yet"), "{text}");
    let text = String::from_utf8(t.cmd(&["plan"]).output().unwrap().stdout).unwrap();
    assert!(
        text.contains("tandem assess safety"),
        "the screen is offered: {text}"
    );
    assert!(text.contains("take the profile again"), "{text}");
}

#[test]
fn low_shared_power_is_a_flag_above_the_pattern_and_leads_the_plan() {
    let t = Tandem::new();
    let balanced = |f: &str| match f {
        "ER" | "VS" | "DD" | "FA" | "CT" | "SN" | "DT" => 1,
        "PB" => 1,
        _ => 5,
    };
    take(&t, &rdp_answers(&t, by_facet(balanced)));
    let report = t.json(&["report", "--json"]);
    assert_eq!(
        report["profile"]["flags"],
        json!(["low_power_balance", "coercion_signals"])
    );
    assert_eq!(report["profile"]["kind"], "mixed");
    assert_eq!(report["profile"]["withheld"], false);
    assert_eq!(report["response_quality"]["flags"], json!([]));
    let plan = t.json(&["plan", "--json"]);
    let ids = strategies(&plan);
    assert_eq!(ids[0], "help-if-you-feel-unsafe");
    assert!(!ids.contains(&"keep-doing-what-works"), "{ids:?}");
    let suggested = plan
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "suggested")
        .count();
    assert!(suggested <= 3);
    assert!(
        plan.as_array()
            .unwrap()
            .iter()
            .skip(3)
            .all(|i| i["status"] != "suggested")
    );
    let text = String::from_utf8(t.cmd(&["report"]).output().unwrap().stdout).unwrap();
    let flag = text
        .find("Power looks one-sided")
        .expect("the flag is shown");
    assert!(flag < text.find("Pattern:").unwrap(), "{text}");
}

#[test]
fn a_balanced_profile_without_risk_keeps_maintenance_and_joint_steps() {
    let t = Tandem::new();
    let balanced = |f: &str| match f {
        "ER" | "VS" | "DD" | "FA" | "CT" | "SN" | "DT" => 1,
        _ => 5,
    };
    take(&t, &rdp_answers(&t, by_facet(balanced)));
    let report = t.json(&["report", "--json"]);
    assert_eq!(report["profile"]["kind"], "balanced_interdependence");
    let plan = t.json(&["plan", "--json"]);
    let ids = strategies(&plan);
    assert_eq!(ids[0], "keep-doing-what-works");
    let joint: Vec<_> = plan
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["joint"] == true)
        .collect();
    assert_eq!(joint.len(), 1, "check-in-often is done together: {plan}");
    // The person takes up the joint step; then a safety check says they are
    // afraid. The joint step leaves the plan, chosen or not.
    let id = joint[0]["id"].to_string();
    t.cmd(&["plan", "choose", &id]).assert().success();
    let screen = answers_file(&t, "s.json", &json!({"SF8": 1}));
    t.cmd(&["assess", "safety", "--answers", path_str(&screen)])
        .assert()
        .success();
    let plan = t.json(&["plan", "--json"]);
    let ids = strategies(&plan);
    assert_eq!(ids[0], "help-if-you-feel-unsafe", "{ids:?}");
    assert!(
        plan.as_array().unwrap().iter().all(|i| i["joint"] == false),
        "{plan}"
    );
    assert!(!ids.contains(&"keep-doing-what-works"), "{ids:?}");
}

#[test]
fn does_not_apply_counts_as_missing_and_codes_are_in_the_instrument() {
    let t = Tandem::new();
    let answers = rdp_answers(&t, |item| {
        if item["id"] == "PB3" {
            json!("not_applicable")
        } else {
            json!(3 + i64::from(item["reverse"] == true))
        }
    });
    take(&t, &answers);
    let report = t.json(&["report", "--json"]);
    assert_eq!(report["facets"]["PB"]["answered"], 3);
    assert_eq!(report["facets"]["PB"]["missing"], 1);
    // The screen offers "prefer not to say"; the check-in's safety item says what it is.
    let safety = t.json(&["instruments", "show", "safety", "--json"]);
    assert!(
        safety["scale"]["points"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "prefer_not_to_say")
    );
    let checkin = t.json(&["instruments", "show", "checkin", "--json"]);
    let signalling: Vec<_> = checkin["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["signals"] == "safety")
        .collect();
    assert_eq!(signalling.len(), 1);
    assert_eq!(signalling[0]["facet"], Value::Null);
    // A code where the scale has none is refused with its place.
    let bad = answers_file(&t, "bad.json", &json!({"CI1": "not_applicable"}));
    let output = t
        .cmd(&["checkin", "--answers", path_str(&bad)])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("CI1"));
}

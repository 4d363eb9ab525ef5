//! A positive safety answer prints the resources at once; answers stay in
//! their own place, or nowhere when the person chooses.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::common::{Tandem, answers_file, path_str};

const HEADING: &str = "You deserve to be safe";

/// Every item of the safety screen "No", but those given.
fn all_no(overrides: &[(&str, serde_json::Value)]) -> serde_json::Value {
    let screen = tandem_core::instrument::builtin::builtin_by_id("safety")
        .unwrap()
        .unwrap();
    let mut answers = serde_json::Map::new();
    for item in &screen.items {
        answers.insert(item.id.to_string(), json!(0));
    }
    for (id, value) in overrides {
        answers.insert((*id).to_owned(), value.clone());
    }
    serde_json::Value::Object(answers)
}

/// `tandem assess safety --answers FILE [extra…]`: (exit code, stdout, stderr).
fn screen(
    t: &Tandem,
    answers: &serde_json::Value,
    extra: &[&str],
) -> (Option<i32>, String, String) {
    let file = answers_file(t, "screen.json", answers);
    let mut args = vec!["assess", "safety", "--answers", path_str(&file)];
    args.extend_from_slice(extra);
    let output = t.cmd(&args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_blank_or_declined_screen_shows_the_help_calmly() {
    for answers in [
        json!({}),
        all_no(&[("SF9", json!("prefer_not_to_say"))]),
        json!({"SF8": "prefer_not_to_say", "SF22": 0}),
    ] {
        let t = Tandem::new();
        let (code, out, _) = screen(&t, &answers, &[]);
        assert_eq!(code, Some(0));
        assert!(out.contains(HEADING), "{answers}: {out}");
        assert!(out.contains("did not answer every question"), "{out}");
        assert!(!out.contains("If you are in danger now"), "no alarm: {out}");
    }
    // A code the screen does not offer is refused and nothing is kept.
    let t = Tandem::new();
    let (code, _, err) = screen(&t, &json!({"SF8": "not_applicable"}), &[]);
    assert_eq!(code, Some(3));
    assert!(err.contains("SF8"), "{err}");
    assert!(
        t.json(&["safety", "list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn urgent_answers_put_the_emergency_step_first_and_self_harm_adds_a_crisis_line() {
    let t = Tandem::new();
    let (_, out, _) = screen(&t, &all_no(&[("SF16", json!(1))]), &[]);
    let emergency = out
        .find("If you are in danger now")
        .expect("emergency step");
    assert!(emergency < out.find(HEADING).unwrap(), "{out}");
    assert!(!out.contains("988"), "{out}");
    let (_, out, _) = screen(&t, &all_no(&[("SF23", json!(1))]), &["--json"]);
    assert!(out.contains("\"self_harm\": true"), "{out}");
    // Thoughts of self-harm alone: the crisis lines, not domestic-abuse help.
    let (_, out, _) = screen(&t, &all_no(&[("SF23", json!(1))]), &[]);
    assert!(out.contains("988") && out.contains("116 123"), "{out}");
    assert!(!out.contains(HEADING), "{out}");
    // Phone-checking is a concern, not an emergency.
    let (_, out, _) = screen(&t, &all_no(&[("SF10", json!(1))]), &[]);
    assert!(
        out.contains(HEADING) && !out.contains("If you are in danger now"),
        "{out}"
    );
}

#[test]
fn an_unkept_screen_prints_its_adapted_first_steps() {
    let t = Tandem::new();
    let (_, out, _) = screen(&t, &all_no(&[("SF9", json!(1))]), &["--no-store", "--json"]);
    let outcome: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(outcome["stored"], false);
    assert_eq!(outcome["outcome"], "concern");
    assert_eq!(
        outcome["first_steps"][0]["strategy"],
        "help-if-you-feel-unsafe"
    );
    let (_, out, _) = screen(&t, &all_no(&[("SF15", json!(1))]), &["--no-store"]);
    assert!(out.contains("If you are in danger, get help now"), "{out}");
    assert!(
        t.json(&["safety", "list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_kept_screen_can_be_deleted_for_good() {
    let t = Tandem::new();
    screen(&t, &all_no(&[("SF9", json!(1))]), &[]);
    screen(&t, &all_no(&[]), &[]);
    let kept = t.json(&["safety", "list", "--json"]);
    assert_eq!(kept.as_array().unwrap().len(), 2);
    assert_eq!(kept[0]["version"], "1.1.0");
    // The plan leads with safety while the positive screen is the latest…
    let id = kept[1]["id"].as_i64().unwrap().to_string();
    t.cmd(&["safety", "delete", &id]).assert().success();
    let plan = t.json(&["plan", "--json"]);
    assert!(
        plan.as_array().unwrap().is_empty() || plan[0]["strategy"] == "help-if-you-feel-unsafe"
    );
    let first = kept[0]["id"].as_i64().unwrap().to_string();
    t.cmd(&["safety", "delete", &first]).assert().success();
    assert!(
        t.json(&["safety", "list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    t.cmd(&["safety", "delete", &first]).assert().code(4);
    // Nothing of it, nor of the plan it shaped, is left in any file of the
    // data dir (the database and its write-ahead log).
    for entry in std::fs::read_dir(t.data_dir()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("SF9"),
            "{}: a deleted answer left a trace",
            path.display()
        );
        assert!(
            !text.contains("{\"kind\":\"safety\"}"),
            "{}: a plan reason from the deleted screen is left",
            path.display()
        );
    }
}

#[test]
fn a_positive_answer_shows_resources_and_is_kept_apart() {
    let t = Tandem::new();
    let file = answers_file(&t, "s.json", &json!({"SF8": 0, "SF9": 1, "SF10": 0}));
    let output = t
        .cmd(&["assess", "safety", "--answers", path_str(&file)])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(HEADING), "{stdout}");
    assert!(stdout.contains("112"), "{stdout}");
    let history = t.json(&["history", "--json"]);
    // Kept, in the person's own history, but never among the administrations.
    assert_eq!(history["safety_screens"].as_array().unwrap().len(), 1);
    assert_eq!(history["safety_screens"][0]["answered"], 3);
    assert!(history["administrations"].as_array().unwrap().is_empty());
    // Not part of any report.
    t.cmd(&["report"]).assert().code(4);
}

#[test]
fn resources_are_shown_even_when_the_output_is_json() {
    let t = Tandem::new();
    let file = answers_file(&t, "s.json", &json!({"SF15": 1}));
    let output = t
        .cmd(&["assess", "safety", "--answers", path_str(&file), "--json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains(HEADING));
}

#[test]
fn a_negative_screen_shows_no_alarm() {
    let t = Tandem::new();
    let file = answers_file(&t, "s.json", &all_no(&[]));
    let output = t
        .cmd(&["assess", "safety", "--answers", path_str(&file)])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(!String::from_utf8_lossy(&output.stdout).contains(HEADING));
    assert!(!String::from_utf8_lossy(&output.stderr).contains(HEADING));
}

#[test]
fn the_person_can_choose_not_to_store_safety_answers() {
    let t = Tandem::new();
    let file = answers_file(&t, "s.json", &json!({"SF9": 1}));
    let output = t
        .cmd(&[
            "assess",
            "safety",
            "--answers",
            path_str(&file),
            "--no-store",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains(HEADING));
    assert!(String::from_utf8_lossy(&output.stdout).contains("not saved"));
    assert!(
        t.json(&["history", "--json"])["safety_screens"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Interactively: the first answer is yes, the resources appear before the
    // next question, and saying no to keeping stores nothing.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("tandem"))
        .arg("--data-dir")
        .arg(t.data_dir())
        .args(["assess", "safety"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"n\n1\nq\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains(HEADING));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let resources_at = stderr
        .find(HEADING)
        .expect("resources on stderr when stdout is a pipe");
    let second_question = stderr.find("Question 2 of").unwrap();
    assert!(
        resources_at < second_question,
        "resources came late: {stderr}"
    );
    assert!(
        t.json(&["history", "--json"])["safety_screens"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn keeping_interactive_answers_saves_each_one() {
    let t = Tandem::new();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("tandem"))
        .arg("--data-dir")
        .arg(t.data_dir())
        .args(["assess", "safety"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"y\n0\n0\nq\n")
        .unwrap();
    assert!(child.wait().unwrap().success());
    let screens = t.json(&["history", "--json"])["safety_screens"].clone();
    assert_eq!(screens[0]["answered"], 2, "{screens}");
}

#[test]
fn a_deployment_can_bring_its_own_help_lines() {
    let t = Tandem::new();
    let resources = t.file(
        "help.toml",
        "[resources]\ncountry = \"XX\"\nheading = \"Help in Testland\"\nintro = \"You can call us.\"\n\n[[resources.steps]]\ntext = \"Call the Testland line on 0000.\"\n",
    );
    let file = answers_file(&t, "s.json", &json!({"SF9": 1}));
    let output = t
        .cmd(&["assess", "safety", "--answers", path_str(&file)])
        .env("TANDEM_RESOURCES", &resources)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Help in Testland") && stdout.contains("0000"),
        "{stdout}"
    );
    assert!(!stdout.contains(HEADING));
    let broken = t.file("broken.toml", "[resources]\ncountry = \"XX\"\n");
    let output = t
        .cmd(&["assess", "safety", "--answers", path_str(&file)])
        .env("TANDEM_RESOURCES", &broken)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("broken.toml"));
}

#[test]
fn a_later_more_serious_answer_shows_more_help_at_once() {
    let t = Tandem::new();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("tandem"))
        .arg("--data-dir")
        .arg(t.data_dir())
        .args(["assess", "safety"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Not kept; fear (SF8) yes; seven noes; choking (SF16) yes; then stop.
    let replies = format!("n\n1\n{}1\nq\n", "0\n".repeat(7));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(replies.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr.find(HEADING).expect("help at the first yes");
    let emergency = stderr
        .find("If you are in danger now")
        .expect("the emergency step at the urgent answer");
    assert!(first < emergency, "{stderr}");
}

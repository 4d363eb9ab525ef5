//! A positive safety answer prints the resources at once; answers stay in
//! their own place, or nowhere when the person chooses.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::common::{Tandem, answers_file, path_str};

const HEADING: &str = "You deserve to be safe";

#[test]
fn a_positive_answer_shows_resources_and_is_kept_apart() {
    let t = Tandem::new();
    let file = answers_file(&t, "s.json", &json!({"SF1": 0, "SF2": 1, "SF3": 0}));
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
    let file = answers_file(&t, "s.json", &json!({"SF4": 1}));
    let output = t
        .cmd(&["assess", "safety", "--answers", path_str(&file), "--json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains(HEADING));
}

#[test]
fn a_negative_screen_shows_no_alarm() {
    let t = Tandem::new();
    let file = answers_file(&t, "s.json", &json!({"SF1": 0, "SF2": 0}));
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
    let file = answers_file(&t, "s.json", &json!({"SF1": 1}));
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
    let file = answers_file(&t, "s.json", &json!({"SF1": 1}));
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

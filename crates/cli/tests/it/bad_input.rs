//! Bad input gets a clear error naming the place, exit code 3, and the store
//! is left exactly as it was.

use predicates::str::contains;
use serde_json::json;

use crate::common::{Tandem, answers_file, path_str};

/// A store holding one finished RDP and one person, to see that nothing moves.
fn seeded() -> Tandem {
    let t = Tandem::new();
    let instrument = t.json(&["instruments", "show", "rdp", "--json"]);
    let answers: serde_json::Map<_, _> = instrument["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap().to_owned(), json!(3)))
        .collect();
    let file = answers_file(&t, "good.json", &serde_json::Value::Object(answers));
    t.cmd(&["assess", "rdp", "--answers", path_str(&file)])
        .assert()
        .success();
    t.cmd(&[
        "network",
        "add",
        "Sam",
        "--role",
        "friend",
        "--lean",
        "emotional=3",
    ])
    .assert()
    .success();
    t
}

#[test]
fn bad_answers_files_are_refused_with_their_place_and_change_nothing() {
    let t = seeded();
    let before = t.snapshot();
    // (file contents, words the error must contain)
    let cases: &[(&str, &[&str])] = &[
        (
            "{\n  \"ER1\": 3,\n  \"NOPE7\": 2\n}\n",
            &["bad.json:3", "NOPE7", "not an item of rdp"],
        ),
        (
            "{\n  \"ER1\": 3,\n  \"VS1\": 9\n}\n",
            &["bad.json:3", "VS1", "9 is off the scale", "1 to 5"],
        ),
        (
            "{\n  \"ER1\": 0\n}\n",
            &["bad.json:2", "ER1", "off the scale"],
        ),
        (
            "{\n  \"ER1\": 3,\n  \"VS1\": 4,\n",
            &["bad.json:4", "ends too early"],
        ),
        (
            "{\n  \"ER1\": 3,\n  \"ER1\": 4\n}\n",
            &["ER1", "given twice"],
        ),
        (
            "{\n  \"ER1\": \"often\"\n}\n",
            &["bad.json:2", "ER1", "whole number"],
        ),
        (
            "{\n  \"ER1\": 2.5\n}\n",
            &["bad.json:2", "ER1", "not a whole number"],
        ),
        ("[1, 2, 3]\n", &["bad.json:1", "object"]),
        ("", &["bad.json", "ends too early"]),
    ];
    for (contents, expected) in cases {
        let file = t.file("bad.json", contents);
        let output = t
            .cmd(&["assess", "rdp", "--answers", path_str(&file)])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{contents:?}: {stderr}");
        for words in *expected {
            assert!(
                stderr.contains(words),
                "{contents:?}: {stderr:?} lacks {words:?}"
            );
        }
        assert_eq!(t.snapshot(), before, "{contents:?} changed the store");
    }
    let missing = t
        .cmd(&["assess", "rdp", "--answers", "/nonexistent/answers.json"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/answers.json"));
    assert_eq!(t.snapshot(), before);
}

#[test]
fn a_broken_instrument_file_is_refused_with_file_line_and_id() {
    let t = Tandem::new();
    let good = t.json(&["instruments", "show", "checkin", "--json"]);
    assert_eq!(good["id"], "checkin");
    let source = include_str!("../../../../instruments/checkin.toml");
    let ok = t.file("ok.toml", source);
    t.cmd(&["instruments", "validate", path_str(&ok)])
        .assert()
        .success()
        .stdout(contains("valid"));
    let broken = source.replacen("facet = \"pulse\"", "facet = \"pluse\"", 1);
    let line = broken[..broken.find("\"pluse\"").unwrap()]
        .matches('\n')
        .count()
        + 1;
    let file = t.file("broken.toml", &broken);
    let output = t
        .cmd(&["instruments", "validate", path_str(&file)])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("broken.toml:"), "{stderr}");
    assert!(
        stderr.contains("CI1") && stderr.contains("pluse"),
        "{stderr}"
    );
    // The problem is placed at the item: its table starts a line or two above the facet line.
    let placed: usize = stderr
        .split("broken.toml:")
        .nth(2)
        .unwrap()
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (line.saturating_sub(3)..=line).contains(&placed),
        "line {placed}, facet on {line}"
    );
    let cut = t.file("cut.toml", &source[..source.len() / 2]);
    t.cmd(&["instruments", "validate", path_str(&cut)])
        .assert()
        .code(3)
        .stderr(contains("cut.toml"));
}

#[test]
fn bad_arguments_are_refused_without_storing() {
    let t = seeded();
    let before = t.snapshot();
    t.cmd(&["network", "add", "Kim", "--role", "boss"])
        .assert()
        .code(3)
        .stderr(contains("--role"));
    t.cmd(&[
        "network",
        "add",
        "Kim",
        "--role",
        "friend",
        "--lean",
        "emotional=7",
    ])
    .assert()
    .code(3)
    .stderr(contains("0 to 4"));
    t.cmd(&[
        "network",
        "add",
        "Kim",
        "--role",
        "friend",
        "--lean",
        "hobbies=2",
    ])
    .assert()
    .code(3)
    .stderr(contains("hobbies"));
    t.cmd(&["network", "remove", "999"]).assert().code(4);
    t.cmd(&["assess", "rdp", "--no-store"]).assert().code(3);
    t.cmd(&["assess", "nothing"]).assert().code(2);
    assert_eq!(t.snapshot(), before);
}

#[test]
fn names_about_and_exercise_fields_follow_the_web_rules() {
    let t = seeded();
    let before = t.snapshot();
    let entries_before = t.json(&["exercises", "list", "--json"]);
    let long = "x".repeat(81);
    // (arguments, words the error must contain)
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["network", "add", "\u{FEFF}", "--role", "friend"],
            "`name` has only hidden characters",
        ),
        (
            vec!["network", "add", "Sam\u{202E}", "--role", "friend"],
            "U+202E",
        ),
        (
            vec!["network", "add", &long, "--role", "friend"],
            "`name` is too long",
        ),
        (
            vec!["network", "add", " ", "--role", "friend"],
            "`name` is empty",
        ),
        (
            vec!["checkin", "--about", "\u{200B}"],
            "`about` has only hidden characters",
        ),
        (
            vec!["assess", "rdp", "--about", &long],
            "`about` is too long",
        ),
        (vec!["assess", "rdp", "--about", "my \u{2066}mum"], "U+2066"),
        (
            vec!["exercises", "add", "support-growth", "domain=nope"],
            "`domain` cannot be `nope`",
        ),
        (
            vec!["exercises", "add", "support-growth", "person=Ana\u{202E}"],
            "`person`",
        ),
    ];
    for (args, words) in cases {
        t.cmd(&args).assert().code(3).stderr(contains(words));
    }
    assert_eq!(before, t.snapshot());
    assert_eq!(entries_before, t.json(&["exercises", "list", "--json"]));
}

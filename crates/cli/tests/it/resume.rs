//! Killing `tandem assess` midway keeps every answer given; `--resume` goes on.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::common::Tandem;

fn tandem(t: &Tandem, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("tandem"));
    cmd.arg("--data-dir").arg(t.data_dir()).args(args);
    cmd
}

/// Waits until the prompt for question `n` appears on the child's stderr.
fn wait_for(lines: &mpsc::Receiver<String>, needle: &str) {
    loop {
        match lines.recv_timeout(Duration::from_secs(30)) {
            Ok(line) if line.contains(needle) => return,
            Ok(_) => {}
            Err(err) => panic!("never saw {needle:?}: {err}"),
        }
    }
}

#[test]
fn a_killed_session_keeps_its_answers_and_resumes() {
    let t = Tandem::new();
    let mut child = tandem(&t, &["assess", "rdp"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (send, lines) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let mut stdin = child.stdin.take().unwrap();
    // Answer 4, 5; skip one; answer 2; go back and replace it with 1; answer 3.
    for (reply, next) in [
        ("4", 2),
        ("5", 3),
        ("s", 4),
        ("2", 5),
        ("b", 4),
        ("1", 5),
        ("3", 6),
    ] {
        writeln!(stdin, "{reply}").unwrap();
        wait_for(&lines, &format!("Question {next} of"));
    }
    // Question 6 is on screen: the first five are settled. Kill it hard.
    child.kill().unwrap();
    child.wait().unwrap();

    let history = t.json(&["history", "--json"]);
    let entry = &history["administrations"][0];
    assert!(entry["completed_at"].is_null());
    assert_eq!(entry["position"], 5);
    assert_eq!(entry["answered"], 4, "{entry}");
    // The profile is asked in an order of its own, kept with it.
    let order: Vec<String> = entry["item_order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect();

    // Resume and answer the rest with 3.
    let rest = "3\n".repeat(60);
    let output = tandem(&t, &["assess", "rdp", "--resume"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(rest.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Going on with"), "{stderr}");
    assert!(stderr.contains("Question 6 of"), "{stderr}");
    assert!(
        !stderr.contains("Question 5 of"),
        "resumed too early: {stderr}"
    );

    let instrument = t.json(&["instruments", "show", "rdp", "--json"]);
    let by_id = |id: &str| -> &Value {
        instrument["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["id"] == id)
            .unwrap()
    };
    let items: Vec<&Value> = order.iter().map(|id| by_id(id)).collect();
    assert_eq!(items.len(), instrument["items"].as_array().unwrap().len());
    let report = t.json(&["report", "--json"]);
    // Exactly one item (the third) was skipped; the rest were answered.
    let answered: u64 = report["facets"]
        .as_object()
        .unwrap()
        .values()
        .map(|f| f["answered"].as_u64().unwrap())
        .sum();
    assert_eq!(answered as usize, items.len() - 1);
    let skipped_facet = items[2]["facet"].as_str().unwrap();
    assert_eq!(report["facets"][skipped_facet]["missing"], 1);
    // The second try at the fourth item (1) replaced the first (2): its
    // facet scores as the mean of what was kept, each item keyed its way
    // (the first two answered 4 and 5, the third skipped, the rest 3).
    let given = |position: usize| match position {
        0 => Some(4.0),
        1 => Some(5.0),
        2 => None,
        3 => Some(1.0),
        _ => Some(3.0),
    };
    let facet = items[3]["facet"].as_str().unwrap();
    let kept: Vec<f64> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| item["facet"] == facet)
        .filter_map(|(position, item)| {
            let value = given(position)?;
            Some(if item["reverse"].as_bool().unwrap() {
                6.0 - value
            } else {
                value
            })
        })
        .collect();
    let expected = kept.iter().sum::<f64>() / kept.len() as f64;
    assert!(
        (report["facets"][facet]["score"].as_f64().unwrap() - expected).abs() < 1e-9,
        "{}",
        report["facets"][facet]
    );

    // Nothing left to resume.
    tandem(&t, &["assess", "rdp", "--resume"])
        .stdin(Stdio::null())
        .output()
        .map(|o| assert_eq!(o.status.code(), Some(4)))
        .unwrap();
}

#[test]
fn stopping_with_q_says_how_to_go_on() {
    let t = Tandem::new();
    let output = tandem(&t, &["checkin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(b"4\n7\n5\nq\n")?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Please type a number from 1 to 5"),
        "{stderr}"
    );
    assert!(stderr.contains("Your 2 answers are kept"), "{stderr}");
    assert!(stderr.contains("--resume"), "{stderr}");
}

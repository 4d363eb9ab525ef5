//! The person's own export holds everything they put in: a test writes
//! one of each kind through the web (pages where a person would use them)
//! and finds each in the Settings download, texts included.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Server, all_rdp};

/// A word only that one place holds.
const WORDS: [(&str, &str); 7] = [
    ("relationship", "Auntie Rosalind"),
    ("person", "Bartholomew"),
    ("checkin note", "quiet week by the sea"),
    ("needs statement", "lonely after supper"),
    ("boundary plan", "no phone checks at night"),
    ("journal", "the heron came back today"),
    ("goal", "learn the cello"),
];

#[tokio::test]
async fn the_export_holds_every_kind_of_data_written_through_the_web() {
    let server = Server::start().await;
    let ann = server.user("ann-export").await;
    let post = |path: &'static str, body: Value| {
        let ann = &ann;
        let server = &server;
        async move {
            let answer = ann
                .send(server, Method::POST, path, body)
                .send()
                .await
                .unwrap();
            let status = answer.status().as_u16();
            assert!(
                (200..300).contains(&status),
                "{path}: {status} {}",
                answer.text().await.unwrap()
            );
        }
    };
    post(
        "/api/v1/administrations",
        json!({"instrument": "rdp", "answers": all_rdp(4)}),
    )
    .await;
    post(
        "/api/v1/relationships",
        json!({"name": WORDS[0].1, "role": "family"}),
    )
    .await;
    post(
        "/api/v1/people",
        json!({"name": WORDS[1].1, "role": "friend", "leans_on": {"company": 2}}),
    )
    .await;
    post(
        "/api/v1/checkins",
        json!({"answers": {"CI1": 4, "CI7": 3, "CI6": WORDS[2].1}}),
    )
    .await;
    for (path, fields) in [
        (
            "/plan/do/needs-statement",
            vec![
                ("feeling", WORDS[3].1),
                ("situation", "evenings"),
                ("need", "a call"),
                ("request", "ring me"),
            ],
        ),
        (
            "/plan/do/boundary-plan",
            vec![
                ("limit", WORDS[4].1),
                ("why", "sleep"),
                ("say", "not tonight"),
                ("crossed", "I leave the room"),
            ],
        ),
        ("/plan/do/journal", vec![("text", WORDS[5].1)]),
        (
            "/plan/do/goals",
            vec![("goal", WORDS[6].1), ("step", "find a teacher")],
        ),
    ] {
        let answer = ann.form(&server, path, &fields).send().await.unwrap();
        assert!(
            answer.status().is_redirection() || answer.status().is_success(),
            "{path}: {}",
            answer.status()
        );
    }
    // A grant to a counsellor.
    let made: Value = ann
        .send(
            &server,
            Method::POST,
            "/api/v1/grants",
            json!({"scope": {"results": "indices"}}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let plan = ann.json(&server, "/api/v1/plan").await;
    assert!(
        !plan.as_array().unwrap().is_empty(),
        "answers that make a plan"
    );

    let answer = ann.get(&server, "/account/export").send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let export: Value = answer.json().await.unwrap();
    let text = export.to_string();
    assert_eq!(
        (&export["format"], &export["version"]),
        (&json!("tandem-export"), &json!(2))
    );
    for (what, word) in WORDS {
        assert!(
            text.contains(word),
            "{what} ({word}) is not in the export: {text}"
        );
    }
    let kinds: Vec<&str> = export["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for kind in ["needs-statement", "boundary-plan", "journal", "goals"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    assert_eq!(
        export["relationships"].as_array().unwrap().len(),
        2,
        "my partner and Auntie Rosalind"
    );
    let planned = export["plans"][0]["items"].to_string();
    for step in plan.as_array().unwrap() {
        let strategy = step["strategy"].as_str().unwrap();
        assert!(
            planned.contains(strategy),
            "{strategy} in the plan's history: {planned}"
        );
    }
    assert_eq!(export["grants"][0]["id"], made["id"]);
    let kinds: Vec<&str> = export["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"signed_in") && kinds.contains(&"shared"),
        "my own audit entries: {kinds:?}"
    );
}

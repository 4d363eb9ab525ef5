//! A client's map, plan and exercises as their counsellor sees them: only
//! where the grant says, never the journal, texts only when chosen.

use reqwest::Method;
use serde_json::{Value, json};

use super::{approved, call, granted, server, take};
use crate::common::all_rdp;

/// Answers where emotional reliance is high and everything else healthy,
/// keyed so that each facet scores what is chosen.
fn leaning_hard() -> Value {
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    const RISKS: [&str; 7] = ["ER", "VS", "DD", "FA", "CT", "SN", "DT"];
    let answers: serde_json::Map<String, Value> = rdp
        .items
        .iter()
        .map(|item| {
            let facet = item.facet.as_ref().unwrap().as_str();
            let level = if facet == "ER" || !RISKS.contains(&facet) {
                5
            } else {
                1
            };
            let value = if item.reverse {
                rdp.scale.mirror(level)
            } else {
                level
            };
            (item.id.to_string(), json!(value))
        })
        .collect();
    Value::Object(answers)
}

#[tokio::test]
async fn the_map_plan_and_exercises_reach_a_counsellor_only_as_the_grant_says() {
    let server = server().await;
    let ann = server.user("ann-work").await;
    take(&server, &ann, all_rdp(4)).await;
    let (status, _) = call(
        &server,
        &ann,
        Method::POST,
        "/api/v1/people",
        json!({"name": "Philomena", "role": "friend", "leans_on": {"emotional": 3}}),
    )
    .await;
    assert_eq!(status, 201);
    for (kind, content) in [
        ("goals", json!({"goal": "Run a 5k", "step": "Buy shoes"})),
        ("journal", json!({"text": "Only mine to read"})),
    ] {
        let (status, body) = call(
            &server,
            &ann,
            Method::POST,
            "/api/v1/exercises",
            json!({"kind": kind, "content": content}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
    let ben = approved(&server, "ben-work").await;
    let cat = approved(&server, "cat-work").await;
    let dan = approved(&server, "dan-work").await;
    let titles = granted(
        &server,
        &ann,
        &ben,
        json!({"results": "indices", "support_map": true, "plan": true}),
    )
    .await;
    let texts = granted(
        &server,
        &ann,
        &cat,
        json!({"results": "none", "exercise_texts": true}),
    )
    .await;
    let bare = granted(&server, &ann, &dan, json!({"results": "facets"})).await;

    // Answers that point to control shape the plan: none of those steps
    // reaches a counsellor, whose view has no room for those items either.
    let own_plan = ann.json(&server, "/api/v1/plan").await;
    assert!(own_plan.to_string().contains("coercion"), "{own_plan}");
    let read = ben
        .json(&server, &format!("/api/v1/clients/{titles}/results"))
        .await;
    assert_eq!(read["plan"], json!([]), "{read}");
    let (status, _) = call(
        &server,
        &ben,
        Method::GET,
        &format!("/api/v1/clients/{titles}/results"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200);

    take(&server, &ann, leaning_hard()).await;
    let read = ben
        .json(&server, &format!("/api/v1/clients/{titles}/results"))
        .await;
    assert_eq!(read["support_map"][0]["name"], "Philomena", "{read}");
    let plan = read["plan"].as_array().unwrap();
    assert!(
        !plan.is_empty(),
        "the plan steps: {}",
        ann.json(&server, "/api/v1/plan").await
    );
    let own_plan = ann.json(&server, "/api/v1/plan").await.to_string();
    assert!(
        plan.iter()
            .all(|step| own_plan.contains(step["strategy"].as_str().unwrap()))
    );
    let exercises = read["exercises"].as_array().unwrap();
    assert_eq!(
        exercises
            .iter()
            .map(|e| e["kind"].clone())
            .collect::<Vec<_>>(),
        [json!("goals")],
        "never the journal"
    );
    assert_eq!(exercises[0]["content"], Value::Null, "titles only");
    let page = ben.page(&server, &format!("/clients/{titles}")).await;
    assert!(
        page.contains("Who ann-work leans on") && page.contains("Philomena"),
        "{page}"
    );
    assert!(page.contains("A goal of your own") && !page.contains("Run a 5k"));

    // Texts only of the exercises chosen one by one; never the journal.
    let read = cat
        .json(&server, &format!("/api/v1/clients/{texts}/results"))
        .await;
    assert_eq!(
        read["exercises"][0]["content"],
        Value::Null,
        "none chosen yet: {read}"
    );
    let mine = ann.json(&server, "/api/v1/exercises").await;
    let id_of = |kind: &str| {
        mine.as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == kind)
            .unwrap()["id"]
            .clone()
    };
    let (status, _) = call(
        &server,
        &ann,
        Method::PUT,
        &format!("/api/v1/exercises/{}/shown", id_of("journal")),
        json!({"shown": true}),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = call(
        &server,
        &cat,
        Method::PUT,
        &format!("/api/v1/exercises/{}/shown", id_of("goals")),
        json!({"shown": true}),
    )
    .await;
    assert_eq!(status, 404, "the owner's choice alone");
    let (status, _) = call(
        &server,
        &ann,
        Method::PUT,
        &format!("/api/v1/exercises/{}/shown", id_of("goals")),
        json!({"shown": true}),
    )
    .await;
    assert_eq!(status, 204);
    let read = cat
        .json(&server, &format!("/api/v1/clients/{texts}/results"))
        .await;
    assert_eq!(
        (&read["support_map"], &read["plan"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(read["exercises"][0]["content"]["goal"], "Run a 5k");
    assert!(!read.to_string().contains("Only mine to read"));
    let page = cat.page(&server, &format!("/clients/{texts}")).await;
    assert!(page.contains("Run a 5k") && !page.contains("Philomena"));

    // The entry's own page says it and takes it back, without JavaScript.
    let goals = id_of("goals");
    let page = ann.page(&server, "/plan/do/goals").await;
    assert!(
        page.contains("A counsellor you let read your exercises can read this one."),
        "{page}"
    );
    let (_, page) = ann
        .post_then_get(
            &server,
            &format!("/plan/entries/{goals}/shown"),
            &[("shown", "no")],
        )
        .await;
    assert!(page.contains("No counsellor can read this one."), "{page}");
    let read = cat
        .json(&server, &format!("/api/v1/clients/{texts}/results"))
        .await;
    assert_eq!(read["exercises"][0]["content"], Value::Null, "taken back");

    let read = dan
        .json(&server, &format!("/api/v1/clients/{bare}/results"))
        .await;
    assert_eq!(
        (&read["support_map"], &read["plan"], &read["exercises"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );

    let log = ann.json(&server, "/api/v1/account/access-log").await;
    let details: Vec<(String, String)> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["what"] != "results")
        .map(|e| {
            (
                e["who"].as_str().unwrap().to_owned(),
                e["what"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        details,
        [
            ("ben-work".to_owned(), "support map, plan".to_owned()),
            ("ben-work".to_owned(), "support map, plan".to_owned()),
            ("ben-work".to_owned(), "support map, plan".to_owned()),
            ("ben-work".to_owned(), "support map, plan".to_owned()),
            ("cat-work".to_owned(), "exercise texts".to_owned()),
            ("cat-work".to_owned(), "exercise texts".to_owned()),
            ("cat-work".to_owned(), "exercise texts".to_owned()),
            ("cat-work".to_owned(), "exercise texts".to_owned()),
        ],
        "each view of the map, plan or texts is in the log"
    );
}

//! The action plan and exercises over HTTP: plans follow real scored
//! results, what the person writes is kept sealed, and the report keeps
//! safety out of a shared copy. One file per subject; what several of them
//! share is here.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Server, User};

mod exercises;
mod reliability;
mod report;
mod suggestions;

/// Answers every RDP item so that each facet scores `level(facet)` after keying.
fn rdp_answers(level: impl Fn(&str) -> i64) -> Value {
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let map: serde_json::Map<String, Value> = rdp
        .items
        .iter()
        .map(|item| {
            let l = level(item.facet.as_ref().unwrap().as_str());
            let v = if item.reverse { rdp.scale.mirror(l) } else { l };
            (item.id.to_string(), json!(v))
        })
        .collect();
    Value::Object(map)
}

const RISKS: [&str; 7] = ["ER", "VS", "DD", "FA", "CT", "SN", "DT"];

fn balanced(f: &str) -> i64 {
    if RISKS.contains(&f) { 1 } else { 5 }
}

async fn take(server: &Server, user: &User, level: impl Fn(&str) -> i64) {
    let response = user
        .send(
            server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "answers": rdp_answers(level) }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

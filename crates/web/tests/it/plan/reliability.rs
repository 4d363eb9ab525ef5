//! Reliability and change: after two hundred consenting profiles the
//! reliability is estimated, and a change between profiles gets a verdict.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Server, structured};

#[tokio::test(flavor = "multi_thread")]
async fn after_two_hundred_profiles_reliability_is_estimated_and_change_gets_a_verdict() {
    let server = Server::start().await;
    let user = server.user("greenshank").await;
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let mut state = 11u64;
    // Two profiles of this person's own (for the change), not yet opted in.
    for _ in 0..2 {
        let response = user
            .send(
                &server,
                Method::POST,
                "/api/v1/administrations",
                json!({ "instrument": "rdp", "answers": structured(&rdp, &mut state) }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    // 199 other people who opted in, one profile each, written straight to
    // the store (signing each up over HTTP would spend minutes on Argon2).
    let store = tandem_store_sqlite::open(server.data_dir()).await.unwrap();
    for k in 0..199 {
        let name = tandem_store::UserName::parse(&format!("sandpiper{k}")).unwrap();
        let id = store
            .create_account(&name, "$argon2id$not-a-real-hash", 0)
            .await
            .unwrap();
        let id = crate::common::owner_of(&store, id).await;
        store.set_research_consent(id, true).await.unwrap();
        let mut answers = tandem_core::answers::Answers::new();
        for (item, value) in structured(&rdp, &mut state).as_object().unwrap() {
            answers
                .set(
                    &rdp,
                    item,
                    tandem_core::answers::Answer::Value(value.as_i64().unwrap()),
                )
                .unwrap();
        }
        store
            .record_administration(id, &rdp, "my partner", &answers)
            .await
            .unwrap();
    }
    // 199 people: nothing is estimated yet.
    let results: Value = user
        .get(&server, "/api/v1/results/latest")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(results["reliability"]["source"], "none");
    assert!(results["facets"]["ER"]["low"].is_null());
    // This person opts in: their first profile makes 200 people.
    let consent = user
        .send(
            &server,
            Method::PUT,
            "/api/v1/research",
            json!({ "research": true }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(consent.status(), 200);
    let results = crate::estimates::latest_once(
        &server,
        &user,
        json!({ "source": "estimated", "administrations": 200 }),
    )
    .await;
    for facet in ["ER", "AU", "PB"] {
        let f = &results["facets"][facet];
        let (score, low, high) = (
            f["score"].as_f64().unwrap(),
            f["low"].as_f64().unwrap(),
            f["high"].as_f64().unwrap(),
        );
        assert!(low <= score && score <= high && low < high, "{facet}: {f}");
    }
    let change = &results["change"]["indices"]["over_dependence"];
    assert!(change["rci"].is_number(), "{change}");
    assert_ne!(change["verdict"], "unknown");
    let page = user
        .get(&server, "/results")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("estimated from 200 profiles"));
}

//! The questionnaires over HTTP: a positive safety answer brings help and
//! stays out of results, pages save one at a time and resume, and the first
//! page asks whom the questions are about.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::Server;

#[tokio::test(flavor = "multi_thread")]
async fn a_positive_safety_answer_brings_resources_and_stays_out_of_results() {
    let server = Server::start().await;
    let user = server.user("curlew").await;
    let kept = user
        .send(
            &server,
            Method::POST,
            "/api/v1/safety",
            json!({ "answers": { "SF8": 1 }, "keep": true }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(kept.status(), 200);
    let body: Value = kept.json().await.unwrap();
    assert_eq!(body["positive"], true);
    assert_eq!(body["outcome"], "concern");
    assert!(body["resources"]["steps"].as_array().unwrap().len() >= 3);
    assert!(body["help"]["steps"].as_array().unwrap().len() >= 3);
    // The page answers with a redirect to a page at a neutral address that
    // reads the outcome back; nothing about it is in the URL.
    let page = user
        .form(
            &server,
            "/questions/c/1",
            &[("go", "next"), ("SF9", "1"), ("keep", "no")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/questions/c/done");
    let done = user
        .get(&server, "/questions/c/done")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(done.contains("You deserve to be safe"));
    assert!(done.contains("<title>Tandem</title>"));
    let export: Value = user
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // One kept (API), one not kept (page); never among administrations.
    assert_eq!(export["safety_screens"].as_array().unwrap().len(), 1);
    assert!(export["administrations"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_save_per_page_and_resume() {
    let server = Server::start().await;
    let user = server.user("godwit").await;
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let first: Vec<(&str, &str)> = rdp.items[..6]
        .iter()
        .map(|i| (i.id.as_str(), "2"))
        .collect();
    let mut fields = vec![("go", "later")];
    fields.extend(first);
    let saved = user
        .form(&server, "/questions/a/1", &fields)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    // Coming back starts at page 2, and page 1 still shows the answers.
    let resume = user.get(&server, "/questions/a").send().await.unwrap();
    assert_eq!(resume.headers()["location"], "/questions/a/2");
    let page1 = user
        .get(&server, "/questions/a/1")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(page1.matches(" checked").count(), 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_page_asks_whom_the_questions_are_about() {
    let server = Server::start().await;
    let user = server.user("redshank").await;
    let first = user
        .get(&server, "/questions/a/1")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(first.contains("Who are these questions about?") && first.contains("my partner"));
    let too_long = "x".repeat(81);
    let refused = user
        .form(
            &server,
            "/questions/a/1",
            &[("go", "next"), ("about", &too_long)],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(
        user.get(&server, "/api/v1/administrations")
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .is_empty()
    );
    let saved = user
        .form(
            &server,
            "/questions/a/1",
            &[("go", "next"), ("about", "my sister Ann"), ("ER1", "3")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let second = user
        .get(&server, "/questions/a/2")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        second.contains("my sister Ann"),
        "the questions use the words given"
    );
    let back = user
        .get(&server, "/questions/a/1")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !back.contains("Who are these questions about?"),
        "asked once, before anything is saved"
    );
    let listed: Value = user
        .get(&server, "/api/v1/administrations")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["about"], "my sister Ann");
}

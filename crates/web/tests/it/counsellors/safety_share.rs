//! Showing a counsellor one safety result: the client's own act through
//! `POST /api/v1/grants/{id}/share-safety` or the page, once per grant;
//! the counsellor then sees the outcome (never the answers), each read in
//! the client's log, until the grant ends.

use reqwest::Method;
use serde_json::{Value, json};

use super::{approved, call, granted, server};
use crate::common::{Server, User};

/// Answers to the current safety check: "No" to all but a worry and the
/// self-harm item, kept or not: the kept screen's id.
async fn screened(server: &Server, user: &User, keep: bool) -> Value {
    let safety = tandem_core::instrument::builtin::builtin_by_id("safety")
        .unwrap()
        .unwrap();
    let answers: serde_json::Map<String, Value> = safety
        .items
        .iter()
        .map(|item| {
            let yes = ["SF8", "SF23"].contains(&item.id.as_str());
            (item.id.to_string(), json!(i64::from(yes)))
        })
        .collect();
    let (status, body) = call(
        server,
        user,
        Method::POST,
        "/api/v1/safety",
        json!({"answers": answers, "keep": keep}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"], "concern");
    assert_eq!(body["self_harm"], true);
    body["id"].clone()
}

fn no_answers_in(reply: &Value, cell: &str) {
    let text = reply.to_string();
    assert!(!text.contains("\"SF"), "{cell}: a safety item in {text}");
}

#[tokio::test]
async fn a_client_shows_one_safety_result_once_and_the_counsellor_sees_only_its_outcome() {
    let server = server().await;
    let ann = server.user("ann-shows").await;
    let ben = approved(&server, "ben-shows").await;
    let cat = approved(&server, "cat-shows").await;
    let screen = screened(&server, &ann, true).await;
    assert!(screen.is_i64(), "a kept screen has an id: {screen}");
    assert_eq!(screened(&server, &ann, false).await, Value::Null);
    let id = granted(&server, &ann, &ben, json!({"results": "indices"})).await;
    let other = granted(&server, &ann, &cat, json!({"results": "none"})).await;
    let results = format!("/api/v1/clients/{id}/results");
    let share = format!("/api/v1/grants/{id}/share-safety");

    let before = ben.json(&server, &results).await;
    assert_eq!(before["safety"], Value::Null, "nothing before the act");

    // Only the client can do it, with a screen of theirs, finished.
    for (who, path, body, status) in [
        (&ben, share.as_str(), json!({"screen": screen}), 404),
        (&cat, share.as_str(), json!({"screen": screen}), 404),
        (
            &ann,
            "/api/v1/grants/999999/share-safety",
            json!({"screen": screen}),
            404,
        ),
        (&ann, share.as_str(), json!({"screen": 999_999}), 404),
        (&ann, share.as_str(), json!({"screen": "first"}), 422),
        (&ann, share.as_str(), json!({}), 422),
        (
            &ann,
            share.as_str(),
            json!({"screen": screen, "answers": true}),
            422,
        ),
    ] {
        let (got, reply) = call(&server, who, Method::POST, path, body.clone()).await;
        assert_eq!(got, status, "{path} {body}: {reply}");
        assert_eq!(reply["status"], status, "a problem object: {reply}");
    }
    let grants = ann.json(&server, "/api/v1/grants").await;
    assert!(
        grants
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["safety_shared_at"].is_null())
    );

    let (status, shown) = call(
        &server,
        &ann,
        Method::POST,
        &share,
        json!({"screen": screen}),
    )
    .await;
    assert_eq!(status, 201, "{shown}");
    assert_eq!(
        (&shown["outcome"], &shown["self_harm"]),
        (&json!("concern"), &json!(true))
    );
    let (status, again) = call(
        &server,
        &ann,
        Method::POST,
        &share,
        json!({"screen": screen}),
    )
    .await;
    assert_eq!(status, 409, "once per grant: {again}");

    let grants = ann.json(&server, "/api/v1/grants").await;
    let by_id = |want: i64| {
        grants
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == want)
            .unwrap()["safety_shared_at"]
            .clone()
    };
    assert_eq!(by_id(id), shown["shared_at"]);
    assert_eq!(by_id(other), Value::Null);

    let read = ben.json(&server, &results).await;
    assert_eq!(read["safety"], shown, "the counsellor sees what was shown");
    no_answers_in(&read, "ben's results");
    let cats = cat
        .json(&server, &format!("/api/v1/clients/{other}/results"))
        .await;
    assert_eq!(cats["safety"], Value::Null, "another grant shows nothing");
    let page = ben.page(&server, &format!("/clients/{id}")).await;
    assert!(page.contains("chose to show you"), "{page}");
    assert!(page.contains("a worry came up"));
    assert!(page.contains("thoughts of hurting themselves"));

    let log = ann.json(&server, "/api/v1/account/access-log").await;
    let safety_reads: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["what"] == "safety result")
        .collect();
    assert_eq!(
        safety_reads.len(),
        2,
        "the results read and the page: {log}"
    );
    assert!(
        safety_reads
            .iter()
            .all(|e| e["who"] == "ben-shows" && e["grant"] == id)
    );
    let activity = ann.page(&server, "/account/activity").await;
    assert!(activity.contains("Showed a counsellor the result of one safety check"));
    assert!(activity.contains("Looked at the safety check result you chose to show"));

    // Ended: refused, and no more reads logged.
    let (status, _) = call(
        &server,
        &ann,
        Method::DELETE,
        &format!("/api/v1/grants/{id}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = call(&server, &ben, Method::GET, &results, Value::Null).await;
    assert_eq!(status, 404);
    let after = ann.json(&server, "/api/v1/account/access-log").await;
    assert_eq!(
        after.as_array().unwrap().len(),
        log.as_array().unwrap().len()
    );
}

#[tokio::test]
async fn the_page_shows_one_result_by_the_clients_choice() {
    let server = server().await;
    let ann = server.user("ann-page").await;
    let ben = approved(&server, "ben-page").await;
    let screen = screened(&server, &ann, true).await.as_i64().unwrap();
    let id = granted(&server, &ann, &ben, json!({"results": "none"})).await;

    let list = ann.page(&server, "/account/counsellors").await;
    let link = format!("/account/counsellors/{id}/c");
    assert!(list.contains(&link), "{list}");
    let choose = ann.page(&server, &link).await;
    assert!(choose.contains("will not see your answers"), "{choose}");
    assert!(choose.contains(&format!("value=\"{screen}\"")));
    assert!(choose.contains("a worry came up"));

    // Nothing chosen: said so, nothing shown.
    let answer = ann.form(&server, &link, &[]).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert!(
        answer
            .text()
            .await
            .unwrap()
            .contains("Choose the result you want to show.")
    );
    let grants = ann.json(&server, "/api/v1/grants").await;
    assert_eq!(grants[0]["safety_shared_at"], Value::Null);

    let (to, page) = ann
        .post_then_get(&server, &link, &[("screen", &screen.to_string())])
        .await;
    assert_eq!(to, "/account/counsellors");
    assert!(page.contains("You showed ben-page one result"), "{page}");
    assert!(!page.contains(&link), "once: the link is gone");
    let read = ben
        .json(&server, &format!("/api/v1/clients/{id}/results"))
        .await;
    assert_eq!(read["safety"]["outcome"], "concern");

    // Someone else's grant is not found, on the page as in the API.
    let pat = server.user("pat-page").await;
    let answer = pat.get(&server, &link).send().await.unwrap();
    assert_eq!(answer.status(), 404);
}

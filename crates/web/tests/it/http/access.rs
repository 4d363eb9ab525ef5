//! Access control between users: another person and nobody signed in get
//! nothing of mine, by page or by API.

use reqwest::Method;
use serde_json::{Value, json};

use super::seed;
use crate::common::Server;

#[tokio::test(flavor = "multi_thread")]
async fn another_user_and_nobody_get_nothing_of_mine() {
    let server = Server::start().await;
    let alice = server.user("alice").await;
    let (rdp_id, open_id, person_id) = seed(&server, &alice).await;
    let alice_before = alice
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mallory = server.user("mallory").await;

    // Pages with Alice's ids, as Mallory: 404 and none of Alice's data.
    for path in [format!("/results/{rdp_id}")] {
        let response = mallory.get(&server, &path).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert!(!response.text().await.unwrap().contains("Alex"));
    }
    let remove = mallory
        .form(&server, &format!("/people/{person_id}/remove"), &[])
        .send()
        .await
        .unwrap();
    assert_eq!(remove.status(), 404);
    // API with Alice's ids, as Mallory.
    let attempts: Vec<(Method, String, Value)> = vec![
        (
            Method::GET,
            format!("/api/v1/results/{rdp_id}"),
            Value::Null,
        ),
        (
            Method::PUT,
            format!("/api/v1/administrations/{open_id}/answers"),
            json!({ "answers": { "CI1": 1 }, "position": 1 }),
        ),
        (
            Method::POST,
            format!("/api/v1/administrations/{open_id}/complete"),
            json!({}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/people/{person_id}"),
            json!({}),
        ),
    ];
    for (method, path, body) in &attempts {
        let response = mallory
            .send(&server, method.clone(), path, body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} {path}");
        let text = response.text().await.unwrap();
        assert!(
            !text.contains("Alex") && !text.contains("\"score\""),
            "{path}: {text}"
        );
    }
    // Mallory's own lists hold none of Alice's rows.
    for path in [
        "/api/v1/administrations",
        "/api/v1/people",
        "/api/v1/relationships",
        "/api/v1/results/latest",
    ] {
        let text = mallory
            .get(&server, path)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !text.contains("Alex")
                && !text.contains(&format!("\"id\": {rdp_id}"))
                && !text.contains("\"score\""),
            "{path}: {text}"
        );
    }
    // Nobody signed in: pages send to sign-in, API says 401, nothing leaks.
    let nobody = server.browser();
    for path in [
        "/",
        "/results",
        &format!("/results/{rdp_id}"),
        "/people",
        "/relationships",
        "/links",
        "/links/1",
        "/account",
        "/account/export",
        "/questions/a/1",
    ] {
        let response = nobody.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{path}");
    }
    for (method, path, _) in &attempts {
        let response = nobody
            .request(method.clone(), server.url(path))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert!(
            response.status() == 401 || response.status() == 403,
            "{method} {path}: {}",
            response.status()
        );
    }
    for route in tandem_web::API_ROUTES
        .iter()
        .filter(|r| r.3 && r.0 == "get")
    {
        let path = format!("/api/v1{}", route.1.replace("{id}", &rdp_id.to_string()));
        assert_eq!(
            nobody.get(server.url(&path)).send().await.unwrap().status(),
            401,
            "{path}"
        );
    }
    let alice_after = alice
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(alice_before, alice_after);
}

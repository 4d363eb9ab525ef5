//! CSRF: a state change without the token, with a wrong one, or from
//! another site is refused and changes nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{PASSWORD, Server};

#[tokio::test(flavor = "multi_thread")]
async fn state_changes_without_csrf_are_refused_and_change_nothing() {
    let server = Server::start().await;
    let user = server.user("heron").await;
    let before = user
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    // JSON without the token header.
    let no_token = user
        .client
        .post(server.url("/api/v1/people"))
        .json(&json!({ "name": "Sam", "role": "friend" }))
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 403);
    // A wrong token.
    let wrong = user
        .client
        .post(server.url("/api/v1/people"))
        .header("x-csrf-token", "0".repeat(64))
        .json(&json!({ "name": "Sam", "role": "friend" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    // A form without the field.
    let form = user
        .client
        .post(server.url("/people"))
        .form(&[("name", "Sam"), ("role", "friend")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 403);
    // The right token, but sent from another site.
    let cross = user
        .client
        .post(server.url("/api/v1/people"))
        .header("x-csrf-token", &user.csrf)
        .header("sec-fetch-site", "cross-site")
        .json(&json!({ "name": "Sam", "role": "friend" }))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    // Sign-up from another origin is refused too.
    let forged = reqwest::Client::new()
        .post(server.url("/account/new"))
        .header("origin", "https://evil.example")
        .form(&[
            ("name", "mallory"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let after = user
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(before, after);
    // And with the token it works.
    let ok = user
        .send(
            &server,
            Method::POST,
            "/api/v1/people",
            json!({ "name": "Sam", "role": "friend" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 201);
}

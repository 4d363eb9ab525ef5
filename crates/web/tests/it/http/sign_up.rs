//! Signing up and in: passwords follow the rules, and a failed sign-in does
//! not tell an unknown name from a wrong password.

use serde_json::{Value, json};

use crate::common::{PASSWORD, Server};

#[tokio::test(flavor = "multi_thread")]
async fn passwords_follow_the_rules_and_sign_in_reveals_nothing() {
    let server = Server::start().await;
    let client = server.browser();
    let signup = |name: &str, password: &str| {
        client
            .post(server.url("/api/v1/accounts"))
            .json(&json!({ "name": name, "password": password }))
            .send()
    };
    assert_eq!(signup("wren", "too short").await.unwrap().status(), 422);
    assert_eq!(
        signup("wren", "passwordpassword").await.unwrap().status(),
        422
    );
    assert_eq!(signup("lo", PASSWORD).await.unwrap().status(), 422);
    assert_eq!(signup("local", PASSWORD).await.unwrap().status(), 422);
    let long = "a gentle river runs past the old mill and on to the sea ".repeat(2);
    assert_eq!(signup("wren", &long).await.unwrap().status(), 201);
    assert_eq!(
        server
            .browser()
            .post(server.url("/api/v1/accounts"))
            .json(&json!({ "name": "WREN", "password": PASSWORD }))
            .send()
            .await
            .unwrap()
            .status(),
        409
    );

    let signin = |name: &str, password: &str| {
        server
            .browser()
            .post(server.url("/api/v1/session"))
            .json(&json!({ "name": name, "password": password }))
            .send()
    };
    let unknown = signin("nobody-here", PASSWORD).await.unwrap();
    let wrong = signin("wren", PASSWORD).await.unwrap();
    assert_eq!(unknown.status(), wrong.status());
    let (a, b): (Value, Value) = (unknown.json().await.unwrap(), wrong.json().await.unwrap());
    assert_eq!(a["detail"], b["detail"]);
    assert_eq!(signin("wren", &long).await.unwrap().status(), 200);
}

//! The account: deleting it removes everything, and the API manages it
//! (sessions, password, deletion) like the pages.

use reqwest::Method;
use serde_json::{Value, json};

use super::seed;
use crate::common::{PASSWORD, Server};

#[tokio::test(flavor = "multi_thread")]
async fn deleting_an_account_removes_everything() {
    let server = Server::start().await;
    let user = server.user("snipe").await;
    seed(&server, &user).await;
    let page = user.get(&server, "/account").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let wrong = user
        .form(
            &server,
            "/account/delete",
            &[("password", "not my password at all")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    assert_eq!(
        user.get(&server, "/api/v1/people")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let gone = user
        .form(&server, "/account/delete", &[("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 303);
    assert_eq!(gone.headers()["location"], "/account/deleted");
    assert_eq!(
        user.get(&server, "/api/v1/people")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let again = server
        .browser()
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "snipe", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_manages_the_account_like_the_pages() {
    let server = Server::start().await;
    let user = server.user("whimbrel").await;
    let other = server.browser();
    let signed = other
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "whimbrel", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 200);
    let sessions: Value = user
        .get(&server, "/api/v1/sessions")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sessions.as_array().unwrap().len(), 2);
    assert_eq!(
        sessions
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["current"] == true)
            .count(),
        1
    );
    let new = "a different quiet walk along the shore";
    let wrong = user
        .send(
            &server,
            Method::PUT,
            "/api/v1/account/password",
            json!({ "current": "not it at all, sorry", "password": new }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let changed = user
        .send(
            &server,
            Method::PUT,
            "/api/v1/account/password",
            json!({ "current": PASSWORD, "password": new }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 204);
    // The other session ended with the change; the old password no longer works.
    assert_eq!(
        other
            .get(server.url("/api/v1/people"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let old = server
        .browser()
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "whimbrel", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401);
    let deleted = user
        .send(
            &server,
            Method::DELETE,
            "/api/v1/account",
            json!({ "password": new }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert!(deleted.headers().contains_key("clear-site-data"));
    assert_eq!(
        user.get(&server, "/api/v1/people")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

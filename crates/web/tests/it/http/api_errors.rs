//! Bad input over the API and the forms: a clear 4xx, and nothing changed.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::seed;
use crate::common::Server;

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_a_clear_4xx_and_changes_nothing() {
    let server = Server::start().await;
    let user = server.user("plover").await;
    seed(&server, &user).await;
    let before = user
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let post = |path: &str, body: Value| user.send(&server, Method::POST, path, body).send();
    // (request, expected status, words in the problem's detail)
    let off_scale = post("/api/v1/checkins", json!({ "answers": { "CI1": 9 } }))
        .await
        .unwrap();
    assert_eq!(off_scale.status(), 422);
    assert!(
        off_scale.json::<Value>().await.unwrap()["detail"]
            .as_str()
            .unwrap()
            .contains("off the scale")
    );
    let unknown_item = post("/api/v1/checkins", json!({ "answers": { "ZZ9": 3 } }))
        .await
        .unwrap();
    assert_eq!(unknown_item.status(), 422);
    assert!(
        unknown_item.json::<Value>().await.unwrap()["detail"]
            .as_str()
            .unwrap()
            .contains("ZZ9")
    );
    let unknown_field = post("/api/v1/checkins", json!({ "answers": {}, "mood": "ok" }))
        .await
        .unwrap();
    assert_eq!(unknown_field.status(), 422);
    assert!(
        unknown_field.json::<Value>().await.unwrap()["detail"]
            .as_str()
            .unwrap()
            .contains("mood")
    );
    let safety_in_generic = post(
        "/api/v1/administrations",
        json!({ "instrument": "safety", "answers": { "SF8": 1 } }),
    )
    .await
    .unwrap();
    assert_eq!(safety_in_generic.status(), 422);
    let bad_person = post("/api/v1/people", json!({ "name": "Kim", "role": "boss" }))
        .await
        .unwrap();
    assert_eq!(bad_person.status(), 422);
    let bad_level = post(
        "/api/v1/people",
        json!({ "name": "Kim", "role": "friend", "leans_on": { "emotional": 7 } }),
    )
    .await
    .unwrap();
    assert_eq!(bad_level.status(), 422);
    let wrong_type = user
        .client
        .post(server.url("/api/v1/checkins"))
        .header("x-csrf-token", &user.csrf)
        .header("content-type", "text/plain")
        .body("{\"answers\":{}}")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        wrong_type.headers()["content-type"],
        "application/problem+json"
    );
    let broken = user
        .client
        .post(server.url("/api/v1/checkins"))
        .header("x-csrf-token", &user.csrf)
        .header("content-type", "application/json")
        .body("{\"answers\": {")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    let huge = json!({ "answers": { "CI6": "x".repeat(200_000) } });
    let too_big = post("/api/v1/checkins", huge).await.unwrap();
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let big_form = user
        .client
        .post(server.url("/people"))
        .form(&[("csrf", user.csrf.as_str()), ("name", &"y".repeat(100_000))])
        .send()
        .await
        .unwrap();
    assert_eq!(big_form.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Forms: a field that is not on the page, and a value off the scale.
    let stray = user
        .form(
            &server,
            "/questions/b/1",
            &[("go", "next"), ("CI1", "3"), ("ER1", "3")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(stray.status(), 400);
    let off = user
        .form(&server, "/questions/b/1", &[("go", "next"), ("CI1", "8")])
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 422);
    let page = off.text().await.unwrap();
    assert!(
        page.contains("There is a problem") && page.contains("href=\"#CI1\""),
        "the error summary links to the field"
    );
    let after = user
        .get(&server, "/api/v1/export")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(before, after);
}

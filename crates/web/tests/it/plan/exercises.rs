//! The exercises: what is written is kept sealed and found again, a preview
//! or an error keeps what was typed, weeks are ticked, and a support-growth
//! step done adds the person to the map.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{PASSWORD, Server};

#[tokio::test(flavor = "multi_thread")]
async fn exercises_are_kept_sealed_and_found_again() {
    let server = Server::start().await;
    let user = server.user("sanderling").await;
    let statement = "worried-when-plans-change-8121";
    let limit = "no-phone-checking-limit-5532";
    let (to, page) = user
        .post_then_get(
            &server,
            "/plan/do/needs-statement",
            &[
                ("go", "save"),
                ("feeling", statement),
                ("situation", "plans change late"),
                ("need", "some notice"),
                ("request", "tell me a day ahead"),
            ],
        )
        .await;
    assert_eq!(to, "/plan/do/needs-statement?notice=saved");
    assert!(page.contains("Saved."));
    assert!(page.contains("I feel worried-when-plans-change-8121 when plans change late."));
    // A reload after saving fetches the page again: no second copy.
    let again = user
        .get(&server, &to)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        again
            .matches("I feel worried-when-plans-change-8121")
            .count(),
        1
    );
    let boundary = user
        .form(
            &server,
            "/plan/do/boundary-plan",
            &[
                ("go", "save"),
                ("limit", limit),
                ("why", "my phone is mine"),
                ("say", "please ask me"),
                ("crossed", "I step away"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(boundary.status(), 303);
    let own = user
        .form(
            &server,
            "/plan/do/own-life",
            &[
                ("go", "save"),
                ("interests", "choir"),
                ("time", "Thursday"),
                ("who", "on my own"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 303);
    let entries: Value = user
        .get(&server, "/api/v1/exercises?kind=own-life")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let own_id = entries[0]["id"].as_i64().unwrap();
    let ticked = user
        .form(
            &server,
            &format!("/plan/entries/{own_id}/week"),
            &[("ticked", "yes")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(ticked.status(), 303);
    // An empty entry is refused with a message, and a stray field with 400.
    let empty = user
        .form(&server, "/plan/do/journal", &[("go", "save"), ("text", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
    let stray = user
        .form(
            &server,
            "/plan/do/journal",
            &[("go", "save"), ("mood", "x")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(stray.status(), 400);

    // Sign out and in again: all of it is there.
    let again = server.browser();
    let signed = again
        .post(server.url("/account/signin"))
        .form(&[("name", "sanderling"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 303);
    let needs_page = again
        .get(server.url("/plan/do/needs-statement"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(needs_page.contains(statement));
    let boundary_page = again
        .get(server.url("/plan/do/boundary-plan"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(boundary_page.contains(limit));
    let own_page = again
        .get(server.url("/plan/do/own-life"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(own_page.contains("Weeks ticked: 1."), "{own_page}");

    // Nothing written is in the database files in plain form.
    for entry in std::fs::read_dir(server.data_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for secret in [statement, limit, "choir"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in plain form"
            );
        }
    }
    // Another person cannot read or change them.
    let other = server.user("stint").await;
    let mine: Value = user
        .get(&server, "/api/v1/exercises")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = mine[0]["id"].as_i64().unwrap();
    let theirs = other
        .send(
            &server,
            Method::DELETE,
            &format!("/api/v1/exercises/{id}"),
            json!({}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), 404);
    let listed = other
        .get(&server, "/api/v1/exercises")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!listed.contains(statement));
}

#[tokio::test(flavor = "multi_thread")]
async fn support_growth_done_adds_the_person_to_the_map() {
    let server = Server::start().await;
    let user = server.user("dotterel").await;
    let saved = user
        .form(
            &server,
            "/plan/do/support-growth",
            &[
                ("go", "save"),
                ("domain", "money"),
                ("person", "Aunt Jo"),
                ("step", "call on Sunday"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let entries: Value = user
        .get(&server, "/api/v1/exercises?kind=support-growth")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = entries[0]["id"].as_i64().unwrap();
    let done = user
        .form(&server, &format!("/plan/entries/{id}/done"), &[])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    let people: Value = user
        .get(&server, "/api/v1/people")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(people[0]["person"]["name"], "Aunt Jo");
    assert_eq!(people[0]["person"]["leans_on"]["money"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_preview_or_an_error_keeps_what_was_typed() {
    let server = Server::start().await;
    let user = server.user("knot").await;
    let preview = user
        .form(
            &server,
            "/plan/do/needs-statement",
            &[
                ("go", "preview"),
                ("feeling", "tired-9911"),
                ("situation", "late calls"),
                ("need", "rest"),
                ("request", "call before nine"),
            ],
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(preview.contains("I feel tired-9911 when late calls."));
    assert!(
        preview.contains("value=\"tired-9911\""),
        "the box keeps what was typed"
    );
    assert!(preview.contains("value=\"call before nine\""));
    let long = "x".repeat(600);
    let refused = user
        .form(
            &server,
            "/plan/do/goals",
            &[("go", "save"), ("goal", &long), ("step", "keep-me-7731")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("value=\"keep-me-7731\""),
        "other boxes keep their text"
    );
    let saved: Value = user
        .get(&server, "/api/v1/exercises")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        saved.as_array().unwrap().is_empty(),
        "a preview and a refused entry store nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn weeks_are_ticked_and_unticked_through_the_api() {
    let server = Server::start().await;
    let user = server.user("turnstone").await;
    let created = user
        .send(
            &server,
            Method::POST,
            "/api/v1/exercises",
            json!({ "kind": "own-life", "content": { "interests": "swimming" } }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let week = |method: Method, w: &str| {
        user.send(
            &server,
            method,
            &format!("/api/v1/exercises/{id}/weeks/{w}"),
            json!({}),
        )
        .send()
    };
    assert_eq!(week(Method::PUT, "2026-W47").await.unwrap().status(), 204);
    assert_eq!(week(Method::PUT, "2026-W48").await.unwrap().status(), 204);
    assert_eq!(
        week(Method::DELETE, "2026-W47").await.unwrap().status(),
        204
    );
    assert_eq!(week(Method::PUT, "2026-W99").await.unwrap().status(), 422);
    let entries: Value = user
        .get(&server, "/api/v1/exercises?kind=own-life")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(entries[0]["ticks"], json!(["2026-W48"]));
    let unknown = user
        .send(
            &server,
            Method::POST,
            "/api/v1/exercises",
            json!({ "kind": "own-life", "content": { "mood": "x" } }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 422);
}

//! The same free input refused the same way by the forms and the JSON API:
//! names, "about" and exercise fields, with nothing stored after a refusal.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Server, User};

/// Texts that no name or "about" may be, with the words the API's
/// problem detail must hold.
fn bad_names() -> Vec<(String, &'static str)> {
    vec![
        (String::new(), "is empty"),
        ("   ".into(), "is empty"),
        ("x".repeat(81), "too long"),
        ("x".repeat(60_000), "too long"),
        ("\u{FEFF}".into(), "only hidden characters"),
        ("\u{200B}\u{FEFF}".into(), "only hidden characters"),
        ("Sam\u{202E}kcab".into(), "U+202E"),
        ("\u{2066}Sam".into(), "U+2066"),
    ]
}

/// What the person has: the export, and every exercise entry (which the
/// export leaves out).
async fn everything(server: &Server, user: &User) -> String {
    let mut all = String::new();
    for path in ["/api/v1/export", "/api/v1/exercises"] {
        let response = user.get(server, path).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        all.push_str(&response.text().await.unwrap());
    }
    all
}

async fn refused(response: reqwest::Response, field: &str, words: &str, what: &str) {
    let status = response.status();
    assert_eq!(status, 422, "{what}");
    let body: Value = response.json().await.unwrap();
    let detail = body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(&format!("`{field}`")) && detail.contains(words),
        "{what}: {detail}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn names_and_about_are_refused_alike_by_forms_and_api() {
    let server = Server::start().await;
    let user = server.user("whimbrel").await;
    let before = everything(&server, &user).await;
    for (text, words) in bad_names() {
        let shown = format!("{:?}", text.chars().take(12).collect::<String>());
        let open = user
            .send(
                &server,
                Method::POST,
                "/api/v1/administrations/open",
                json!({ "instrument": "rdp", "about": text }),
            )
            .send()
            .await
            .unwrap();
        refused(open, "about", words, &format!("open {shown}")).await;
        let record = user
            .send(
                &server,
                Method::POST,
                "/api/v1/administrations",
                json!({ "instrument": "rdp", "about": text, "answers": {} }),
            )
            .send()
            .await
            .unwrap();
        refused(record, "about", words, &format!("record {shown}")).await;
        let person = user
            .send(
                &server,
                Method::POST,
                "/api/v1/people",
                json!({ "name": text, "role": "friend" }),
            )
            .send()
            .await
            .unwrap();
        refused(person, "name", words, &format!("person {shown}")).await;
        // The forms: the page again with the error, or the body too large
        // for 60,000 characters; either way a 4xx.
        let form = user
            .form(&server, "/people", &[("name", &text), ("role", "friend")])
            .send()
            .await
            .unwrap();
        assert!(
            form.status().is_client_error(),
            "people form {shown}: {}",
            form.status()
        );
        let about = user
            .form(
                &server,
                "/questions/a/1",
                &[("go", "next"), ("about", &text), ("ER1", "3")],
            )
            .send()
            .await
            .unwrap();
        assert!(
            about.status().is_client_error(),
            "about form {shown}: {}",
            about.status()
        );
    }
    assert_eq!(before, everything(&server, &user).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn exercise_fields_are_refused_alike_by_forms_and_api() {
    let server = Server::start().await;
    let user = server.user("godwit").await;
    let before = everything(&server, &user).await;
    // (field, text, words in the API's detail)
    let cases = [
        ("domain", "nope", "cannot be `nope`"),
        ("domain", "", "cannot be"),
        ("person", "\u{FEFF}", "only hidden characters"),
        ("person", "Ana\u{202E}", "U+202E"),
        ("person", &"p".repeat(81), "too long"),
        ("step", &"s".repeat(501), "too long"),
        ("step", "call \u{2067}Ana", "U+2067"),
    ];
    for (field, text, words) in cases {
        let what = format!("{field} {:?}", text.chars().take(12).collect::<String>());
        let mut content = json!({ "domain": "money", "person": "Ana", "step": "call her" });
        content[field] = json!(text);
        let api = user
            .send(
                &server,
                Method::POST,
                "/api/v1/exercises",
                json!({ "kind": "support-growth", "content": content }),
            )
            .send()
            .await
            .unwrap();
        refused(api, field, words, &what).await;
        let mut fields = vec![("domain", "money"), ("person", "Ana"), ("step", "call her")];
        for pair in &mut fields {
            if pair.0 == field {
                pair.1 = text;
            }
        }
        let form = user
            .form(&server, "/plan/do/support-growth", &fields)
            .send()
            .await
            .unwrap();
        assert!(
            form.status().is_client_error(),
            "form {what}: {}",
            form.status()
        );
    }
    assert_eq!(before, everything(&server, &user).await);
    // Listing by a kind that does not exist is refused too, not answered
    // with an empty list.
    let unknown = user
        .get(&server, "/api/v1/exercises?kind=nope")
        .send()
        .await
        .unwrap();
    refused(unknown, "nope", "is not an exercise", "list kind nope").await;
    // The same entry with good words is kept, trimmed, by both.
    let kept = user
        .send(
            &server,
            Method::POST,
            "/api/v1/exercises",
            json!({ "kind": "support-growth", "content": { "domain": "money", "person": " Ana ", "step": "call her" } }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(kept.status(), 201);
    let listed: Value = user
        .get(&server, "/api/v1/exercises")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["content"]["person"], "Ana");
}

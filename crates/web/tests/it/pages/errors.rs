//! Errors and forms with problems: every error is a page in the frame, a
//! form comes back with all its problems and every answer sent, and a form
//! without its token changes nothing.

use super::{Fields, administrations, assert_framed, hidden, questions, take_profile};
use crate::common::Server;

#[tokio::test(flavor = "multi_thread")]
async fn every_error_is_a_page_in_the_frame() {
    let server = Server::start().await;
    let user = server.user("garganey").await;
    // (method, path, body, status): ids that do not parse are "not found",
    // like ids that are not yours.
    let big = "x".repeat(70 * 1024);
    let cases: Vec<(&str, &str, Fields, u16)> = vec![
        ("GET", "/results/abc", vec![], 404),
        ("GET", "/results/99999", vec![], 404),
        ("GET", "/results/1.5", vec![], 404),
        ("GET", "/people/x", vec![], 404),
        ("POST", "/people/x/remove", vec![], 404),
        ("POST", "/plan/items/abc", vec![("status", "done")], 404),
        ("GET", "/questions/a/x", vec![], 404),
        ("GET", "/no/such/page", vec![], 404),
        ("GET", "/account/signout", vec![], 405),
        ("DELETE", "/people", vec![], 405),
        ("POST", "/people", vec![("name", big.as_str())], 413),
        ("POST", "/account/password", vec![("current", "x")], 422),
        ("POST", "/account/research", vec![("nonsense", "1")], 422),
    ];
    let mut bodies = std::collections::HashMap::new();
    for (method, path, fields, status) in cases {
        let request = match method {
            "GET" => user.get(&server, path),
            "POST" => user.form(&server, path, &fields),
            other => user
                .client
                .request(other.parse().unwrap(), server.url(path))
                .header("x-csrf-token", &user.csrf),
        };
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status().as_u16(), status, "{method} {path}");
        let kind = answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(kind.starts_with("text/html"), "{method} {path}: {kind}");
        let html = answer.text().await.unwrap();
        assert_framed(&html, path);
        assert!(!html.contains("Cannot parse"), "{path}: {html}");
        bodies.insert(path, html);
    }
    // Not a number and not yours cannot be told apart.
    assert_eq!(bodies["/results/abc"], bodies["/results/99999"]);
    // The API keeps its problem objects.
    let api = user
        .get(&server, "/api/v1/results/abc")
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 400);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
}

#[tokio::test(flavor = "multi_thread")]
async fn too_many_sign_ins_get_a_page_in_the_frame() {
    let server = Server::start().await;
    server.user("pochard").await;
    let browser = server.browser();
    let mut last = None;
    for _ in 0..12 {
        let answer = browser
            .post(server.url("/account/signin"))
            .form(&[("name", "pochard"), ("password", "not the password at all")])
            .send()
            .await
            .unwrap();
        last = Some(answer);
        if last.as_ref().unwrap().status() == 429 {
            break;
        }
    }
    let answer = last.unwrap();
    assert_eq!(answer.status(), 429);
    assert!(answer.headers().contains_key("retry-after"));
    assert_framed(&answer.text().await.unwrap(), "429");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_with_problems_comes_back_with_all_of_them() {
    let server = Server::start().await;
    let user = server.user("merganser").await;
    // (path, fields, status, the fields that must be marked invalid)
    let signed_in: Vec<(&str, Fields, u16, Vec<&str>)> = vec![
        (
            "/account/password",
            vec![("current", ""), ("password", "short"), ("confirm", "other")],
            422,
            vec!["current", "password", "confirm"],
        ),
        (
            "/account/delete",
            vec![("password", "")],
            422,
            vec!["delete-password"],
        ),
        (
            "/people",
            vec![("name", ""), ("role", "friend")],
            422,
            vec!["name"],
        ),
        (
            "/plan/do/goals",
            vec![("go", "save"), ("goal", ""), ("step", "")],
            422,
            vec!["goal"],
        ),
    ];
    for (path, fields, status, invalid) in signed_in {
        let answer = user.form(&server, path, &fields).send().await.unwrap();
        assert_eq!(answer.status().as_u16(), status, "{path}");
        let html = answer.text().await.unwrap();
        assert_framed(&html, path);
        assert!(html.contains("There is a problem"), "{path}");
        for field in invalid {
            assert!(
                html.contains(&format!("href=\"#{field}\"")),
                "{path}: summary links {field}"
            );
            assert!(
                html.contains(&format!("id=\"{field}-error\"")),
                "{path}: inline {field}"
            );
            let input = html
                .split(&format!("id=\"{field}\""))
                .nth(1)
                .and_then(|rest| rest.split('>').next())
                .unwrap_or_else(|| panic!("{path}: no field {field}"));
            assert!(
                input.contains("aria-invalid=\"true\""),
                "{path}: {field}: {input}"
            );
            assert!(
                input.contains(&format!("{field}-error")),
                "{path}: {field} described by its error: {input}"
            );
        }
    }
    // Sign-up: every problem at once, the name kept.
    let answer = server
        .browser()
        .post(server.url("/account/new"))
        .form(&[
            ("name", "a b"),
            ("password", "short"),
            ("confirm", "different"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 422);
    let html = answer.text().await.unwrap();
    for field in ["name", "password", "confirm"] {
        assert!(
            html.contains(&format!("href=\"#{field}\"")),
            "sign-up {field}: {html}"
        );
    }
    assert!(html.contains("value=\"a b\""), "the name is kept: {html}");
    // Sign-in: both empty fields named, nothing counted or hashed.
    let answer = server
        .browser()
        .post(server.url("/account/signin"))
        .form(&[("name", ""), ("password", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 422);
    let html = answer.text().await.unwrap();
    for field in ["name", "password"] {
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "sign-in {field}: {html}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn new_forms_refuse_a_missing_token_and_change_nothing() {
    let server = Server::start().await;
    let user = server.user("wigeon").await;
    let (id, _) = take_profile(&server, &user, Some("3")).await;
    let before = administrations(&server, &user).await;
    for path in [
        format!("/results/{id}/delete"),
        "/account/time-zone".to_owned(),
        "/account/recovery-codes/kept".to_owned(),
    ] {
        let answer = user
            .client
            .post(server.url(&path))
            .form(&[("zone", "Asia/Tokyo")])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 403, "{path}");
        assert_framed(&answer.text().await.unwrap(), &path);
    }
    assert_eq!(administrations(&server, &user).await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_questions_page_with_a_problem_keeps_every_answer_sent() {
    let server = Server::start().await;
    let user = server.user("shoveler").await;
    let html = user.page(&server, "/questions/a/1").await;
    let items = questions(&html);
    let key = hidden(&html, "form_key").unwrap();
    let answer = user
        .form(
            &server,
            "/questions/a/1",
            &[
                ("form_key", key.as_str()),
                ("about", "Sam & Alex"),
                (items[0].as_str(), "9"),
                (items[1].as_str(), "3"),
                (items[2].as_str(), "5"),
                ("go", "next"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 422);
    let html = answer.text().await.unwrap();
    assert!(
        html.contains("value=\"Sam &#38; Alex\""),
        "whom it is about is kept: {html}"
    );
    assert!(html.contains(&format!("href=\"#{}\"", items[0])), "{html}");
    assert!(
        html.contains(&format!("id=\"{}-error\"", items[0])),
        "{html}"
    );
    for (item, value) in [(&items[1], "3"), (&items[2], "5")] {
        let radio = format!("id=\"{item}-{value}\" name=\"{item}\" value=\"{value}\" checked");
        assert!(html.contains(&radio), "{item} keeps {value}: {html}");
    }
    assert!(!html.contains(&format!("name=\"{}\" value=\"9\"", items[0])));
    assert!(
        administrations(&server, &user).await.is_empty(),
        "nothing saved"
    );
}

//! Post/redirect/get: every form that changes something answers with a
//! redirect to the page that shows it.

use serde_json::Value;

use super::{Fields, assert_framed, hidden};
use crate::common::{Server, User};

/// The number in the first `/{prefix}/{n}/` of a page.
fn id_after(html: &str, prefix: &str) -> String {
    html.split(prefix)
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no {prefix} in {html}"))
        .to_owned()
}

async fn ids_of(server: &Server, user: &User, path: &str) -> Vec<(String, String)> {
    let list: Value = user.json(server, path).await;
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let kind = x["kind"].as_str().unwrap_or("").to_owned();
            (x["id"].to_string(), kind)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_form_that_changes_something_answers_with_a_redirect() {
    use reqwest::Method;
    use serde_json::json;
    let server = Server::start().await;
    let user = server.user("goldeneye").await;
    // Something of every kind, made through the API.
    let made = [
        (
            "/api/v1/people",
            json!({ "name": "Jo", "role": "friend", "leans_on": { "emotional": 3 } }),
        ),
        (
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "about": "my partner", "answers": crate::common::all_rdp(4) }),
        ),
        (
            "/api/v1/exercises",
            json!({ "kind": "goals", "content": { "goal": "choir" } }),
        ),
        (
            "/api/v1/exercises",
            json!({ "kind": "own-life", "content": { "interests": "walks" } }),
        ),
        (
            "/api/v1/exercises",
            json!({ "kind": "support-growth", "content": { "domain": "money", "person": "Aunt Jo" } }),
        ),
        ("/api/v1/safety", json!({ "answers": {}, "keep": true })),
    ];
    for (path, body) in made {
        let answer = user
            .send(&server, Method::POST, path, body)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{path}: {}", answer.status());
    }
    let person = ids_of(&server, &user, "/api/v1/people").await[0].0.clone();
    let item = ids_of(&server, &user, "/api/v1/plan").await[0].0.clone();
    let entries = ids_of(&server, &user, "/api/v1/exercises").await;
    let entry = |kind: &str| entries.iter().find(|(_, k)| k == kind).unwrap().0.clone();
    let (goal, own, growth) = (entry("goals"), entry("own-life"), entry("support-growth"));
    let administration = ids_of(&server, &user, "/api/v1/administrations").await[0]
        .0
        .clone();
    let settings = user.page(&server, "/account").await;
    let screen = id_after(&settings, "/account/c/");
    let form_key = hidden(&user.page(&server, "/questions/b/1").await, "form_key").unwrap();

    // (path, fields, where it leads): in an order that keeps each target.
    let cases: Vec<(String, Fields, String)> = vec![
        (
            "/people".into(),
            vec![
                ("name", "O'Brien"),
                ("role", "friend"),
                ("lean-emotional", "2"),
            ],
            "/people".into(),
        ),
        (format!("/people/{person}/remove"), vec![], "/people".into()),
        (
            format!("/plan/items/{item}"),
            vec![("status", "chosen")],
            "/plan".into(),
        ),
        (
            "/plan/do/journal".into(),
            vec![("go", "save"), ("text", "a quiet day")],
            "/plan/do/journal?notice=saved".into(),
        ),
        (
            format!("/plan/entries/{own}/week"),
            vec![("ticked", "yes")],
            "/plan/do/own-life".into(),
        ),
        (
            format!("/plan/entries/{goal}/progress"),
            vec![("progress", "50")],
            "/plan/do/goals".into(),
        ),
        (
            format!("/plan/entries/{growth}/done"),
            vec![],
            "/plan/do/support-growth".into(),
        ),
        (
            format!("/plan/entries/{goal}/delete"),
            vec![],
            "/plan/do/goals".into(),
        ),
        (
            "/questions/b/1".into(),
            vec![("form_key", form_key.as_str()), ("go", "next")],
            "/questions/b/done".into(),
        ),
        (
            "/questions/a/1".into(),
            vec![("go", "later"), ("about", "my partner")],
            "/".into(),
        ),
        (
            "/account/research".into(),
            vec![("research", "yes")],
            "/account?notice=research-on".into(),
        ),
        (
            format!("/account/c/{screen}/delete"),
            vec![],
            "/account?notice=removed".into(),
        ),
        (
            "/account/sessions/end-others".into(),
            vec![],
            "/account?notice=signed-out-others".into(),
        ),
        (
            "/account/recovery-codes".into(),
            vec![("password", crate::common::PASSWORD)],
            "/account/recovery-codes".into(),
        ),
        (
            format!("/results/{administration}/delete"),
            vec![],
            "/results?notice=deleted".into(),
        ),
        (
            "/account/password".into(),
            vec![
                ("current", crate::common::PASSWORD),
                ("password", "a kettle sings on a cold morning"),
                ("confirm", "a kettle sings on a cold morning"),
            ],
            "/account?notice=password".into(),
        ),
    ];
    for (path, fields, to) in cases {
        let answer = user.form(&server, &path, &fields).send().await.unwrap();
        let status = answer.status();
        let body_location = answer
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        assert_eq!(status, 303, "POST {path}: {}", answer.text().await.unwrap());
        assert_eq!(body_location.as_deref(), Some(to.as_str()), "POST {path}");
    }
    let gone = user
        .form(
            &server,
            "/account/delete",
            &[("password", "a kettle sings on a cold morning")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 303);
    assert_eq!(gone.headers()["location"], "/account/deleted");
    let page = server
        .browser()
        .get(server.url("/account/deleted"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_framed(&page.text().await.unwrap(), "deleted");
}

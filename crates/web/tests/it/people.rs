//! The support map's page over HTTP: adding a person answers with a
//! redirect; a mistake answers with the form again, every value kept and
//! every problem named at once, each tied to its field; removing with a bad
//! or foreign id answers with a page, never bare text.

use serde_json::Value;

use crate::common::{Server, User};

/// The people on the map, through the API.
async fn names(server: &Server, user: &User) -> Vec<String> {
    let people: Value = user
        .get(server, "/api/v1/people")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["person"]["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The `<select>` with this id, up to its closing tag.
fn select<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<select id=\"{id}\""))
        .unwrap_or_else(|| panic!("no select {id} in\n{html}"));
    let rest = &html[start..];
    &rest[..rest.find("</select>").unwrap()]
}

/// The value of the one selected option of a `<select>`.
fn selected(html: &str, id: &str) -> Vec<String> {
    select(html, id)
        .split("<option value=\"")
        .skip(1)
        .filter(|option| option.contains(" selected>"))
        .map(|option| option.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn adding_a_person_redirects_and_the_map_shows_their_name_exactly() {
    let server = Server::start().await;
    let user = server.user("plover").await;
    for name in ["Jo (my sister)", "O'Brien", "Mum & Dad"] {
        let added = user
            .form(
                &server,
                "/people",
                &[
                    ("name", name),
                    ("role", "family"),
                    ("lean-emotional", "3"),
                    ("back-company", "1"),
                ],
            )
            .send()
            .await
            .unwrap();
        assert_eq!(added.status(), 303, "{name}");
        assert_eq!(added.headers()["location"], "/people");
    }
    assert_eq!(
        names(&server, &user).await,
        ["Jo (my sister)", "O'Brien", "Mum & Dad"]
    );
    let page = user.get(&server, "/people").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    // In the picture, escaped and whole.
    let svg = &html[html.find("<svg xmlns").unwrap()..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    for escaped in ["Jo (my sister)", "O&#39;Brien", "Mum &amp; Dad"] {
        assert!(svg.contains(&format!(">{escaped}</tspan>")), "{escaped}");
    }
    assert!(!svg.contains("Jo my sister") && !svg.contains("OBrien"));
    // The key names every part of life; the answers have words.
    for words in ["Emotional support", "Company and social life"] {
        assert!(html.contains(&format!("</svg>{words}</li>")), "{words}");
    }
    assert!(html.contains(">4 — a great deal</option>"));
    assert!(html.contains(">0 — not at all</option>"));
    // A fresh form: no role chosen yet, every level at 0.
    assert_eq!(selected(&html, "role"), [""]);
    assert_eq!(selected(&html, "lean-money"), ["0"]);
    assert!(!html.contains("aria-invalid"));
}

#[tokio::test]
async fn a_mistake_shows_the_form_again_with_everything_kept() {
    let server = Server::start().await;
    let user = server.user("wren").await;
    // No name, and a level off the scale: both named at once, the rest kept.
    let refused = user
        .form(
            &server,
            "/people",
            &[
                ("name", ""),
                ("role", "colleague"),
                ("lean-emotional", "4"),
                ("back-emotional", "2"),
                ("lean-money", "9"),
                ("lean-company", "3"),
                ("back-practical", "1"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    let summary = &html[html.find("class=\"error-summary\"").unwrap()..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    let name_link = summary.find("href=\"#name\"").unwrap();
    let money_link = summary.find("href=\"#lean-money\"").unwrap();
    assert!(
        name_link < money_link,
        "in the order of the page: {summary}"
    );
    assert_eq!(summary.matches("<li>").count(), 2, "{summary}");
    // Each field with a problem says so beside it, and is marked for
    // screen readers.
    assert!(html.contains("id=\"name-error\""));
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"name-hint name-error\""));
    assert!(
        select(&html, "lean-money")
            .contains("aria-invalid=\"true\" aria-describedby=\"lean-money-error\"")
    );
    assert!(html.contains("id=\"lean-money-error\""));
    assert!(!select(&html, "lean-emotional").contains("aria-invalid"));
    // Everything chosen is still chosen.
    assert_eq!(selected(&html, "role"), ["colleague"]);
    assert_eq!(selected(&html, "lean-emotional"), ["4"]);
    assert_eq!(selected(&html, "back-emotional"), ["2"]);
    assert_eq!(selected(&html, "lean-company"), ["3"]);
    assert_eq!(selected(&html, "back-practical"), ["1"]);
    assert!(selected(&html, "lean-money").is_empty());
    assert!(names(&server, &user).await.is_empty(), "nothing stored");

    // A name kept as typed (escaped), with no role chosen.
    let no_role = user
        .form(
            &server,
            "/people",
            &[("name", "Mum & \"Dad\""), ("role", ""), ("back-money", "2")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(no_role.status(), 422);
    let html = no_role.text().await.unwrap();
    assert!(
        html.contains("value=\"Mum &#38; &#34;Dad&#34;\""),
        "the name as typed, escaped"
    );
    assert!(html.contains("href=\"#role\">Choose who this person is to you.</a>"));
    assert_eq!(selected(&html, "role"), [""]);
    assert_eq!(selected(&html, "back-money"), ["2"]);
    assert!(names(&server, &user).await.is_empty(), "nothing stored");

    // A field that is not on the form is a bad request.
    let stray = user
        .form(
            &server,
            "/people",
            &[("name", "Kim"), ("role", "friend"), ("lean-fun", "2")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(stray.status(), 400);
}

#[tokio::test]
async fn removing_with_a_bad_or_foreign_id_answers_a_page() {
    let server = Server::start().await;
    let alice = server.user("alice").await;
    let mallory = server.user("mallory").await;
    let added = alice
        .form(&server, "/people", &[("name", "Sam"), ("role", "friend")])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 303);
    let people: Value = alice
        .get(&server, "/api/v1/people")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = people[0]["id"].as_i64().unwrap();
    for (who, path) in [
        (&alice, "/people/x/remove".to_owned()),
        (&alice, "/people/99999/remove".to_owned()),
        (&alice, "/people/1.5/remove".to_owned()),
        (&mallory, format!("/people/{id}/remove")),
    ] {
        let response = who.form(&server, &path, &[]).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        let kind = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(kind.starts_with("text/html"), "{path}: {kind}");
        let html = response.text().await.unwrap();
        assert!(html.contains("<title>Tandem</title>"), "{path}: {html}");
        assert!(!html.contains("Sam"), "{path}");
    }
    assert_eq!(names(&server, &alice).await, ["Sam"]);
    let removed = alice
        .form(&server, &format!("/people/{id}/remove"), &[])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 303);
    assert!(names(&server, &alice).await.is_empty());
}

//! Pages a person can rely on: every error inside the page frame, every
//! form that changes something answering with a redirect, a stale copy of a
//! questionnaire's form changing nothing, incomplete profiles never "the
//! latest", and deleting one profile.

use serde_json::Value;

use crate::common::{Server, User};

/// A form's fields as sent.
type Fields<'a> = Vec<(&'a str, &'a str)>;

/// The value of a hidden field in a page, when it has one.
fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    html.split(&marker)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_owned)
}

/// A page in the frame: the whole document with the quick exit.
fn assert_framed(html: &str, what: &str) {
    assert!(html.starts_with("<!doctype html>"), "{what}: {html}");
    assert!(html.contains("id=\"quick-exit\""), "{what}: {html}");
    assert!(html.contains("<h1>"), "{what}: {html}");
}

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

/// The item ids of page `page` (from 1) of the profile.
fn profile_page(page: usize) -> Vec<String> {
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    rdp.items
        .chunks(6)
        .nth(page - 1)
        .unwrap()
        .iter()
        .map(|item| item.id.to_string())
        .collect()
}

/// Fills in one page of the profile as its form stands: each item at
/// `value`, or blank when `None`. Returns the answer and the form's hidden
/// fields (kept to send again later, as Back would).
async fn send_page(
    server: &Server,
    user: &User,
    page: usize,
    value: Option<&str>,
) -> (reqwest::Response, Vec<(String, String)>) {
    let path = format!("/questions/a/{page}");
    let html = user.page(server, &path).await;
    let mut fields: Vec<(String, String)> = ["administration", "form_key"]
        .iter()
        .filter_map(|name| Some((name.to_string(), hidden(&html, name)?)))
        .collect();
    if let Some(value) = value {
        for id in profile_page(page) {
            fields.push((id, value.to_owned()));
        }
    }
    fields.push(("go".into(), "next".into()));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let answer = user.form(server, &path, &borrowed).send().await.unwrap();
    (answer, fields)
}

/// Takes the whole profile; returns the finished administration's id and
/// the last page's form as it was sent.
async fn take_profile(
    server: &Server,
    user: &User,
    value: Option<&str>,
) -> (i64, Vec<(String, String)>) {
    let mut last = Vec::new();
    for page in 1..=8 {
        // Page 1 always has answers, so the administration begins.
        let given = if page == 1 { Some("3") } else { value };
        let (answer, fields) = send_page(server, user, page, given).await;
        assert_eq!(answer.status(), 303, "page {page}");
        last = fields;
        if page == 8 {
            let to = answer.headers()["location"].to_str().unwrap().to_owned();
            let id = to.trim_start_matches("/results/").parse().unwrap();
            return (id, last);
        }
    }
    unreachable!("{last:?}")
}

async fn administrations(server: &Server, user: &User) -> Vec<Value> {
    let list: Value = user.json(server, "/api/v1/administrations").await;
    list.as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn back_then_finish_and_a_form_sent_twice_change_nothing() {
    let server = Server::start().await;
    let user = server.user("smew").await;
    let (id, last_form) = take_profile(&server, &user, Some("4")).await;
    let before = administrations(&server, &user).await;
    assert_eq!(before.len(), 1);
    // Back, then Finish: the last page's form sent again.
    let last_items = profile_page(8);
    let with_answers: Vec<(&str, &str)> = last_form
        .iter()
        .filter(|(k, _)| !last_items.contains(k))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(last_items.iter().map(|id| (id.as_str(), "1")))
        .collect();
    let again = user
        .form(&server, "/questions/a/8", &with_answers)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 303);
    assert_eq!(again.headers()["location"], format!("/results/{id}"));
    assert_eq!(administrations(&server, &user).await, before);
    let latest: Value = user.json(&server, "/api/v1/results/latest").await;
    assert_eq!(latest["administration"], id);
    assert_eq!(latest["complete"], true);

    // The weekly check-in's form, sent twice, is one check-in.
    let html = user.page(&server, "/questions/b/1").await;
    let key = hidden(&html, "form_key").expect("a fresh form has a one-time key");
    let checkin = tandem_core::instrument::builtin::builtin_by_id("checkin")
        .unwrap()
        .unwrap();
    let mut fields = vec![("form_key", key.as_str()), ("go", "next")];
    let ids: Vec<String> = checkin.items.iter().map(|i| i.id.to_string()).collect();
    for id in ids.iter().take(3) {
        fields.push((id.as_str(), "2"));
    }
    for _ in 0..2 {
        let sent = user
            .form(&server, "/questions/b/1", &fields)
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 303);
        assert_eq!(sent.headers()["location"], "/questions/b/done");
    }
    let checkins = administrations(&server, &user)
        .await
        .into_iter()
        .filter(|a| a["instrument"] == "checkin")
        .count();
    assert_eq!(checkins, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_incomplete_profile_is_never_the_latest_and_can_be_deleted() {
    let server = Server::start().await;
    let user = server.user("scaup").await;
    let other = server.user("eider").await;
    let (complete, _) = take_profile(&server, &user, Some("2")).await;
    // Only page 1 answered: 6 of 48, most facets unscored.
    let (incomplete, _) = take_profile(&server, &user, None).await;
    assert!(incomplete > complete);
    let latest: Value = user.json(&server, "/api/v1/results/latest").await;
    assert_eq!(latest["administration"], complete);
    let page = user.page(&server, "/results").await;
    assert!(
        page.contains(&format!("/results/{complete}/delete")),
        "{page}"
    );
    assert!(!page.contains("This profile is not complete"));
    let shown = user
        .get(&server, &format!("/results/{incomplete}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(shown.contains("This profile is not complete"), "{shown}");
    let by_id: Value = user
        .get(&server, &format!("/api/v1/results/{incomplete}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_id["complete"], false);

    // Deleting asks first, and another person cannot.
    let path = format!("/results/{incomplete}/delete");
    let ask = user.get(&server, &path).send().await.unwrap();
    assert_eq!(ask.status(), 200);
    assert!(ask.text().await.unwrap().contains("Yes, delete it"));
    let refused = other.form(&server, &path, &[]).send().await.unwrap();
    assert_eq!(refused.status(), 404);
    assert_eq!(administrations(&server, &user).await.len(), 2);
    let (to, page) = user.post_then_get(&server, &path, &[]).await;
    assert_eq!(to, "/results?notice=deleted");
    assert!(page.contains("That profile is deleted"), "{page}");
    let left: Vec<i64> = administrations(&server, &user)
        .await
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(left, [complete]);
    let gone = user
        .get(&server, &format!("/results/{incomplete}"))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
}

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
async fn results_open_with_words_and_the_report_shows_what_was_written() {
    use reqwest::Method;
    use serde_json::json;
    let server = Server::start().await;
    let user = server.user("gadwall").await;
    take_profile(&server, &user, Some("4")).await;
    let html = user.page(&server, "/results").await;
    // Words first: the pattern, then what to do next, then the numbers;
    // statistics behind their details element; one decimal.
    let at = |words: &str| {
        html.find(words)
            .unwrap_or_else(|| panic!("no {words:?}: {html}"))
    };
    assert!(at("Pattern") < at("What to do next"));
    assert!(at("What to do next") < at("Each part, in detail"));
    assert!(at("<summary>How these numbers work</summary>") > at("Each part, in detail"));
    assert!(
        html.contains("href=\"/plan#item-"),
        "a link to the plan's first step: {html}"
    );
    let details = &html[at("<summary>How these numbers work</summary>")..];
    assert!(details.contains("content-based bands, not norms"));
    assert!(!html[..at("<summary>How these numbers work</summary>")].contains("norms"));
    assert!(!html.contains(".00"), "two decimals: {html}");
    assert!(!html.contains("Indices"), "{html}");

    // The report: a print button (shown by the script) and what was written.
    let wrote = "a letter to myself 2290";
    let saved = user
        .send(
            &server,
            Method::POST,
            "/api/v1/exercises",
            json!({ "kind": "journal", "content": { "text": wrote } }),
        )
        .send()
        .await
        .unwrap();
    assert!(saved.status().is_success());
    let report = user.page(&server, "/report").await;
    assert!(report.contains("id=\"print-report\""), "{report}");
    assert!(
        report.contains("What I wrote") && report.contains(wrote),
        "{report}"
    );
    assert!(
        report.contains("name=\"csrf-token\""),
        "the quick exit can sign out: {report}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_first_page_goes_to_the_profile_it_began_and_never_another() {
    let server = Server::start().await;
    let user = server.user("teal").await;
    // The first profile, X, with its first page's form kept as sent.
    let (begun, first_page) = send_page(&server, &user, 1, Some("4")).await;
    assert_eq!(begun.status(), 303);
    let mut finished = None;
    for page in 2..=8 {
        let (answer, _) = send_page(&server, &user, page, Some("4")).await;
        finished = answer
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
    }
    let finished = finished.unwrap();
    assert!(finished.starts_with("/results/"), "{finished}");
    // A second profile, Y, begun and left open.
    let (begun, _) = send_page(&server, &user, 1, Some("2")).await;
    assert_eq!(begun.status(), 303);
    let before = administrations(&server, &user).await;
    assert_eq!(before.len(), 2);
    // X's first page sent again: it leads to X's result and leaves Y alone.
    let replay: Vec<(&str, &str)> = first_page
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let again = user
        .form(&server, "/questions/a/1", &replay)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 303);
    assert_eq!(again.headers()["location"], finished.as_str());
    assert_eq!(administrations(&server, &user).await, before);
    let html = user.page(&server, "/questions/a/1").await;
    let item = &profile_page(1)[0];
    assert!(
        html.contains(&format!(
            "id=\"{item}-2\" name=\"{item}\" value=\"2\" checked"
        )),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_only_an_incomplete_profile_results_show_it_and_say_so() {
    let server = Server::start().await;
    let user = server.user("garganey.two").await;
    let (incomplete, _) = take_profile(&server, &user, None).await;
    let answer = user.get(&server, "/results").send().await.unwrap();
    assert_eq!(answer.status(), 303);
    assert_eq!(
        answer.headers()["location"],
        format!("/results/{incomplete}")
    );
    let home = user.page(&server, "/").await;
    assert!(home.contains("too many questions left blank"), "{home}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_questions_page_with_a_problem_keeps_every_answer_sent() {
    let server = Server::start().await;
    let user = server.user("shoveler").await;
    let items = profile_page(1);
    let html = user.page(&server, "/questions/a/1").await;
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

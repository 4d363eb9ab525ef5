//! Pages a person can rely on: every error inside the page frame, every
//! form that changes something answering with a redirect, a stale copy of a
//! questionnaire's form changing nothing, incomplete profiles never "the
//! latest", and deleting one profile. One file per subject; what several of
//! them share is here.

use serde_json::Value;

use crate::common::{Server, User};

mod errors;
mod order;
mod redirects;
mod results;
mod stale_forms;

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

/// The item ids a questions page asks, in the order it shows them: the
/// profile's order is each administration's own.
fn questions(html: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for rest in html.split("type=\"radio\" id=\"").skip(1) {
        let name = rest
            .split(" name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default();
        if !ids.iter().any(|id| id == name) {
            ids.push(name.to_owned());
        }
    }
    ids
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
        for id in questions(&html) {
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

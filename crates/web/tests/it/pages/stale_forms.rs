//! A questionnaire's form sent again: Back then Finish, a check-in sent
//! twice and a stale first page change nothing and lead to the profile they
//! began.

use serde_json::Value;

use super::{administrations, hidden, questions, send_page, take_profile};
use crate::common::Server;

#[tokio::test(flavor = "multi_thread")]
async fn back_then_finish_and_a_form_sent_twice_change_nothing() {
    let server = Server::start().await;
    let user = server.user("smew").await;
    let (id, last_form) = take_profile(&server, &user, Some("4")).await;
    let before = administrations(&server, &user).await;
    assert_eq!(before.len(), 1);
    // Back, then Finish: the last page's form sent again.
    let last_items: Vec<String> = last_form
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| !["administration", "form_key", "go"].contains(&k.as_str()))
        .collect();
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
    let item = &questions(&html)[0];
    assert!(
        html.contains(&format!(
            "id=\"{item}-2\" name=\"{item}\" value=\"2\" checked"
        )),
        "{html}"
    );
}

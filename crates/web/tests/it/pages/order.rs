//! Each profile is asked in an order of its own: two people see different
//! first pages, and one person's order holds on every page, after a
//! mistake, on coming back, and in the API.

use serde_json::Value;

use super::{hidden, questions, send_page};
use crate::common::{Server, User};

/// Sends page `page` with each of its items at "3"; returns the ids it asked.
async fn answer_page(server: &Server, user: &User, page: usize) -> Vec<String> {
    let (answer, fields) = send_page(server, user, page, Some("3")).await;
    assert_eq!(answer.status(), 303, "page {page}");
    fields
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| !["administration", "form_key", "go"].contains(&name.as_str()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_profile_is_asked_in_an_order_of_its_own_that_holds_to_the_end() {
    let server = Server::start().await;
    let (ann, ben) = (server.user("wren").await, server.user("dunlin").await);
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let plain: Vec<String> = rdp.items.iter().map(|item| item.id.to_string()).collect();

    // A mistake on the first page shows the same questions again.
    let html = ann.page(&server, "/questions/a/1").await;
    let first = questions(&html);
    assert_eq!(first.len(), 6);
    let key = hidden(&html, "form_key").unwrap();
    let refused = ann
        .form(
            &server,
            "/questions/a/1",
            &[
                ("form_key", key.as_str()),
                (first[0].as_str(), "9"),
                ("go", "next"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let again = refused.text().await.unwrap();
    assert_eq!(questions(&again), first);
    assert_eq!(hidden(&again, "form_key").as_deref(), Some(key.as_str()));

    // Sent right, it begins the profile in the order the page showed
    // before anything was stored; page 1 shows it again.
    let mut fields = vec![("form_key", key.as_str()), ("go", "next")];
    fields.extend(first.iter().map(|id| (id.as_str(), "3")));
    let begun = ann
        .form(&server, "/questions/a/1", &fields)
        .send()
        .await
        .unwrap();
    assert_eq!(begun.status(), 303);
    assert_eq!(questions(&ann.page(&server, "/questions/a/1").await), first);

    // Page by page to the end: every item once, in one order.
    let mut asked = first.clone();
    for page in 2..=8 {
        asked.extend(answer_page(&server, &ann, page).await);
    }
    assert_ne!(asked, plain, "the profile's own order");
    let mut sorted = asked.clone();
    sorted.sort();
    let mut expected = plain.clone();
    expected.sort();
    assert_eq!(sorted, expected, "each item once");

    // The API gives the same order, along which `position` counts.
    let listed: Value = ann.json(&server, "/api/v1/administrations").await;
    let order: Vec<String> = listed[0]["item_order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(order, asked);
    assert_eq!(listed[0]["position"], 48);
    assert!(listed[0].get("item_seed").is_none(), "{}", listed[0]);

    // Someone else's first page is in another order; going back to a page
    // of one begun shows what it showed.
    let theirs = answer_page(&server, &ben, 1).await;
    assert_ne!(theirs, first);
    let back = questions(&ben.page(&server, "/questions/a/1").await);
    assert_eq!(back, theirs);
    let next = questions(&ben.page(&server, "/questions/a/2").await);
    assert!(next.iter().all(|id| !theirs.contains(id)), "{next:?}");

    // Begun through the API: an order of its own each time; the check-in
    // keeps the instrument's.
    let mut orders = Vec::new();
    for instrument in ["rdp", "rdp", "checkin"] {
        let begun = ben
            .send(
                &server,
                reqwest::Method::POST,
                "/api/v1/administrations/open",
                serde_json::json!({ "instrument": instrument }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(begun.status(), 201);
        let begun: Value = begun.json().await.unwrap();
        orders.push(begun["item_order"].as_array().unwrap().clone());
    }
    assert_eq!(orders[0].len(), 48);
    assert_ne!(orders[0], orders[1]);
    let checkin = tandem_core::instrument::builtin::builtin_by_id("checkin")
        .unwrap()
        .unwrap();
    let in_order: Vec<Value> = checkin
        .items
        .iter()
        .map(|item| Value::from(item.id.as_str()))
        .collect();
    assert_eq!(orders[2], in_order);
}

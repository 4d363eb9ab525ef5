//! The results pages: an incomplete profile is never the latest, says so and
//! can be deleted; results open with words, and the report shows what was
//! written.

use serde_json::Value;

use super::{administrations, take_profile};
use crate::common::Server;

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

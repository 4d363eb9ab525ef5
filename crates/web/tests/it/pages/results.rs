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

/// A finished profile over the API about `about`, every item keyed to
/// score `value` (reversed items answered the other way).
async fn profile_about(server: &Server, user: &crate::common::User, about: &str, value: i64) {
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let answers: serde_json::Map<String, Value> = rdp
        .items
        .iter()
        .map(|i| {
            (
                i.id.to_string(),
                Value::from(if i.reverse { 6 - value } else { value }),
            )
        })
        .collect();
    let answer = user
        .send(
            server,
            reqwest::Method::POST,
            "/api/v1/administrations",
            serde_json::json!({"instrument": "rdp", "about": about, "answers": answers}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);
}

#[tokio::test(flavor = "multi_thread")]
async fn results_and_their_trend_are_shown_one_relationship_at_a_time() {
    let server = Server::start().await;
    let user = server.user("pochard").await;
    let stranger = server.user("garganey").await;
    profile_about(&server, &user, "my partner", 2).await;
    profile_about(&server, &user, "my partner", 4).await;
    profile_about(&server, &user, "my sister Jo", 3).await;
    let people: Value = user.json(&server, "/api/v1/relationships").await;
    let id_of = |name: &str| {
        people
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (partner, sister) = (id_of("my partner"), id_of("my sister Jo"));

    // The latest is about Jo: one profile, so no trend, and a way to the
    // partner's results.
    let latest = user.page(&server, "/results").await;
    assert!(latest.contains("About my sister Jo"), "{latest}");
    assert!(!latest.contains("Over time"), "{latest}");
    assert!(
        latest.contains(&format!("href=\"/results?relationship={partner}\"")),
        "{latest}"
    );
    assert!(
        !latest.contains(&format!("relationship={sister}")),
        "{latest}"
    );

    // The partner's: their two profiles, a change between them and a trend
    // of those alone.
    let theirs = user
        .page(&server, &format!("/results?relationship={partner}"))
        .await;
    assert!(theirs.contains("About my partner"), "{theirs}");
    assert!(theirs.contains("Over time"), "{theirs}");
    assert!(theirs.contains("Change since"), "{theirs}");
    assert!(
        theirs.contains(&format!("href=\"/results?relationship={sister}\"")),
        "{theirs}"
    );
    // Overall scores went from 2.0 to 4.0 about the partner; Jo's 3.0 is
    // no point on it.
    let trend = theirs
        .split("From first to latest")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .unwrap();
    assert!(
        trend.contains("2.0") && trend.contains("4.0") && !trend.contains("3.0"),
        "{trend}"
    );

    // The first page of a new profile offers the names used before.
    let take = user.page(&server, "/questions/a/1").await;
    for name in ["my partner", "my sister Jo"] {
        assert!(
            take.contains(&format!("<option value=\"{name}\">")),
            "{take}"
        );
    }
    assert!(take.contains("list=\"about-known\""), "{take}");

    // A relationship with no profile yet says so; someone else's is not found.
    let (status, _) = {
        let made = user
            .send(
                &server,
                reqwest::Method::POST,
                "/api/v1/relationships",
                serde_json::json!({"role": "friend", "name": "Ola"}),
            )
            .send()
            .await
            .unwrap();
        (made.status(), ())
    };
    assert_eq!(status, 201);
    let people: Value = user.json(&server, "/api/v1/relationships").await;
    let ola = people
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Ola")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let none = user
        .page(&server, &format!("/results?relationship={ola}"))
        .await;
    assert!(
        none.contains("There is no complete profile about this person yet."),
        "{none}"
    );
    let refused = stranger
        .get(&server, &format!("/results?relationship={partner}"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
}

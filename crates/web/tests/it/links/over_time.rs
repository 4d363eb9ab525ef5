//! The comparison's gaps over time: each of one's own profiles paired with
//! the partner's latest by then, drawn and listed on the printable page.

use reqwest::Method;
use serde_json::{Value, json};

use super::{call, link, share};
use crate::common::{Server, User};

/// A finished profile with every item in the middle but those of the "ER"
/// facet, keyed to score `value` there (nothing about power or control
/// moves, so linking stays open).
async fn keyed(server: &Server, user: &User, value: i64) {
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let answers: serde_json::Map<String, Value> = rdp
        .items
        .iter()
        .map(|i| {
            let answer = match (i.facet.as_ref().map(|f| f.as_str()), i.reverse) {
                (Some("ER"), false) => value,
                (Some("ER"), true) => 6 - value,
                _ => 3,
            };
            (i.id.to_string(), json!(answer))
        })
        .collect();
    let (status, body) = call(
        server,
        user,
        Method::POST,
        "/api/v1/administrations",
        json!({"instrument": "rdp", "answers": answers}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn gaps_over_time_pair_each_profile_with_the_partners_latest_by_then() {
    let server = Server::start().await;
    let (ann, ben) = (server.user("curlew").await, server.user("plover").await);
    keyed(&server, &ben, 3).await;
    keyed(&server, &ann, 1).await;
    let id = link(&server, &ann, &ben).await;
    share(&server, &ann, id, "indices").await;
    share(&server, &ben, id, "indices").await;

    // One profile each: no line to draw yet.
    let page = ann.page(&server, &format!("/links/{id}")).await;
    assert!(!page.contains("Gaps over time"), "{page}");

    keyed(&server, &ann, 5).await;
    let (status, reply) = call(
        &server,
        &ann,
        Method::GET,
        &format!("/api/v1/links/{id}/comparison"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    let over_time = reply["gaps_over_time"].as_array().unwrap();
    let gaps: Vec<f64> = over_time
        .iter()
        .map(|point| point["gaps"]["over_dependence"].as_f64().unwrap())
        .collect();
    // Ben's middle against Ann's low, then against her high: the same gap
    // either way.
    assert_eq!(gaps.len(), 2);
    assert!(
        gaps[0] > 0.0 && (gaps[0] + gaps[1]).abs() < 1e-9,
        "{gaps:?}"
    );
    assert!(
        over_time.iter().all(|p| p.as_object().unwrap().len() == 2),
        "{reply}"
    );

    let page = ann.page(&server, &format!("/links/{id}")).await;
    assert!(page.contains("Gaps over time"), "{page}");
    assert!(page.contains("<svg"), "{page}");
    let table = page.split("Gap in").nth(1).unwrap();
    let row = format!("{:.1} → {:.1}", gaps[0], gaps[1]);
    assert!(table.contains(&row), "{row}: {table}");
    // Printable: the buttons to mark items and the way back stay off paper.
    assert!(page.contains("id=\"print-report\""), "{page}");
    assert!(
        page.contains("<p class=\"no-print\"><a href=\"/links\">"),
        "{page}"
    );
}

//! "How I see us": each answers six questions about the two of them on
//! their own; the comparison shows both scores from the `indices` level up
//! and each answer only when both share items; a set that is not whole is
//! refused by name with nothing kept; another's relationship is not found.

use reqwest::Method;
use serde_json::{Value, json};

use super::{call, link, partner_of, share, take};
use crate::common::{Server, all_rdp};

fn whole(values: [i64; 6]) -> Value {
    let map: serde_json::Map<String, Value> = tandem_core::couple::US_ITEMS
        .iter()
        .zip(values)
        .map(|(item, value)| (item.id.to_owned(), json!(value)))
        .collect();
    Value::Object(map)
}

#[tokio::test]
async fn both_views_of_us_side_by_side_at_the_shared_level() {
    let server = Server::start().await;
    let (ann, ben) = (server.user("ann-us").await, server.user("ben-us").await);
    take(&server, &ann, all_rdp(3)).await;
    take(&server, &ben, all_rdp(3)).await;
    let id = link(&server, &ann, &ben).await;
    share(&server, &ann, id, "indices").await;
    share(&server, &ben, id, "indices").await;
    let anns = format!(
        "/api/v1/relationships/{}/us",
        partner_of(&server, &ann).await
    );
    let bens = format!(
        "/api/v1/relationships/{}/us",
        partner_of(&server, &ben).await
    );
    let comparison = format!("/api/v1/links/{id}/comparison");

    let form = ann.json(&server, &anns).await;
    assert_eq!(form["score"], Value::Null);
    assert_eq!(form["items"].as_array().unwrap().len(), 6);
    assert_eq!(form["items"][0]["answer"], Value::Null);

    // Not whole, off the scale, or not one of the questions: refused by
    // name, nothing kept.
    let mut part = whole([4; 6]);
    part.as_object_mut().unwrap().remove("US6");
    let mut off = whole([4; 6]);
    off["US2"] = json!(0);
    let mut extra = whole([4; 6]);
    extra["ER1"] = json!(3);
    for (bad, field) in [
        (part, "answers.US6"),
        (off, "answers.US2"),
        (extra, "answers.ER1"),
    ] {
        let (status, problem) =
            call(&server, &ann, Method::PUT, &anns, json!({"answers": bad})).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["field"], field);
    }
    assert_eq!(ann.json(&server, &anns).await["score"], Value::Null);
    // Ben cannot read or write Ann's.
    for (method, body) in [
        (Method::GET, Value::Null),
        (Method::PUT, json!({"answers": whole([3; 6])})),
    ] {
        let (status, _) = call(&server, &ben, method.clone(), &anns, body).await;
        assert_eq!(status, 404, "{method}");
    }

    // Ann answers: 5s, but 1 on the two reverse-keyed items (score 5).
    let (status, _) = call(
        &server,
        &ann,
        Method::PUT,
        &anns,
        json!({"answers": whole([5, 5, 5, 1, 5, 1])}),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(ann.json(&server, &anns).await["score"], 5.0);
    let (_, reply) = call(&server, &ann, Method::GET, &comparison, Value::Null).await;
    assert_eq!(reply["how_we_see_us"], Value::Null, "Ben has not answered");

    // Ben answers 3 to all (score 3): two points apart, flagged.
    let (status, _) = call(
        &server,
        &ben,
        Method::PUT,
        &bens,
        json!({"answers": whole([3; 6])}),
    )
    .await;
    assert_eq!(status, 204);
    let (_, reply) = call(&server, &ann, Method::GET, &comparison, Value::Null).await;
    let us = &reply["how_we_see_us"];
    assert_eq!(
        (&us["mine"], &us["theirs"], &us["gap"], &us["flagged"]),
        (&json!(5.0), &json!(3.0), &json!(-2.0), &json!(true)),
        "{us}"
    );
    assert_eq!(us["items"], json!([]), "answers only when both share items");
    let page = ann.page(&server, &format!("/links/{id}")).await;
    assert!(
        page.contains("You scored 5.0 and your partner 3.0, out of 5."),
        "{page}"
    );
    let (_, theirs) = call(&server, &ben, Method::GET, &comparison, Value::Null).await;
    assert_eq!(theirs["how_we_see_us"]["mine"], 3.0);
    assert_eq!(theirs["how_we_see_us"]["theirs"], 5.0);

    // Both share items: each answer side by side.
    share(&server, &ann, id, "items").await;
    share(&server, &ben, id, "items").await;
    let (_, reply) = call(&server, &ann, Method::GET, &comparison, Value::Null).await;
    let rows = reply["how_we_see_us"]["items"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 6);
    assert_eq!(
        (&rows[3]["item"], &rows[3]["mine"], &rows[3]["theirs"]),
        (&json!("US4"), &json!(1), &json!(3))
    );

    // Ben stops sharing: the comparison is gone, and with it the part.
    share(&server, &ben, id, "none").await;
    let (status, _) = call(&server, &ann, Method::GET, &comparison, Value::Null).await;
    assert_eq!(status, 403);
    // Each one's own answers stay theirs, in their own export.
    let export = ann.json(&server, "/api/v1/export").await;
    assert_eq!(export["how_i_see_us"][0]["answers"]["US4"], 1);
}

#[tokio::test]
async fn the_us_page_works_without_javascript() {
    let server = Server::start().await;
    let ann = server.user("ann-us-page").await;
    take(&server, &ann, all_rdp(3)).await;
    let path = format!("/relationships/{}/us", partner_of(&server, &ann).await);
    let page = ann.page(&server, &path).await;
    assert!(page.contains("How you see the two of you"), "{page}");
    for item in tandem_core::couple::US_ITEMS {
        assert!(page.contains(item.text), "{}", item.id);
    }
    let refused = ann
        .form(&server, &path, &[("US1", "4")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("please answer every question")
    );
    let answers: Vec<(String, String)> = tandem_core::couple::US_ITEMS
        .iter()
        .map(|item| (item.id.to_owned(), "3".to_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (to, page) = ann.post_then_get(&server, &path, &pairs).await;
    assert_eq!(to, path);
    assert!(page.contains("Your score is 3.0 out of 5"), "{page}");
    assert!(page.contains("id=\"us-US1-3\" name=\"US1\" value=\"3\" checked"));
    let listed = ann.page(&server, "/relationships").await;
    assert!(listed.contains(&format!("href=\"{path}\"")));
}

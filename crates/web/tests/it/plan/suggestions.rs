//! What the plan suggests: over-dependence and low autonomy lead it, a
//! chosen item stays, a kept positive safety answer puts help first, and a
//! balanced profile gets no alarm.

use reqwest::Method;
use serde_json::{Value, json};

use super::{balanced, take};
use crate::common::{Server, User};

async fn plan(server: &Server, user: &User) -> Vec<Value> {
    user.get(server, "/api/v1/plan")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn targets(item: &Value) -> Vec<String> {
    item["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["of"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn over_dependence_and_low_autonomy_lead_the_plan() {
    let server = Server::start().await;
    let user = server.user("linnet").await;
    assert!(plan(&server, &user).await.is_empty());
    take(&server, &user, |f| match f {
        "ER" | "VS" | "DD" | "FA" => 5,
        "AU" => 1,
        other => balanced(other),
    })
    .await;
    let items = plan(&server, &user).await;
    assert!(items.len() >= 3);
    let first = targets(&items[0]);
    assert!(
        first
            .iter()
            .any(|t| ["ER", "VS", "DD", "FA", "over_dependence"].contains(&t.as_str())),
        "{first:?}"
    );
    assert!(items.iter().any(|i| targets(i).contains(&"AU".to_owned())));
    assert!(items.iter().all(|i| i["specialised_help"] == false));
    let page = user
        .get(&server, "/plan")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(items[0]["title"].as_str().unwrap()));
    // Choosing an item survives the next profile.
    let id = items[0]["id"].as_i64().unwrap();
    let chosen = user
        .send(
            &server,
            Method::PUT,
            &format!("/api/v1/plan/{id}"),
            json!({ "status": "chosen" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(chosen.status(), 204);
    take(&server, &user, balanced).await;
    let after = plan(&server, &user).await;
    let kept = after
        .iter()
        .find(|i| i["id"] == id)
        .expect("a chosen item stays in the plan");
    assert_eq!(kept["status"], "chosen");
    // The balanced profile's other suggestions are maintenance.
    assert!(
        after
            .iter()
            .filter(|i| i["id"] != id)
            .all(|i| i["reasons"][0]["kind"] == "maintenance"),
        "{after:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kept_positive_safety_answer_puts_help_first_and_a_balanced_profile_gets_no_alarm() {
    let server = Server::start().await;
    let calm = server.user("avocet").await;
    take(&server, &calm, balanced).await;
    let items = plan(&server, &calm).await;
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|i| i["reasons"][0]["kind"] == "maintenance" && i["specialised_help"] == false),
        "{items:?}"
    );

    let worried = server.user("bittern").await;
    take(
        &server,
        &worried,
        |f| if f == "CT" { 5 } else { balanced(f) },
    )
    .await;
    let kept = worried
        .send(
            &server,
            Method::POST,
            "/api/v1/safety",
            json!({ "answers": { "SF9": 1 }, "keep": true }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(kept.status(), 200);
    let items = plan(&server, &worried).await;
    assert_eq!(items[0]["reasons"][0]["kind"], "safety");
    assert_eq!(items[0]["specialised_help"], true);
    assert!(items.iter().any(|i| targets(i).contains(&"CT".to_owned())));
    // The plan page shows where to find help beside that item.
    let page = worried
        .get(&server, "/plan")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("You deserve to be safe"));
}

//! Safety in the plan: joint steps only after a clear screen, three current
//! items, the safety check offered before any screen, and an unkept screen
//! shaping the plan until sign-out only.

use reqwest::Method;
use serde_json::{Value, json};
use tandem_core::instrument::builtin::builtin_by_id;

use super::{PLAN_OFFER, every_item, screen, store_of, text};
use crate::common::{Server, User, all_rdp};

/// RDP answers: every facet at `level(facet)` after keying.
fn profile(level: impl Fn(&str) -> i64) -> Value {
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    Value::Object(
        rdp.items
            .iter()
            .map(|item| {
                let l = level(item.facet.as_ref().unwrap().as_str());
                let v = if item.reverse { rdp.scale.mirror(l) } else { l };
                (item.id.to_string(), json!(v))
            })
            .collect(),
    )
}

async fn plan(user: &User, server: &Server) -> Vec<Value> {
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

#[tokio::test(flavor = "multi_thread")]
async fn plan_items_say_whether_they_are_joint_and_only_three_are_current() {
    let server = Server::start().await;
    let user = server.user("petrel").await;
    // A caretaker who leans hard, with a clear screen: joint steps allowed.
    screen(&user, &server, every_item(json!(0)), true).await;
    let posted = user
        .send(
            &server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "answers": profile(|f| match f {
                "ER" | "VS" | "DD" | "FA" | "CT" | "SN" => 5,
                "AU" | "CN" | "MS" => 1,
                _ => 3,
            }) }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 201);
    let items = plan(&user, &server).await;
    assert!(items.len() > 3, "{items:?}");
    assert!(items.iter().all(|i| i["joint"].is_boolean()), "{items:?}");
    let statuses: Vec<&str> = items
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "suggested").count(),
        3,
        "{statuses:?}"
    );
    assert!(statuses[3..].iter().all(|s| *s == "later"), "{statuses:?}");
    // The page folds the later ones and shows the help box once at most.
    let page = text(&user, &server, "/plan").await;
    assert!(page.contains("<details class=\"later\">"));
    assert!(page.matches("id=\"help-heading\"").count() <= 1);
    assert!(page.contains("href=\"/guide\""));

    // A positive screen: no joint step at all, the help box exactly once.
    screen(&user, &server, json!({ "SF15": 1 }), true).await;
    let items = plan(&user, &server).await;
    assert!(items.iter().all(|i| i["joint"] == false), "{items:?}");
    let page = text(&user, &server, "/plan").await;
    assert_eq!(page.matches("id=\"help-heading\"").count(), 1);
    let emergency = tandem_core::resources::default_resources()
        .unwrap()
        .emergency
        .unwrap()
        .text;
    assert!(page.contains(&emergency));
    // The results page shows the same help, once, above the pattern.
    let results = text(&user, &server, "/results").await;
    assert_eq!(results.matches("id=\"help-heading\"").count(), 1);
    let (help_at, pattern_at) = (results.find(&emergency), results.find("Pattern"));
    assert!(help_at.is_some() && pattern_at.is_some() && help_at < pattern_at);
}

#[tokio::test(flavor = "multi_thread")]
async fn before_any_screen_the_plan_offers_it_and_careless_answers_ask_for_a_look() {
    let server = Server::start().await;
    let user = server.user("gannet").await;
    let posted = user
        .send(
            &server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "answers": all_rdp(5) }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 201);
    let page = text(&user, &server, "/plan").await;
    assert!(page.contains(PLAN_OFFER), "the safety check is offered");
    assert!(page.contains("please look over your answers"), "{page}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unkept_screen_shapes_the_plan_until_sign_out_only() {
    let server = Server::start().await;
    let user = server.user("dotterel").await;
    // A caretaker, otherwise balanced.
    let answers = profile(|f| match f {
        "CT" => 5,
        "ER" | "VS" | "DD" | "FA" | "SN" | "DT" => 2,
        _ => 4,
    });
    let posted = user
        .send(
            &server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "answers": answers }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 201);
    let from_safety = |items: &[Value]| {
        items
            .iter()
            .filter(|i| matches!(i["reasons"][0]["kind"].as_str(), Some("urgent" | "safety")))
            .count()
    };
    assert_eq!(from_safety(&plan(&user, &server).await), 0);
    let body = screen(&user, &server, json!({ "SF15": 1 }), false).await;
    assert_eq!(body["stored"], false);
    let items = plan(&user, &server).await;
    assert_eq!(items[0]["reasons"][0]["kind"], "urgent", "{items:?}");
    assert!(items.iter().all(|i| i["joint"] == false));
    let (store, id) = store_of(&server, "dotterel").await;
    assert!(store.safety_screens(id).await.unwrap().is_empty());

    // Signed out and in again: nothing of the unkept screen is left in the plan.
    let out = user
        .send(&server, Method::DELETE, "/api/v1/session", json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    // The browser is told to forget this site, as at a page sign-out.
    assert_eq!(
        out.headers()["clear-site-data"],
        "\"cache\", \"cookies\", \"storage\""
    );
    let again = server.browser();
    let signed_in = again
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "dotterel", "password": crate::common::PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let items: Vec<Value> = again
        .get(server.url("/api/v1/plan"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!items.is_empty());
    assert_eq!(from_safety(&items), 0, "{items:?}");
}

//! Safety over HTTP: a blank or "prefer not to say" screen shows the help,
//! graded help, second-person wording with the other person's name, kept
//! screens deleted (pages and API, never another person's), research
//! consent off by default, plan focus and joint steps, the check-in's
//! safety item outside the pulse, and old versions resumed as they began.
//! One file per subject; what several of them share is here.

use reqwest::Method;
use serde_json::{Value, json};
use tandem_core::instrument::builtin::builtin_by_id;

use crate::common::{Server, User};

mod checkin;
mod consent;
mod plan_focus;
mod screens;
mod versions;

/// The plan's offer of the safety check.
const PLAN_OFFER: &str = "Answer the questions about staying safe";

/// The store behind a running server, opened beside it, and the right to
/// act for a user.
async fn store_of(server: &Server, name: &str) -> (tandem_store::Store, tandem_store::Owner) {
    let store = tandem_store_sqlite::open(server.data_dir()).await.unwrap();
    let parsed = tandem_store::UserName::parse(name).unwrap();
    let (id, _) = store.account_by_name(&parsed).await.unwrap().unwrap();
    let owner = crate::common::owner_of(&store, id).await;
    (store, owner)
}

async fn text(user: &User, server: &Server, path: &str) -> String {
    let response = user.get(server, path).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

async fn screen(user: &User, server: &Server, answers: Value, keep: bool) -> Value {
    let response = user
        .send(
            server,
            Method::POST,
            "/api/v1/safety",
            json!({ "answers": answers, "keep": keep }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Every safety item answered with `value`.
fn every_item(value: Value) -> Value {
    let safety = builtin_by_id("safety").unwrap().unwrap();
    Value::Object(
        safety
            .items
            .iter()
            .map(|i| (i.id.to_string(), value.clone()))
            .collect(),
    )
}

//! HTTP-level tests against a real server: headers, accounts and sessions,
//! CSRF, access control between users, and bad input that changes nothing.
//! One file per subject; what several of them share is here.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Server, User, all_rdp};

mod access;
mod account;
mod api_errors;
mod csrf;
mod openapi;
mod questions;
mod server;
mod sessions;
mod sign_up;
mod throttling;

/// Everything user A has, by route, to try as B and as nobody.
async fn seed(server: &Server, user: &User) -> (i64, i64, i64) {
    let rdp = user
        .send(
            server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "answers": all_rdp(4) }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(rdp.status(), 201);
    let rdp_id = rdp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let open = user
        .send(
            server,
            Method::POST,
            "/api/v1/administrations/open",
            json!({ "instrument": "checkin" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(open.status(), 201);
    let open_id = open.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let person = user
        .send(
            server,
            Method::POST,
            "/api/v1/people",
            json!({ "name": "Alex", "role": "partner", "leans_on": { "emotional": 4 } }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(person.status(), 201);
    let person_id = person.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    (rdp_id, open_id, person_id)
}

//! A client and a counsellor, two browsers on `localhost`: the client has
//! two profiles and invites the counsellor with a code; the counsellor
//! (approved by the operator) adds a passkey through Chromium's virtual
//! authenticator, signs in with it, takes the code, and sees the trend with
//! a reliable-change marker (reliability pinned as `reliability_file`
//! would); the client reads who looked, and stops sharing; the
//! counsellor's next request is refused.

use std::sync::Arc;

use serde_json::json;
use tandem_core::instrument::builtin::builtin_all_versions;
use tandem_core::instrument::published::load_published;
use tandem_web::WebConfig;

use super::walk::PASSWORD;
use super::{Walk, run_pair_walk_on};
use crate::common::Server;

const CLIENT: &str = "cleo.heron";
const COUNSELLOR: &str = "cal.osprey";

/// Every RDP index at reliability 0.84 and SD 1 (SEM 0.4).
const PINNED: &str = r#"
source = "A test's own figures"

[[pinned]]
instrument = "rdp"
version = "1.1.0"
indices = { over_dependence = { reliability = 0.84, sd = 1.0 }, caretaking = { reliability = 0.84, sd = 1.0 }, interdependence = { reliability = 0.84, sd = 1.0 }, detachment = { reliability = 0.84, sd = 1.0 }, power_balance = { reliability = 0.84, sd = 1.0 } }
"#;

/// Answers that put the over-dependence facets `by` points above the middle.
fn moved(by: i64) -> serde_json::Value {
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let over = ["ER", "VS", "DD", "FA"];
    let answers: serde_json::Map<String, serde_json::Value> = rdp
        .items
        .iter()
        .map(|item| {
            let facet = item.facet.as_ref().map(|f| f.as_str()).unwrap_or("");
            let value = match (item.signals.is_some(), over.contains(&facet), item.reverse) {
                (true, _, _) => 1,
                (false, true, false) => 3 + by,
                (false, true, true) => 3 - by,
                (false, false, _) => 3,
            };
            (item.id.to_string(), json!(value))
        })
        .collect();
    serde_json::Value::Object(answers)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_counsellor_with_a_passkey_follows_a_client_until_the_client_stops_it() {
    let published =
        load_published("pinned.toml", PINNED, &builtin_all_versions().unwrap()).unwrap();
    let server = Arc::new(
        Server::start_localhost(WebConfig {
            reliability: Some(published),
            ..WebConfig::default()
        })
        .await,
    );
    // The client's two profiles, through the API; the counsellor's account,
    // approved as `tandem admin approve-counsellor` would.
    let api = server.sign_up_with(CLIENT, "person", PASSWORD).await;
    for by in [2, 0] {
        let answer = api
            .send(
                &server,
                reqwest::Method::POST,
                "/api/v1/administrations",
                json!({"instrument": "rdp", "answers": moved(by)}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 201);
    }
    server
        .sign_up_with(COUNSELLOR, "counsellor", PASSWORD)
        .await;
    server.approve(COUNSELLOR).await;
    run_pair_walk_on("counsellor walk", server, counsellor_walk).await;
}

async fn counsellor_walk(mut client: Walk, mut counsellor: Walk) -> (Walk, Walk) {
    // 1. The client invites a counsellor: a code, shown once.
    client
        .client
        .goto(&client.url("/account/signin"))
        .await
        .unwrap();
    client.sign_in(CLIENT).await;
    client
        .client
        .goto(&client.url("/account/counsellors"))
        .await
        .unwrap();
    client.check_page("counsellors").await;
    client
        .labelled("Your main scores and their parts")
        .await
        .click()
        .await
        .unwrap();
    client.click_button("Make a code").await;
    client.wait_for_text("Your code").await;
    let code = client
        .find("//p[@class='code']", "the code")
        .await
        .text()
        .await
        .unwrap();
    client.check_page("counsellor-code").await;

    // 2. The counsellor: a password alone is not enough.
    counsellor
        .cdp("WebAuthn.enable", json!({"enableUI": false}))
        .await;
    counsellor
        .cdp(
            "WebAuthn.addVirtualAuthenticator",
            json!({"options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": true,
                "hasUserVerification": true,
                "isUserVerified": true,
                "automaticPresenceSimulation": true
            }}),
        )
        .await;
    counsellor
        .client
        .goto(&counsellor.url("/account/signin"))
        .await
        .unwrap();
    counsellor.sign_in(COUNSELLOR).await;
    counsellor
        .client
        .goto(&counsellor.url("/clients"))
        .await
        .unwrap();
    counsellor
        .wait_for_text("must sign in with a passkey")
        .await;

    // 3. A passkey, then signing in with it.
    counsellor
        .client
        .goto(&counsellor.url("/account/counsellors"))
        .await
        .unwrap();
    counsellor.click_button("Add a passkey").await;
    counsellor.wait_for_text(", added ").await;
    counsellor.sign_out().await;
    counsellor
        .client
        .goto(&counsellor.url("/account/signin"))
        .await
        .unwrap();
    counsellor.type_into("User name", COUNSELLOR).await;
    counsellor.click_button("Sign in with a passkey").await;
    counsellor.wait_for_path("/", |p| p == "/").await;

    // 4. The code, and the client's trend with a reliable-change marker.
    counsellor
        .client
        .goto(&counsellor.url("/clients"))
        .await
        .unwrap();
    counsellor.check_page("caseload-empty").await;
    counsellor
        .type_into("The code your client gave you", &code)
        .await;
    counsellor.click_button("Add").await;
    let page = counsellor
        .wait_for_path("/clients/{id}", |p| p.starts_with("/clients/"))
        .await;
    counsellor.wait_for_text("Reliably better").await;
    let text = counsellor.text().await;
    assert!(text.contains("5.00 → 3.00"), "the trend: {text}");
    assert!(text.contains("RCI -3.54"), "the RCI: {text}");
    counsellor.check_page("client-results").await;
    counsellor
        .client
        .goto(&counsellor.url("/clients"))
        .await
        .unwrap();
    counsellor.wait_for_text(CLIENT).await;
    counsellor
        .wait_for_text("Green: a score has got better")
        .await;
    counsellor.check_page("caseload").await;

    // 5. The client reads who looked, then stops sharing.
    client
        .client
        .goto(&client.url("/account/counsellors"))
        .await
        .unwrap();
    client.wait_for_text("Who saw what, when").await;
    let text = client.text().await;
    assert!(
        text.matches(COUNSELLOR).count() >= 3,
        "the grant and the reads: {text}"
    );
    assert!(text.contains("Looked at the results you share"), "{text}");
    client.check_page("access-log").await;
    // Under Settings, the whole chain: the reads, the code taken, and
    // the client's own sign-in.
    client.client.goto(&client.url("/account")).await.unwrap();
    client
        .click_link("Read who looked at your data, and when you signed in")
        .await;
    client.wait_for_text("Who saw what, when").await;
    let text = client.text().await;
    for expected in [
        "Took your code and can now see what you share",
        "Made a code to share with a counsellor",
        "Signed in with a password or a recovery code",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    client.check_page("activity").await;
    client
        .client
        .goto(&client.url("/account/counsellors"))
        .await
        .unwrap();
    client
        .click_button(&format!("Stop sharing with {COUNSELLOR}"))
        .await;
    client.wait_for_text("ended by you").await;

    // 6. The counsellor's next request is refused.
    counsellor
        .client
        .goto(&counsellor.url(&page))
        .await
        .unwrap();
    counsellor.wait_for_text("There is nothing here.").await;
    assert!(!counsellor.text().await.contains("Reliably better"));
    (client, counsellor)
}

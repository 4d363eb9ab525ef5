//! Counsellors over the API: accounts with a role the operator approves, a
//! client's grant taken by code, the caseload and one client's results
//! with reliable and clinically significant change, the client's access
//! log, and revoking. `reach` is the consent matrix.

use reqwest::Method;
use serde_json::{Value, json};
use tandem_core::instrument::builtin::builtin_all_versions;
use tandem_core::instrument::published::load_published;
use tandem_web::{SecondFactor, WebConfig};

use crate::common::{Server, User};

mod counsel;
mod reach;
mod safety_share;
mod work;

/// Reliability pinned for the RDP's current version, as an operator's
/// `reliability_file` would: every index at 0.84 with SD 1.0, so SEM is
/// 0.4 and a change of more than 1.96 · √2 · 0.4 ≈ 1.11 is reliable.
const PINNED: &str = r#"
source = "A test's own figures"

[[pinned]]
instrument = "rdp"
version = "1.1.0"
indices = { over_dependence = { reliability = 0.84, sd = 1.0 }, caretaking = { reliability = 0.84, sd = 1.0 }, interdependence = { reliability = 0.84, sd = 1.0 }, detachment = { reliability = 0.84, sd = 1.0 }, power_balance = { reliability = 0.84, sd = 1.0 } }
"#;

/// A server whose counsellors may sign in with a password alone (passkeys
/// are tested in the browser), with reliability pinned.
pub(crate) async fn server() -> Server {
    let published =
        load_published("pinned.toml", PINNED, &builtin_all_versions().unwrap()).unwrap();
    Server::start_with(WebConfig {
        reliability: Some(published),
        counsellor_second_factor: SecondFactor::Optional,
        ..WebConfig::default()
    })
    .await
}

pub(crate) async fn call(
    server: &Server,
    user: &User,
    method: Method,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let answer = if method == Method::GET {
        user.get(server, path).send().await.unwrap()
    } else {
        user.send(server, method, path, body).send().await.unwrap()
    };
    let status = answer.status().as_u16();
    let text = answer.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A finished RDP of `user`'s about their partner.
pub(crate) async fn take(server: &Server, user: &User, answers: Value) {
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

/// An approved counsellor, signed in.
pub(crate) async fn approved(server: &Server, name: &str) -> User {
    let user = server.counsellor(name).await;
    server.approve(name).await;
    user
}

/// `client` grants `scope`, `counsellor` takes the code: the client id.
pub(crate) async fn granted(
    server: &Server,
    client: &User,
    counsellor: &User,
    scope: Value,
) -> i64 {
    let (status, made) = call(
        server,
        client,
        Method::POST,
        "/api/v1/grants",
        json!({"scope": scope}),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    let (status, taken) = call(
        server,
        counsellor,
        Method::POST,
        "/api/v1/grants/accept",
        json!({"code": made["code"]}),
    )
    .await;
    assert_eq!(status, 201, "{taken}");
    assert_eq!(taken["id"], made["id"]);
    taken["id"].as_i64().unwrap()
}

/// Answers that move the over-dependence facets by `by` points from 3 (the
/// healthy facets stay at 3).
fn moved(by: i64) -> Value {
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let over = ["ER", "VS", "DD", "FA"];
    let answers: serde_json::Map<String, Value> = rdp
        .items
        .iter()
        .map(|item| {
            let facet = item.facet.as_ref().map(|f| f.as_str()).unwrap_or("");
            let value = if item.signals.is_some() {
                1
            } else if over.contains(&facet) {
                if item.reverse { 3 - by } else { 3 + by }
            } else {
                3
            };
            (item.id.to_string(), json!(value))
        })
        .collect();
    Value::Object(answers)
}

#[tokio::test]
async fn a_counsellor_follows_a_client_sees_reliable_change_and_loses_it_on_revoke() {
    let server = server().await;
    let ann = server.user("ann-client").await;
    let ben = approved(&server, "ben-counsellor").await;
    take(&server, &ann, moved(2)).await;
    take(&server, &ann, moved(0)).await;
    let id = granted(&server, &ann, &ben, json!({"results": "facets"})).await;

    let clients = ben.json(&server, "/api/v1/clients").await;
    assert_eq!(clients.as_array().unwrap().len(), 1, "{clients}");
    assert_eq!(clients[0]["id"], id);
    assert_eq!(clients[0]["name"], "ann-client");
    assert!(clients[0].get("user").is_none());
    // Better since the first measure, by more than chance: green.
    assert_eq!(clients[0]["attention"]["alert"], "green", "{clients}");

    let results = ben
        .json(&server, &format!("/api/v1/clients/{id}/results"))
        .await;
    let over = results["indices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "over_dependence")
        .unwrap();
    assert_eq!(over["points"].as_array().unwrap().len(), 2);
    assert_eq!(over["better"], "lower");
    // From 5 to 3 on an index with SEM 0.4: RCI = −2 / (√2 · 0.4).
    let rci = over["change"]["rci"].as_f64().unwrap();
    assert!((rci - (-2.0 / (2f64.sqrt() * 0.4))).abs() < 1e-9, "{rci}");
    assert_eq!(over["change"]["verdict"], "reliable_decrease");
    assert_eq!(over["clinical"]["outcome"], "improved");
    assert_eq!(
        over["clinical"]["cutoff"],
        Value::Null,
        "no norms are declared"
    );
    let steady = results["indices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "interdependence")
        .unwrap();
    assert_eq!(steady["clinical"]["outcome"], "no_reliable_change");
    assert_eq!(results["reliability"]["source"], "published");
    assert!(results["facets"].as_array().is_some_and(|f| !f.is_empty()));
    assert!(
        results["administrations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["items"].is_null())
    );

    // The client reads who looked, and when.
    let log = ann.json(&server, "/api/v1/account/access-log").await;
    let log = log.as_array().unwrap();
    assert_eq!(
        log.len(),
        2,
        "the caseload read and the results read: {log:?}"
    );
    assert!(
        log.iter()
            .all(|e| e["who"] == "ben-counsellor" && e["grant"] == id)
    );
    // The whole chain: the client's sign-in, the code made and taken, the
    // two reads, in order.
    let chain = ann.json(&server, "/api/v1/account/audit").await;
    let kinds: Vec<(&str, &str, i64)> = chain
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["who"].as_str().unwrap(),
                e["seq"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("signed_in", "ann-client", 1),
            ("shared", "ann-client", 2),
            ("accepted", "ben-counsellor", 3),
            ("read", "ben-counsellor", 4),
            ("read", "ben-counsellor", 5),
        ]
    );
    let grants = ann.json(&server, "/api/v1/grants").await;
    assert_eq!(grants[0]["status"], "active");
    assert_eq!(grants[0]["counsellor"], "ben-counsellor");

    // The profiles as CSV: a column per index and facet shared, none for
    // items (not shared), a row per profile, oldest first.
    let answer = ben
        .get(
            &server,
            &format!("/api/v1/clients/{id}/export?instrument=rdp"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert!(
        answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = answer.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(&header[..3], ["completed_at", "version", "relationship"]);
    assert!(
        header.contains(&"over_dependence") && header.contains(&"ER"),
        "{text}"
    );
    assert!(!header.contains(&"ER1"), "items are not shared: {text}");
    let at = header.iter().position(|c| *c == "over_dependence").unwrap();
    let column: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(at).unwrap())
        .collect();
    assert_eq!(column, ["5", "3"]);
    for bad in ["safety", "nonesuch"] {
        let (status, _) = call(
            &server,
            &ben,
            Method::GET,
            &format!("/api/v1/clients/{id}/export?instrument={bad}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 422, "{bad}");
    }
    assert_eq!(
        ann.json(&server, "/api/v1/account/access-log")
            .await
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Revoked: the counsellor's next request is refused.
    let (status, _) = call(
        &server,
        &ann,
        Method::DELETE,
        &format!("/api/v1/grants/{id}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = call(
        &server,
        &ben,
        Method::GET,
        &format!("/api/v1/clients/{id}/results"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(ben.json(&server, "/api/v1/clients").await, json!([]));
    assert_eq!(
        ann.json(&server, "/api/v1/grants").await[0]["status"],
        "revoked"
    );
    assert_eq!(
        ann.json(&server, "/api/v1/account/access-log")
            .await
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let export = format!("/api/v1/clients/{id}/export?instrument=rdp");
    let (status, _) = call(&server, &ben, Method::GET, &export, Value::Null).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn only_an_approved_counsellor_takes_a_code_and_a_second_factor_is_required_by_default() {
    let server = Server::start().await;
    let ann = server.user("ann-strict").await;
    let cal = server.counsellor("cal-waiting").await;
    let pat = server.user("pat-person").await;
    let (_, made) = call(
        &server,
        &ann,
        Method::POST,
        "/api/v1/grants",
        json!({"scope": {"results": "indices"}}),
    )
    .await;
    let code = json!({"code": made["code"]});
    // A person is not a counsellor; a counsellor must sign in with a passkey.
    let (status, reply) = call(
        &server,
        &pat,
        Method::POST,
        "/api/v1/grants/accept",
        code.clone(),
    )
    .await;
    assert_eq!(status, 403, "{reply}");
    let (status, reply) = call(
        &server,
        &cal,
        Method::POST,
        "/api/v1/grants/accept",
        code.clone(),
    )
    .await;
    assert_eq!(status, 403, "{reply}");
    assert!(
        reply["detail"].as_str().unwrap().contains("passkey"),
        "{reply}"
    );
    let (status, _) = call(&server, &cal, Method::GET, "/api/v1/clients", Value::Null).await;
    assert_eq!(status, 403);

    // Relaxed by the operator: still not before approval.
    let relaxed = self::server().await;
    let ann = relaxed.user("ann-relaxed").await;
    let cal = relaxed.counsellor("cal-waiting").await;
    let (_, made) = call(
        &relaxed,
        &ann,
        Method::POST,
        "/api/v1/grants",
        json!({"scope": {"results": "indices"}}),
    )
    .await;
    let code = json!({"code": made["code"]});
    let (status, reply) = call(
        &relaxed,
        &cal,
        Method::POST,
        "/api/v1/grants/accept",
        code.clone(),
    )
    .await;
    assert_eq!(status, 409, "{reply}");
    relaxed.approve("cal-waiting").await;
    let (status, _) = call(
        &relaxed,
        &cal,
        Method::POST,
        "/api/v1/grants/accept",
        code.clone(),
    )
    .await;
    assert_eq!(status, 201);
    // Used once.
    let dan = approved(&relaxed, "dan-second").await;
    let (status, reply) = call(&relaxed, &dan, Method::POST, "/api/v1/grants/accept", code).await;
    assert_eq!(
        (status, reply["field"].as_str()),
        (422, Some("code")),
        "{reply}"
    );
}

#[tokio::test]
async fn a_grant_that_does_not_hold_together_is_refused_with_its_field_and_nothing_is_kept() {
    let server = server().await;
    let ann = server.user("ann-bad").await;
    for (scope, expires, field) in [
        (json!({"results": "everything"}), Value::Null, None),
        (
            json!({"results": "items", "safety": true}),
            Value::Null,
            None,
        ),
        (
            json!({"instruments": ["safety"]}),
            Value::Null,
            Some("scope.instruments"),
        ),
        (
            json!({"instruments": ["nonesuch"]}),
            Value::Null,
            Some("scope.instruments"),
        ),
        (
            json!({"results": "indices"}),
            json!("2001-01-01"),
            Some("expires_at"),
        ),
        (
            json!({"results": "indices"}),
            json!("next tuesday"),
            Some("expires_at"),
        ),
    ] {
        let mut body = json!({"scope": scope});
        if !expires.is_null() {
            body["expires_at"] = expires;
        }
        let (status, reply) =
            call(&server, &ann, Method::POST, "/api/v1/grants", body.clone()).await;
        assert!((400..500).contains(&status), "{body}: {status} {reply}");
        if let Some(field) = field {
            assert_eq!(
                (status, reply["field"].as_str()),
                (422, Some(field)),
                "{body}: {reply}"
            );
        }
    }
    let (status, reply) = call(
        &server,
        &ann,
        Method::POST,
        "/api/v1/grants",
        json!({"scope": {"relationships": [999_999]}}),
    )
    .await;
    assert_eq!(status, 404, "{reply}");
    assert_eq!(ann.json(&server, "/api/v1/grants").await, json!([]));
}

#[tokio::test]
async fn the_sign_up_page_makes_a_counsellor_account_when_asked_and_a_persons_otherwise() {
    let server = server().await;
    for (name, counsellor, expected) in [
        ("cora-page", true, tandem_store::AccountRole::Counsellor),
        ("pat-page", false, tandem_store::AccountRole::Person),
    ] {
        let mut fields = vec![
            ("name", name),
            ("password", crate::common::PASSWORD),
            ("confirm", crate::common::PASSWORD),
        ];
        if counsellor {
            fields.push(("counsellor", "yes"));
        }
        let answer = server
            .browser()
            .post(server.url("/account/new"))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303, "{name}");
        let store = server.store();
        let (id, _) = store
            .account_by_name(&tandem_store::UserName::parse(name).unwrap())
            .await
            .unwrap()
            .unwrap();
        let owner = crate::common::owner_of(store, id).await;
        let standing = store.standing(owner).await.unwrap();
        assert_eq!(standing.role, expected, "{name}");
        assert_eq!(
            standing.approved_unix, None,
            "{name}: not approved by signing up"
        );
    }
}

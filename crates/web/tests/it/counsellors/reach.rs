//! The consent matrix with counsellors: a grant at each results level, one
//! with check-in notes, one expired, one revoked, another counsellor's
//! client, a counsellor with no grant, a person who is not a counsellor,
//! and no session. Only the allowed cells answer 2xx; no counsellor reply
//! holds a safety item, an item that signals risk, or a field the grant
//! left out; every allowed read leaves an entry in the client's log.

use reqwest::Method;
use serde_json::{Value, json};
use tandem_store::links::{code_hash, new_code};
use tandem_store::{Scope, ShareLevel};

use super::{approved, call, granted, server, take};
use crate::common::{Server, User, all_rdp, owner_of};

/// Words only the client wrote: a person on her map and her check-in note.
const HERS: [&str; 2] = ["Philomena", "Kept the evening calm"];

async fn fill(server: &Server, ann: &User) {
    take(server, ann, all_rdp(2)).await;
    take(server, ann, all_rdp(4)).await;
    let checkin = tandem_core::instrument::builtin::builtin_by_id("checkin")
        .unwrap()
        .unwrap();
    let answers: serde_json::Map<String, Value> = checkin
        .items
        .iter()
        .map(|item| match item.response {
            tandem_core::instrument::ResponseKind::Scale => (item.id.to_string(), json!(3)),
            tandem_core::instrument::ResponseKind::Text => (item.id.to_string(), json!(HERS[1])),
        })
        .collect();
    let (status, body) = call(
        server,
        ann,
        Method::POST,
        "/api/v1/administrations",
        json!({"instrument": "checkin", "answers": answers}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, _) = call(
        server,
        ann,
        Method::POST,
        "/api/v1/people",
        json!({"name": HERS[0], "role": "friend", "leans_on": {"emotional": 3}}),
    )
    .await;
    assert_eq!(status, 201);
    let safety = tandem_core::instrument::builtin::builtin_by_id("safety")
        .unwrap()
        .unwrap();
    let no: serde_json::Map<String, Value> = safety
        .items
        .iter()
        .map(|i| (i.id.to_string(), json!(0)))
        .collect();
    let (status, _) = call(
        server,
        ann,
        Method::POST,
        "/api/v1/safety",
        json!({"answers": no, "keep": true}),
    )
    .await;
    assert_eq!(status, 200);
}

/// Items a counsellor must never see: the safety check's, the check-in's
/// safety item and the RDP's items that can point to control.
fn never_shown() -> Vec<String> {
    let mut ids = Vec::new();
    for id in ["rdp", "checkin", "safety"] {
        let instrument = tandem_core::instrument::builtin::builtin_by_id(id)
            .unwrap()
            .unwrap();
        for item in &instrument.items {
            if id == "safety" || item.signals.is_some() {
                ids.push(format!("\"{}\"", item.id));
            }
        }
    }
    ids
}

fn assert_clean(reply: &Value, cell: &str) {
    let text = reply.to_string();
    for id in never_shown() {
        assert!(!text.contains(&id), "{cell}: {id} in {text}");
    }
    assert!(
        !text.contains(HERS[0]),
        "{cell}: a name from the support map"
    );
}

async fn log_len(server: &Server, ann: &User) -> usize {
    ann.json(server, "/api/v1/account/access-log")
        .await
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_counsellor_reaches_only_what_a_current_grant_shares() {
    let server = server().await;
    let ann = server.user("ann-matrix").await;
    fill(&server, &ann).await;
    let ben = approved(&server, "ben-matrix").await;
    let cat = approved(&server, "cat-matrix").await;
    let pat = server.user("pat-matrix").await;

    // One grant at each level (one counsellor per grant: a client grants a
    // counsellor one at a time, so each level gets its own counsellor).
    for (level, notes) in [
        ("none", false),
        ("indices", false),
        ("facets", false),
        ("items", false),
        ("items", true),
    ] {
        let who = approved(&server, &format!("c-{level}-{notes}")).await;
        let id = granted(
            &server,
            &ann,
            &who,
            json!({"results": level, "checkin_notes": notes}),
        )
        .await;
        let before = log_len(&server, &ann).await;
        let (status, reply) = call(
            &server,
            &who,
            Method::GET,
            &format!("/api/v1/clients/{id}/results"),
            Value::Null,
        )
        .await;
        let cell = format!("{level}, notes {notes}");
        assert_eq!(status, 200, "{cell}: {reply}");
        assert_eq!(
            log_len(&server, &ann).await,
            before + 1,
            "{cell}: the read is logged"
        );
        assert_clean(&reply, &cell);
        let administrations = reply["administrations"].as_array().unwrap();
        if level == "none" {
            assert!(administrations.is_empty(), "{cell}: {reply}");
            assert_eq!(reply["indices"], json!([]));
            continue;
        }
        assert_eq!(
            administrations.len(),
            3,
            "{cell}: two profiles and a check-in"
        );
        for a in administrations {
            assert!(a["indices"].is_object(), "{cell}");
            assert_eq!(a["facets"].is_object(), level != "indices", "{cell}");
            assert_eq!(a["items"].is_object(), level == "items", "{cell}");
            let note = a["instrument"] == "checkin" && notes;
            assert_eq!(a["note"].as_str(), note.then_some(HERS[1]), "{cell}");
        }
        if !notes {
            assert!(!reply.to_string().contains(HERS[1]), "{cell}: the note");
        }
        let before = log_len(&server, &ann).await;
        let (status, list) = call(&server, &who, Method::GET, "/api/v1/clients", Value::Null).await;
        assert_eq!(status, 200);
        assert_eq!(
            log_len(&server, &ann).await,
            before + 1,
            "{cell}: the caseload read is logged"
        );
        assert_clean(&list, &cell);
    }

    // Ben's grant, then the cells that must be refused.
    let id = granted(&server, &ann, &ben, json!({"results": "items"})).await;
    let path = format!("/api/v1/clients/{id}/results");
    let before = log_len(&server, &ann).await;
    // Another counsellor, a person, and nobody.
    let (status, _) = call(&server, &cat, Method::GET, &path, Value::Null).await;
    assert_eq!(status, 404, "another counsellor's client");
    assert_eq!(
        cat.json(&server, "/api/v1/clients").await,
        json!([]),
        "no grant, no clients"
    );
    for route in ["/api/v1/clients", path.as_str()] {
        let (status, _) = call(&server, &pat, Method::GET, route, Value::Null).await;
        assert_eq!(status, 403, "a person: {route}");
        let nobody = server.browser();
        assert_eq!(
            nobody.get(server.url(route)).send().await.unwrap().status(),
            401
        );
    }
    assert_eq!(
        log_len(&server, &ann).await,
        before,
        "refusals read nothing"
    );

    // Expired: a grant that ended a minute ago.
    let dan = approved(&server, "dan-matrix").await;
    let store = server.store();
    let client = owner_of(store, user_id(&server, "ann-matrix").await).await;
    let counsellor = owner_of(store, user_id(&server, "dan-matrix").await).await;
    let now = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap();
    let hash = code_hash(&new_code().unwrap()).unwrap();
    let scope = Scope {
        results: ShareLevel::Items,
        ..Scope::default()
    };
    let expired = store
        .create_share(client, &scope, &hash, now - 3600, Some(now - 60))
        .await
        .unwrap();
    store
        .accept_share(counsellor, &hash, now - 1800)
        .await
        .unwrap();
    let (status, _) = call(
        &server,
        &dan,
        Method::GET,
        &format!("/api/v1/clients/{}/results", expired.0),
        Value::Null,
    )
    .await;
    assert_eq!(status, 404, "expired");
    assert_eq!(dan.json(&server, "/api/v1/clients").await, json!([]));

    // Revoked.
    let (status, _) = call(
        &server,
        &ann,
        Method::DELETE,
        &format!("/api/v1/grants/{id}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = call(&server, &ben, Method::GET, &path, Value::Null).await;
    assert_eq!(status, 404, "revoked");
    assert_eq!(
        log_len(&server, &ann).await,
        before,
        "nothing read after the end"
    );

    // Every other read a counsellor can make holds nothing of the client's.
    let reads: Vec<&str> = tandem_web::API_ROUTES
        .iter()
        .filter(|r| r.0 == "get" && r.3)
        .map(|r| r.1)
        .collect();
    for route in reads {
        let path = format!(
            "/api/v1{}",
            route
                .replace("{id}", &id.to_string())
                .replace("{item}", "ER1")
                .replace("{week}", "2026-W10")
        );
        let (_, reply) = call(&server, &ben, Method::GET, &path, Value::Null).await;
        assert_clean(&reply, &path);
        assert!(!reply.to_string().contains(HERS[1]), "{path}: the note");
    }
}

/// The user id of an account, by name.
async fn user_id(server: &Server, name: &str) -> tandem_store::UserId {
    server
        .store()
        .account_by_name(&tandem_store::UserName::parse(name).unwrap())
        .await
        .unwrap()
        .unwrap()
        .0
}

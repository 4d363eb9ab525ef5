//! The consent matrix over every personal-data route: a linked partner, at
//! each level the other shares and after unlinking, asks every API route
//! that reads, with the other's own ids where a route takes one, and
//! writes to the other's things by id. Only the partner's own data and the
//! comparison answer; nothing the other wrote, named or answered on the
//! safety screen is in any reply; and nothing of the other's changes.

use reqwest::Method;
use serde_json::{Value, json};

use super::{call, link, share, take};
use crate::common::{Server, User, all_rdp};

/// Words only Ann wrote: the name of a person on her map, of a second
/// relationship, and an exercise entry.
const HERS: [&str; 3] = ["Philomena", "Bartholomew", "quietly brave"];

/// Ann's own things by id: (profile, open check-in, person, plan item,
/// exercise).
struct Ids {
    rdp: i64,
    relationship: i64,
    open: i64,
    person: i64,
    plan_item: i64,
    exercise: i64,
}

async fn post(server: &Server, user: &User, path: &str, body: Value) -> Value {
    let (status, reply) = call(server, user, Method::POST, path, body).await;
    assert!((200..300).contains(&status), "{path}: {status} {reply}");
    reply
}

/// Answers that make a plan: emotional reliance high (so something is
/// suggested), the rest 2 and 4 by turns (no run, no lean to the middle),
/// and no to the items that can tell of control.
fn varied() -> Value {
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let answers: serde_json::Map<String, Value> = rdp
        .items
        .iter()
        .enumerate()
        .map(|(at, item)| {
            let high = item.facet.as_ref().is_some_and(|f| f.as_str() == "ER");
            let value = match (item.signals.is_some(), high, at % 2) {
                (true, _, _) => 1,
                (false, true, _) if item.reverse => 1,
                (false, true, _) => 5,
                (false, false, 0) => 2,
                (false, false, _) => 4,
            };
            (item.id.to_string(), json!(value))
        })
        .collect();
    Value::Object(answers)
}

/// Everything of Ann's that a route could reach.
async fn fill(server: &Server, ann: &User) -> Ids {
    take(server, ann, varied()).await;
    let rdp = ann.json(server, "/api/v1/administrations").await[0]["id"]
        .as_i64()
        .unwrap();
    let open = post(
        server,
        ann,
        "/api/v1/administrations/open",
        json!({"instrument": "checkin"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let person = post(
        server,
        ann,
        "/api/v1/people",
        json!({"name": HERS[0], "role": "friend", "leans_on": {"emotional": 3}}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    post(
        server,
        ann,
        "/api/v1/relationships",
        json!({"role": "friend", "name": HERS[1]}),
    )
    .await;
    let exercise = post(
        server,
        ann,
        "/api/v1/exercises",
        json!({"kind": "journal", "content": {"text": HERS[2]}}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    // The plan is made again just after a save; wait for it.
    let mut plan_item = None;
    for _ in 0..200 {
        plan_item = ann.json(server, "/api/v1/plan").await[0]["id"].as_i64();
        if plan_item.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let plan_item = plan_item.expect("a plan within five seconds");
    let relationship = super::partner_of(server, ann).await.as_i64().unwrap();
    let whole: serde_json::Map<String, Value> = tandem_core::couple::US_ITEMS
        .iter()
        .map(|item| (item.id.to_owned(), json!(4)))
        .collect();
    let (status, _) = call(
        server,
        ann,
        Method::PUT,
        &format!("/api/v1/relationships/{relationship}/us"),
        json!({"answers": whole}),
    )
    .await;
    assert_eq!(status, 204);
    Ids {
        rdp,
        relationship,
        open,
        person,
        plan_item,
        exercise,
    }
}

/// All Ann can read of her own: the export, what it does not hold yet
/// (relationships, exercises: issue 15), her plan, and how she sees "us".
async fn everything(server: &Server, ann: &User) -> String {
    let mut all = String::new();
    for path in [
        "/api/v1/export",
        "/api/v1/relationships",
        "/api/v1/exercises",
        "/api/v1/plan",
    ] {
        all.push_str(&ann.page(server, path).await);
    }
    let relationship = super::partner_of(server, ann).await;
    all.push_str(
        &ann.page(server, &format!("/api/v1/relationships/{relationship}/us"))
            .await,
    );
    all
}

/// `route` with its ids filled: Ann's where the route takes one of hers,
/// the link's for the link routes.
fn path_of(route: &str, ids: &Ids, link: i64) -> String {
    let id = match route {
        r if r.starts_with("/links/") => link,
        r if r.starts_with("/results/") => ids.rdp,
        r if r.starts_with("/relationships/") => ids.relationship,
        r if r.starts_with("/administrations/") => ids.open,
        r if r.starts_with("/people/") => ids.person,
        r if r.starts_with("/plan/") => ids.plan_item,
        r if r.starts_with("/exercises/") => ids.exercise,
        _ => ids.rdp,
    };
    let path = route
        .replace("{id}", &id.to_string())
        .replace("{item}", "ER1")
        .replace("{week}", "2026-W10");
    let path = if route == "/instruments/{id}" {
        "/instruments/rdp".to_owned()
    } else {
        path
    };
    format!("/api/v1{path}")
}

#[tokio::test]
async fn a_partner_reaches_nothing_of_the_others_by_any_route() {
    let server = Server::start().await;
    let (ann, ben) = (
        server.user("ann-reach").await,
        server.user("ben-reach").await,
    );
    let ids = fill(&server, &ann).await;
    take(&server, &ben, all_rdp(3)).await;
    let id = link(&server, &ann, &ben).await;
    share(&server, &ben, id, "items").await;
    let hers = everything(&server, &ann).await;
    for word in HERS {
        assert!(hers.contains(word), "{word} is Ann's to see");
    }

    let reads: Vec<&str> = tandem_web::API_ROUTES
        .iter()
        .filter(|r| r.0 == "get" && r.3)
        .map(|r| r.1)
        .collect();
    assert!(reads.len() > 15, "{reads:?}");
    for level in ["none", "indices", "facets", "items", "unlinked"] {
        if level == "unlinked" {
            let (status, _) = call(
                &server,
                &ann,
                Method::DELETE,
                &format!("/api/v1/links/{id}"),
                Value::Null,
            )
            .await;
            assert_eq!(status, 204);
        } else {
            share(&server, &ann, id, level).await;
        }
        let linked = level != "unlinked";
        for route in &reads {
            let path = path_of(route, &ids, id);
            let (status, reply) = call(&server, &ben, Method::GET, &path, Value::Null).await;
            let expected = match *route {
                "/results/{id}" | "/relationships/{id}/us" => 404,
                "/links/{id}/comparison" if linked && level != "none" => 200,
                "/links/{id}/comparison" => 403,
                "/links/{id}/guesses" if linked => 200,
                "/links/{id}/guesses" => 404,
                // Counsellors' routes: a partner is not a counsellor.
                "/clients"
                | "/clients/{id}/results"
                | "/clients/{id}/export"
                | "/clients/{id}/assignments"
                | "/clients/{id}/notes"
                | "/notes" => 403,
                _ => 200,
            };
            assert_eq!(status, expected, "{level}: GET {path}: {reply}");
            let text = reply.to_string();
            for word in HERS {
                assert!(!text.contains(word), "{level}: GET {path} holds {word}");
            }
            // Ben's own export holds his own safety check; nothing else
            // of his, and nothing of Ann's, names a safety item.
            if *route != "/export" {
                assert!(!text.contains("\"SF"), "{level}: GET {path}: a safety item");
            }
            if *route == "/links/{id}/comparison" && status == 200 {
                assert_eq!(reply["theirs"]["level"], level);
                assert_eq!(reply["theirs"]["items"].is_object(), level == "items");
                assert_eq!(reply["theirs"]["facets"].is_object(), level != "indices");
            }
        }
    }

    // Writes to Ann's things by their ids: not found, and nothing changes.
    let before = everything(&server, &ann).await;
    let writes = [
        (
            Method::PUT,
            path_of("/administrations/{id}/answers", &ids, id),
            json!({"answers": {"CI1": 1}, "position": 1}),
        ),
        (
            Method::POST,
            path_of("/administrations/{id}/complete", &ids, id),
            json!({}),
        ),
        (
            Method::DELETE,
            path_of("/people/{id}", &ids, id),
            Value::Null,
        ),
        (
            Method::PUT,
            path_of("/relationships/{id}/us", &ids, id),
            json!({"answers": {"US1": 1, "US2": 1, "US3": 1, "US4": 1, "US5": 1, "US6": 1}}),
        ),
        (
            Method::PUT,
            path_of("/plan/{id}", &ids, id),
            json!({"status": "dropped"}),
        ),
        (
            Method::PUT,
            path_of("/exercises/{id}", &ids, id),
            json!({"content": {"text": "changed"}}),
        ),
        (
            Method::DELETE,
            path_of("/exercises/{id}", &ids, id),
            Value::Null,
        ),
    ];
    for (method, path, body) in writes {
        let (status, reply) = call(&server, &ben, method.clone(), &path, body).await;
        assert_eq!(status, 404, "{method} {path}: {reply}");
    }
    let after = everything(&server, &ann).await;
    assert_eq!(after, before);
}

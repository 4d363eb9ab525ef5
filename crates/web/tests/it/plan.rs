//! The action plan and exercises over HTTP: plans follow real scored
//! results, what the person writes is kept sealed, and the report keeps
//! safety out of a shared copy.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{PASSWORD, Server, User};

/// Answers every RDP item so that each facet scores `level(facet)` after keying.
fn rdp_answers(level: impl Fn(&str) -> i64) -> Value {
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let map: serde_json::Map<String, Value> = rdp
        .items
        .iter()
        .map(|item| {
            let l = level(item.facet.as_ref().unwrap().as_str());
            let v = if item.reverse { rdp.scale.mirror(l) } else { l };
            (item.id.to_string(), json!(v))
        })
        .collect();
    Value::Object(map)
}

const RISKS: [&str; 7] = ["ER", "VS", "DD", "FA", "CT", "SN", "DT"];

fn balanced(f: &str) -> i64 {
    if RISKS.contains(&f) { 1 } else { 5 }
}

async fn take(server: &Server, user: &User, level: impl Fn(&str) -> i64) {
    let response = user
        .send(
            server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "answers": rdp_answers(level) }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

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

#[tokio::test(flavor = "multi_thread")]
async fn exercises_are_kept_sealed_and_found_again() {
    let server = Server::start().await;
    let user = server.user("sanderling").await;
    let statement = "worried-when-plans-change-8121";
    let limit = "no-phone-checking-limit-5532";
    let (to, page) = user
        .post_then_get(
            &server,
            "/plan/do/needs-statement",
            &[
                ("go", "save"),
                ("feeling", statement),
                ("situation", "plans change late"),
                ("need", "some notice"),
                ("request", "tell me a day ahead"),
            ],
        )
        .await;
    assert_eq!(to, "/plan/do/needs-statement?notice=saved");
    assert!(page.contains("Saved."));
    assert!(page.contains("I feel worried-when-plans-change-8121 when plans change late."));
    // A reload after saving fetches the page again: no second copy.
    let again = user
        .get(&server, &to)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        again
            .matches("I feel worried-when-plans-change-8121")
            .count(),
        1
    );
    let boundary = user
        .form(
            &server,
            "/plan/do/boundary-plan",
            &[
                ("go", "save"),
                ("limit", limit),
                ("why", "my phone is mine"),
                ("say", "please ask me"),
                ("crossed", "I step away"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(boundary.status(), 303);
    let own = user
        .form(
            &server,
            "/plan/do/own-life",
            &[
                ("go", "save"),
                ("interests", "choir"),
                ("time", "Thursday"),
                ("who", "on my own"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 303);
    let entries: Value = user
        .get(&server, "/api/v1/exercises?kind=own-life")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let own_id = entries[0]["id"].as_i64().unwrap();
    let ticked = user
        .form(
            &server,
            &format!("/plan/entries/{own_id}/week"),
            &[("ticked", "yes")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(ticked.status(), 303);
    // An empty entry is refused with a message, and a stray field with 400.
    let empty = user
        .form(&server, "/plan/do/journal", &[("go", "save"), ("text", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
    let stray = user
        .form(
            &server,
            "/plan/do/journal",
            &[("go", "save"), ("mood", "x")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(stray.status(), 400);

    // Sign out and in again: all of it is there.
    let again = server.browser();
    let signed = again
        .post(server.url("/account/signin"))
        .form(&[("name", "sanderling"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 303);
    let needs_page = again
        .get(server.url("/plan/do/needs-statement"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(needs_page.contains(statement));
    let boundary_page = again
        .get(server.url("/plan/do/boundary-plan"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(boundary_page.contains(limit));
    let own_page = again
        .get(server.url("/plan/do/own-life"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(own_page.contains("Weeks ticked: 1."), "{own_page}");

    // Nothing written is in the database files in plain form.
    for entry in std::fs::read_dir(server.data_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for secret in [statement, limit, "choir"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in plain form"
            );
        }
    }
    // Another person cannot read or change them.
    let other = server.user("stint").await;
    let mine: Value = user
        .get(&server, "/api/v1/exercises")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = mine[0]["id"].as_i64().unwrap();
    let theirs = other
        .send(
            &server,
            Method::DELETE,
            &format!("/api/v1/exercises/{id}"),
            json!({}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), 404);
    let listed = other
        .get(&server, "/api/v1/exercises")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!listed.contains(statement));
}

#[tokio::test(flavor = "multi_thread")]
async fn support_growth_done_adds_the_person_to_the_map() {
    let server = Server::start().await;
    let user = server.user("dotterel").await;
    let saved = user
        .form(
            &server,
            "/plan/do/support-growth",
            &[
                ("go", "save"),
                ("domain", "money"),
                ("person", "Aunt Jo"),
                ("step", "call on Sunday"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let entries: Value = user
        .get(&server, "/api/v1/exercises?kind=support-growth")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = entries[0]["id"].as_i64().unwrap();
    let done = user
        .form(&server, &format!("/plan/entries/{id}/done"), &[])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    let people: Value = user
        .get(&server, "/api/v1/people")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(people[0]["person"]["name"], "Aunt Jo");
    assert_eq!(people[0]["person"]["leans_on"]["money"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_report_has_every_part_and_safety_only_in_the_own_copy() {
    let server = Server::start().await;
    let user = server.user("phalarope").await;
    take(&server, &user, |f| if f == "CT" { 5 } else { balanced(f) }).await;
    take(&server, &user, balanced).await;
    user.send(
        &server,
        Method::POST,
        "/api/v1/people",
        json!({ "name": "Robin", "role": "friend", "leans_on": { "emotional": 3 } }),
    )
    .send()
    .await
    .unwrap();
    user.send(
        &server,
        Method::POST,
        "/api/v1/safety",
        json!({ "answers": { "SF8": 1 }, "keep": true }),
    )
    .send()
    .await
    .unwrap();
    let page = user
        .get(&server, "/report")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for part in [
        "My Tandem report",
        "Pattern:",
        "Change since the first profile",
        "The people I lean on",
        "My plan and progress",
        "Staying safe (only in my own copy)",
        "<svg",
    ] {
        assert!(page.contains(part), "report lacks {part}");
    }
    assert!(page.contains("Robin"));
    assert_eq!(
        page.matches("<svg width").count(),
        2,
        "facet chart and trend"
    );
    assert_eq!(
        page.matches("class=\"support-map\"").count(),
        1,
        "support map"
    );

    // A shared copy, built from the same store, has no safety section and no
    // plan item that came from the safety answers.
    let store = tandem_store::Store::open(server.data_dir()).await.unwrap();
    let name = tandem_store::UserName::parse("phalarope").unwrap();
    let (id, _) = store.account_by_name(&name).await.unwrap().unwrap();
    let content = tandem_web::Content::builtin().unwrap();
    let shared = tandem_web::report::report_html(
        &store,
        &content,
        id,
        tandem_web::report::Copy::Shared,
        framing(),
    )
    .await
    .unwrap();
    assert!(!shared.contains("Staying safe"));
    let own = tandem_web::report::report_html(
        &store,
        &content,
        id,
        tandem_web::report::Copy::Own,
        framing(),
    )
    .await
    .unwrap();
    let safety_title = content
        .guidance
        .strategy("help-if-you-feel-unsafe")
        .unwrap()
        .title
        .clone();
    assert!(
        own.contains(&safety_title),
        "the own copy lists the safety item"
    );
    assert!(!shared.contains(&safety_title), "a shared copy must not");
    assert!(shared.contains("My plan and progress"));
}

fn framing() -> tandem_web::report::Framing<'static> {
    tandem_web::report::Framing {
        inline_css: None,
        exit_url: "https://www.bbc.com/weather",
        made: "today".into(),
        csrf: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_preview_or_an_error_keeps_what_was_typed() {
    let server = Server::start().await;
    let user = server.user("knot").await;
    let preview = user
        .form(
            &server,
            "/plan/do/needs-statement",
            &[
                ("go", "preview"),
                ("feeling", "tired-9911"),
                ("situation", "late calls"),
                ("need", "rest"),
                ("request", "call before nine"),
            ],
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(preview.contains("I feel tired-9911 when late calls."));
    assert!(
        preview.contains("value=\"tired-9911\""),
        "the box keeps what was typed"
    );
    assert!(preview.contains("value=\"call before nine\""));
    let long = "x".repeat(600);
    let refused = user
        .form(
            &server,
            "/plan/do/goals",
            &[("go", "save"), ("goal", &long), ("step", "keep-me-7731")],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("value=\"keep-me-7731\""),
        "other boxes keep their text"
    );
    let saved: Value = user
        .get(&server, "/api/v1/exercises")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        saved.as_array().unwrap().is_empty(),
        "a preview and a refused entry store nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn weeks_are_ticked_and_unticked_through_the_api() {
    let server = Server::start().await;
    let user = server.user("turnstone").await;
    let created = user
        .send(
            &server,
            Method::POST,
            "/api/v1/exercises",
            json!({ "kind": "own-life", "content": { "interests": "swimming" } }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let week = |method: Method, w: &str| {
        user.send(
            &server,
            method,
            &format!("/api/v1/exercises/{id}/weeks/{w}"),
            json!({}),
        )
        .send()
    };
    assert_eq!(week(Method::PUT, "2026-W47").await.unwrap().status(), 204);
    assert_eq!(week(Method::PUT, "2026-W48").await.unwrap().status(), 204);
    assert_eq!(
        week(Method::DELETE, "2026-W47").await.unwrap().status(),
        204
    );
    assert_eq!(week(Method::PUT, "2026-W99").await.unwrap().status(), 422);
    let entries: Value = user
        .get(&server, "/api/v1/exercises?kind=own-life")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(entries[0]["ticks"], json!(["2026-W48"]));
    let unknown = user
        .send(
            &server,
            Method::POST,
            "/api/v1/exercises",
            json!({ "kind": "own-life", "content": { "mood": "x" } }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 422);
}

/// A response with a facet structure: each facet has a person-level latent
/// score, and its items follow it (reverse-keyed ones in reverse).
pub fn structured(rdp: &tandem_core::instrument::Instrument, state: &mut u64) -> Value {
    let mut uniform = || {
        *state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((*state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut normal = || (-2.0 * uniform().ln()).sqrt() * (std::f64::consts::TAU * uniform()).cos();
    let latent: std::collections::BTreeMap<String, f64> = rdp
        .facets
        .iter()
        .map(|f| (f.id.to_string(), normal()))
        .collect();
    let map: serde_json::Map<String, Value> = rdp
        .items
        .iter()
        .map(|item| {
            let x = 3.0 + latent[item.facet.as_ref().unwrap().as_str()] + 0.6 * normal();
            let v = x.round().clamp(1.0, 5.0) as i64;
            let v = if item.reverse { 6 - v } else { v };
            (item.id.to_string(), json!(v))
        })
        .collect();
    Value::Object(map)
}

#[tokio::test(flavor = "multi_thread")]
async fn after_two_hundred_profiles_reliability_is_estimated_and_change_gets_a_verdict() {
    let server = Server::start().await;
    let user = server.user("greenshank").await;
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let mut state = 11u64;
    // Two profiles of this person's own (for the change), not yet opted in.
    for _ in 0..2 {
        let response = user
            .send(
                &server,
                Method::POST,
                "/api/v1/administrations",
                json!({ "instrument": "rdp", "answers": structured(&rdp, &mut state) }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    // 199 other people who opted in, one profile each, written straight to
    // the store (signing each up over HTTP would spend minutes on Argon2).
    let store = tandem_store::Store::open(server.data_dir()).await.unwrap();
    for k in 0..199 {
        let name = tandem_store::UserName::parse(&format!("sandpiper{k}")).unwrap();
        let id = store
            .create_account(&name, "$argon2id$not-a-real-hash", 0)
            .await
            .unwrap();
        store.set_research_consent(id, true).await.unwrap();
        let mut answers = tandem_core::answers::Answers::new();
        for (item, value) in structured(&rdp, &mut state).as_object().unwrap() {
            answers
                .set(
                    &rdp,
                    item,
                    tandem_core::answers::Answer::Value(value.as_i64().unwrap()),
                )
                .unwrap();
        }
        store
            .record_administration(id, &rdp, "my partner", &answers)
            .await
            .unwrap();
    }
    // 199 people: nothing is estimated yet.
    let results: Value = user
        .get(&server, "/api/v1/results/latest")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(results["reliability"]["source"], "none");
    assert!(results["facets"]["ER"]["low"].is_null());
    // This person opts in: their first profile makes 200 people.
    let consent = user
        .send(
            &server,
            Method::PUT,
            "/api/v1/research",
            json!({ "research": true }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(consent.status(), 200);
    let results = crate::estimates::latest_once(
        &server,
        &user,
        json!({ "source": "estimated", "administrations": 200 }),
    )
    .await;
    for facet in ["ER", "AU", "PB"] {
        let f = &results["facets"][facet];
        let (score, low, high) = (
            f["score"].as_f64().unwrap(),
            f["low"].as_f64().unwrap(),
            f["high"].as_f64().unwrap(),
        );
        assert!(low <= score && score <= high && low < high, "{facet}: {f}");
    }
    let change = &results["change"]["indices"]["over_dependence"];
    assert!(change["rci"].is_number(), "{change}");
    assert_ne!(change["verdict"], "unknown");
    let page = user
        .get(&server, "/results")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("estimated from 200 profiles"));
}

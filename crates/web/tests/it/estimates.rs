//! Estimates nobody can poison alone: an account counts once however many
//! profiles it posts, and an operator's pinned, published reliability is
//! used (and cited) instead of anything estimated here.

use reqwest::Method;
use serde_json::{Value, json};
use tandem_core::instrument::builtin::{builtin_all_versions, builtin_by_id};
use tandem_core::instrument::published::load_published;
use tandem_web::WebConfig;

use crate::common::{Server, User, structured};

async fn post_rdp(server: &Server, user: &User, answers: Value) {
    let response = user
        .send(
            server,
            Method::POST,
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "answers": answers }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

async fn consent(server: &Server, user: &User, research: bool) {
    let response = user
        .send(
            server,
            Method::PUT,
            "/api/v1/research",
            json!({ "research": research }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn latest(server: &Server, user: &User) -> Value {
    user.get(server, "/api/v1/results/latest")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The latest results once their reliability is `expected`: estimates are
/// remade in the background after a consent changes, so the answer to the
/// consent itself does not wait for them. Gives up after 30 s.
pub async fn latest_once(server: &Server, user: &User, expected: Value) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let results = latest(server, user).await;
        if results["reliability"] == expected {
            return results;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "reliability stayed {} instead of {expected}",
            results["reliability"]
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn one_account_counts_once_however_many_profiles_it_posts() {
    let server = Server::start().await;
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    let mut state = 29u64;
    // 199 people who opted in, one profile each, straight into the store.
    let store = tandem_store_sqlite::open(server.data_dir()).await.unwrap();
    for k in 0..199 {
        let name = tandem_store::UserName::parse(&format!("plover{k}")).unwrap();
        let id = store
            .create_account(&name, "$argon2id$not-a-real-hash", 0)
            .await
            .unwrap();
        let id = crate::common::owner_of(&store, id).await;
        store.set_research_consent(id, true).await.unwrap();
        let mut answers = tandem_core::answers::Answers::new();
        for (item, value) in structured(&rdp, &mut state).as_object().unwrap() {
            let value = tandem_core::answers::Answer::Value(value.as_i64().unwrap());
            answers.set(&rdp, item, value).unwrap();
        }
        store
            .record_administration(id, &rdp, "my partner", &answers)
            .await
            .unwrap();
    }
    let reader = server.user("dunlin").await;
    post_rdp(&server, &reader, structured(&rdp, &mut state)).await;
    consent(&server, &reader, true).await;
    let before = latest_once(
        &server,
        &reader,
        json!({ "source": "estimated", "administrations": 200 }),
    )
    .await;

    // Another account posts 40 profiles, all at the floor, and opts in.
    let flooder = server.user("turnstone").await;
    for _ in 0..40 {
        post_rdp(&server, &flooder, crate::common::all_rdp(1)).await;
    }
    consent(&server, &flooder, true).await;
    // 40 profiles of one account count once.
    latest_once(
        &server,
        &reader,
        json!({ "source": "estimated", "administrations": 201 }),
    )
    .await;
    // Withdrawn, it counts not at all, and the estimate is what it was.
    consent(&server, &flooder, false).await;
    let withdrawn = latest_once(
        &server,
        &reader,
        json!({ "source": "estimated", "administrations": 200 }),
    )
    .await;
    assert_eq!(withdrawn["facets"], before["facets"]);
}

const PINNED: &str = r#"
source = "RDP 1.1 field study (2026), n = 1,204"

[[pinned]]
instrument = "rdp"
version = "1.1.0"
facets = { ER = { reliability = 0.81, sd = 0.74 }, AU = { reliability = 0.75, sd = 0.8 } }
indices = { over_dependence = { reliability = 0.9, sd = 0.6 } }
"#;

#[tokio::test(flavor = "multi_thread")]
async fn pinned_published_reliability_is_used_and_cited() {
    let published =
        load_published("pinned.toml", PINNED, &builtin_all_versions().unwrap()).unwrap();
    let server = Server::start_with(WebConfig {
        reliability: Some(published),
        ..WebConfig::default()
    })
    .await;
    let rdp = builtin_by_id("rdp").unwrap().unwrap();
    let mut state = 3u64;
    let user = server.user("godwit").await;
    post_rdp(&server, &user, structured(&rdp, &mut state)).await;
    post_rdp(&server, &user, structured(&rdp, &mut state)).await;
    let results = latest(&server, &user).await;
    assert_eq!(
        results["reliability"],
        json!({ "source": "published", "citation": "RDP 1.1 field study (2026), n = 1,204" })
    );
    // SEM = SD · √(1 − r), from the file's numbers.
    let sem = |facet: &str| results["facets"][facet]["sem"].as_f64().unwrap();
    assert!((sem("ER") - 0.74 * 0.19f64.sqrt()).abs() < 1e-12);
    assert!((sem("AU") - 0.8 * 0.25f64.sqrt()).abs() < 1e-12);
    // Only what the file names: the rest has no interval.
    assert!(results["facets"]["VS"]["sem"].is_null());
    let change = &results["change"]["indices"]["over_dependence"];
    assert!(change["rci"].is_number(), "{change}");
    // The page and the printable report cite it.
    for path in ["/results", "/report"] {
        let page = user
            .get(&server, path)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("published reliability: RDP 1.1 field study (2026), n = 1,204"),
            "{path}"
        );
    }
}

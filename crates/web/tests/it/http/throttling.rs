//! Sign-in throttling: failures are counted per account (under keyed
//! hashes), a burst of guesses checks few passwords, and the owner gets back
//! in after the wait.

use serde_json::json;

use crate::common::{PASSWORD, Server};

/// The clock the limiter keeps, whole seconds: a wait of one second has run
/// out once this has moved on from the second a failure was counted in.
fn unix_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_is_throttled_per_account() {
    let server = Server::start().await;
    server.user("marten").await;
    let mut before_fifth = unix_secs();
    for _ in 0..5 {
        before_fifth = unix_secs();
        let response = server
            .browser()
            .post(server.url("/api/v1/session"))
            .json(&json!({ "name": "marten", "password": "not the right one at all" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    // Even the right password waits now, and is told for how long.
    let response = server
        .browser()
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "MARTEN", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    if response.status() == 200 {
        // Only once the first wait (one second after the fifth failure) ran
        // out, as on a slow machine: the limiter let it through rightly.
        assert!(unix_secs() > before_fifth);
        return;
    }
    assert_eq!(response.status(), 429);
    let wait: i64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=1).contains(&wait),
        "2^0 seconds after the fifth: {wait}"
    );
    // The typed names are not kept: failures are counted under keyed hashes.
    let db = std::fs::read(server.data_dir().join("tandem.db-wal")).unwrap_or_default();
    let db = [
        db,
        std::fs::read(server.data_dir().join("tandem.db")).unwrap(),
    ]
    .concat();
    assert!(!String::from_utf8_lossy(&db).contains("user:marten"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_guesses_checks_few_passwords_and_the_owner_gets_back_in() {
    let server = Server::start().await;
    server.user("stoat").await;
    // 100 wrong passwords at once from one address, then the right one.
    let started = unix_secs();
    let mut tasks = Vec::new();
    for k in 0..100 {
        let (client, url) = (server.browser(), server.url("/api/v1/session"));
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({ "name": "stoat", "password": format!("a wrong guess number {k}") }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429 || **s == 503).count();
    println!("burst of 100: {checked} passwords checked, {refused} refused before hashing");
    assert_eq!(checked + refused, 100, "{statuses:?}");
    assert!(checked <= 20, "{checked} passwords were checked");
    // The right password, while the account is held back: refused unchecked.
    let right = server
        .browser()
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "stoat", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    if right.status() == 200 {
        // Only possible once the first wait (one second after the fifth
        // failure) had run out: a slow machine, not a way past the limiter.
        assert!(unix_secs() > started);
        return;
    }
    assert_eq!(right.status(), 429);
    let wait: u64 = right.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait <= 15 * 60);
    // After the wait the owner signs in.
    tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    let back = server
        .browser()
        .post(server.url("/api/v1/session"))
        .json(&json!({ "name": "stoat", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 200);
}

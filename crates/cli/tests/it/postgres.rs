//! The binary on PostgreSQL: `--database postgres://…` keeps the data in
//! the server; a server that cannot be reached is exit 1; and two `tandem
//! serve` instances on one database are one app — a session made on one
//! works on the other, a write on one is read on the other, and sign-in
//! throttling counts failures on both together.

use serde_json::{Value, json};

use crate::common::{Tandem, bare, serve_with};

pub(crate) use tandem_store_contract::cluster;

/// A server key both instances are configured with (64 hex digits), as a
/// deployment of several instances shares one.
const KEY: &str = "7f1c2a9e4b6d8f0a1c3e5a7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f";

#[test]
fn an_unreachable_server_is_exit_1_and_a_reachable_one_keeps_the_data() {
    let t = Tandem::new();
    bare()
        .arg("--data-dir")
        .arg(t.data_dir())
        .args([
            "--database",
            "postgres://tandem@127.0.0.1:1/tandem",
            "network",
            "list",
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("not available"));

    let db = cluster::Database::new();
    let run = |args: &[&str]| {
        bare()
            .arg("--data-dir")
            .arg(t.data_dir())
            .args(["--database", &db.url])
            .args(args)
            .output()
            .unwrap()
    };
    let added = run(&["network", "add", "Jo", "--role", "friend"]);
    assert!(added.status.success(), "{added:?}");
    let listed = run(&["network", "list", "--json"]);
    assert!(listed.status.success(), "{listed:?}");
    let people: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(people.as_array().map(Vec::len), Some(1), "{people}");
    // Nothing of the store is in the data dir but the key file.
    assert!(!t.data_dir().join("tandem.db").exists());
    assert!(t.data_dir().join("secret.key").is_file());
}

#[test]
fn two_instances_on_one_database_share_sessions_writes_and_throttling() {
    let db = cluster::Database::new();
    let (a_dir, b_dir) = (Tandem::new(), Tandem::new());
    let envs = [
        ("TANDEM_KEY", KEY),
        ("TANDEM_DATABASE_URL", db.url.as_str()),
    ];
    let (mut a, a_addr) = serve_with(&a_dir, &[], &envs);
    let (mut b, b_addr) = serve_with(&b_dir, &[], &envs);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let http = reqwest::Client::new();
        // Sign up on the first.
        let signed_up = http
            .post(format!("http://{a_addr}/api/v1/accounts"))
            .json(&json!({ "name": "petrel", "password": "otters hold hands while asleep" }))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_up.status(), 201);
        let cookie = signed_up.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let body: Value = signed_up.json().await.unwrap();
        let csrf = body["csrf_token"].as_str().unwrap().to_owned();
        // Use that session on the second, to write.
        let added = http
            .post(format!("http://{b_addr}/api/v1/people"))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .json(&json!({ "name": "Robin", "role": "friend", "leans_on": { "emotional": 3 } }))
            .send()
            .await
            .unwrap();
        assert_eq!(added.status(), 201);
        // Read it on the first.
        let people: Value = http
            .get(format!("http://{a_addr}/api/v1/people"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(people.to_string().contains("Robin"), "{people}");

        // Wrong passwords, alternating between the instances: the count is
        // the database's, so the sixth try is refused by whichever gets it.
        let unix_secs = || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs()
        };
        let mut statuses = Vec::new();
        let mut fifth_counted = 0;
        for n in 0..6 {
            if n == 4 {
                fifth_counted = unix_secs();
            }
            let addr = if n % 2 == 0 { &a_addr } else { &b_addr };
            let response = http
                .post(format!("http://{addr}/api/v1/session"))
                .json(&json!({ "name": "petrel", "password": "not the right one at all" }))
                .send()
                .await
                .unwrap();
            statuses.push(response.status().as_u16());
        }
        assert_eq!(&statuses[..5], &[401; 5], "{statuses:?}");
        if statuses[5] != 429 {
            // Only once the first wait (a second after the fifth) ran out,
            // on a slow machine, may the sixth be checked at all.
            assert!(unix_secs() > fifth_counted, "{statuses:?}");
        }
    });
    for server in [&mut a, &mut b] {
        server.kill().unwrap();
        server.wait().unwrap();
    }
}

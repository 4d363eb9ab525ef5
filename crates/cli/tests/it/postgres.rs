//! The binary on PostgreSQL: `--database postgres://…` keeps the data in
//! the server; a server that cannot be reached is exit 1; and two `tandem
//! serve` instances on one database are one app — a session made on one
//! works on the other, a write on one is read on the other, and sign-in
//! throttling counts failures on both together.

use serde_json::{Value, json};

use crate::common::{TEST_HASH, Tandem, bare, serve_with, session_owner};

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

/// The same people, with the same answers and consent, in `store`.
async fn people(
    store: &tandem_store::Store,
    rdp: &tandem_core::instrument::Instrument,
    given: &[(tandem_core::answers::Answers, bool)],
) {
    for (k, (answers, consent)) in given.iter().enumerate() {
        let name = tandem_store::UserName::parse(&format!("person{k}")).unwrap();
        let user = store.create_account(&name, TEST_HASH, 1).await.unwrap();
        let user = session_owner(store, user).await;
        store
            .record_administration(user, rdp, "my partner", answers)
            .await
            .unwrap();
        store.set_research_consent(user, *consent).await.unwrap();
    }
    store.close().await;
}

#[test]
fn analyze_from_store_sums_in_the_server_what_sqlite_streams() {
    use tandem_core::answers::{Answer, Answers};
    use tandem_core::instrument::{AnswerCode, ResponseKind};
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let mut state: u64 = 3;
    let mut below = |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    // Answers with a common part, so that the items correlate; one person
    // in three leaves an item out or says it does not apply.
    let given: Vec<(Answers, bool)> = (0..150)
        .map(|k| {
            let mut answers = Answers::new();
            let common = below(3) as i64;
            for item in rdp
                .items
                .iter()
                .filter(|i| i.response == ResponseKind::Scale && i.facet.is_some())
            {
                let answer = match below(if k % 3 == 0 { 12 } else { 1000 }) {
                    0 => continue,
                    1 => Answer::Code(AnswerCode::NotApplicable),
                    _ => Answer::Value(1 + common + below(3) as i64),
                };
                answers.set(&rdp, item.id.as_str(), answer).unwrap();
            }
            (answers, k % 10 != 4)
        })
        .collect();
    let db = cluster::Database::new();
    let (server, embedded) = (Tandem::new(), Tandem::new());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let pg = tandem_store_postgres::open(&db.url, &server.data_dir())
            .await
            .unwrap();
        people(&pg, &rdp, &given).await;
        let sqlite = tandem_store_sqlite::open(&embedded.data_dir())
            .await
            .unwrap();
        people(&sqlite, &rdp, &given).await;
    });
    for flags in [
        &["--factors", "2"][..],
        &["--missing", "listwise", "--factors", "3"],
        &["--parallel", "--factors", "1"],
    ] {
        let mut args = vec!["analyze", "--from-store", "--instrument", "rdp", "--json"];
        args.extend_from_slice(flags);
        let streamed = embedded.json(&args);
        let mut on_server = vec!["--database", db.url.as_str()];
        on_server.extend_from_slice(&args);
        let summed = server.json(&on_server);
        assert_eq!(summed["rows"], 135, "{flags:?}");
        // The common part shows (reverse-keyed items turn it against alpha).
        assert!(
            summed["fa"]["eigenvalues"][0].as_f64().unwrap() > 5.0,
            "{summed}"
        );
        assert!(summed["alpha"]["raw"].is_number());
        assert!(summed["fa"]["loadings"]["ER1"].is_array());
        // Exactly the same report: integer answers make every sum exact, so
        // both routes reach the same statistics, bit for bit.
        assert_eq!(summed, streamed, "{flags:?}");
    }
}

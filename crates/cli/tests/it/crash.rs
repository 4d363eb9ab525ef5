//! kill -9 of the server during a burst of submissions loses no committed
//! answer, and the store opens afterwards and passes its integrity check,
//! on both engines (on PostgreSQL the app is killed, not the database).
//! The trials share one store, so each start also recovers from the kill
//! before it; `bench/crash` runs 1,000 of them.

use serde_json::json;
use tandem_store::Store;
use tandem_store_contract::cluster::Database;

use crate::common::Tandem;

/// Trials to run: `default` in CI, `CRASH_TRIALS` when set (as
/// `bench/crash` does).
fn trials(default: usize) -> usize {
    std::env::var("CRASH_TRIALS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// Signs up `name`, fires check-ins from 16 tasks and kills the server once
/// `kill_after` of them are acknowledged; returns how many were (201).
async fn burst(
    address: &str,
    name: &str,
    kill_after: u64,
    server: &mut std::process::Child,
) -> u64 {
    let base = format!("http://{address}");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let created = client
        .post(format!("{base}/api/v1/accounts"))
        .header("origin", &base)
        .json(&json!({ "name": name, "password": "otters hold hands while asleep" }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let csrf = created.json::<serde_json::Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (send, mut receive) = tokio::sync::mpsc::unbounded_channel();
    for _ in 0..16 {
        let (client, base, csrf, send) = (client.clone(), base.clone(), csrf.clone(), send.clone());
        tokio::spawn(async move {
            loop {
                let response = client
                    .post(format!("{base}/api/v1/checkins"))
                    .header("x-csrf-token", &csrf)
                    .json(&json!({ "answers": { "CI1": 4, "CI7": 3 } }))
                    .send()
                    .await;
                match response {
                    Ok(r) if r.status() == 201 => {
                        if send.send(()).is_err() {
                            return;
                        }
                    }
                    _ => return,
                }
            }
        });
    }
    drop(send);
    let mut acknowledged = 0u64;
    while acknowledged < kill_after {
        if receive.recv().await.is_none() {
            break;
        }
        acknowledged += 1;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    // Replies already on their way when the server died still count.
    while receive.recv().await.is_some() {
        acknowledged += 1;
    }
    acknowledged
}

/// The check-ins the store holds for `name`.
async fn kept(store: &tandem_store::Store, name: &str) -> u64 {
    let name = tandem_store::UserName::parse(name).unwrap();
    let (user, _) = store.account_by_name(&name).await.unwrap().unwrap();
    let user = crate::common::session_owner(store, user).await;
    store
        .administrations(user, Some("checkin"))
        .await
        .unwrap()
        .len() as u64
}

#[test]
fn killed_servers_lose_no_acknowledged_check_in() {
    let t = Tandem::new();
    let open = |t: &Tandem| {
        let dir = t.data_dir();
        async move { tandem_store_sqlite::open_with_rights(&dir).await.unwrap() }
    };
    // 30 in CI (was 50): the PostgreSQL trials beside it cover the same
    // promise, and the suite must stay under its time budget; `bench/crash`
    // runs many more.
    kill_trials(&t, trials(30), &[], open);
}

#[test]
fn killed_servers_on_postgres_lose_no_acknowledged_check_in() {
    let t = Tandem::new();
    let db = Database::new();
    let url = db.url.clone();
    let open = move |t: &Tandem| {
        let (dir, url) = (t.data_dir(), url.clone());
        async move {
            let engine = tandem_store_postgres::PgStore::open(&url, &dir)
                .await
                .unwrap();
            Store::with_rights(engine)
        }
    };
    kill_trials(&t, trials(20), &[("TANDEM_DATABASE_URL", &db.url)], open);
}

/// Runs `trials` kill -9 trials of `tandem serve` (with `envs`) on the
/// store `open` opens, and holds what was acknowledged to what is kept.
fn kill_trials<F, Fut>(t: &Tandem, trials: usize, envs: &[(&str, &str)], open: F)
where
    F: Fn(&Tandem) -> Fut,
    Fut: std::future::Future<Output = (Store, tandem_store::Rights)>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (mut acknowledged_total, mut kept_total, mut lost) = (0u64, 0u64, 0u64);
    let mut accounts = Vec::new();
    for trial in 0..trials {
        let (mut server, address) = crate::common::serve_with(t, &[], envs);
        let name = format!("burst{trial}");
        // The kill lands at a different point of the burst in each trial.
        let kill_after = 20 + (trial as u64 * 37) % 180;
        let acknowledged = runtime.block_on(burst(&address, &name, kill_after, &mut server));
        assert!(acknowledged >= kill_after, "trial {trial}: the burst ran");
        let held = runtime.block_on(async {
            let (store, rights) = open(t).await;
            store.integrity_check(&rights.operator).await.unwrap();
            let held = kept(&store, &name).await;
            store.close().await;
            held
        });
        acknowledged_total += acknowledged;
        kept_total += held;
        lost += acknowledged.saturating_sub(held);
        accounts.push((name, held));
    }
    // Nothing an earlier trial kept went missing in the kills after it.
    let later_lost: u64 = runtime.block_on(async {
        let (store, rights) = open(t).await;
        store.integrity_check(&rights.operator).await.unwrap();
        let mut missing = 0;
        for (name, held) in &accounts {
            missing += held.saturating_sub(kept(&store, name).await);
        }
        store.close().await;
        missing
    });
    let engine = if envs.is_empty() {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    println!(
        "crash ({engine}): {trials} kill -9 trials, {acknowledged_total} check-ins acknowledged, \
         {kept_total} kept, {lost} lost, {later_lost} lost in later trials, \
         integrity check ok {trials} times"
    );
    assert_eq!(lost, 0);
    assert_eq!(later_lost, 0);
}

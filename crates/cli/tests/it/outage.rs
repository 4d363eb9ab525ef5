//! PostgreSQL going away under load: while the database restarts, the app
//! answers 503 with `Retry-After` (never a 500, never a hang), comes back
//! by itself once the database is up, and keeps every check-in it
//! acknowledged.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use tandem_store::{Store, UserName};
use tandem_store_contract::cluster::Database;

use crate::common::{Tandem, serve_with};

/// What the load saw: replies by status, and 503s without `Retry-After`.
#[derive(Default)]
struct Seen {
    statuses: Mutex<BTreeMap<u16, u64>>,
    unavailable_without_retry_after: AtomicU64,
    acknowledged: AtomicU64,
    transport_errors: AtomicU64,
}

async fn load(
    base: String,
    client: reqwest::Client,
    csrf: String,
    seen: Arc<Seen>,
    stop: Arc<AtomicBool>,
) {
    while !stop.load(Ordering::Relaxed) {
        let response = client
            .post(format!("{base}/api/v1/checkins"))
            .header("x-csrf-token", &csrf)
            .timeout(Duration::from_secs(20))
            .json(&json!({ "answers": { "CI1": 4, "CI7": 3 } }))
            .send()
            .await;
        let response = match response {
            Ok(response) => response,
            Err(_) => {
                seen.transport_errors.fetch_add(1, Ordering::Relaxed);
                continue;
            }
        };
        let status = response.status().as_u16();
        if status == 201 {
            seen.acknowledged.fetch_add(1, Ordering::Relaxed);
        } else if status == 503 {
            if response.headers().get("retry-after").is_none() {
                seen.unavailable_without_retry_after
                    .fetch_add(1, Ordering::Relaxed);
            }
            // As a client told to retry later would, if briefly.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        *seen.statuses.lock().unwrap().entry(status).or_default() += 1;
    }
}

/// Waits until `seen` has acknowledged `more` check-ins beyond `from`.
async fn acknowledged_beyond(seen: &Seen, from: u64, more: u64, within: Duration) -> u64 {
    let start = Instant::now();
    loop {
        let now = seen.acknowledged.load(Ordering::Relaxed);
        if now >= from + more {
            return now;
        }
        assert!(
            start.elapsed() < within,
            "only {} check-ins acknowledged in {within:?} (wanted {more} beyond {from})",
            now - from
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[test]
fn a_database_restart_under_load_is_503_then_recovery_with_nothing_acknowledged_lost() {
    let db = Database::own_cluster();
    let t = Tandem::new();
    let (mut server, address) = serve_with(&t, &[], &[("TANDEM_DATABASE_URL", &db.url)]);
    let base = format!("http://{address}");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let seen = Arc::new(Seen::default());
    let (before, down, after) = runtime.block_on(async {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let created = client
            .post(format!("{base}/api/v1/accounts"))
            .header("origin", &base)
            .json(&json!({ "name": "steady", "password": "otters hold hands while asleep" }))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
        let csrf = created.json::<serde_json::Value>().await.unwrap()["csrf_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let stop = Arc::new(AtomicBool::new(false));
        let workers: Vec<_> = (0..8)
            .map(|_| {
                tokio::spawn(load(
                    base.clone(),
                    client.clone(),
                    csrf.clone(),
                    seen.clone(),
                    stop.clone(),
                ))
            })
            .collect();
        let before = acknowledged_beyond(&seen, 0, 100, Duration::from_secs(30)).await;

        // The database goes away for a few seconds, then comes back.
        tokio::task::block_in_place(|| db.stop());
        // Longer than the pool waits for a connection (2 s), so requests
        // see the outage rather than wait it out.
        tokio::time::sleep(Duration::from_secs(6)).await;
        let unavailable = seen
            .statuses
            .lock()
            .unwrap()
            .get(&503)
            .copied()
            .unwrap_or(0);
        assert!(
            unavailable > 0,
            "no 503 while the database was down: {:?}",
            seen.statuses.lock().unwrap()
        );
        tokio::task::block_in_place(|| db.start_again());

        let down = seen.acknowledged.load(Ordering::Relaxed);
        let after = acknowledged_beyond(&seen, down, 100, Duration::from_secs(60)).await;
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            worker.await.unwrap();
        }
        (before, down, after)
    });
    server.kill().unwrap();
    server.wait().unwrap();

    let acknowledged = seen.acknowledged.load(Ordering::Relaxed);
    let kept = runtime.block_on(async {
        let engine = tandem_store_postgres::PgStore::open(&db.url, &t.data_dir())
            .await
            .unwrap();
        let (store, rights) = Store::with_rights(engine);
        store.integrity_check(&rights.operator).await.unwrap();
        let (user, _) = store
            .account_by_name(&UserName::parse("steady").unwrap())
            .await
            .unwrap()
            .unwrap();
        let owner = crate::common::session_owner(&store, user).await;
        let kept = store
            .administrations(owner, Some("checkin"))
            .await
            .unwrap()
            .len() as u64;
        store.close().await;
        kept
    });
    let statuses = seen.statuses.lock().unwrap().clone();
    println!(
        "outage: {acknowledged} check-ins acknowledged ({before} before the database stopped, \
         {down} by the time it was back, {} after), {kept} kept, replies {statuses:?}, \
         {} transport errors",
        acknowledged - down,
        seen.transport_errors.load(Ordering::Relaxed)
    );
    assert!(after > down && down >= before);
    assert!(
        kept >= acknowledged,
        "{kept} kept of {acknowledged} acknowledged"
    );
    assert_eq!(
        statuses.keys().copied().collect::<Vec<_>>(),
        vec![201, 503],
        "only 201 and 503: {statuses:?}"
    );
    assert_eq!(
        seen.unavailable_without_retry_after.load(Ordering::Relaxed),
        0
    );
    assert_eq!(seen.transport_errors.load(Ordering::Relaxed), 0);
}

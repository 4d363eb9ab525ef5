//! A storm of sign-ins by strangers cannot exhaust the server's memory:
//! password hashing runs on a fixed set of workers that reuse their memory,
//! and what the queue cannot hold is refused with 503 at once.

use serde_json::json;

use crate::common::{Tandem, serve};

/// The server's peak resident memory, in kB, from /proc.
fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn a_64_way_sign_in_storm_stays_under_60_mb() {
    let t = Tandem::new();
    let (mut server, address) = serve(&t);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let statuses = runtime.block_on(async {
        let base = format!("http://{address}");
        let client = reqwest::Client::new();
        let mut tasks = Vec::new();
        for round in 0..3 {
            for k in 0..64 {
                let (client, base) = (client.clone(), base.clone());
                tasks.push(tokio::spawn(async move {
                    client
                        .post(format!("{base}/api/v1/session"))
                        .header("origin", &base)
                        .json(&json!({
                            "name": format!("stranger{round}x{k}"),
                            "password": "a guess that will not work at all",
                        }))
                        .send()
                        .await
                        .map(|r| r.status().as_u16())
                        .unwrap_or(0)
                }));
            }
        }
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        statuses
    });
    let peak = peak_rss_kb(server.id());
    server.kill().unwrap();
    server.wait().unwrap();
    let count = |code: u16| statuses.iter().filter(|s| **s == code).count();
    println!(
        "sign-in storm: {} requests, 401 {}, 429 {}, 503 {}; server peak RSS {:.1} MB",
        statuses.len(),
        count(401),
        count(429),
        count(503),
        peak as f64 / 1024.0
    );
    assert!(
        statuses.iter().all(|s| [200, 401, 429, 503].contains(s)),
        "{statuses:?}"
    );
    assert!(peak < 60 * 1024, "peak RSS {peak} kB");
}

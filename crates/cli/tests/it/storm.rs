//! A storm of sign-ins by strangers cannot exhaust the server's memory:
//! password hashing runs on a fixed set of workers that reuse their memory,
//! and what the queue cannot hold is refused with 503 at once, so the
//! storm adds a bounded amount to what the server holds at rest.

use serde_json::json;

use crate::common::{Tandem, serve};

/// The server's resident memory now, in kB, from /proc.
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

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
fn a_64_way_sign_in_storm_adds_under_20_mb() {
    let t = Tandem::new();
    let (mut server, address) = serve(&t);
    let at_rest = rss_kb(server.id());
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
        "sign-in storm: {} requests, 401 {}, 429 {}, 503 {}; server RSS at rest {:.1} MB, peak {:.1} MB",
        statuses.len(),
        count(401),
        count(429),
        count(503),
        at_rest as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    assert!(
        statuses.iter().all(|s| [200, 401, 429, 503].contains(s)),
        "{statuses:?}"
    );
    // What the storm adds, not the binary: this test runs a debug build,
    // whose resting size grows with every feature (the release figures,
    // idle and under load, are in the README's load table).
    assert!(
        peak.saturating_sub(at_rest) < 20 * 1024,
        "the storm added {} kB (at rest {at_rest} kB, peak {peak} kB)",
        peak.saturating_sub(at_rest)
    );
}

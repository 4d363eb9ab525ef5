//! The database away for a moment: another process holds SQLite's write
//! lock for longer than the store waits for it. A write is answered 503 with
//! `Retry-After`, in the person's words and never the driver's, keeps
//! nothing, and the same write succeeds once the lock is gone. Reads go on.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::Server;

/// A real second process holding `BEGIN EXCLUSIVE` on the database until it
/// is killed (Python's own sqlite3, so no Tandem code is involved).
struct Lock(Child);

impl Lock {
    fn hold(db: &std::path::Path) -> Self {
        let script = "import sqlite3, sys, time\n\
                      c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
                      c.execute('BEGIN EXCLUSIVE')\n\
                      print('locked', flush=True)\n\
                      time.sleep(120)\n";
        let mut child = Command::new("python3")
            .args(["-c", script])
            .arg(db)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "locked", "the lock was not taken");
        Self(child)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_while_the_database_is_locked_is_503_with_retry_after_and_keeps_nothing() {
    let server = Server::start().await;
    let user = server.user("outage").await;
    let checkin = json!({ "answers": { "CI1": 4, "CI7": 3 } });
    let history = || user.json(&server, "/api/v1/administrations");
    let before: Value = history().await;

    let lock = Lock::hold(server.store().path().unwrap());
    let response = user
        .send(&server, Method::POST, "/api/v1/checkins", checkin.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let retry: u64 = response
        .headers()
        .get("retry-after")
        .expect("a 503 says when to try again")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After: {retry}");
    let body = response.text().await.unwrap();
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["status"], 503);
    for driver_words in ["locked", "sqlx", "SQLITE", "database:"] {
        assert!(!body.contains(driver_words), "{driver_words} shown: {body}");
    }
    // Reading goes on beside the lock (WAL), and shows nothing new.
    assert_eq!(history().await, before);
    drop(lock);

    let response = user
        .send(&server, Method::POST, "/api/v1/checkins", checkin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let after = history().await;
    let count = |list: &Value| list.as_array().map_or(0, Vec::len);
    assert_eq!(count(&after), count(&before) + 1, "{after}");
}

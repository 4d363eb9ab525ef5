//! Walks through the app in a real browser: headless Chromium driven over
//! WebDriver (chromedriver), using only what a person sees — labels, links
//! and buttons. Every distinct page is checked with axe-core (no "serious"
//! or "critical" violation), has the title "Tandem", and is photographed at
//! the default window size and at 360 px wide into `target/screenshots/`.
//! Each walk has its own file; the browser, the server and the checks they
//! share are here and in `walk.rs`.
//!
//! Needs `/usr/bin/chromium`, `/usr/bin/chromedriver` and
//! `target/axe/node_modules/axe-core/axe.min.js`; `scripts/test` installs them.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::ClientBuilder;
use serde_json::{Value, json};

use crate::common::Server;

mod counsellor_walk;
mod couple_walk;
mod first_visit;
mod plan_walk;
mod repeat_walk;
mod safety_walk;
mod signin_walk;
mod support_map;
mod walk;

use walk::Walk;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Where the quick exit goes (`WebConfig::default().exit_url`).
const EXIT_PREFIX: &str = "https://www.bbc.com/";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn axe_path() -> PathBuf {
    workspace_root().join("target/axe/node_modules/axe-core/axe.min.js")
}

/// chromedriver on a free loopback port; killed when dropped.
struct Driver {
    child: tokio::process::Child,
    url: String,
}

impl Driver {
    async fn start() -> Self {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let child = tokio::process::Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {CHROMEDRIVER}: {err}"));
        let url = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(response) = http.get(format!("{url}/status")).send().await
                && let Ok(status) = response.json::<Value>().await
                && status["value"]["ready"] == json!(true)
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer on {url}/status within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, url }
    }

    async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

/// An XPath string literal for any text (quotes included).
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// Answer positions for the profile: varied by item, so the profile is not
/// all one value.
fn profile_choice(item: usize) -> usize {
    [3, 4, 2, 4, 1, 3, 4, 0, 2, 3, 4, 1][item % 12]
}

/// Checks that the browser, its driver and axe-core are here; axe's script.
fn prerequisites() -> String {
    for (what, path) in [
        ("Chromium", PathBuf::from(CHROMIUM)),
        ("chromedriver", PathBuf::from(CHROMEDRIVER)),
        ("axe-core", axe_path()),
    ] {
        assert!(
            path.exists(),
            "{what} is missing ({}): run scripts/test, which installs it",
            path.display()
        );
    }
    std::fs::read_to_string(axe_path()).unwrap()
}

/// A headless Chromium session of its own (cookies and all, in `profile`),
/// walking `server`.
async fn open_walk(driver: &Driver, profile: &Path, server: &Server, axe: &str) -> Walk {
    let shots = workspace_root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                // Overlay-like: the page gets the full width, as on a phone.
                "--hide-scrollbars",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|err| panic!("cannot open a Chromium session: {err}"));
    Walk {
        client: client.clone(),
        base: server.origin(),
        axe: axe.to_owned(),
        shots,
        cdp: format!(
            "{}/session/{}/goog/cdp/execute",
            driver.url,
            client.session_id().await.unwrap().unwrap()
        ),
        http: reqwest::Client::new(),
        violations: Vec::new(),
        pages: Vec::new(),
        data_dir: server.data_dir().to_owned(),
    }
}

/// Reports what the walks checked, and fails on any serious or critical
/// axe finding or on a walk that panicked.
fn report(name: &str, started: Instant, outcome: Result<Vec<Walk>, tokio::task::JoinError>) {
    match outcome {
        Ok(walks) => {
            let pages: Vec<&String> = walks.iter().flat_map(|w| &w.pages).collect();
            let violations: Vec<&String> = walks.iter().flat_map(|w| &w.violations).collect();
            println!(
                "{name}: {} pages checked in {:.1} s:\n  {}",
                pages.len(),
                started.elapsed().as_secs_f64(),
                pages
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join("\n  ")
            );
            assert!(
                violations.is_empty(),
                "axe found serious or critical problems:\n{}",
                violations
                    .iter()
                    .map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        Err(err) => panic!("{name} did not finish: {err}"),
    }
}

/// Starts chromedriver, Chromium and a fresh server; runs `walk` in its own
/// task so that, pass or fail, the browser and chromedriver are shut down;
/// then reports the pages checked and fails on any serious or critical axe
/// finding.
async fn run_walk<F, Fut>(name: &str, walk: F)
where
    F: FnOnce(Walk) -> Fut,
    Fut: Future<Output = Walk> + Send + 'static,
{
    let started = Instant::now();
    let axe = prerequisites();
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let server = Server::start().await;
    let w = open_walk(&driver, profile.path(), &server, &axe).await;
    let client = w.client.clone();
    let outcome = tokio::spawn(walk(w)).await;
    let _ = client.close().await;
    driver.stop().await;
    drop(server);
    report(name, started, outcome.map(|w| vec![w]));
}

/// As [`run_walk`], with two browsers of their own (two people) on one
/// server.
async fn run_pair_walk<F, Fut>(name: &str, walk: F)
where
    F: FnOnce(Walk, Walk) -> Fut,
    Fut: Future<Output = (Walk, Walk)> + Send + 'static,
{
    run_pair_walk_on(name, std::sync::Arc::new(Server::start().await), walk).await;
}

/// As [`run_pair_walk`], on a server of the caller's.
async fn run_pair_walk_on<F, Fut>(name: &str, server: std::sync::Arc<Server>, walk: F)
where
    F: FnOnce(Walk, Walk) -> Fut,
    Fut: Future<Output = (Walk, Walk)> + Send + 'static,
{
    let started = Instant::now();
    let axe = prerequisites();
    let driver = Driver::start().await;
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = open_walk(&driver, one.path(), &server, &axe).await;
    let second = open_walk(&driver, two.path(), &server, &axe).await;
    let clients = [first.client.clone(), second.client.clone()];
    let outcome = tokio::spawn(walk(first, second)).await;
    for client in clients {
        let _ = client.close().await;
    }
    driver.stop().await;
    drop(server);
    report(name, started, outcome.map(|(a, b)| vec![a, b]));
}

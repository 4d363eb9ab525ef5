//! A full disk: the server's data dir on a small tmpfs of its own, filled
//! while check-ins arrive. Writes are refused with 507 and a problem object
//! that says the storage is full, nothing acknowledged is lost, and once
//! space is freed the same server accepts writes again without a restart.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::common::{Tandem, serve};

/// Size of the file system the data dir lives on.
const SIZE: &str = "8m";

/// A tmpfs mounted for this test, unmounted when dropped.
struct Mount(PathBuf);

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1).map(|euid| euid == "0"))
        .unwrap()
}

/// `mount`/`umount` as root: directly, or through password-less sudo.
fn as_root(program: &str) -> Command {
    if is_root() {
        Command::new(program)
    } else {
        let mut sudo = Command::new("sudo");
        sudo.args(["-n", program]);
        sudo
    }
}

impl Mount {
    fn tmpfs(at: &Path) -> Self {
        std::fs::create_dir_all(at).unwrap();
        let output = as_root("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={SIZE},mode=0700")])
            .arg("tmpfs")
            .arg(at)
            .output();
        match output {
            Ok(o) if o.status.success() => Self(at.to_owned()),
            other => panic!(
                "\n\n*** THE DISK-FULL TRIAL DID NOT RUN: a {SIZE} tmpfs could not be mounted at {} \
                 ({other:?}). It needs root or password-less sudo (scripts/test runs it as root). ***\n",
                at.display()
            ),
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = as_root("umount").arg("-l").arg(&self.0).status();
    }
}

/// The server, killed when dropped, so that a failed assertion leaves no
/// process holding the mount.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Writes zeros to `path` until the file system refuses; returns the bytes written.
fn fill(path: &Path) -> u64 {
    let mut file = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        match file.write(&chunk) {
            Ok(0) => break,
            Ok(n) => written += n as u64,
            Err(err) => {
                assert_eq!(err.raw_os_error(), Some(28), "ENOSPC expected: {err}");
                break;
            }
        }
    }
    written
}

/// One check-in: its status and body.
async fn check_in(client: &reqwest::Client, base: &str, csrf: &str) -> (u16, String, String) {
    let response = client
        .post(format!("{base}/api/v1/checkins"))
        .header("x-csrf-token", csrf)
        .json(&json!({ "answers": { "CI1": 4, "CI7": 3 } }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

/// Adds a person to the support map (a write outside the group commit); its status.
async fn add_person(client: &reqwest::Client, base: &str, csrf: &str) -> u16 {
    client
        .post(format!("{base}/api/v1/people"))
        .header("x-csrf-token", csrf)
        .json(&json!({ "name": "Sam", "role": "friend", "leans_on": { "company": 2 } }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn listed(client: &reqwest::Client, base: &str) -> usize {
    let response = client
        .get(format!("{base}/api/v1/administrations"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "reads work while the disk is full");
    response
        .json::<Value>()
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn a_full_disk_refuses_writes_clearly_keeps_everything_and_recovers() {
    let outer = tempfile::tempdir().unwrap();
    let mount = Mount::tmpfs(&outer.path().join("small"));
    let t = Tandem::with_data_dir(mount.0.join("data"));
    let (server, address) = serve(&t);
    let server = Running(server);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let filler = mount.0.join("filler");
    let figures = runtime.block_on(async {
        let base = format!("http://{address}");
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let created = client
            .post(format!("{base}/api/v1/accounts"))
            .header("origin", &base)
            .json(&json!({ "name": "brim", "password": "otters hold hands while asleep" }))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
        let csrf = created.json::<Value>().await.unwrap()["csrf_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut acknowledged = 0usize;
        for _ in 0..50 {
            assert_eq!(check_in(&client, &base, &csrf).await.0, 201);
            acknowledged += 1;
        }
        let before = acknowledged;
        let filled = fill(&filler);
        // SQLite reuses the room its files already have, so some writes
        // still fit; keep writing until the disk says no.
        let mut refusals = std::collections::BTreeMap::<u16, usize>::new();
        let mut accepted_while_full = 0usize;
        for _ in 0..20_000 {
            let (status, kind, body) = check_in(&client, &base, &csrf).await;
            if status == 201 {
                acknowledged += 1;
                accepted_while_full += 1;
                if refusals.is_empty() {
                    continue;
                }
            } else {
                assert_eq!(status, 507, "{body}");
                assert_eq!(kind, "application/problem+json");
                let problem: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(problem["status"], 507);
                assert!(
                    problem["detail"]
                        .as_str()
                        .unwrap()
                        .contains("storage is full"),
                    "{body}"
                );
                *refusals.entry(status).or_default() += 1;
            }
            if refusals.values().sum::<usize>() >= 20 {
                break;
            }
        }
        assert!(!refusals.is_empty(), "the disk never filled");
        assert_eq!(add_person(&client, &base, &csrf).await, 507);
        assert_eq!(listed(&client, &base).await, acknowledged);
        std::fs::remove_file(&filler).unwrap();
        // Space is back: the same server takes writes again at once.
        let mut after = 0usize;
        for _ in 0..20 {
            let (status, _, body) = check_in(&client, &base, &csrf).await;
            assert_eq!(status, 201, "after freeing space: {body}");
            after += 1;
        }
        acknowledged += after;
        assert_eq!(add_person(&client, &base, &csrf).await, 201);
        assert_eq!(listed(&client, &base).await, acknowledged);
        (
            before,
            filled,
            accepted_while_full,
            refusals,
            after,
            acknowledged,
        )
    });
    drop(server);
    let (before, filled, accepted_while_full, refusals, after, acknowledged) = figures;
    let kept = runtime.block_on(async {
        let store = tandem_store_sqlite::open(&t.data_dir()).await.unwrap();
        store
            .integrity_check(&crate::common::rights().await.operator)
            .await
            .unwrap();
        let name = tandem_store::UserName::parse("brim").unwrap();
        let (user, _) = store.account_by_name(&name).await.unwrap().unwrap();
        let user = crate::common::session_owner(&store, user).await;
        let kept = store
            .administrations(user, Some("checkin"))
            .await
            .unwrap()
            .len();
        store.close().await;
        kept
    });
    println!(
        "disk full: {SIZE} tmpfs; {before} check-ins acknowledged, then {:.1} MB of filler; \
         {accepted_while_full} more acknowledged before the disk said no, refused {refusals:?}; \
         after freeing: {after} of {after} accepted without restart; {kept} kept of {acknowledged} \
         acknowledged, {} lost, integrity_check ok",
        filled as f64 / 1e6,
        acknowledged.saturating_sub(kept)
    );
    assert_eq!(kept, acknowledged);
    drop(mount);
}

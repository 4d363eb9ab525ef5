//! Canaries: distinct strings written into every free-text field, the user
//! name and the password, then looked for byte by byte in every file of the
//! data dir (database, WAL, SHM, key), in a backup and in the server's log
//! at debug level. Nothing may be found in plaintext, and after the account
//! is deleted nothing of it at all. The data dir's modes are checked after
//! start, after a backup and after a key rotation.
//!
//! The one exemption: the user name is kept in plaintext in `users.name`,
//! since sign-in looks the account up by it and "that name is taken" must
//! be decided. It is still never in the log, and gone from every file once
//! the account is deleted. (A name typed at a failed sign-in is kept only
//! as a keyed hash, so it is a canary like the rest.)

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common::{Tandem, serve_logging};

const NAME: &str = "zqname4711";
const PASSWORD: &str = "zqpass4711 otters sleep";
const NEW_PASSWORD: &str = "zqnewpass4711 river stones";
/// What someone typed as the name at a failed sign-in (often a password).
const TYPED_NAME: &str = "zqtyped4711";
const WRONG_PASSWORD: &str = "zqwrong4711 guess words";

/// Every free-text field, with the canary written into it.
const TEXTS: &[(&str, &str)] = &[
    ("support-map name (API)", "Zqperson4711"),
    ("support-map name (form)", "Zqformperson4711"),
    ("check-in note CI6", "zqnote4711"),
    ("administration about (API)", "zqabout4711"),
    ("administration about (open)", "zqopenabout4711"),
    ("journal entry (API)", "zqjournal4711"),
    ("goal (API)", "zqgoal4711"),
    ("goal step (API)", "zqstep4711"),
    ("journal entry (form)", "zqformjournal4711"),
];

/// Every text field of every other exercise kind, written through the API.
const EXERCISES: &[(&str, &[(&str, &str)])] = &[
    (
        "needs-statement",
        &[
            ("feeling", "zqfeeling4711"),
            ("situation", "zqsituation4711"),
            ("need", "zqneed4711"),
            ("request", "zqrequest4711"),
        ],
    ),
    (
        "boundary-plan",
        &[
            ("limit", "zqlimit4711"),
            ("why", "zqwhy4711"),
            ("crossed", "zqcrossed4711"),
        ],
    ),
    (
        "own-life",
        &[
            ("interests", "zqinterests4711"),
            ("time", "zqtime4711"),
            ("who", "zqwho4711"),
        ],
    ),
    ("support-growth", &[("step", "zqgrowthstep4711")]),
    (
        "self-care",
        &[("routine", "zqroutine4711"), ("when", "zqwhen4711")],
    ),
];

/// Every free-text canary: the table above and the exercise fields.
fn texts() -> Vec<(&'static str, &'static str)> {
    let mut all = TEXTS.to_vec();
    for (_, fields) in EXERCISES {
        all.extend(fields.iter().copied());
    }
    all
}

/// Every canary except the user name.
fn secrets() -> Vec<(&'static str, &'static str)> {
    let mut all = texts();
    all.extend([
        ("password", PASSWORD),
        ("new password", NEW_PASSWORD),
        ("name typed at a failed sign-in", TYPED_NAME),
        ("wrong password", WRONG_PASSWORD),
    ]);
    all
}

fn count(haystack: &[u8], needle: &str) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle.as_bytes())
        .count()
}

/// Every file under `dir` (the data dir has no subfolders, but look anyway).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// Hits of each canary in each place: (place, field, hits), only where > 0.
fn hits(
    places: &[(String, Vec<u8>)],
    canaries: &[(&'static str, &'static str)],
) -> Vec<(String, &'static str, usize)> {
    let mut found = Vec::new();
    for (place, bytes) in places {
        for (field, canary) in canaries {
            let n = count(bytes, canary);
            if n > 0 {
                found.push((place.clone(), *field, n));
            }
        }
    }
    found
}

fn places(dir: &Path, extra: &[&Path]) -> Vec<(String, Vec<u8>)> {
    files(dir)
        .iter()
        .map(PathBuf::as_path)
        .chain(extra.iter().copied())
        .map(|p| (p.display().to_string(), std::fs::read(p).unwrap()))
        .collect()
}

/// The data dir is 0700 and every file in it 0600.
#[track_caller]
fn assert_private(dir: &Path, when: &str) -> usize {
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(dir), 0o700, "{when}: data dir");
    let all = files(dir);
    for file in &all {
        assert_eq!(mode(file), 0o600, "{when}: {}", file.display());
    }
    all.len()
}

/// Signs up, writes a canary into every field, fails a sign-in with a typed
/// name, and changes the password; returns the client and its CSRF token.
async fn write_everything(base: &str) -> (reqwest::Client, String) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let failed = client
        .post(format!("{base}/api/v1/session"))
        .header("origin", base)
        .json(&json!({ "name": TYPED_NAME, "password": WRONG_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 401);
    let created = client
        .post(format!("{base}/api/v1/accounts"))
        .header("origin", base)
        .json(&json!({ "name": NAME, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let csrf = created.json::<Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let text = |field: &str| TEXTS.iter().find(|(f, _)| *f == field).unwrap().1;
    let api = |path: &str, body: Value| {
        client
            .post(format!("{base}{path}"))
            .header("origin", base)
            .header("x-csrf-token", &csrf)
            .json(&body)
    };
    let form = |path: &str, fields: Vec<(&str, &str)>| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        client
            .post(format!("{base}{path}"))
            .header("origin", base)
            .form(&all)
    };
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let answers: serde_json::Map<String, Value> = rdp
        .items
        .iter()
        .map(|i| (i.id.to_string(), json!(3)))
        .collect();
    let requests = [
        api(
            "/api/v1/people",
            json!({ "name": text("support-map name (API)"), "role": "friend", "leans_on": { "company": 3 } }),
        ),
        form(
            "/people",
            vec![
                ("name", text("support-map name (form)")),
                ("role", "family"),
                ("lean-emotional", "2"),
            ],
        ),
        api(
            "/api/v1/checkins",
            json!({ "answers": { "CI1": 4, "CI6": text("check-in note CI6") } }),
        ),
        api(
            "/api/v1/administrations",
            json!({ "instrument": "rdp", "about": text("administration about (API)"), "answers": answers }),
        ),
        api(
            "/api/v1/administrations/open",
            json!({ "instrument": "rdp", "about": text("administration about (open)") }),
        ),
        api(
            "/api/v1/exercises",
            json!({ "kind": "journal", "content": { "text": text("journal entry (API)") } }),
        ),
        api(
            "/api/v1/exercises",
            json!({ "kind": "goals", "content": { "goal": text("goal (API)"), "step": text("goal step (API)") } }),
        ),
        form(
            "/plan/do/journal",
            vec![("text", text("journal entry (form)"))],
        ),
    ];
    let exercises = EXERCISES.iter().map(|(kind, fields)| {
        let mut content: serde_json::Map<String, Value> = fields
            .iter()
            .map(|(field, canary)| ((*field).to_owned(), json!(canary)))
            .collect();
        if *kind == "support-growth" {
            content.insert("domain".to_owned(), json!("company"));
        }
        api(
            "/api/v1/exercises",
            json!({ "kind": kind, "content": content }),
        )
    });
    for request in requests.into_iter().chain(exercises) {
        let response = request.send().await.unwrap();
        let status = response.status();
        assert!(
            status.is_success() || status.is_redirection(),
            "{status}: {}",
            response.text().await.unwrap()
        );
    }
    let changed = client
        .put(format!("{base}/api/v1/account/password"))
        .header("origin", base)
        .header("x-csrf-token", &csrf)
        .json(&json!({ "current": PASSWORD, "password": NEW_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert!(changed.status().is_success(), "{}", changed.status());
    // Everything written reads back, so the canaries were really stored
    // (the export holds administrations and the map; exercises are apart).
    let mut stored = String::new();
    for path in ["/api/v1/export", "/api/v1/exercises"] {
        let response = client.get(format!("{base}{path}")).send().await.unwrap();
        stored.push_str(&response.text().await.unwrap());
    }
    for (field, canary) in texts() {
        assert!(stored.contains(canary), "{field} was not stored");
    }
    (client, csrf)
}

#[test]
fn no_canary_is_in_plaintext_on_disk_or_in_the_log_and_none_outlives_deletion() {
    let t = Tandem::new();
    let data = t.data_dir();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (mut server, address, log) = serve_logging(&t, Some("debug"));
    let at_start = assert_private(&data, "after start");
    let base = format!("http://{address}");
    runtime.block_on(write_everything(&base));
    // While the server runs (WAL not yet checkpointed) and after it stops.
    let running = hits(&places(&data, &[]), &secrets());
    server.kill().unwrap();
    server.wait().unwrap();
    let log_text = log.lock().unwrap().join("\n");
    let backup = t.file("backup.db", "");
    std::fs::remove_file(&backup).unwrap();
    t.cmd(&["admin", "backup", backup.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777,
        0o600,
        "backup"
    );
    assert_private(&data, "after backup");
    t.cmd(&["admin", "rotate-key"]).assert().success();
    let after_rotation = assert_private(&data, "after key rotation");
    let mut everywhere = places(&data, &[&backup]);
    everywhere.push(("server log".to_owned(), log_text.clone().into_bytes()));
    let mut stopped = hits(&everywhere, &secrets());
    stopped.extend(running);
    // The name is where sign-in looks for it, and only there.
    let name_in_db = count(&std::fs::read(data.join("tandem.db")).unwrap(), NAME)
        + count(&std::fs::read(&backup).unwrap(), NAME);
    let name_in_log = count(log_text.as_bytes(), NAME);
    assert!(log_text.contains("DEBUG"), "the log is at debug level");

    // Delete the account, then look again for everything, name included.
    let (mut server, address, log) = serve_logging(&t, Some("debug"));
    runtime.block_on(async {
        let base = format!("http://{address}");
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let signed_in = client
            .post(format!("{base}/api/v1/session"))
            .header("origin", &base)
            .json(&json!({ "name": NAME, "password": NEW_PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), 200);
        let csrf = signed_in.json::<Value>().await.unwrap()["csrf_token"]
            .as_str()
            .unwrap()
            .to_owned();
        // A write to the account's own row first, so the WAL holds a page
        // with the name in it when the account is deleted.
        let changed = client
            .put(format!("{base}/api/v1/account/password"))
            .header("origin", &base)
            .header("x-csrf-token", &csrf)
            .json(&json!({ "current": NEW_PASSWORD, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 204);
        let wal = std::fs::read(data.join("tandem.db-wal")).unwrap();
        assert!(
            count(&wal, NAME) > 0,
            "the WAL holds the name before deletion"
        );
        let deleted = client
            .delete(format!("{base}/api/v1/account"))
            .header("origin", &base)
            .header("x-csrf-token", &csrf)
            .json(&json!({ "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 204);
    });
    let mut all_canaries = secrets();
    all_canaries.push(("user name", NAME));
    // Right after the deletion, with the server still running, and after
    // it was killed (nothing has checkpointed the WAL since).
    let mut after_deletion = hits(&places(&data, &[]), &all_canaries);
    server.kill().unwrap();
    server.wait().unwrap();
    after_deletion.extend(hits(&places(&data, &[]), &all_canaries));
    let later_backup = t.file("after-deletion.db", "");
    std::fs::remove_file(&later_backup).unwrap();
    t.cmd(&["admin", "backup", later_backup.to_str().unwrap()])
        .assert()
        .success();
    let mut after = places(&data, &[&later_backup]);
    after.push((
        "server log after deletion".to_owned(),
        log.lock().unwrap().join("\n").into_bytes(),
    ));
    after_deletion.extend(hits(&after, &all_canaries));

    println!(
        "canaries: {} canaries ({} free-text fields, name, 2 passwords, a typed name, a wrong password); \
         {} files at start, {} after rotation, all 0600 in a 0700 dir (also after backup); \
         plaintext hits: {} while running or stopped (db, wal, shm, key, backup, debug log), \
         user name {name_in_db} in db+backup (exempt) and {name_in_log} in the log; \
         after deletion: {} hits of anything",
        secrets().len() + 1,
        texts().len(),
        at_start,
        after_rotation,
        stopped.len(),
        after_deletion.len()
    );
    assert!(stopped.is_empty(), "plaintext found: {stopped:?}");
    assert_eq!(name_in_log, 0, "the user name is in the log");
    assert!(
        name_in_db > 0,
        "the search finds plaintext where it is kept"
    );
    assert!(
        after_deletion.is_empty(),
        "left after deletion: {after_deletion:?}"
    );
}

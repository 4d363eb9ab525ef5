//! Key handling through the binary: a missing or wrong key stops Tandem at
//! start with a clear error and changes nothing; rotation keeps everything readable.

use predicates::str::contains;
use serde_json::json;

use crate::common::{Tandem, answers_file, path_str};

fn seeded() -> Tandem {
    let t = Tandem::new();
    let file = answers_file(
        &t,
        "c.json",
        &json!({"CI1": 4, "CI6": "a line only I should read"}),
    );
    t.cmd(&["checkin", "--answers", path_str(&file)])
        .assert()
        .success();
    t.cmd(&[
        "network",
        "add",
        "Sam",
        "--role",
        "friend",
        "--lean",
        "emotional=2",
    ])
    .assert()
    .success();
    t
}

#[test]
fn a_missing_key_stops_tandem_and_changes_nothing() {
    let t = seeded();
    let key = t.data_dir().join("secret.key");
    let saved = std::fs::read(&key).unwrap();
    let db = t.data_dir().join("tandem.db");
    std::fs::remove_file(&key).unwrap();
    let before = std::fs::read(&db).unwrap();
    t.cmd(&["history"])
        .assert()
        .code(1)
        .stderr(contains("secret.key"))
        .stderr(contains("missing"));
    assert!(
        !key.exists(),
        "no new key may be made for an existing store"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
    std::fs::write(&key, &saved).unwrap();
    t.cmd(&["history"]).assert().success();
}

#[test]
fn a_wrong_key_stops_tandem_and_changes_nothing() {
    let t = seeded();
    let key = t.data_dir().join("secret.key");
    let saved = std::fs::read(&key).unwrap();
    std::fs::write(&key, [7u8; 32]).unwrap();
    let db = t.data_dir().join("tandem.db");
    let before = std::fs::read(&db).unwrap();
    t.cmd(&["network", "list"])
        .assert()
        .code(1)
        .stderr(contains("key"));
    assert_eq!(std::fs::read(&db).unwrap(), before);
    std::fs::write(&key, &saved).unwrap();
    t.cmd(&["network", "list"])
        .assert()
        .success()
        .stdout(contains("Sam"));
}

#[test]
fn rotating_the_key_keeps_everything_readable() {
    let t = seeded();
    let key = t.data_dir().join("secret.key");
    let old = std::fs::read(&key).unwrap();
    let history_before = t.json(&["history", "--json"]);
    t.cmd(&["admin", "rotate-key"])
        .assert()
        .success()
        .stdout(contains("re-wrapped"));
    let new = std::fs::read(&key).unwrap();
    assert_ne!(old, new);
    assert_eq!(new.len(), 32);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(t.json(&["history", "--json"]), history_before);
    t.cmd(&["network", "list"])
        .assert()
        .success()
        .stdout(contains("Sam"));
    // The old key no longer opens the store.
    std::fs::write(&key, &old).unwrap();
    t.cmd(&["history"]).assert().code(1);
}

#[test]
fn the_key_can_come_from_the_environment() {
    let t = Tandem::new();
    let key = "ab".repeat(32);
    t.cmd(&["network", "add", "Sam", "--role", "friend"])
        .env("TANDEM_KEY", &key)
        .assert()
        .success();
    assert!(
        !t.data_dir().join("secret.key").exists(),
        "no key file when the key is configured"
    );
    t.cmd(&["network", "list"])
        .env("TANDEM_KEY", &key)
        .assert()
        .success()
        .stdout(contains("Sam"));
    t.cmd(&["network", "list"])
        .env("TANDEM_KEY", "cd".repeat(32))
        .assert()
        .code(1);
    t.cmd(&["network", "list"])
        .env("TANDEM_KEY", "not hex")
        .assert()
        .code(3)
        .stderr(contains("64 hex digits"));
}

#[test]
fn a_backup_is_checked_and_opens_with_the_key() {
    let t = seeded();
    let copy = t.data_dir().with_file_name("backup.db");
    t.cmd(&["admin", "backup", copy.to_str().unwrap()])
        .assert()
        .success()
        .stdout(contains("secret.key"));
    // Never over an existing file.
    t.cmd(&["admin", "backup", copy.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(contains("already exists"));
    // Restored beside the key, the copy holds everything.
    let restored = t.data_dir().with_file_name("restored");
    std::fs::create_dir_all(&restored).unwrap();
    std::fs::copy(&copy, restored.join("tandem.db")).unwrap();
    std::fs::copy(t.data_dir().join("secret.key"), restored.join("secret.key")).unwrap();
    let original = t.json(&["history", "--json"]);
    let output = crate::common::bare()
        .arg("--data-dir")
        .arg(&restored)
        .args(["history", "--json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let from_backup: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(from_backup, original);
    // The copy holds no free text in plain form.
    let bytes = std::fs::read(&copy).unwrap();
    let secret = "a line only I should read";
    assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()));
}

#[test]
fn approving_a_counsellor_needs_a_counsellor_account_and_says_what_is_wrong() {
    use tandem_store::{AccountRole, UserName};
    let t = Tandem::new();
    t.cmd(&["history"]).assert().success();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let standing = |name: &'static str| {
        let dir = t.data_dir();
        runtime.block_on(async move {
            let store = tandem_store_sqlite::open(&dir).await.unwrap();
            let (id, _) = store
                .account_by_name(&UserName::parse(name).unwrap())
                .await
                .unwrap()
                .unwrap();
            let owner = crate::common::session_owner(&store, id).await;
            let standing = store.standing(owner).await.unwrap();
            store.close().await;
            standing
        })
    };
    runtime.block_on(async {
        let store = tandem_store_sqlite::open(&t.data_dir()).await.unwrap();
        for (name, role) in [
            ("cora-counsellor", AccountRole::Counsellor),
            ("pat-person", AccountRole::Person),
        ] {
            store
                .create_account_as(
                    &UserName::parse(name).unwrap(),
                    crate::common::TEST_HASH,
                    role,
                    1,
                )
                .await
                .unwrap();
        }
        store.close().await;
    });
    assert_eq!(standing("cora-counsellor").approved_unix, None);
    t.cmd(&["admin", "approve-counsellor", "nobody-here"])
        .assert()
        .code(3)
        .stderr(contains("No account is named nobody-here"));
    t.cmd(&["admin", "approve-counsellor", "pat-person"])
        .assert()
        .code(3)
        .stderr(contains("not a counsellor account"));
    assert_eq!(standing("pat-person").approved_unix, None);
    t.cmd(&["admin", "approve-counsellor", "Cora-Counsellor"])
        .assert()
        .success()
        .stdout(contains("cora-counsellor is an approved counsellor"));
    assert!(standing("cora-counsellor").is_approved_counsellor());
}

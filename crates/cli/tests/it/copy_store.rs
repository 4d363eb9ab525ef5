//! Moving up: `tandem admin copy-store --to postgres://…` moves a store
//! written by the previous release (the upgrade test's fixture) into an
//! empty PostgreSQL database, and every report reads the same from there;
//! a target that holds anything is refused and left as it was; `tandem
//! admin restore` brings a backup back into an empty store of either
//! engine with the same reports, and refuses a damaged backup, storing
//! nothing; `tandem admin backup` on PostgreSQL writes a pg_dump archive.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use serde_json::Value;

use crate::common::Tandem;

use crate::postgres::cluster;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-1.0");

/// Every table a copy reports, in its order.
const TABLES: [&str; 33] = [
    "meta",
    "users",
    "high_water",
    "user_keys",
    "relationships",
    "administrations",
    "answers",
    "scorings",
    "safety_screens",
    "safety_answers",
    "supporters",
    "reliance",
    "sessions",
    "session_screens",
    "login_failures",
    "plan_items",
    "exercises",
    "exercise_ticks",
    "recovery_codes",
    "shares",
    "shared_safety",
    "assignments",
    "counsel_notes",
    "passkeys",
    "passkey_ceremonies",
    "audit_entries",
    "audit_heads",
    "links",
    "link_sides",
    "link_invites",
    "discussion_marks",
    "link_guesses",
    "us_answers",
];

/// A data dir holding the fixture's key file, and its database too when
/// `with_db`.
fn install(with_db: bool) -> Tandem {
    let t = Tandem::new();
    let dir = t.data_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let files: &[&str] = if with_db {
        &["tandem.db", "secret.key"]
    } else {
        &["secret.key"]
    };
    for file in files {
        std::fs::copy(Path::new(FIXTURE).join(file), dir.join(file)).unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("secret.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
    }
    t
}

/// `args` on the store `database` names (the data dir's SQLite when `None`).
fn on(t: &Tandem, database: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut cmd = t.cmd(&[]);
    if let Some(url) = database {
        cmd.args(["--database", url]);
    }
    cmd.args(args).output().unwrap()
}

fn json_on(t: &Tandem, database: Option<&str>, args: &[&str]) -> Value {
    let output = on(t, database, args);
    assert!(
        output.status.success(),
        "{args:?} on {database:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Every report the person can read: history, both profiles and the latest
/// with its change, people and the map's metrics, exercises, the plan and
/// the kept safety screen.
fn reports(t: &Tandem, database: Option<&str>) -> Vec<(String, Value)> {
    let asks: [&[&str]; 9] = [
        &["history", "--json"],
        &["report", "--json", "--administration", "1"],
        &["report", "--json", "--administration", "2"],
        &["report", "--json"],
        &["network", "list", "--json"],
        &["network", "show", "--json"],
        &["exercises", "list", "--json"],
        &["plan", "--json"],
        &["safety", "list", "--json"],
    ];
    asks.iter()
        .map(|args| (args.join(" "), json_on(t, database, args)))
        .collect()
}

fn assert_same(left: &[(String, Value)], right: &[(String, Value)]) {
    assert_eq!(left.len(), right.len());
    for ((ask, a), (_, b)) in left.iter().zip(right) {
        assert_eq!(a, b, "`tandem {ask}` differs");
    }
}

/// The tables a copy or restore printed, by name.
fn tables(report: &Value) -> Vec<(String, u64, String)> {
    report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["table"].as_str().unwrap().to_owned(),
                t["rows"].as_u64().unwrap(),
                t["digest"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn rows_of(tables: &[(String, u64, String)], name: &str) -> u64 {
    tables.iter().find(|t| t.0 == name).unwrap().1
}

/// A second, empty database beside `db` (on the test process's server).
fn another_database(_beside: &cluster::Database, _name: &str) -> String {
    cluster::Database::new().url.clone()
}

/// How many tables the database at `url` has.
fn tables_in(url: &str) -> i64 {
    let output = Process::new("psql")
        .arg(url)
        .args([
            "-tAc",
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn the_previous_release_moves_to_postgresql_with_every_report_equal() {
    let t = install(true);
    let db = cluster::Database::new();
    // The copy opens (and so upgrades) the old store first.
    let copied = json_on(
        &t,
        None,
        &["admin", "copy-store", "--to", &db.url, "--json"],
    );
    let copied = tables(&copied);
    let names: Vec<&str> = copied.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(names, TABLES);
    // What the fixture holds: `local` and the web account `rowan`; two
    // profiles and two check-ins of local's, one check-in of rowan's.
    assert_eq!(rows_of(&copied, "users"), 2);
    assert_eq!(rows_of(&copied, "user_keys"), 2);
    assert_eq!(rows_of(&copied, "administrations"), 5);
    assert_eq!(rows_of(&copied, "safety_screens"), 1);
    assert_eq!(rows_of(&copied, "safety_answers"), 7);
    assert_eq!(rows_of(&copied, "supporters"), 3);
    assert!(rows_of(&copied, "answers") > 100);
    assert!(rows_of(&copied, "plan_items") > 0);
    assert!(copied.iter().all(|t| t.2.len() == 64));

    let sqlite = reports(&t, None);
    let postgres = reports(&t, Some(&db.url));
    assert_same(&sqlite, &postgres);
    // The sealed notes opened on the server, under the same key.
    assert_eq!(
        postgres[0].1["administrations"][2]["note"],
        "A calm week; we walked by the river on Sunday."
    );

    // A second copy into the same database is refused, and changes nothing.
    let again = on(&t, None, &["admin", "copy-store", "--to", &db.url]);
    assert_eq!(again.status.code(), Some(3), "{again:?}");
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains("not empty") && said.contains("users (2 rows)"),
        "{said}"
    );
    assert_same(&reports(&t, Some(&db.url)), &postgres);

    // So is a database holding another application's tables, which are
    // left alone (no Tandem table is made beside them).
    let other = another_database(&db, "other_app");
    let made = Process::new("psql")
        .arg(&other)
        .args(["-qc", "CREATE TABLE notes (body text)"])
        .status()
        .unwrap();
    assert!(made.success());
    let refused = on(&t, None, &["admin", "copy-store", "--to", &other]);
    assert_eq!(refused.status.code(), Some(3), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("(notes)"));
    assert_eq!(tables_in(&other), 1);

    // New rows on the server take ids above the copied ones (rowan's one
    // person has id 3).
    let added = json_on(
        &t,
        Some(&db.url),
        &["network", "add", "Kit", "--role", "friend", "--json"],
    );
    assert_eq!(added["id"], 4, "{added}");

    // A backup of the PostgreSQL store is a pg_dump archive, private to
    // its owner; `restore` says how to bring one back instead of trying.
    let dump = t.data_dir().with_file_name("store.dump");
    let backed_up = on(
        &t,
        Some(&db.url),
        &["admin", "backup", dump.to_str().unwrap()],
    );
    assert!(backed_up.status.success(), "{backed_up:?}");
    assert!(String::from_utf8_lossy(&backed_up.stdout).contains("pg_dump archive"));
    assert!(std::fs::read(&dump).unwrap().starts_with(b"PGDMP"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dump).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let fresh = install(false);
    let refused = on(&fresh, None, &["admin", "restore", dump.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("pg_restore"));
    assert!(!fresh.data_dir().join("tandem.db").exists());
}

#[test]
fn a_backup_restores_into_an_empty_store_of_either_engine_and_a_damaged_one_into_none() {
    let t = install(true);
    let backup = t.data_dir().with_file_name("backup.db");
    let made = on(&t, None, &["admin", "backup", backup.to_str().unwrap()]);
    assert!(made.status.success(), "{made:?}");
    let original = reports(&t, None);

    // Into an empty SQLite data dir holding the key file.
    let sqlite = install(false);
    let restored = json_on(
        &sqlite,
        None,
        &["admin", "restore", backup.to_str().unwrap(), "--json"],
    );
    let restored = tables(&restored);
    assert_eq!(rows_of(&restored, "administrations"), 5);
    assert_same(&reports(&sqlite, None), &original);
    // Not twice.
    let again = on(
        &sqlite,
        None,
        &["admin", "restore", backup.to_str().unwrap()],
    );
    assert_eq!(again.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
    assert_same(&reports(&sqlite, None), &original);

    // Into an empty PostgreSQL database: the same tables, the same reports.
    let db = cluster::Database::new();
    let url = another_database(&db, "restored");
    let pg = install(false);
    let into_pg = json_on(
        &pg,
        Some(&url),
        &["admin", "restore", backup.to_str().unwrap(), "--json"],
    );
    assert_eq!(tables(&into_pg), restored);
    assert_same(&reports(&pg, Some(&url)), &original);

    // Damaged backups are refused before anything is stored.
    let bytes = std::fs::read(&backup).unwrap();
    let mut garbled = bytes.clone();
    let page = 4096;
    for byte in &mut garbled[2 * page..3 * page] {
        *byte = 0xA5;
    }
    let damaged: [(&str, Vec<u8>); 3] = [
        ("garbled.db", garbled),
        ("truncated.db", bytes[..bytes.len() / 2].to_vec()),
        ("notes.txt", b"not a backup at all".to_vec()),
    ];
    for (name, contents) in damaged {
        let file: PathBuf = t.file(name, "");
        std::fs::write(&file, contents).unwrap();
        let target = install(false);
        let refused = on(&target, None, &["admin", "restore", file.to_str().unwrap()]);
        assert_eq!(refused.status.code(), Some(3), "{name}: {refused:?}");
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains(name),
            "{name}: {refused:?}"
        );
        assert!(!target.data_dir().join("tandem.db").exists(), "{name}");
    }
    // On PostgreSQL too, the database stays as it was: without a table.
    let untouched = another_database(&db, "untouched");
    let garbled = t.data_dir().with_file_name("garbled.db");
    let refused = on(
        &pg,
        Some(&untouched),
        &["admin", "restore", garbled.to_str().unwrap()],
    );
    assert_eq!(refused.status.code(), Some(3), "{refused:?}");
    assert_eq!(tables_in(&untouched), 0);

    // Without the key the backup was made with, nothing is tried.
    let keyless = Tandem::new();
    let refused = on(
        &keyless,
        None,
        &["admin", "restore", backup.to_str().unwrap()],
    );
    assert_eq!(refused.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("secret.key"));
    assert!(!keyless.data_dir().exists());
}

//! Choosing the store: `--database` beats `TANDEM_DATABASE_URL` beats
//! `database_url` in the config file; the default is SQLite in the data dir,
//! made on first run. A URL is taken at its word: a folder that does not
//! exist, or a scheme this build does not know, is exit 3 and makes nothing.

use std::path::Path;

use crate::common::{Tandem, bare};

fn add_person(cmd: &mut assert_cmd::Command) -> assert_cmd::assert::Assert {
    cmd.args(["network", "add", "Jo", "--role", "friend"])
        .assert()
}

fn url(dir: &Path) -> String {
    format!("sqlite://{}", dir.display())
}

#[test]
fn flag_beats_env_beats_config_file_and_the_data_dir_is_left_alone() {
    let t = Tandem::new();
    let root = t.data_dir().with_file_name("stores");
    let [flag, env, file] = ["flag", "env", "file"].map(|name| root.join(name));
    for dir in [&flag, &env, &file] {
        std::fs::create_dir_all(dir).unwrap();
    }
    let config = t.file("config.toml", &format!("database_url = {:?}\n", url(&file)));
    let data = t.data_dir();
    let run = |flag_url: Option<&Path>, env_url: Option<&Path>| {
        let mut cmd = bare();
        cmd.env("TANDEM_CONFIG", &config)
            .arg("--data-dir")
            .arg(&data);
        if let Some(dir) = env_url {
            cmd.env("TANDEM_DATABASE_URL", url(dir));
        }
        if let Some(dir) = flag_url {
            cmd.arg("--database").arg(url(dir));
        }
        add_person(&mut cmd).success();
    };
    run(Some(&flag), Some(&env));
    assert!(flag.join("tandem.db").is_file() && flag.join("secret.key").is_file());
    assert!(!env.join("tandem.db").exists() && !file.join("tandem.db").exists());
    run(None, Some(&env));
    assert!(env.join("tandem.db").is_file());
    assert!(!file.join("tandem.db").exists());
    run(None, None);
    assert!(file.join("tandem.db").is_file());
    // A URL names the store, so the data dir is never made.
    assert!(!data.exists(), "the data dir was created");
    // Each store kept its own person.
    let people = |dir: &Path| {
        let out = bare()
            .args(["--database", &url(dir), "network", "list", "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        listed.as_array().map_or(0, Vec::len)
    };
    assert_eq!([people(&flag), people(&env), people(&file)], [1, 1, 1]);
}

#[test]
fn the_word_sqlite_or_nothing_is_the_data_dir_made_on_first_run() {
    for given in [None, Some("sqlite")] {
        let t = Tandem::new();
        let data = t.data_dir();
        assert!(!data.exists());
        let mut cmd = bare();
        cmd.arg("--data-dir").arg(&data);
        if let Some(given) = given {
            cmd.env("TANDEM_DATABASE_URL", given);
        }
        add_person(&mut cmd).success();
        assert!(data.join("tandem.db").is_file(), "{given:?}");
    }
}

#[test]
fn a_missing_folder_or_an_unknown_scheme_is_exit_3_and_makes_nothing() {
    let t = Tandem::new();
    let data = t.data_dir();
    let missing = data.with_file_name("not-there").join("deeper");
    for bad in [
        url(&missing),
        format!("{}/tandem.db", url(&missing)),
        "mysql://localhost/tandem".to_owned(),
        "ftp://example.org/tandem".to_owned(),
        "tandem.db".to_owned(),
    ] {
        let mut cmd = bare();
        cmd.arg("--data-dir").arg(&data).arg("--database").arg(&bad);
        add_person(&mut cmd)
            .code(3)
            .stderr(predicates::str::contains("database URL"));
        assert!(!data.exists(), "{bad}: the data dir was made");
        assert!(
            !missing.exists() && !missing.parent().unwrap().exists(),
            "{bad}"
        );
    }
}

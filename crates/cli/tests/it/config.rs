//! The data dir comes from the flag, then TANDEM_DATA_DIR, then the config file.

use crate::common::{Tandem, bare};

#[test]
fn flag_beats_env_beats_config_file() {
    let t = Tandem::new();
    let from_env = t.data_dir().with_file_name("env");
    let from_file = t.data_dir().with_file_name("file");
    let config = t.file(
        "config.toml",
        &format!("data_dir = {:?}\n", from_file.to_str().unwrap()),
    );
    let add = |cmd: &mut assert_cmd::Command| {
        cmd.args(["network", "add", "Jo", "--role", "friend"])
            .assert()
            .success();
    };
    add(bare()
        .env("TANDEM_CONFIG", &config)
        .env("TANDEM_DATA_DIR", &from_env)
        .arg("--data-dir")
        .arg(t.data_dir()));
    assert!(t.data_dir().join("tandem.db").exists());
    assert!(!from_env.exists() && !from_file.exists());
    add(bare()
        .env("TANDEM_CONFIG", &config)
        .env("TANDEM_DATA_DIR", &from_env));
    assert!(from_env.join("tandem.db").exists());
    assert!(!from_file.exists());
    add(bare().env("TANDEM_CONFIG", &config));
    assert!(from_file.join("tandem.db").exists());
}

#[test]
fn a_broken_config_file_is_refused() {
    let t = Tandem::new();
    let config = t.file("config.toml", "data_dri = \"/tmp/x\"\n");
    bare()
        .env("TANDEM_CONFIG", &config)
        .args(["history"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("config.toml"));
}

#[test]
fn the_default_is_the_xdg_data_dir() {
    let t = Tandem::new();
    let home = t.data_dir().with_file_name("xdg");
    bare()
        .env("XDG_DATA_HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .args(["network", "add", "Jo", "--role", "friend"])
        .assert()
        .success();
    assert!(home.join("tandem").join("tandem.db").exists());
}

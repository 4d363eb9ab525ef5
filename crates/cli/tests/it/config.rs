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

#[test]
fn the_default_config_lists_every_setting_and_parses_when_uncommented() {
    let t = Tandem::new();
    let output = bare().arg("default-config").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for key in [
        "data_dir",
        "bind",
        "secure_cookies",
        "public_url",
        "trusted_proxies",
        "exit_url",
        "key",
        "resources_file",
        "reliability_file",
    ] {
        assert!(text.contains(&format!("# {key} = ")), "{key} missing");
    }
    // Uncommented, with a real key and data dir, it is a valid config file.
    let uncommented: String = text
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest) if rest.contains(" = ") => rest.to_owned(),
            _ => line.to_owned(),
        })
        .map(|line| {
            if line.starts_with("key = ") {
                format!("key = \"{}\"", "ab".repeat(32))
            } else {
                line
            }
        })
        .map(|line| {
            if line.starts_with("data_dir = ") {
                format!("data_dir = {:?}", t.data_dir().to_str().unwrap())
            } else {
                line
            }
        })
        .map(|line| {
            // Files that do not exist here.
            if line.starts_with("resources_file") || line.starts_with("reliability_file") {
                String::new()
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let config = t.file("config.toml", &uncommented);
    bare()
        .env("TANDEM_CONFIG", &config)
        .args(["network", "list"])
        .assert()
        .success();
    assert!(t.data_dir().join("tandem.db").exists());
}

//! Settings: flag > environment (`TANDEM_*`) > config file > defaults.
//! clap resolves flag and environment; this module adds the file and the
//! XDG defaults.

use std::path::{Path, PathBuf};

use anyhow::Context;
use etcetera::BaseStrategy;
use serde::Deserialize;

use crate::failure::bad_input;

/// The settings a config file may hold.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Where the data lives.
    pub data_dir: Option<PathBuf>,
    /// Address `serve` listens on.
    pub bind: Option<String>,
    /// Whether cookies are marked Secure.
    pub secure_cookies: Option<bool>,
    /// Where the quick exit leads.
    pub exit_url: Option<String>,
}

/// Reads the config file: `--config` / `TANDEM_CONFIG` when given (then it
/// must exist), else `$XDG_CONFIG_HOME/tandem/config.toml` if it exists.
pub fn file_config(config: Option<&Path>) -> anyhow::Result<FileConfig> {
    let strategy = etcetera::choose_base_strategy().context("cannot find your home directory")?;
    let (config_path, explicit) = match config {
        Some(path) => (path.to_owned(), true),
        None => (
            strategy.config_dir().join("tandem").join("config.toml"),
            false,
        ),
    };
    match std::fs::read_to_string(&config_path) {
        Ok(text) => toml::from_str(&text)
            .map_err(|err| bad_input(format!("{}: {err}", config_path.display()))),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !explicit => {
            Ok(FileConfig::default())
        }
        Err(err) => Err(bad_input(format!(
            "config file {}: {err}",
            config_path.display()
        ))),
    }
}

/// Resolves the data dir. `flag_or_env` is what clap found in `--data-dir`
/// or `TANDEM_DATA_DIR`; the file comes next, then the XDG default.
pub fn data_dir(flag_or_env: Option<&Path>, file: &FileConfig) -> anyhow::Result<PathBuf> {
    if let Some(dir) = flag_or_env {
        return Ok(dir.to_owned());
    }
    if let Some(dir) = &file.data_dir {
        return Ok(dir.clone());
    }
    let strategy = etcetera::choose_base_strategy().context("cannot find your home directory")?;
    Ok(strategy.data_dir().join("tandem"))
}

//! Where the data lives: flag > environment (`TANDEM_*`) > config file > XDG default.

use std::path::{Path, PathBuf};

use anyhow::Context;
use etcetera::BaseStrategy;
use serde::Deserialize;

use crate::failure::bad_input;

/// The settings a config file may hold.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
}

/// Resolves the data dir. `flag_or_env` is what clap found in `--data-dir`
/// or `TANDEM_DATA_DIR`; `config` is `--config` or `TANDEM_CONFIG`.
pub fn data_dir(flag_or_env: Option<&Path>, config: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = flag_or_env {
        return Ok(dir.to_owned());
    }
    let strategy = etcetera::choose_base_strategy().context("cannot find your home directory")?;
    let (config_path, explicit) = match config {
        Some(path) => (path.to_owned(), true),
        None => (
            strategy.config_dir().join("tandem").join("config.toml"),
            false,
        ),
    };
    match std::fs::read_to_string(&config_path) {
        Ok(text) => {
            let parsed: FileConfig = toml::from_str(&text)
                .map_err(|err| bad_input(format!("{}: {err}", config_path.display())))?;
            if let Some(dir) = parsed.data_dir {
                return Ok(dir);
            }
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !explicit => {}
        Err(err) => {
            return Err(bad_input(format!(
                "config file {}: {err}",
                config_path.display()
            )));
        }
    }
    Ok(strategy.data_dir().join("tandem"))
}

//! Settings: flag > environment (`TANDEM_*`) > config file > defaults.
//! clap resolves flag and environment; this module adds the file and the
//! XDG defaults.

use std::path::{Path, PathBuf};

use anyhow::Context;
use etcetera::BaseStrategy;
use serde::Deserialize;

use tandem_store::{Rights, Store};
use tandem_store_postgres::PgStore;
use tandem_store_sqlite::SqliteStore;

use crate::database::Database;
use crate::failure::bad_input;

/// The settings a config file may hold.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Where the data lives.
    pub data_dir: Option<PathBuf>,
    /// Where the store is: `sqlite` (in the data dir), `sqlite://FOLDER` or
    /// `postgres://USER@HOST/DATABASE`.
    pub database_url: Option<String>,
    /// Address `serve` listens on.
    pub bind: Option<String>,
    /// Whether cookies are marked Secure: `"auto"`, `"on"`, `"off"` (or,
    /// as older files say, `true` / `false`).
    pub secure_cookies: Option<SecureCookiesValue>,
    /// The address people use to reach Tandem.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed: a list, or one
    /// string separated by commas.
    pub trusted_proxies: Option<OneOrMany>,
    /// Where the quick exit leads.
    pub exit_url: Option<String>,
    /// Whether counsellors must sign in with a passkey: `"required"` (the
    /// default) or `"optional"`.
    pub counsellor_second_factor: Option<String>,
    /// The server key as 64 hex digits, instead of the key file.
    pub key: Option<String>,
    /// A file of help lines and services for this country (format of
    /// `content/resources.toml`), instead of the neutral default.
    pub resources_file: Option<PathBuf>,
    /// A file of published reliability and SD per instrument version, used
    /// instead of estimates from this store.
    pub reliability_file: Option<PathBuf>,
}

/// `secure_cookies` as a file may write it.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SecureCookiesValue {
    /// `true` or `false`, as before `auto` existed.
    Flag(bool),
    /// `auto`, `on` or `off`.
    Word(String),
}

impl SecureCookiesValue {
    /// The setting, or what is wrong with it.
    pub fn setting(&self) -> anyhow::Result<tandem_web::address::SecureCookies> {
        use tandem_web::address::SecureCookies;
        match self {
            Self::Flag(true) => Ok(SecureCookies::On),
            Self::Flag(false) => Ok(SecureCookies::Off),
            Self::Word(word) => word
                .parse()
                .map_err(|err: tandem_web::address::AddressError| bad_input(err.to_string())),
        }
    }
}

/// A setting given as one string or a list of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One string (its parts separated by commas).
    One(String),
    /// A list.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The parts joined by commas.
    pub fn joined(&self) -> String {
        match self {
            Self::One(text) => text.clone(),
            Self::Many(parts) => parts.join(","),
        }
    }
}

/// The safety resources: `TANDEM_RESOURCES` or the config file's
/// `resources_file` when set (a broken file is an error, never ignored),
/// else the neutral default.
pub fn resources(file: &FileConfig) -> anyhow::Result<tandem_core::resources::Resources> {
    let path = std::env::var_os("TANDEM_RESOURCES")
        .map(PathBuf::from)
        .or_else(|| file.resources_file.clone());
    match path {
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path)
                .map_err(|err| bad_input(format!("{name}: {err}")))?;
            tandem_core::resources::load_resources(&name, &text)
                .map_err(|err| bad_input(err.to_string()))
        }
        None => Ok(tandem_core::resources::default_resources()?),
    }
}

/// The pinned reliability: `TANDEM_RELIABILITY_FILE` or the config file's
/// `reliability_file` when set (a broken file is an error, never ignored),
/// else none.
pub fn published(
    file: &FileConfig,
) -> anyhow::Result<Option<tandem_core::instrument::published::Published>> {
    let path = std::env::var_os("TANDEM_RELIABILITY_FILE")
        .map(PathBuf::from)
        .or_else(|| file.reliability_file.clone());
    let Some(path) = path else { return Ok(None) };
    let name = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|err| bad_input(format!("{name}: {err}")))?;
    let known = tandem_core::instrument::builtin::builtin_all_versions()?;
    tandem_core::instrument::published::load_published(&name, &text, &known)
        .map(Some)
        .map_err(|err| bad_input(err.to_string()))
}

/// The server key from `TANDEM_KEY` or the config file's `key`, if either is
/// set: 64 hex digits. Without one, the store uses its key file.
pub fn server_key(file: &FileConfig) -> anyhow::Result<Option<[u8; 32]>> {
    let Some(text) = std::env::var("TANDEM_KEY")
        .ok()
        .or_else(|| file.key.clone())
    else {
        return Ok(None);
    };
    let bytes = hex::decode(text.trim())
        .ok()
        .filter(|b| b.len() == 32)
        .ok_or_else(|| {
            bad_input(
                "the server key (TANDEM_KEY or `key` in the config file) must be 64 hex digits",
            )
        })?;
    let mut key = [0u8; 32];
    key.copy_from_slice(&bytes);
    Ok(Some(key))
}

/// Opens the store with the configured key, or its key file, and remakes
/// every plan if this build's plan rules differ from those they were made
/// with (the data half of an upgrade).
pub async fn open_store(database: &Database, file: &FileConfig) -> anyhow::Result<(Store, Rights)> {
    let (store, rights) = open_engine(database, file).await?;
    let content = tandem_app::Content::builtin()?;
    tandem_app::plan::refresh_all_if_rules_changed(&store, &content, crate::commands::plan::now())
        .await
        .context("remaking plans after an upgrade")?;
    Ok((store, rights))
}

/// Opens the store with the configured key, or its key file, and nothing
/// more: for a copy or a restore into it, which must find it as it was.
pub async fn open_engine(
    database: &Database,
    file: &FileConfig,
) -> anyhow::Result<(Store, Rights)> {
    let key = server_key(file)?;
    let (store, rights) = match database {
        Database::Sqlite { dir, .. } => Store::with_rights(match key {
            Some(key) => SqliteStore::open_with_key(dir, key).await?,
            None => SqliteStore::open(dir).await?,
        }),
        Database::Postgres { url, key_dir } => Store::with_rights(match key {
            Some(key) => PgStore::open_with_key(url, key).await?,
            None => PgStore::open(url, key_dir).await?,
        }),
    };
    Ok((store, rights))
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

/// A commented configuration file listing every setting with its default.
pub fn default_config() -> String {
    let strategy = etcetera::choose_base_strategy().ok();
    let data = strategy.as_ref().map_or_else(
        || "~/.local/share/tandem".to_owned(),
        |s| s.data_dir().join("tandem").display().to_string(),
    );
    let place = strategy.as_ref().map_or_else(
        || "~/.config/tandem/config.toml".to_owned(),
        |s| {
            s.config_dir()
                .join("tandem")
                .join("config.toml")
                .display()
                .to_string()
        },
    );
    format!(
        "# Tandem configuration ({place}, or --config / TANDEM_CONFIG).
# Precedence: command-line flags > TANDEM_* environment > this file > defaults.
# Every setting is optional; remove the # to set one.

# Where the database (tandem.db) and the key file (secret.key) live. TANDEM_DATA_DIR
# data_dir = {data:?}

# Where the store is: \"sqlite\" (in the data dir), \"sqlite://FOLDER\" (a folder
# that exists) or \"postgres://USER@HOST/DATABASE\". TANDEM_DATABASE_URL, --database
# database_url = \"sqlite\"

# Address the web app listens on. TANDEM_BIND
# bind = \"127.0.0.1:8080\"

# The address people use to reach Tandem; browsers' requests must come from it. TANDEM_PUBLIC_URL
# public_url = \"https://tandem.example.org\"

# Reverse proxies in front of Tandem (addresses or networks); only their
# X-Forwarded-For is believed. TANDEM_TRUSTED_PROXIES
# trusted_proxies = [\"127.0.0.1\"]

# Cookies get Secure and the __Host- prefix: \"auto\" (on unless the server is
# plainly on loopback over http: public_url https, trusted_proxies set, or a
# non-loopback bind turn it on), \"on\" or \"off\". TANDEM_SECURE_COOKIES
# secure_cookies = \"auto\"

# Where the quick exit leads: a neutral site. TANDEM_EXIT_URL
# exit_url = \"{exit}\"

# Whether counsellors must sign in with a passkey: \"required\" or \"optional\".
# Relaxing it lets a stolen password reach every client who shares with that
# counsellor; the settings page says so. TANDEM_COUNSELLOR_SECOND_FACTOR
# counsellor_second_factor = \"required\"

# The server key as 64 hex digits, instead of the key file. TANDEM_KEY
# Keep it secret and backed up: without it, what people wrote cannot be read.
# key = \"<64 hex digits>\"

# Help lines and services for your country (format of content/resources.toml). TANDEM_RESOURCES
# resources_file = \"/etc/tandem/resources.toml\"

# Published reliability and SD per instrument version, used instead of estimates
# from this store, and cited in reports. TANDEM_RELIABILITY_FILE
# reliability_file = \"/etc/tandem/reliability.toml\"
",
        exit = tandem_web::DEFAULT_EXIT_URL
    )
}

//! Which engine holds the store: `--database URL` / `TANDEM_DATABASE_URL` /
//! `database_url` in the config file, else SQLite in the data dir.
//!
//! The default data dir is made on first run. A URL someone wrote is taken
//! at its word: a `sqlite://` folder that does not exist, or a scheme this
//! build does not know, is a bad value (exit 3), and nothing is created. A
//! PostgreSQL server that cannot be reached is a failure (exit 1): the same
//! command may work once it is back.

use std::path::{Path, PathBuf};

use crate::failure::bad_input;

/// Where the store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// SQLite in this folder (`tandem.db` and `secret.key`); `explicit`
    /// when a URL named it, so it must exist already.
    Sqlite {
        /// The folder.
        dir: PathBuf,
        /// Named by a URL rather than the data dir.
        explicit: bool,
    },
    /// A PostgreSQL server; the server key file stays in the data dir.
    Postgres {
        /// `postgres://…` or `postgresql://…`, as given.
        url: String,
        /// Where the key file is (the data dir).
        key_dir: PathBuf,
    },
}

/// What the URLs may look like, for error messages.
const FORMS: &str = "use `sqlite` (the data dir), sqlite://FOLDER or postgres://USER@HOST/DATABASE";

impl Database {
    /// The store for `url` (flag, environment or file, in that order of
    /// precedence, already chosen by the caller); without one, SQLite in
    /// `data_dir`.
    pub fn choose(url: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        let Some(url) = url.map(str::trim) else {
            return Ok(Self::default_in(data_dir));
        };
        if url == "sqlite" {
            return Ok(Self::default_in(data_dir));
        }
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(bad_input(format!(
                "database URL `{url}` has no scheme: {FORMS}"
            )));
        };
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => Self::sqlite_at(url, rest),
            "postgres" | "postgresql" => Ok(Database::Postgres {
                url: url.to_owned(),
                key_dir: data_dir.to_owned(),
            }),
            _ => Err(bad_input(format!(
                "database URL: `{scheme}` is not an engine this build knows: {FORMS}"
            ))),
        }
    }

    fn default_in(data_dir: &Path) -> Self {
        Database::Sqlite {
            dir: data_dir.to_owned(),
            explicit: false,
        }
    }

    /// `sqlite://FOLDER` or `sqlite:///abs/FOLDER`, or the database file
    /// `…/tandem.db` in it: the folder must exist.
    fn sqlite_at(url: &str, rest: &str) -> anyhow::Result<Self> {
        let path = rest.split(['?', '#']).next().unwrap_or_default();
        if path.is_empty() {
            return Err(bad_input(format!(
                "database URL `{url}` names no folder: {FORMS}"
            )));
        }
        let path = PathBuf::from(path);
        let dir = if path.file_name() == Some(tandem_store_sqlite::DB_FILE.as_ref()) {
            path.parent().map(Path::to_owned).unwrap_or_default()
        } else {
            path
        };
        if !dir.is_dir() {
            return Err(bad_input(format!(
                "database URL `{url}`: the folder {} does not exist (Tandem makes only its default data dir)",
                dir.display()
            )));
        }
        Ok(Database::Sqlite {
            dir,
            explicit: true,
        })
    }

    /// Where a server key file is kept, and what the log names.
    pub fn dir(&self) -> &Path {
        match self {
            Database::Sqlite { dir, .. } => dir,
            Database::Postgres { key_dir, .. } => key_dir,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn each_form_of_url_is_read_or_refused_by_what_it_says() {
        let data = Path::new("/data/dir");
        let here = tempfile::tempdir().unwrap();
        let folder = here.path().display().to_string();
        let sqlite = |dir: &Path, explicit| {
            Some(Database::Sqlite {
                dir: dir.to_owned(),
                explicit,
            })
        };
        let cases: Vec<(Option<String>, Option<Database>)> = vec![
            (None, sqlite(data, false)),
            (Some("sqlite".into()), sqlite(data, false)),
            (
                Some(format!("sqlite://{folder}")),
                sqlite(here.path(), true),
            ),
            (
                Some(format!("SQLITE://{folder}/tandem.db")),
                sqlite(here.path(), true),
            ),
            (
                Some(format!("sqlite://{folder}?mode=rwc")),
                sqlite(here.path(), true),
            ),
            (Some(format!("sqlite://{folder}/missing")), None),
            (Some("sqlite://".into()), None),
            (
                Some("postgres://tandem@db.example/tandem".into()),
                Some(Database::Postgres {
                    url: "postgres://tandem@db.example/tandem".into(),
                    key_dir: data.to_owned(),
                }),
            ),
            (Some("mysql://localhost/tandem".into()), None),
            (Some("ftp://example.org/x".into()), None),
            (Some("/just/a/path".into()), None),
        ];
        for (url, expected) in cases {
            let chosen = Database::choose(url.as_deref(), data);
            match expected {
                Some(expected) => assert_eq!(chosen.unwrap(), expected, "{url:?}"),
                None => {
                    let err = chosen.unwrap_err();
                    assert_eq!(
                        crate::failure::exit_code(&err),
                        std::process::ExitCode::from(3)
                    );
                    assert!(err.to_string().contains("database URL"), "{err}");
                }
            }
        }
    }
}

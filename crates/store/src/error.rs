//! The store's error type: "not found" is kept apart from failure.

use std::path::PathBuf;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row does not exist or belongs to someone else; both look the same.
    #[error("{what} {id} not found")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// Its id.
        id: i64,
    },
    /// Something that must be unique, such as a user name, is taken already.
    /// The message is fit to show to the person who asked.
    #[error("{0}")]
    Conflict(String),
    /// A stored row no longer fits its instrument (for example, a newer version).
    #[error("stored data does not fit: {0}")]
    Invalid(String),
    /// The database failed.
    #[error("database: {0}")]
    Database(sqlx::Error),
    /// A migration failed.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The key file is missing or unusable.
    #[error("key file {}: {message}", path.display())]
    Key {
        /// The key file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Sealing or opening free text failed.
    #[error("encryption: {0}")]
    Crypto(String),
    /// The database is not configured as it must be.
    #[error("database settings are unsafe: {0}")]
    Settings(String),
}

impl From<sqlx::Error> for StoreError {
    /// A write whose owner is gone (an account deleted while the write was
    /// on its way) breaks a foreign key inside its transaction: that is
    /// "not found", like any other row that is not there, never a failure.
    fn from(err: sqlx::Error) -> Self {
        let owner_gone = err
            .as_database_error()
            .and_then(|db| db.code())
            .is_some_and(|code| code == "787");
        if owner_gone {
            StoreError::NotFound {
                what: "owner",
                id: 0,
            }
        } else {
            StoreError::Database(err)
        }
    }
}

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
    /// The file system holding the data dir is full (SQLite's `SQLITE_FULL`):
    /// this write was not kept, everything committed before is intact, and
    /// the same write can succeed once space is freed.
    #[error("the storage holding the database is full; nothing of this write was kept")]
    Full,
    /// The database failed.
    #[error("database: {0}")]
    Database(sqlx::Error),
    /// A transaction shared by several writers (a group commit) failed; each
    /// of them hears the cause as text, since the error itself has one owner.
    #[error("database: {0}")]
    Shared(String),
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

/// SQLite's primary result code for a full disk or file system.
const SQLITE_FULL: i64 = 13;
/// SQLite's extended result code for a foreign key that does not hold.
const SQLITE_CONSTRAINT_FOREIGNKEY: i64 = 787;

/// The SQLite result code of a database error (sqlx gives the extended one).
fn code_of(err: &sqlx::Error) -> Option<i64> {
    err.as_database_error()
        .and_then(|db| db.code())
        .and_then(|code| code.parse().ok())
}

impl StoreError {
    /// The error for each writer of a shared transaction that failed with `err`.
    pub(crate) fn shared(err: &sqlx::Error) -> Self {
        if code_of(err).is_some_and(|code| code & 0xff == SQLITE_FULL) {
            StoreError::Full
        } else {
            StoreError::Shared(err.to_string())
        }
    }
}

impl From<sqlx::Error> for StoreError {
    /// A write whose owner is gone (an account deleted while the write was
    /// on its way) breaks a foreign key inside its transaction: that is
    /// "not found", like any other row that is not there, never a failure.
    /// A full disk is [`StoreError::Full`], kept apart so that callers can
    /// say so instead of "something went wrong".
    fn from(err: sqlx::Error) -> Self {
        match code_of(&err) {
            Some(SQLITE_CONSTRAINT_FOREIGNKEY) => StoreError::NotFound {
                what: "owner",
                id: 0,
            },
            Some(code) if code & 0xff == SQLITE_FULL => StoreError::Full,
            _ => StoreError::Database(err),
        }
    }
}

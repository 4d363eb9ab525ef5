//! The store's error type: each kind says what happened, so that callers can
//! answer truthfully (404, 409, 422, 503 with `Retry-After`, 507, 500) and
//! never have to read a driver's text. No driver type appears in it; the
//! driver's own words are kept as text for the log alone.

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
    /// The request clashes with what is stored: something that must be
    /// unique is taken, or the row is not in the state the request needs
    /// (an administration not yet finished, a plan item still suggested).
    /// The message is fit to show to the person who asked.
    #[error("{0}")]
    Conflict(String),
    /// A value given to the store does not fit. The message is fit to show
    /// to the person who gave it, and `field` names the value.
    #[error("{message}")]
    Invalid {
        /// The value that does not fit: a field, an item id, a path.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The database cannot be reached or is busy just now (a lock held too
    /// long, no connection free, the store closing, the server away). The
    /// same request may succeed a moment later; nothing of it was kept.
    #[error("the database is not available just now: {0}")]
    Unavailable(String),
    /// What is stored cannot be read back as what it must be: a row that no
    /// longer parses, a value outside its type, a damaged file. Only the
    /// operator can act on it.
    #[error("stored data is damaged or does not fit: {0}")]
    Corrupt(String),
    /// The file system holding the data dir is full (SQLite's `SQLITE_FULL`):
    /// this write was not kept, everything committed before is intact, and
    /// the same write can succeed once space is freed.
    #[error("the storage holding the database is full; nothing of this write was kept")]
    Full,
    /// The database failed in a way none of the kinds above describes (a
    /// statement the engine refused, for example): a fault of ours. The
    /// driver's text, for the log.
    #[error("database: {0}")]
    Database(String),
    /// A migration failed; the driver's text, for the log.
    #[error("migration: {0}")]
    Migrate(String),
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

impl StoreError {
    /// A value that does not fit, naming it.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Stored data that cannot be read back as what it must be.
    pub fn corrupt(message: impl Into<String>) -> Self {
        StoreError::Corrupt(message.into())
    }

    /// Whether the same request may succeed if tried again shortly.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }

    #[cfg(feature = "sqlx")]
    /// The error for each writer of a shared transaction that failed with
    /// `err`: the same kind as the error itself, since that has one owner.
    #[doc(hidden)]
    pub fn shared(err: &sqlx::Error) -> Self {
        match classify(err) {
            Kind::Full => StoreError::Full,
            Kind::OwnerGone => StoreError::NotFound {
                what: "owner",
                id: 0,
            },
            Kind::Unavailable => StoreError::Unavailable(err.to_string()),
            Kind::Corrupt => StoreError::Corrupt(err.to_string()),
            Kind::Unique | Kind::Other => StoreError::Database(err.to_string()),
        }
    }
}

/// SQLite's primary result codes that say what happened.
#[cfg(feature = "sqlx")]
mod sqlite_code {
    /// Another connection holds the lock for longer than the busy timeout.
    pub const BUSY: i64 = 5;
    /// A table is locked by this connection's own open statement.
    pub const LOCKED: i64 = 6;
    /// The file is damaged.
    pub const CORRUPT: i64 = 11;
    /// The disk or file system is full.
    pub const FULL: i64 = 13;
    /// The file cannot be opened.
    pub const CANTOPEN: i64 = 14;
    /// The file is not a database.
    pub const NOTADB: i64 = 26;
    /// A read or write of the file failed.
    pub const IOERR: i64 = 10;
    /// Extended: a foreign key that does not hold.
    pub const CONSTRAINT_FOREIGNKEY: i64 = 787;
    /// Extended: a unique index or primary key that does not hold.
    pub const CONSTRAINT_UNIQUE: i64 = 2067;
    /// Extended: a primary key that does not hold.
    pub const CONSTRAINT_PRIMARYKEY: i64 = 1555;
}

/// What a driver error means, whatever its text.
#[cfg(feature = "sqlx")]
enum Kind {
    Full,
    OwnerGone,
    Unavailable,
    Corrupt,
    Unique,
    Other,
}

/// What a PostgreSQL SQLSTATE (always five characters) means.
#[cfg(feature = "sqlx")]
fn classify_sqlstate(code: &str) -> Kind {
    match code {
        // foreign_key_violation: the owner row is gone.
        "23503" => Kind::OwnerGone,
        // unique_violation.
        "23505" => Kind::Unique,
        // disk_full.
        "53100" => Kind::Full,
        // admin_shutdown, crash_shutdown, cannot_connect_now,
        // too_many_connections, serialization_failure, deadlock_detected.
        // Also lock_not_available and query_canceled (the engine's lock and
        // statement timeouts) and read_only_sql_transaction (a replica just
        // after a failover).
        "57P01" | "57P02" | "57P03" | "53300" | "40001" | "40P01" | "55P03" | "57014" | "25006" => {
            Kind::Unavailable
        }
        // Class 08: connection exceptions.
        _ if code.starts_with("08") => Kind::Unavailable,
        // data_corrupted, index_corrupted.
        "XX001" | "XX002" => Kind::Corrupt,
        _ => Kind::Other,
    }
}

#[cfg(feature = "sqlx")]
fn classify(err: &sqlx::Error) -> Kind {
    use sqlite_code::*;
    match err {
        sqlx::Error::Database(db) => {
            // SQLite's codes are numbers of at most four digits; PostgreSQL's
            // SQLSTATEs are always five characters.
            if let Some(code) = db.code().filter(|code| code.len() == 5) {
                return classify_sqlstate(&code);
            }
            let Some(code) = db.code().and_then(|code| code.parse::<i64>().ok()) else {
                return Kind::Other;
            };
            match code {
                CONSTRAINT_FOREIGNKEY => Kind::OwnerGone,
                CONSTRAINT_UNIQUE | CONSTRAINT_PRIMARYKEY => Kind::Unique,
                _ => match code & 0xff {
                    FULL => Kind::Full,
                    BUSY | LOCKED | CANTOPEN | IOERR => Kind::Unavailable,
                    CORRUPT | NOTADB => Kind::Corrupt,
                    _ => Kind::Other,
                },
            }
        }
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Io(_) => Kind::Unavailable,
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::TypeNotFound { .. } => Kind::Corrupt,
        _ => Kind::Other,
    }
}

#[cfg(feature = "sqlx")]
impl From<sqlx::Error> for StoreError {
    /// A write whose owner is gone (an account deleted while the write was
    /// on its way) breaks a foreign key inside its transaction: that is
    /// "not found", like any other row that is not there, never a failure.
    /// A full disk is [`StoreError::Full`], kept apart so that callers can
    /// say so instead of "something went wrong"; a lock held too long or no
    /// connection to be had is [`StoreError::Unavailable`].
    fn from(err: sqlx::Error) -> Self {
        match classify(&err) {
            Kind::Unique => StoreError::Conflict("that is stored already".into()),
            _ => StoreError::shared(&err),
        }
    }
}

#[cfg(feature = "sqlx")]
impl From<sqlx::migrate::MigrateError> for StoreError {
    /// An outage or a full disk while migrating is said as such; any other
    /// failure is the migration's own.
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        use sqlx::migrate::MigrateError::{Execute, ExecuteMigration};
        let text = err.to_string();
        match &err {
            Execute(cause) | ExecuteMigration(cause, _) => match StoreError::shared(cause) {
                kind @ (StoreError::Unavailable(_) | StoreError::Full) => kind,
                _ => StoreError::Migrate(text),
            },
            _ => StoreError::Migrate(text),
        }
    }
}

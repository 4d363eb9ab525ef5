//! A look behind the store's back, for the tests that check what is
//! stored: one SQL text for both engines (`$1`-style parameters, which
//! both accept, and functions both have), answered as plain values.

use std::path::Path;

use sqlx::postgres::PgPool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};

/// The same code on either pool: each arm is type-checked on its own.
macro_rules! on_either {
    ($raw:expr, $pool:ident => $body:expr) => {
        match $raw {
            Raw::Sqlite($pool) => $body,
            Raw::Postgres($pool) => $body,
        }
    };
}

/// A query with each of `binds` bound in turn.
macro_rules! bound {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = query.bind(*bind);
        }
        query
    }};
}

/// A connection pool of its own to a store's database.
pub enum Raw {
    /// The data dir's database file.
    Sqlite(SqlitePool),
    /// The test's PostgreSQL database.
    Postgres(PgPool),
}

impl Raw {
    /// A raw pool on the SQLite store in `data_dir`.
    pub async fn sqlite(data_dir: &Path) -> Self {
        let options = SqliteConnectOptions::new()
            .filename(data_dir.join(tandem_store_sqlite::DB_FILE))
            .create_if_missing(false)
            .busy_timeout(std::time::Duration::from_secs(5));
        Self::Sqlite(SqlitePool::connect_with(options).await.unwrap())
    }

    pub(crate) async fn postgres(url: &str) -> Self {
        Self::Postgres(PgPool::connect(url).await.unwrap())
    }

    /// The one integer `sql` answers with `binds`; write counts and lengths
    /// as `CAST(… AS BIGINT)`, which both engines read as 64 bits.
    pub async fn integer(&self, sql: &'static str, binds: &[i64]) -> i64 {
        on_either!(self, pool => bound!(sqlx::query_scalar(sql), binds).fetch_one(pool).await.unwrap())
    }

    /// Every integer of the one column `sql` answers with `binds`.
    pub async fn integers(&self, sql: &'static str, binds: &[i64]) -> Vec<i64> {
        on_either!(self, pool => bound!(sqlx::query_scalar(sql), binds).fetch_all(pool).await.unwrap())
    }

    /// Every value of the one byte column `sql` answers with `binds`.
    pub async fn bytes(&self, sql: &'static str, binds: &[i64]) -> Vec<Vec<u8>> {
        on_either!(self, pool => bound!(sqlx::query_scalar(sql), binds).fetch_all(pool).await.unwrap())
    }

    /// Every value of the one text column `sql` answers with `binds`.
    pub async fn texts(&self, sql: &'static str, binds: &[i64]) -> Vec<String> {
        on_either!(self, pool => bound!(sqlx::query_scalar(sql), binds).fetch_all(pool).await.unwrap())
    }

    /// Runs a statement; the number of rows it touched.
    pub async fn execute(&self, sql: &'static str, binds: &[i64]) -> u64 {
        on_either!(self, pool => bound!(sqlx::query(sql), binds)
            .execute(pool)
            .await
            .unwrap()
            .rows_affected())
    }

    /// Runs a statement the database may refuse: the rows it touched, or
    /// the database's message.
    pub async fn try_execute(&self, sql: &'static str, binds: &[i64]) -> Result<u64, String> {
        on_either!(self, pool => bound!(sqlx::query(sql), binds)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
            .map_err(|err| err.to_string()))
    }

    /// Closes the pool.
    pub async fn close(self) {
        on_either!(self, pool => pool.close().await)
    }
}

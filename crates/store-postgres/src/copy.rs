//! Every table of the store as engine-neutral rows, and back
//! ([`tandem_store::copy`]): an export reads one snapshot (a `REPEATABLE
//! READ`, read-only transaction); an import writes into an empty database in
//! one `SERIALIZABLE` transaction (so a writer that slips in meanwhile makes
//! it fail instead of mixing in), keeps every id as it came (`OVERRIDING
//! SYSTEM VALUE`), restarts every identity past the largest id (for `users`
//! also past the highest id SQLite ever deleted, in `high_water`), reads
//! every table back and compares counts and digests before it commits.
//!
//! Moments are read as the text SQLite stores (`moment!`) and written back
//! from it; booleans are booleans.
//!
//! The statements are built from [`TABLES`] alone (static names), never
//! from anything a person or a source store gives; values are bound.

use sqlx::postgres::{PgConnection, PgRow, Postgres};
use sqlx::{AssertSqlSafe, Row as _, Transaction};
use tandem_store::copy::{self, Export, Kind, Moment, Row, TABLES, Table, TableCheck, Value};

use crate::prelude::*;

/// Rows bound in one `INSERT`: well under PostgreSQL's 65,535 parameters.
const BATCH: usize = 500;

/// A read-only snapshot on one pooled connection.
struct PgExport {
    tx: Transaction<'static, Postgres>,
}

#[async_trait::async_trait]
impl Export for PgExport {
    async fn rows(&mut self, table: &'static Table) -> Result<Vec<Row>, StoreError> {
        read_table(&mut self.tx, table).await
    }
}

/// The `SELECT` of `table`, every column as its kind is read.
fn select(table: &Table) -> String {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|column| match column.kind {
            Kind::Moment => format!(
                "to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS {0}",
                column.name
            ),
            _ => column.name.to_owned(),
        })
        .collect();
    format!("SELECT {} FROM {}", columns.join(", "), table.name)
}

async fn read_table(
    conn: &mut PgConnection,
    table: &'static Table,
) -> Result<Vec<Row>, StoreError> {
    let found = sqlx::query(AssertSqlSafe(select(table)))
        .fetch_all(&mut *conn)
        .await?;
    let mut rows = found
        .iter()
        .map(|row| decode(table, row))
        .collect::<Result<Vec<_>, _>>()?;
    copy::canonical(&mut rows);
    Ok(rows)
}

fn decode(table: &Table, row: &PgRow) -> Result<Row, StoreError> {
    let mut values = Vec::with_capacity(table.columns.len());
    for (at, column) in table.columns.iter().enumerate() {
        let value = match column.kind {
            Kind::Integer => row.try_get::<Option<i64>, _>(at)?.map(Value::Integer),
            Kind::Text => row.try_get::<Option<String>, _>(at)?.map(Value::Text),
            Kind::Bytes => row.try_get::<Option<Vec<u8>>, _>(at)?.map(Value::Bytes),
            Kind::Bool => row.try_get::<Option<bool>, _>(at)?.map(Value::Bool),
            Kind::Moment => match row.try_get::<Option<String>, _>(at)? {
                None => None,
                Some(text) => Some(Value::Moment(Moment::parse(&text).ok_or_else(|| {
                    StoreError::corrupt(format!(
                        "{}.{}: `{text}` is not a moment",
                        table.name, column.name
                    ))
                })?)),
            },
        };
        values.push(value.unwrap_or(Value::Null));
    }
    copy::validate(table, std::slice::from_ref(&values))?;
    Ok(values)
}

/// Inserts `rows` (checked against `table` already) in batches, ids as
/// they are.
async fn insert(conn: &mut PgConnection, table: &Table, rows: &[Row]) -> Result<(), StoreError> {
    let names: Vec<&str> = table.columns.iter().map(|column| column.name).collect();
    let overriding = if table.identity.is_some() {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    };
    for batch in rows.chunks(BATCH) {
        let mut sql = format!(
            "INSERT INTO {} ({}){overriding} VALUES ",
            table.name,
            names.join(", ")
        );
        let mut n = 0;
        for (at, _) in batch.iter().enumerate() {
            sql.push_str(if at == 0 { "(" } else { ", (" });
            for (k, column) in table.columns.iter().enumerate() {
                n += 1;
                if k > 0 {
                    sql.push_str(", ");
                }
                match column.kind {
                    Kind::Moment => sql.push_str(&format!("CAST(${n} AS TIMESTAMPTZ)")),
                    _ => sql.push_str(&format!("${n}")),
                }
            }
            sql.push(')');
        }
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in batch {
            for (value, column) in row.iter().zip(table.columns) {
                query = match (value, column.kind) {
                    (Value::Null, Kind::Integer) => query.bind(None::<i64>),
                    (Value::Null, Kind::Bytes) => query.bind(None::<Vec<u8>>),
                    (Value::Null, Kind::Bool) => query.bind(None::<bool>),
                    (Value::Null, Kind::Text | Kind::Moment) => query.bind(None::<String>),
                    (Value::Integer(n), _) => query.bind(*n),
                    (Value::Text(text), _) => query.bind(text.as_str()),
                    (Value::Bytes(bytes), _) => query.bind(bytes.as_slice()),
                    (Value::Bool(flag), _) => query.bind(*flag),
                    (Value::Moment(at), _) => query.bind(at.as_str()),
                };
            }
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Makes every identity give out ids above the largest copied one: for
/// `users`, above the highest id ever deleted too, so no id is given twice.
async fn restart_identities(conn: &mut PgConnection) -> Result<(), StoreError> {
    for table in TABLES {
        let Some(column) = table.identity else {
            continue;
        };
        let floor = if table.name == "users" {
            "(SELECT coalesce(max(id), 0) FROM high_water WHERE tbl = 'users')"
        } else {
            "0"
        };
        sqlx::query(AssertSqlSafe(format!(
            "SELECT setval(pg_get_serial_sequence('{0}', '{1}'),
                           greatest((SELECT coalesce(max({1}), 0) FROM {0}), {floor}) + 1,
                           false)",
            table.name, column
        )))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

impl PgStore {
    pub(crate) async fn export_tables(&self) -> Result<Box<dyn Export>, StoreError> {
        let tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        Ok(Box::new(PgExport { tx }))
    }

    pub(crate) async fn import_tables(
        &self,
        from: &mut dyn Export,
    ) -> Result<Vec<TableCheck>, StoreError> {
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL SERIALIZABLE")
            .await?;
        let mut counts = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let count: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT count(*) FROM {}",
                table.name
            )))
            .fetch_one(&mut *tx)
            .await?;
            counts.push((table.name, count));
        }
        copy::not_empty(&counts)?;
        let mut written = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let rows = from.rows(table).await?;
            copy::validate(table, &rows)?;
            if table.name == copy::META {
                let check = copy::key_check(&rows).ok_or_else(|| {
                    StoreError::corrupt("the store being copied has no key check")
                })?;
                self.keys.opens_check(check).await?;
                sqlx::query("DELETE FROM meta").execute(&mut *tx).await?;
            }
            insert(&mut tx, table, &rows).await?;
            written.push(copy::check(table, &rows));
        }
        restart_identities(&mut tx).await?;
        let mut read_back = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let rows = read_table(&mut tx, table).await?;
            read_back.push(copy::check(table, &rows));
        }
        copy::compare(&written, &read_back)?;
        tx.commit().await?;
        Ok(read_back)
    }
}

/// The tables of the database at `url` (in its current schema) that are not
/// Tandem's: a copy goes only into a database that holds none, so that
/// opening it (which creates Tandem's tables) never mixes them into another
/// application's.
pub async fn foreign_tables(url: &str) -> Result<Vec<String>, StoreError> {
    use sqlx::{ConnectOptions, Connection};
    use std::str::FromStr;
    let mut conn = sqlx::postgres::PgConnectOptions::from_str(url)
        .map_err(|err| StoreError::invalid("url", format!("not a PostgreSQL URL: {err}")))?
        .connect()
        .await?;
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() ORDER BY table_name",
    )
    .fetch_all(&mut conn)
    .await?;
    conn.close().await?;
    Ok(names
        .into_iter()
        .filter(|name| name != "_sqlx_migrations" && !TABLES.iter().any(|t| t.name == name))
        .collect())
}

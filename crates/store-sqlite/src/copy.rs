//! Every table of the store as engine-neutral rows, and back
//! ([`tandem_store::copy`]): an export reads one snapshot (a read
//! transaction); an import writes into an empty store in one transaction
//! through the writer, checks what it wrote and only then commits.
//!
//! Booleans are stored as 0 or 1; moments as the text
//! `strftime('%Y-%m-%dT%H:%M:%fZ')` makes, which the export writes again
//! through `strftime` so that any form SQLite reads comes out in that one;
//! `sessions.seq` and `login_failures.id` are the tables' own `rowid`.
//!
//! The statements are built from [`TABLES`] alone (static names), never
//! from anything a person or a source store gives; values are bound.

use sqlx::sqlite::{Sqlite, SqliteConnection, SqliteRow};
use sqlx::{AssertSqlSafe, Row as _, Transaction};
use tandem_store::copy::{self, Export, Kind, Moment, Row, TABLES, Table, TableCheck, Value};

use crate::prelude::*;

/// Rows bound in one `INSERT`: well under SQLite's 32,766 variables.
const BATCH: usize = 200;

/// A read transaction on one pooled connection: one snapshot of every table.
struct SqliteExport {
    tx: Transaction<'static, Sqlite>,
}

#[async_trait::async_trait]
impl Export for SqliteExport {
    async fn rows(&mut self, table: &'static Table) -> Result<Vec<Row>, StoreError> {
        read_table(&mut self.tx, table).await
    }
}

fn column_name(column: &copy::Column) -> &'static str {
    if column.rowid { "rowid" } else { column.name }
}

/// The `SELECT` of `table`, every column as its kind is read.
fn select(table: &Table) -> String {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|column| {
            let name = column_name(column);
            match column.kind {
                Kind::Moment => {
                    format!("coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', {name}), {name})")
                }
                _ => name.to_owned(),
            }
        })
        .collect();
    format!("SELECT {} FROM {}", columns.join(", "), table.name)
}

async fn read_table(
    conn: &mut SqliteConnection,
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

fn decode(table: &Table, row: &SqliteRow) -> Result<Row, StoreError> {
    let mut values = Vec::with_capacity(table.columns.len());
    for (at, column) in table.columns.iter().enumerate() {
        let damaged =
            |what: &str| StoreError::corrupt(format!("{}.{}: {what}", table.name, column.name));
        let value = match column.kind {
            Kind::Integer => row.try_get::<Option<i64>, _>(at)?.map(Value::Integer),
            Kind::Text => row.try_get::<Option<String>, _>(at)?.map(Value::Text),
            Kind::Bytes => row.try_get::<Option<Vec<u8>>, _>(at)?.map(Value::Bytes),
            Kind::Bool => match row.try_get::<Option<i64>, _>(at)? {
                None => None,
                Some(0) => Some(Value::Bool(false)),
                Some(1) => Some(Value::Bool(true)),
                Some(other) => return Err(damaged(&format!("{other} is neither 0 nor 1"))),
            },
            Kind::Moment => match row.try_get::<Option<String>, _>(at)? {
                None => None,
                Some(text) => {
                    Some(Value::Moment(Moment::parse(&text).ok_or_else(|| {
                        damaged(&format!("`{text}` is not a moment"))
                    })?))
                }
            },
        };
        values.push(value.unwrap_or(Value::Null));
    }
    copy::validate(table, std::slice::from_ref(&values))?;
    Ok(values)
}

/// Inserts `rows` (checked against `table` already) in batches.
async fn insert(
    conn: &mut SqliteConnection,
    table: &Table,
    rows: &[Row],
) -> Result<(), StoreError> {
    let names: Vec<&str> = table.columns.iter().map(column_name).collect();
    let one = format!("({})", vec!["?"; names.len()].join(", "));
    for batch in rows.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO {} ({}) VALUES {}",
            table.name,
            names.join(", "),
            vec![one.as_str(); batch.len()].join(", ")
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in batch {
            for value in row {
                query = match value {
                    Value::Null => query.bind(None::<i64>),
                    Value::Integer(n) => query.bind(*n),
                    Value::Text(text) => query.bind(text.as_str()),
                    Value::Bytes(bytes) => query.bind(bytes.as_slice()),
                    Value::Bool(flag) => query.bind(i64::from(*flag)),
                    Value::Moment(at) => query.bind(at.as_str()),
                };
            }
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

impl SqliteStore {
    pub(crate) async fn export_tables(&self) -> Result<Box<dyn Export>, StoreError> {
        // A read transaction sees one snapshot from its first read on (WAL).
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT count(*) FROM meta")
            .fetch_one(&mut *tx)
            .await?;
        Ok(Box::new(SqliteExport { tx }))
    }

    pub(crate) async fn import_tables(
        &self,
        from: &mut dyn Export,
    ) -> Result<Vec<TableCheck>, StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
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

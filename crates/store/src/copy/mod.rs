//! Moving a whole store from one engine to another: the tables both engines
//! keep ([`TABLES`]), described once, a row model no driver's type appears
//! in ([`Value`]), and the per-table check both sides compute the same way
//! ([`TableCheck`]: a count and a SHA-256 over the rows in one canonical
//! order). Sealed values and wrapped data keys travel as the bytes they are:
//! every engine seals with [`crate::seal`] under [`crate::contexts`], which
//! bind values to row ids, so ids travel unchanged too.
//!
//! What one engine keeps only for itself is not copied: its migration
//! bookkeeping (`_sqlx_migrations`) and the plaintext tables a SQLite store
//! seals and drops at open. SQLite's implicit row ids of `sessions` and
//! `login_failures` are PostgreSQL's `seq` and `id` columns, and travel as
//! those. No column holds a floating-point number, so there is no such
//! value.

use std::fmt::Write as _;

use async_trait::async_trait;
use sha2::{Digest, Sha256};

use crate::StoreError;

mod tables;

pub use tables::{Column, Kind, TABLES, Table};

/// The table every engine writes rows of its own into at open, which an
/// import therefore replaces rather than finding empty.
pub const META: &str = "meta";

/// A UTC instant to the millisecond, as `2026-01-31T12:00:05.123Z`: the
/// text SQLite stores and the model types carry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment(String);

impl Moment {
    /// The moment this text names, if it has exactly the form
    /// `YYYY-MM-DDTHH:MM:SS.sssZ`.
    pub fn parse(text: &str) -> Option<Self> {
        let shape = b"dddd-dd-ddTdd:dd:dd.dddZ";
        let fits = text.len() == shape.len()
            && text.bytes().zip(shape).all(|(byte, want)| match want {
                b'd' => byte.is_ascii_digit(),
                other => byte == *other,
            });
        fits.then(|| Self(text.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One value of a copied row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Value {
    /// No value.
    Null,
    /// A 64-bit integer.
    Integer(i64),
    /// UTF-8 text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
    /// True or false.
    Bool(bool),
    /// A UTC instant to the millisecond.
    Moment(Moment),
}

/// One row: a value per column of its table, in the table's order.
pub type Row = Vec<Value>;

/// What a copy found of one table: how many rows, and the SHA-256 of their
/// canonical encoding in canonical order (see [`check`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableCheck {
    /// The table.
    pub table: &'static str,
    /// Its rows.
    pub rows: u64,
    /// SHA-256, lower-case hex.
    pub digest: String,
}

/// Puts rows in the one order both engines' digests are taken in: by their
/// values, column by column (text by its bytes, never by a collation).
pub fn canonical(rows: &mut [Row]) {
    rows.sort_unstable();
}

/// The count and digest of `rows`, which must be in [`canonical`] order.
/// Each value is a tag byte and its bytes (integers as 8 big-endian bytes,
/// text, bytes and moments after their length as 8 big-endian bytes), so no
/// two different rows encode alike.
pub fn check(table: &'static Table, rows: &[Row]) -> TableCheck {
    let mut hash = Sha256::new();
    for row in rows {
        for value in row {
            let (tag, bytes): (u8, &[u8]) = match value {
                Value::Null => (0, &[]),
                Value::Integer(n) => {
                    hash.update([1]);
                    hash.update(n.to_be_bytes());
                    continue;
                }
                Value::Text(text) => (2, text.as_bytes()),
                Value::Bytes(bytes) => (3, bytes),
                Value::Bool(flag) => {
                    hash.update([4, u8::from(*flag)]);
                    continue;
                }
                Value::Moment(at) => (5, at.as_str().as_bytes()),
            };
            hash.update([tag]);
            hash.update((bytes.len() as u64).to_be_bytes());
            hash.update(bytes);
        }
    }
    let mut digest = String::with_capacity(64);
    for byte in hash.finalize() {
        let _ = write!(digest, "{byte:02x}");
    }
    TableCheck {
        table: table.name,
        rows: rows.len() as u64,
        digest,
    }
}

/// Refuses rows that do not fit `table`: a row of the wrong length, a value
/// of another kind than its column's, or a null where none may be.
pub fn validate(table: &Table, rows: &[Row]) -> Result<(), StoreError> {
    for row in rows {
        if row.len() != table.columns.len() {
            return Err(StoreError::corrupt(format!(
                "{}: a row of {} values for {} columns",
                table.name,
                row.len(),
                table.columns.len()
            )));
        }
        for (value, column) in row.iter().zip(table.columns) {
            let fits = match (value, column.kind) {
                (Value::Null, _) => column.nullable,
                (Value::Integer(_), Kind::Integer)
                | (Value::Text(_), Kind::Text)
                | (Value::Bytes(_), Kind::Bytes)
                | (Value::Bool(_), Kind::Bool)
                | (Value::Moment(_), Kind::Moment) => true,
                _ => false,
            };
            if !fits {
                return Err(StoreError::corrupt(format!(
                    "{}.{}: {value:?} does not fit a {:?} column{}",
                    table.name,
                    column.name,
                    column.kind,
                    if column.nullable {
                        ""
                    } else {
                        " that is never null"
                    }
                )));
            }
        }
    }
    Ok(())
}

/// Refuses a copy whose rows read back from the target differ from those
/// written: the first table whose count or digest disagrees.
pub fn compare(written: &[TableCheck], read_back: &[TableCheck]) -> Result<(), StoreError> {
    for (wrote, read) in written.iter().zip(read_back) {
        if wrote != read {
            return Err(StoreError::corrupt(format!(
                "{}: {} rows (SHA-256 {}) were written, but {} rows (SHA-256 {}) read back",
                wrote.table, wrote.rows, wrote.digest, read.rows, read.digest
            )));
        }
    }
    if written.len() != read_back.len() {
        return Err(StoreError::corrupt(format!(
            "{} tables were written, but {} read back",
            written.len(),
            read_back.len()
        )));
    }
    Ok(())
}

/// The tables other than [`META`] that hold rows, as "users (3 rows)", for
/// an import to refuse a target that is not empty.
pub fn not_empty(counts: &[(&'static str, i64)]) -> Result<(), StoreError> {
    let full: Vec<String> = counts
        .iter()
        .filter(|(table, rows)| *table != META && *rows > 0)
        .map(|(table, rows)| format!("{table} ({rows} rows)"))
        .collect();
    if full.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!(
            "the target store is not empty ({}); a copy or restore goes only into an empty one, and nothing was written",
            full.join(", ")
        )))
    }
}

/// The key-check value among a source's `meta` rows, for the target to
/// show that its server key opens what is copied.
pub fn key_check(meta: &[Row]) -> Option<&[u8]> {
    meta.iter().find_map(|row| match row.as_slice() {
        [Value::Text(key), Value::Bytes(value)] if key == "key-check" => Some(value.as_slice()),
        _ => None,
    })
}

/// A consistent read of a whole store (one snapshot for every table), from
/// which an import takes one table at a time, so a store is never all in
/// memory at once.
#[async_trait]
pub trait Export: Send {
    /// Every row of `table`, in [`canonical`] order, as the snapshot holds it.
    async fn rows(&mut self, table: &'static Table) -> Result<Vec<Row>, StoreError>;
}

/// The count and digest of every table of `from`.
pub async fn summarize(from: &mut dyn Export) -> Result<Vec<TableCheck>, StoreError> {
    let mut checks = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let rows = from.rows(table).await?;
        checks.push(check(table, &rows));
    }
    Ok(checks)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn moments_have_one_form() {
        assert!(Moment::parse("2026-01-31T12:00:05.123Z").is_some());
        for bad in [
            "2026-01-31T12:00:05Z",
            "2026-01-31 12:00:05.123",
            "2026-01-31T12:00:05.123+00:00",
            "",
        ] {
            assert!(Moment::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_digest_sees_every_value_and_its_boundaries() {
        let table = &TABLES[0];
        let text = |s: &str| Value::Text(s.into());
        let bytes = |b: &[u8]| Value::Bytes(b.into());
        let a = check(table, &[vec![text("ab"), bytes(b"c")]]);
        let b = check(table, &[vec![text("a"), bytes(b"bc")]]);
        let c = check(table, &[vec![text("ab"), bytes(b"c")]]);
        assert_ne!(a, b);
        assert_eq!(a, c);
        assert_eq!(a.rows, 1);
        assert_eq!(a.digest.len(), 64);
        // Null and false are different values.
        let users = &TABLES[1];
        assert_ne!(
            check(users, &[vec![Value::Null]]),
            check(users, &[vec![Value::Bool(false)]])
        );
    }

    #[test]
    fn rows_that_do_not_fit_their_table_are_refused() {
        let meta = &TABLES[0];
        let good = vec![Value::Text("k".into()), Value::Bytes(vec![1])];
        assert!(validate(meta, &[good]).is_ok());
        for bad in [
            vec![Value::Text("k".into())],
            vec![Value::Text("k".into()), Value::Null],
            vec![Value::Integer(1), Value::Bytes(vec![1])],
        ] {
            assert!(
                validate(meta, std::slice::from_ref(&bad)).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn every_table_is_named_once_and_parents_come_first() {
        let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        let position = |name: &str| names.iter().position(|n| *n == name).unwrap();
        for (child, parent) in [
            ("administrations", "users"),
            ("answers", "administrations"),
            ("scorings", "administrations"),
            ("safety_answers", "safety_screens"),
            ("reliance", "supporters"),
            ("session_screens", "sessions"),
            ("exercises", "plan_items"),
            ("plan_items", "relationships"),
            ("exercise_ticks", "exercises"),
            ("user_keys", "users"),
            ("link_sides", "links"),
            ("link_sides", "relationships"),
            ("link_invites", "relationships"),
            ("discussion_marks", "links"),
            ("link_guesses", "links"),
            ("us_answers", "relationships"),
        ] {
            assert!(
                position(parent) < position(child),
                "{parent} before {child}"
            );
        }
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }
}

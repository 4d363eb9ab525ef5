//! What can go wrong reading response CSVs, each error saying where.

use std::io;
use std::path::PathBuf;

use super::Scale;

/// A CSV could not be read. Every variant names the file; errors in the data name the row
/// (1-based, the header being row 1), the line, the column (1-based) with its item id, and the
/// offending text.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    /// No files were given.
    #[error("no input files were given")]
    NoFiles,
    /// The file could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// The CSV reader failed (for example an I/O error mid-file).
    #[error("{path}: row {row}: cannot read the CSV: {source}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// Row being read.
        row: u64,
        /// The cause.
        #[source]
        source: ::csv::Error,
    },
    /// The file has no rows at all.
    #[error("{path}: the file is empty; expected a header row naming the items")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The header row names no items (every cell blank), or the item selection is empty.
    #[error("{path}: row 1: the header names no items")]
    NoItems {
        /// The file.
        path: PathBuf,
    },
    /// A header cell is not UTF-8 text.
    #[error("{path}: row 1, column {column}: the item id is not UTF-8 text")]
    HeaderNotUtf8 {
        /// The file.
        path: PathBuf,
        /// Column, 1-based.
        column: usize,
    },
    /// A header cell is blank while others name items.
    #[error("{path}: row 1, column {column}: blank item id in the header")]
    BlankItemId {
        /// The file.
        path: PathBuf,
        /// Column, 1-based.
        column: usize,
    },
    /// The header names an item twice.
    #[error("{path}: row 1: item {item:?} is named twice, in columns {first} and {second}")]
    DuplicateItem {
        /// The file.
        path: PathBuf,
        /// The item id.
        item: String,
        /// First column naming it, 1-based.
        first: usize,
        /// Second column naming it, 1-based.
        second: usize,
    },
    /// An item that was asked for is not in the header.
    #[error("{path}: row 1: the header has no item {item:?}")]
    UnknownItem {
        /// The file.
        path: PathBuf,
        /// The item id asked for.
        item: String,
    },
    /// An item was chosen twice.
    #[error("item {item:?} is chosen twice")]
    RepeatedItem {
        /// The item id.
        item: String,
    },
    /// An item to reverse-key is not among the items read.
    #[error("cannot reverse-key {item:?}: it is not among the items read")]
    UnknownReverse {
        /// The item id asked for.
        item: String,
    },
    /// A later file's header names other items than the first file's.
    #[error(
        "{path}: row 1: the header's items differ from those of {first} (missing: {missing:?}, extra: {extra:?})"
    )]
    HeaderMismatch {
        /// The file.
        path: PathBuf,
        /// The first file, whose header set the items.
        first: PathBuf,
        /// Items of the first file that this one lacks.
        missing: Vec<String>,
        /// Items of this file that the first one lacks.
        extra: Vec<String>,
    },
    /// A row has a different number of fields than the header.
    #[error(
        "{path}: row {row} (line {line}): expected {expected} fields as in the header, found {found}"
    )]
    Ragged {
        /// The file.
        path: PathBuf,
        /// Row, 1-based; the header is row 1.
        row: u64,
        /// Line on which the row ends, 1-based.
        line: u64,
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A cell is neither blank nor a number.
    #[error(
        "{path}: row {row} (line {line}), column {column} (item {item:?}): {value:?} is not a number (a missing value must be blank)"
    )]
    NotNumber {
        /// The file.
        path: PathBuf,
        /// Row, 1-based; the header is row 1.
        row: u64,
        /// Line on which the row ends, 1-based.
        line: u64,
        /// Column, 1-based.
        column: usize,
        /// The column's item id.
        item: String,
        /// The cell's text (cut to 64 bytes, invalid UTF-8 replaced).
        value: String,
    },
    /// A number lies outside the declared scale.
    #[error(
        "{path}: row {row} (line {line}), column {column} (item {item:?}): {value} is off the scale {scale}"
    )]
    OffScale {
        /// The file.
        path: PathBuf,
        /// Row, 1-based; the header is row 1.
        row: u64,
        /// Line on which the row ends, 1-based.
        line: u64,
        /// Column, 1-based.
        column: usize,
        /// The column's item id.
        item: String,
        /// The cell's text.
        value: String,
        /// The declared scale.
        scale: Scale,
    },
    /// A reading thread stopped unexpectedly.
    #[error("{path}: a reading thread failed")]
    Worker {
        /// The file.
        path: PathBuf,
    },
}

impl CsvError {
    /// The row (1-based, header = 1) the error is in, when it is about one row.
    pub fn row(&self) -> Option<u64> {
        match self {
            CsvError::Ragged { row, .. }
            | CsvError::NotNumber { row, .. }
            | CsvError::OffScale { row, .. }
            | CsvError::Csv { row, .. } => Some(*row),
            CsvError::Empty { .. }
            | CsvError::NoItems { .. }
            | CsvError::HeaderNotUtf8 { .. }
            | CsvError::BlankItemId { .. }
            | CsvError::DuplicateItem { .. }
            | CsvError::UnknownItem { .. }
            | CsvError::HeaderMismatch { .. } => Some(1),
            CsvError::NoFiles
            | CsvError::Io { .. }
            | CsvError::UnknownReverse { .. }
            | CsvError::RepeatedItem { .. }
            | CsvError::Worker { .. } => None,
        }
    }
}

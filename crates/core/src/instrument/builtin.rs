//! The instruments that ship inside the binary.

use super::{Instrument, LoadError, load_instrument};

/// Definition files embedded at build time: (file name, contents).
const SOURCES: [(&str, &str); 3] = [
    (
        "instruments/rdp.toml",
        include_str!("../../../../instruments/rdp.toml"),
    ),
    (
        "instruments/checkin.toml",
        include_str!("../../../../instruments/checkin.toml"),
    ),
    (
        "instruments/safety.toml",
        include_str!("../../../../instruments/safety.toml"),
    ),
];

/// Loads every built-in instrument. An error here is a bug in a shipped file;
/// the test suite loads them all, so it cannot reach a user.
pub fn builtin() -> Result<Vec<Instrument>, LoadError> {
    SOURCES
        .iter()
        .map(|(file, source)| load_instrument(file, source))
        .collect()
}

/// The built-in instrument with this id.
pub fn builtin_by_id(id: &str) -> Result<Option<Instrument>, LoadError> {
    Ok(builtin()?
        .into_iter()
        .find(|instrument| instrument.id.as_str() == id))
}

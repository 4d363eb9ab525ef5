//! The instruments that ship inside the binary: the current version of each
//! in `instruments/`, and every earlier version in `instruments/<version>/`,
//! so an administration is always scored with the version it was taken with.

use super::{Instrument, LoadError, load_instrument};

/// Current definitions, embedded at build time: (file name, contents).
const CURRENT: [(&str, &str); 3] = [
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

/// Earlier versions, kept for the administrations taken with them.
const EARLIER: [(&str, &str); 3] = [
    (
        "instruments/1.0.0/rdp.toml",
        include_str!("../../../../instruments/1.0.0/rdp.toml"),
    ),
    (
        "instruments/1.0.0/checkin.toml",
        include_str!("../../../../instruments/1.0.0/checkin.toml"),
    ),
    (
        "instruments/1.0.0/safety.toml",
        include_str!("../../../../instruments/1.0.0/safety.toml"),
    ),
];

/// Loads the current version of every built-in instrument. An error here is
/// a bug in a shipped file; the test suite loads them all, so it cannot
/// reach a user.
pub fn builtin() -> Result<Vec<Instrument>, LoadError> {
    CURRENT
        .iter()
        .map(|(file, source)| load_instrument(file, source))
        .collect()
}

/// Every built-in version of every instrument, current ones first.
pub fn builtin_all_versions() -> Result<Vec<Instrument>, LoadError> {
    CURRENT
        .iter()
        .chain(EARLIER.iter())
        .map(|(file, source)| load_instrument(file, source))
        .collect()
}

/// The current version of the built-in instrument with this id.
pub fn builtin_by_id(id: &str) -> Result<Option<Instrument>, LoadError> {
    Ok(builtin()?
        .into_iter()
        .find(|instrument| instrument.id.as_str() == id))
}

/// The built-in instrument with this id and version.
pub fn builtin_version(id: &str, version: &str) -> Result<Option<Instrument>, LoadError> {
    Ok(builtin_all_versions()?
        .into_iter()
        .find(|instrument| instrument.id.as_str() == id && instrument.version == version))
}

/// Every version of the built-in instruments, loaded once: the one place
/// callers find the definition an administration was taken with.
#[derive(Debug, Clone)]
pub struct Catalog {
    instruments: Vec<Instrument>,
}

impl Catalog {
    /// Loads every built-in version.
    pub fn builtin() -> Result<Self, LoadError> {
        Ok(Self {
            instruments: builtin_all_versions()?,
        })
    }

    /// The current version of `id`.
    pub fn current(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id.as_str() == id)
    }

    /// The version of `id` an administration was taken with.
    pub fn version(&self, id: &str, version: &str) -> Option<&Instrument> {
        self.instruments
            .iter()
            .find(|i| i.id.as_str() == id && i.version == version)
    }

    /// Every instrument held, current versions first.
    pub fn all(&self) -> &[Instrument] {
        &self.instruments
    }
}

//! What a share shows of one finished administration: the scores at its
//! level, the plain scale items, and the check-in's note when chosen. The
//! engines read the rows; this decides what of them leaves the store.

use std::collections::BTreeMap;

use tandem_core::instrument::{Instrument, ResponseKind, builtin::Catalog};

use super::{Scope, ShareLevel, SharedAdministration};
use crate::{RelationshipId, StoreError};

/// One finished administration's row as an engine reads it for a share.
#[derive(Debug, Clone, PartialEq)]
pub struct FinishedRow {
    /// Its id (for messages).
    pub id: i64,
    /// The instrument.
    pub instrument: String,
    /// Its version.
    pub version: String,
    /// Its relationship.
    pub relationship: RelationshipId,
    /// When it was finished (RFC 3339, UTC).
    pub completed_at: String,
    /// The kept index scores (JSON).
    pub indices: String,
    /// The kept facet scores (JSON).
    pub facets: String,
}

/// What the engine must read besides the rows: the answers of the
/// administrations in `wanted` (items at the `items` level; the note when
/// notes are shared).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// Whether the plain scale answers are shown.
    pub items: bool,
    /// Whether the check-in's note is shown.
    pub notes: bool,
}

impl Needs {
    /// What `scope` needs read beyond the scores.
    pub fn of(scope: &Scope) -> Self {
        Self {
            items: scope.results >= ShareLevel::Items,
            notes: scope.checkin_notes,
        }
    }
}

/// Whether a finished row is shown at all: in scope, or a check-in shown
/// only as having happened when the share lets missed check-ins be seen.
pub fn row_shown(scope: &Scope, row: &FinishedRow) -> bool {
    scope.covers(&row.instrument, row.relationship)
        || (scope.checkin_streak && row.instrument == CHECKIN)
}

/// The check-in, whose note and streak a share may show.
pub const CHECKIN: &str = "checkin";

/// A finished row as `scope` shows it, given the row's plain answers
/// (`values`: item id → value) and its text answers already opened
/// (`texts`). Only items of the instrument that are scale items and signal
/// nothing are kept, and only a check-in's text is a note; an instrument
/// this build does not know shows no items and no note.
pub fn shown(
    scope: &Scope,
    row: &FinishedRow,
    values: &BTreeMap<String, i64>,
    texts: &BTreeMap<String, String>,
) -> Result<SharedAdministration, StoreError> {
    let read = |json: &str| -> Result<BTreeMap<String, f64>, StoreError> {
        serde_json::from_str(json).map_err(|err| {
            StoreError::corrupt(format!("kept scores of administration {}: {err}", row.id))
        })
    };
    let covered = scope.covers(&row.instrument, row.relationship);
    let instrument = instrument(&row.instrument, &row.version);
    let items =
        (covered && scope.results >= ShareLevel::Items).then(|| shown_items(instrument, values));
    let note = (scope.checkin_notes && row.instrument == CHECKIN)
        .then(|| shown_note(instrument, texts))
        .flatten();
    Ok(SharedAdministration {
        instrument: row.instrument.clone(),
        version: row.version.clone(),
        relationship: row.relationship,
        completed_at: row.completed_at.clone(),
        indices: covered.then(|| read(&row.indices)).transpose()?,
        facets: (covered && scope.results >= ShareLevel::Facets)
            .then(|| read(&row.facets))
            .transpose()?,
        items,
        note,
    })
}

/// The built-in instrument of that version, if this build has it.
fn instrument(id: &str, version: &str) -> Option<&'static Instrument> {
    static CATALOG: std::sync::OnceLock<Option<Catalog>> = std::sync::OnceLock::new();
    CATALOG
        .get_or_init(|| Catalog::builtin().ok())
        .as_ref()
        .and_then(|catalog| catalog.version(id, version))
}

/// The answers a share may show: scale items that signal nothing.
pub fn shown_items(
    instrument: Option<&Instrument>,
    values: &BTreeMap<String, i64>,
) -> BTreeMap<String, i64> {
    let Some(instrument) = instrument else {
        return BTreeMap::new();
    };
    instrument
        .items
        .iter()
        .filter(|item| item.signals.is_none() && item.response == ResponseKind::Scale)
        .filter_map(|item| {
            values
                .get(item.id.as_str())
                .map(|value| (item.id.to_string(), *value))
        })
        .collect()
}

fn shown_note(instrument: Option<&Instrument>, texts: &BTreeMap<String, String>) -> Option<String> {
    let instrument = instrument?;
    instrument
        .items
        .iter()
        .filter(|item| item.signals.is_none() && item.response == ResponseKind::Text)
        .find_map(|item| texts.get(item.id.as_str()).cloned())
}

//! Administrations of profile and check-in instruments.

use serde::Serialize;
use sha2::{Digest, Sha256};
use tandem_core::instrument::{Instrument, Item};
use tandem_core::order;

use crate::{AdministrationId, RelationshipId, StoreError};

/// One administration as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Administration {
    /// Its id.
    pub id: AdministrationId,
    /// The instrument's id.
    pub instrument: String,
    /// The instrument's version when it was taken.
    pub version: String,
    /// Whom it was about, such as "my partner".
    pub about: String,
    /// The relationship it belongs to: the one of that name.
    pub relationship: RelationshipId,
    /// Index of the next item to ask, for resuming.
    pub position: usize,
    /// When it began (UTC, RFC 3339).
    pub started_at: String,
    /// When the last item was reached, if it was.
    pub completed_at: Option<String>,
    /// The seed of its own order of items (see [`tandem_core::order`]);
    /// none for the instrument's order. Shown as the order, never as a seed.
    #[serde(skip)]
    pub item_seed: Option<i64>,
}

impl Administration {
    /// Its items in the order it asks them. `instrument` is the version it
    /// was begun with.
    pub fn items<'i>(&self, instrument: &'i Instrument) -> Vec<&'i Item> {
        order::ordered(instrument, self.item_seed)
    }
}

/// The seed a new administration of `instrument` keeps: from `form_key` when
/// a form begins it, so that the page the form showed before anything was
/// stored and the pages after agree; else a fresh random one. None for an
/// instrument that keeps its own order.
pub fn item_seed(
    instrument: &Instrument,
    form_key: Option<&str>,
) -> Result<Option<i64>, StoreError> {
    if !order::shuffles(instrument) {
        return Ok(None);
    }
    Ok(Some(match form_key {
        Some(key) => form_seed(key),
        None => {
            let mut bytes = [0_u8; 8];
            getrandom::fill(&mut bytes).map_err(|err| StoreError::Crypto(err.to_string()))?;
            i64::from_le_bytes(bytes)
        }
    }))
}

/// The seed of the order a form with `form_key` shows, and the
/// administration it begins keeps.
pub fn form_seed(form_key: &str) -> i64 {
    let digest = Sha256::new()
        .chain_update(b"tandem item order\0")
        .chain_update(form_key.as_bytes())
        .finalize();
    let mut first = [0_u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_le_bytes(first)
}

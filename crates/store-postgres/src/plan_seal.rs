//! How a plan item's strategy, reason and safety mark are sealed: the same
//! as the SQLite engine, so a copied store opens here.

use serde::{Deserialize, Serialize};

use crate::prelude::*;
use crate::seal::Sealer;
use tandem_store::contexts::plan_item_context;

/// What of a plan item is sealed: everything that could tell what the
/// person's answers said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SealedItem {
    /// The strategy (a guidance id).
    pub strategy: String,
    /// Why it was suggested (JSON made by the program).
    pub reason: serde_json::Value,
    /// Whether safety answers shaped it.
    pub from_safety: bool,
}

/// Sealed plan items are padded to a multiple of this many bytes; every
/// item the built-in guidance makes fits in one.
const BUCKET: usize = 512;

impl SealedItem {
    /// Sealed for the plan item `id`, padded with spaces (which JSON
    /// ignores) to a multiple of [`BUCKET`] bytes, so the length of the
    /// ciphertext does not tell one strategy or reason from another.
    pub(crate) fn seal(&self, key: &Sealer, id: i64) -> Result<Vec<u8>, StoreError> {
        let mut plain = serde_json::to_vec(self)
            .map_err(|err| StoreError::corrupt(format!("plan item {id}: {err}")))?;
        plain.resize(plain.len().div_ceil(BUCKET).max(1) * BUCKET, b' ');
        key.seal(&plan_item_context(id), &plain)
    }

    /// Opens what [`SealedItem::seal`] made for `id`.
    pub(crate) fn open(key: &Sealer, id: i64, sealed: &[u8]) -> Result<Self, StoreError> {
        let plain = key.open(&plan_item_context(id), sealed)?;
        serde_json::from_slice(&plain)
            .map_err(|err| StoreError::Crypto(format!("{}: {err}", plan_item_context(id))))
    }
}

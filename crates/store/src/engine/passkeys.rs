//! Passkeys of accounts, and the ceremonies that add or use them.

use async_trait::async_trait;

use crate::passkeys::{Ceremony, CeremonyRow, PasskeyRecord};
use crate::{Owner, PasskeyId, StoreError, UserId};

/// Passkeys: added and removed by their owner; read for sign-in by the
/// unverified account's id (public keys only), as recovery hashes are.
#[async_trait]
pub trait Passkeys: Send + Sync {
    /// Adds a passkey. [`crate::passkeys::taken`] when its credential id is
    /// anyone's already.
    async fn add_passkey(
        &self,
        owner: Owner,
        credential_id: &[u8],
        credential: &str,
        label: &str,
        now: i64,
    ) -> Result<PasskeyId, StoreError>;

    /// The owner's passkeys, oldest first.
    async fn passkeys(&self, owner: Owner) -> Result<Vec<PasskeyRecord>, StoreError>;

    /// The passkeys of `user`, for checking a sign-in.
    async fn sign_in_passkeys(&self, user: UserId) -> Result<Vec<PasskeyRecord>, StoreError>;

    /// After a sign-in with it: the credential as it now stands (its
    /// counter) and when it was used.
    async fn passkey_used(
        &self,
        user: UserId,
        credential_id: &[u8],
        credential: &str,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Removes one of the owner's passkeys; `NotFound` for none such.
    async fn remove_passkey(&self, owner: Owner, id: PasskeyId) -> Result<(), StoreError>;

    /// Keeps a ceremony under the SHA-256 of its key until `expires_unix`;
    /// ceremonies past their time are dropped on the way.
    async fn keep_ceremony(
        &self,
        key_hash: &[u8; 32],
        user: UserId,
        purpose: Ceremony,
        state: &str,
        now: i64,
        expires_unix: i64,
    ) -> Result<(), StoreError>;

    /// Takes the ceremony back, once: `None` when unknown, taken, of
    /// another purpose, or past its time.
    async fn take_ceremony(
        &self,
        key_hash: &[u8; 32],
        purpose: Ceremony,
        now: i64,
    ) -> Result<Option<CeremonyRow>, StoreError>;
}

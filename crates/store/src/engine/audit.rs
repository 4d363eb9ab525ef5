//! The audit chains: a person reads their own, the operator checks them all.

use async_trait::async_trait;

use crate::audit::{AuditCheck, AuditEntry};
use crate::{Operator, Owner, StoreError};

/// Reading the audit log. Appending has no method of its own: each act an
/// entry records appends it in its own transaction, inside the engine.
#[async_trait]
pub trait AuditLog: Send + Sync {
    /// Every entry of `owner`'s chain, oldest first.
    async fn audit_trail(&self, owner: Owner) -> Result<Vec<AuditEntry>, StoreError>;

    /// Checks every chain in the store, as [`crate::audit::verify`] does.
    async fn verify_audit(&self, operator: &Operator) -> Result<AuditCheck, StoreError>;
}

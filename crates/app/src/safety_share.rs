//! A client showing the counsellor of one grant the result of one safety
//! check, by their own act and once: the graded outcome and whether a
//! "Yes" spoke of self-harm, read from the kept screen they choose, never
//! its answers. No scope reaches it; the counsellor reads it through the
//! grant, and that read is in the client's trail.

use tandem_store::shares::{SharedSafetyResult, unfinished};
use tandem_store::{Owner, SafetyScreenId, ShareId, Store};

use crate::content::Content;
use crate::error::ServiceError;

/// Shows the counsellor of `owner`'s current grant `share` the result of
/// `owner`'s kept, finished safety screen `screen`. `NotFound` for a grant
/// or screen not theirs (or a grant not current), `Invalid` for a screen
/// not finished, `Conflict` when the grant shows one already.
pub async fn share_safety(
    store: &Store,
    content: &Content,
    owner: Owner,
    share: ShareId,
    screen: SafetyScreenId,
    now: i64,
) -> Result<SharedSafetyResult, ServiceError> {
    let kept = store.safety_screens(owner).await?;
    let record = kept
        .iter()
        .find(|record| record.id == screen)
        .ok_or_else(|| ServiceError::not_found("safety screen", screen.0))?;
    if record.completed_at.is_none() {
        return Err(unfinished().into());
    }
    let instrument = content
        .instrument_version("safety", &record.version)
        .ok_or_else(|| ServiceError::internal(format!("no safety screen {}", record.version)))?;
    let summary = record.to_screen(instrument)?.summary();
    Ok(store
        .share_safety_result(owner, share, screen, summary, now)
        .await?)
}

//! The associated data each sealed value is bound to: its place. A sealed
//! value moved to another row, or another person's row, does not open. Both
//! engines seal with these, so a store moved between them opens.

use crate::{AdministrationId, ExerciseId, UserId, to_hex};

/// A person's data key, wrapped by the server key.
pub fn wrap_context(user: UserId) -> String {
    format!("user-key:{user}")
}

/// A name on a person's support map.
pub fn name_context(owner: UserId) -> String {
    format!("supporter-name:{owner}")
}

/// Whom a person's administration is about.
pub fn about_context(owner: UserId) -> String {
    format!("administration-about:{owner}")
}

/// The name of one of a person's relationships.
pub fn relationship_name_context(owner: UserId) -> String {
    format!("relationship-name:{owner}")
}

/// A text answer of an administration.
pub fn text_context(administration: AdministrationId, item: &str) -> String {
    format!("answer:{administration}:{item}")
}

/// An exercise's content.
pub fn content_context(id: ExerciseId) -> String {
    format!("exercise:{id}")
}

/// A person's time zone.
pub fn zone_context(owner: UserId) -> String {
    format!("time-zone:{}", owner.0)
}

/// A plan item (strategy, reason and the safety mark).
pub fn plan_item_context(id: i64) -> String {
    format!("plan-item:{id}")
}

/// One answer of a kept safety screen.
pub fn safety_answer_context(screen: i64, item: &str) -> String {
    format!("safety-answer:{screen}:{item}")
}

/// The outcome of an unkept screen, held beside its session.
pub fn summary_context(token_hash: &[u8]) -> String {
    format!("session-screen:{}", to_hex(token_hash))
}

/// The safety result a client showed through one share.
pub fn shared_safety_context(share: crate::ShareId) -> String {
    format!("shared-safety:{}", share.0)
}

/// A counsellor's note, sealed with the counsellor's key.
pub fn note_context(note: crate::NoteId) -> String {
    format!("counsel-note:{}", note.0)
}

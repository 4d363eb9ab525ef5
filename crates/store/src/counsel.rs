//! A counsellor's own work with a client, through a grant: instruments
//! asked for with a date (which the client sees on their home page and may
//! decline), and notes, private (the counsellor's alone) or shared (the
//! client reads them). Notes are sealed with the counsellor's key. When a
//! client deletes their account, shared notes go with it and private ones
//! stay the counsellor's, marked as about a former client with no name.

use serde::Serialize;

use crate::{AssignmentId, NoteId, ShareId, StoreError};

/// One instrument a counsellor asked a client to answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// Its id.
    pub id: AssignmentId,
    /// The grant it was asked through.
    pub share: ShareId,
    /// The instrument's id (`rdp`, `checkin`).
    pub instrument: String,
    /// The day it is asked for by, as the end of that day (unix seconds).
    pub due_unix: i64,
    /// When it was asked (unix seconds).
    pub created_unix: i64,
    /// When the client declined it, if they did.
    pub declined_unix: Option<i64>,
    /// The counsellor's user name.
    pub counsellor: String,
    /// Whether the client finished that instrument since it was asked:
    /// known on the client's own read; `None` on the counsellor's, where
    /// only what the grant shows may tell.
    pub done: Option<bool>,
}

/// One note a counsellor wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Its id.
    pub id: NoteId,
    /// The grant it is about; `None` once the client deleted their account.
    pub share: Option<ShareId>,
    /// The client's user name; `None` for a former client.
    pub client: Option<String>,
    /// The counsellor's user name.
    pub counsellor: String,
    /// Whether the client can read it.
    pub shared: bool,
    /// What it says.
    pub text: String,
    /// When it was written (unix seconds).
    pub created_unix: i64,
    /// When the client deleted their account, for a former client's note.
    pub former_unix: Option<i64>,
}

/// The instrument that is never asked for this way.
const SAFETY: &str = "safety";

/// What every engine checks before it keeps an assignment: never the
/// safety check, and a day not already past.
pub fn check_assignment(instrument: &str, due_unix: i64, now: i64) -> Result<(), StoreError> {
    if instrument == SAFETY {
        return Err(StoreError::invalid(
            "instrument",
            "The safety questions are never asked for by a counsellor.",
        ));
    }
    if due_unix <= now {
        return Err(StoreError::invalid(
            "due",
            "Give a day that has not passed yet.",
        ));
    }
    Ok(())
}

/// An assignment or note that is not the asker's, or a grant that ended.
pub fn not_found(what: &'static str, id: i64) -> StoreError {
    StoreError::NotFound { what, id }
}

//! A counsellor's work with one client through their grant: asking for an
//! instrument by a day, and notes. Whether an assignment was done is told
//! to the counsellor only from what the grant shows: when the client
//! shares that instrument's results (or, for the check-in, that check-ins
//! happened), the administrations read through the grant say; otherwise
//! it stays unknown to them.

use tandem_core::dates::unix_of;
use tandem_core::input::NoteText;
use tandem_core::instrument::Kind;
use tandem_store::counsel::{Assignment, Note};
use tandem_store::shares::{CHECKIN, Scope, SharedAdministration};
use tandem_store::{AssignmentId, Grant, NoteId, Owner, ShareId, ShareLevel, Store, StoreError};

use crate::content::Content;
use crate::error::ServiceError;

async fn grant_of(
    store: &Store,
    viewer: Owner,
    share: ShareId,
    now: i64,
) -> Result<Grant, ServiceError> {
    store
        .grant(viewer, share, now)
        .await?
        .ok_or_else(|| ServiceError::not_found("client", share.0))
}

/// Asks the client of `viewer`'s grant `share` to answer `instrument` by
/// the end of the day `due_unix` falls in. The instrument must be one
/// this deployment has, and never the safety check.
pub async fn assign(
    store: &Store,
    content: &Content,
    viewer: Owner,
    share: ShareId,
    instrument: &str,
    due_unix: i64,
    now: i64,
) -> Result<AssignmentId, ServiceError> {
    let known = content
        .instrument(instrument)
        .is_some_and(|found| found.kind != Kind::Safety);
    if !known {
        return Err(StoreError::invalid(
            "instrument",
            format!("There is no instrument called {instrument:?} to ask for."),
        )
        .into());
    }
    let grant = grant_of(store, viewer, share, now).await?;
    Ok(store.assign(&grant, instrument, due_unix, now).await?)
}

/// What `viewer` asked through grant `share`, newest first, with `done`
/// told from `shown` (what the grant showed in the same view) where the
/// scope lets it tell.
pub async fn assignments_for(
    store: &Store,
    viewer: Owner,
    share: ShareId,
    scope: &Scope,
    shown: &[SharedAdministration],
    now: i64,
) -> Result<Vec<Assignment>, ServiceError> {
    let grant = grant_of(store, viewer, share, now).await?;
    let mut asked = store.assignments_for(&grant, now).await?;
    for assignment in &mut asked {
        assignment.done = done_as_shown(assignment, scope, shown);
    }
    Ok(asked)
}

/// Whether what the grant shows tells that `assignment` was done: `None`
/// when the scope shows nothing of that instrument. (A scope narrowed to
/// some relationships tells only of those.)
pub fn done_as_shown(
    assignment: &Assignment,
    scope: &Scope,
    shown: &[SharedAdministration],
) -> Option<bool> {
    let visible = shown_at_all(scope, &assignment.instrument);
    visible.then(|| {
        shown.iter().any(|a| {
            a.instrument == assignment.instrument
                && unix_of(&a.completed_at).is_some_and(|at| at >= assignment.created_unix)
        })
    })
}

fn shown_at_all(scope: &Scope, instrument: &str) -> bool {
    let results = scope.results > ShareLevel::None
        && scope
            .instruments
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|id| id == instrument));
    results || (instrument == CHECKIN && scope.checkin_streak)
}

/// Keeps a note of `viewer`'s about the client of grant `share`.
pub async fn add_note(
    store: &Store,
    viewer: Owner,
    share: ShareId,
    text: &NoteText,
    shared: bool,
    now: i64,
) -> Result<NoteId, ServiceError> {
    let grant = grant_of(store, viewer, share, now).await?;
    Ok(store.add_note(&grant, text, shared, now).await?)
}

/// `viewer`'s notes about the client of grant `share`, newest first.
pub async fn notes_for(
    store: &Store,
    viewer: Owner,
    share: ShareId,
    now: i64,
) -> Result<Vec<Note>, ServiceError> {
    let grant = grant_of(store, viewer, share, now).await?;
    Ok(store.notes_for(&grant, now).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(instrument: &str) -> Assignment {
        Assignment {
            id: AssignmentId(1),
            share: ShareId(1),
            instrument: instrument.into(),
            due_unix: 2_000_000_000,
            created_unix: 1_800_000_000,
            declined_unix: None,
            counsellor: "ben".into(),
            done: None,
        }
    }

    fn finished(instrument: &str, at: &str) -> SharedAdministration {
        SharedAdministration {
            instrument: instrument.into(),
            version: "1.0.0".into(),
            relationship: tandem_store::RelationshipId(1),
            completed_at: at.into(),
            indices: None,
            facets: None,
            items: None,
            note: None,
        }
    }

    #[test]
    fn done_is_told_only_where_the_scope_shows_that_instrument() {
        // 1_800_000_000 is 2027-01-15T08:00:00Z.
        let before = finished("checkin", "2027-01-15T07:59:59.000Z");
        let after = finished("checkin", "2027-01-15T08:00:00.000Z");
        let indices = Scope {
            results: ShareLevel::Indices,
            ..Scope::default()
        };
        let rdp_only = Scope {
            results: ShareLevel::Items,
            instruments: Some(vec!["rdp".into()]),
            ..Scope::default()
        };
        let streak = Scope {
            checkin_streak: true,
            ..Scope::default()
        };
        let cases: [(&str, &Scope, &[SharedAdministration], Option<bool>); 7] = [
            ("checkin", &indices, &[], Some(false)),
            (
                "checkin",
                &indices,
                std::slice::from_ref(&before),
                Some(false),
            ),
            (
                "checkin",
                &indices,
                std::slice::from_ref(&after),
                Some(true),
            ),
            ("checkin", &rdp_only, std::slice::from_ref(&after), None),
            ("checkin", &streak, std::slice::from_ref(&after), Some(true)),
            ("rdp", &streak, std::slice::from_ref(&after), None),
            ("rdp", &Scope::default(), &[], None),
        ];
        for (instrument, scope, shown, want) in cases {
            assert_eq!(
                done_as_shown(&asked(instrument), scope, shown),
                want,
                "{instrument} {scope:?} {shown:?}"
            );
        }
    }
}

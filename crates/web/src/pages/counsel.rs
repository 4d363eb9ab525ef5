//! Pages for a counsellor's work with a client (asking for an instrument
//! by a day, notes) and the client's side of it (what was asked, saying
//! no, the notes shared with them). Every form posts and comes back to
//! its page, so they work without JavaScript.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_app::ServiceError;
use tandem_core::input::NoteText;
use tandem_store::counsel::{Assignment, Note};
use tandem_store::shares::{Scope, SharedAdministration};
use tandem_store::{AssignmentId, NoteId, Owner, ShareId, StoreError};

use super::extract::PagePath;
use crate::auth::counsellor::counsellor;
use crate::auth::{CurrentUser, now};
use crate::moments::moment;
use crate::{AppError, AppState};

/// One assignment as a row of a page.
pub(super) struct AssignmentRow {
    pub(super) id: i64,
    pub(super) what: &'static str,
    pub(super) form: &'static str,
    pub(super) due: String,
    pub(super) status: &'static str,
    pub(super) counsellor: String,
    pub(super) open: bool,
}

/// One note as a row of a page.
pub(super) struct NoteRow {
    pub(super) id: i64,
    pub(super) when: String,
    pub(super) text: String,
    pub(super) shared: bool,
    pub(super) counsellor: String,
}

fn what(instrument: &str) -> (&'static str, &'static str) {
    match instrument {
        "rdp" => ("the profile", "a"),
        "checkin" => ("a check-in", "b"),
        _ => ("a set of questions", ""),
    }
}

/// Rows of `asked`, with status words for the counsellor's side or the
/// client's.
pub(super) fn assignment_rows(asked: &[Assignment], counsellor_side: bool) -> Vec<AssignmentRow> {
    asked
        .iter()
        .map(|a| {
            let (what, form) = what(&a.instrument);
            let status = match (a.declined_unix, a.done) {
                (Some(_), _) if counsellor_side => "Your client said no",
                (Some(_), _) => "You said no",
                (None, Some(true)) => "Done",
                (None, Some(false)) => "Not done yet",
                (None, None) => "Not shared with you",
            };
            AssignmentRow {
                id: a.id.0,
                what,
                form,
                due: tandem_core::dates::civil_date(a.due_unix - 1),
                status,
                counsellor: a.counsellor.clone(),
                open: a.declined_unix.is_none() && a.done != Some(true),
            }
        })
        .collect()
}

/// Rows of `notes`, in `zone`.
pub(super) fn note_rows(
    notes: Vec<Note>,
    zone: &tandem_core::moments::TimeZoneName,
) -> Vec<NoteRow> {
    notes
        .into_iter()
        .map(|n| NoteRow {
            id: n.id.0,
            when: moment(n.created_unix, zone),
            text: n.text,
            shared: n.shared,
            counsellor: n.counsellor,
        })
        .collect()
}

/// What the counsellor's page of one client shows of their work.
pub(super) async fn work_with(
    state: &AppState,
    viewer: Owner,
    share: ShareId,
    scope: &Scope,
    shown: &[SharedAdministration],
    zone: &tandem_core::moments::TimeZoneName,
) -> Result<(Vec<AssignmentRow>, Vec<NoteRow>), AppError> {
    let at = now();
    let asked =
        tandem_app::counsel::assignments_for(state.store(), viewer, share, scope, shown, at)
            .await?;
    let notes = tandem_app::counsel::notes_for(state.store(), viewer, share, at).await?;
    Ok((assignment_rows(&asked, true), note_rows(notes, zone)))
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Back to the client's page, or to it with what was wrong.
fn back(id: i64, problem: Option<&str>) -> Response {
    let to = match problem {
        None => format!("/clients/{id}"),
        Some(words) => format!("/clients/{id}?problem={}", problem_code(words)),
    };
    Redirect::to(&to).into_response()
}

/// A problem is carried back as a short code, never as free text.
fn problem_code(words: &str) -> &'static str {
    match words {
        "due" => "due",
        "text" => "text",
        _ => "other",
    }
}

/// The words for a problem code carried back to the client's page.
pub(super) fn problem_words(code: &str) -> Option<&'static str> {
    match code {
        "due" => Some("Give a day that has not passed yet, such as 2027-03-31."),
        "text" => Some("Write a note of 1 to 2,000 characters."),
        "other" => Some("That did not work. Try again."),
        _ => None,
    }
}

/// Asks the client to answer an instrument by a day.
pub async fn assign(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    counsellor(&state, &session).await?;
    let instrument = field(&form, "instrument").unwrap_or("");
    let due = field(&form, "due")
        .map(str::trim)
        .and_then(|day| tandem_core::dates::unix_of(&format!("{day}T00:00:00Z")))
        .map(|start| start + 86_400);
    let Some(due) = due else {
        return Ok(back(id, Some("due")));
    };
    let made = tandem_app::counsel::assign(
        state.store(),
        state.content(),
        session.user,
        ShareId(id),
        instrument,
        due,
        now(),
    )
    .await;
    match made {
        Ok(_) => Ok(back(id, None)),
        Err(ServiceError::Store(StoreError::Invalid { field, .. })) => Ok(back(id, Some(&field))),
        Err(err) => Err(err.into()),
    }
}

/// Keeps a note about the client.
pub async fn add_note(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    counsellor(&state, &session).await?;
    let Ok(text) = NoteText::parse(field(&form, "text").unwrap_or("")) else {
        return Ok(back(id, Some("text")));
    };
    let shared = field(&form, "shared") == Some("yes");
    tandem_app::counsel::add_note(
        state.store(),
        session.user,
        ShareId(id),
        &text,
        shared,
        now(),
    )
    .await?;
    Ok(back(id, None))
}

/// Deletes one of the counsellor's notes.
pub async fn delete_note(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath((id, note)): PagePath<(i64, i64)>,
) -> Result<Response, AppError> {
    state
        .store()
        .delete_note(session.user, NoteId(note))
        .await?;
    Ok(back(id, None))
}

/// The client says no to what was asked.
pub async fn decline(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    PagePath(id): PagePath<i64>,
) -> Result<Response, AppError> {
    state
        .store()
        .decline_assignment(session.user, AssignmentId(id), now())
        .await?;
    Ok(Redirect::to("/").into_response())
}

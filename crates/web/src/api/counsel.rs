//! A counsellor's assignments and notes in the API, and the client's side
//! of them: what was asked of me (and saying no), and the notes shared
//! with me. Everything a counsellor does here goes through a grant the
//! store checks again.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tandem_app::caseload;
use tandem_core::dates::rfc3339_of;
use tandem_core::input::NoteText;
use tandem_store::counsel::{Assignment, Note};
use tandem_store::{AssignmentId, NoteId, ShareId, StoreError};
use utoipa::ToSchema;

use super::openapi::{BadId, CsrfRefused, NotFound, SignedOut, WriteRefused};
use super::{ApiJson, ApiPath, api};
use crate::auth::counsellor::counsellor;
use crate::auth::{ApiUser, now};
use crate::{AppError, AppState};

/// Asking a client to answer an instrument.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewAssignment {
    /// `rdp` or `checkin` (never the safety check).
    instrument: String,
    /// By when: a date (the end of that day, UTC) or RFC 3339.
    due: String,
}

/// An instrument a counsellor asked for.
#[derive(Serialize, ToSchema)]
pub(super) struct AssignmentView {
    /// Its id.
    id: i64,
    /// The grant it was asked through (the client's id for the counsellor).
    grant: i64,
    /// The instrument.
    instrument: String,
    /// By when (RFC 3339).
    due: String,
    /// When it was asked.
    asked_at: String,
    /// `open`, `done` or `declined` (`open` too when the grant does not
    /// show whether it was done: see `done`).
    status: &'static str,
    /// When the client said no, if they did.
    declined_at: Option<String>,
    /// Who asked, by user name.
    counsellor: String,
    /// Whether it was answered since it was asked; null when the grant
    /// does not show that instrument.
    done: Option<bool>,
}

impl From<&Assignment> for AssignmentView {
    fn from(a: &Assignment) -> Self {
        let status = match (a.declined_unix, a.done) {
            (Some(_), _) => "declined",
            (None, Some(true)) => "done",
            (None, _) => "open",
        };
        Self {
            id: a.id.0,
            grant: a.share.0,
            instrument: a.instrument.clone(),
            due: rfc3339_of(a.due_unix),
            asked_at: rfc3339_of(a.created_unix),
            status,
            declined_at: a.declined_unix.map(rfc3339_of),
            counsellor: a.counsellor.clone(),
            done: a.done,
        }
    }
}

/// A new note about a client.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewNote {
    /// What it says (1 to 2,000 characters).
    #[schema(value_type = String)]
    text: NoteText,
    /// Whether the client may read it; private when left out.
    #[serde(default)]
    shared: bool,
}

/// A counsellor's note.
#[derive(Serialize, ToSchema)]
pub(super) struct NoteView {
    /// Its id.
    id: i64,
    /// The grant it is about; null for a former client.
    grant: Option<i64>,
    /// The client's user name; null for a former client.
    client: Option<String>,
    /// Whether this note is about a client who deleted their account.
    former_client: bool,
    /// Who wrote it.
    counsellor: String,
    /// Whether the client can read it.
    shared: bool,
    /// What it says.
    text: String,
    /// When it was written (RFC 3339).
    written_at: String,
}

impl From<Note> for NoteView {
    fn from(note: Note) -> Self {
        Self {
            id: note.id.0,
            grant: note.share.map(|s| s.0),
            client: note.client,
            former_client: note.former_unix.is_some(),
            counsellor: note.counsellor,
            shared: note.shared,
            text: note.text,
            written_at: rfc3339_of(note.created_unix),
        }
    }
}

/// Ask a client to answer an instrument by a day; they see it on their
/// home page and may say no.
#[utoipa::path(
    post,
    path = "/clients/{id}/assignments",
    tag = "counsellors",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The client's id for me.")),
    request_body = NewAssignment,
    responses(
        (status = 201, description = "Asked.", body = AssignmentView),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        NotFound, BadId, SignedOut, WriteRefused,
    )
)]
pub(super) async fn assign(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewAssignment>,
) -> Result<Response, AppError> {
    api(counsellor(&state, &session).await)?;
    let due = super::grants::parse_expiry(&body.due).map_err(|_| {
        AppError::from(StoreError::invalid(
            "due",
            "Give the day as a date such as 2027-03-31.",
        ))
        .api()
    })?;
    let at = now();
    let made = api(tandem_app::counsel::assign(
        state.store(),
        state.content(),
        session.user,
        ShareId(id),
        &body.instrument,
        due,
        at,
    )
    .await
    .map_err(AppError::from))?;
    let asked = api(tandem_app::counsel::assignments_for(
        state.store(),
        session.user,
        ShareId(id),
        &tandem_store::Scope::default(),
        &[],
        at,
    )
    .await
    .map_err(AppError::from))?;
    let made = asked
        .iter()
        .find(|a| a.id == made)
        .ok_or_else(|| AppError::internal("an assignment just made is not there").api())?;
    let view = AssignmentView::from(made);
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// What I asked a client for, newest first; whether each was done, where
/// the grant shows that instrument (read through the grant, so logged).
#[utoipa::path(
    get,
    path = "/clients/{id}/assignments",
    tag = "counsellors",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The client's id for me.")),
    responses(
        (status = 200, description = "Newest first.", body = Vec<AssignmentView>),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        NotFound, BadId, SignedOut,
    )
)]
pub(super) async fn client_assignments(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<AssignmentView>>, AppError> {
    api(counsellor(&state, &session).await)?;
    let at = now();
    let view = api(caseload::client_view(
        state.store(),
        state.content(),
        session.user,
        ShareId(id),
        at,
    )
    .await
    .map_err(AppError::from))?;
    let asked = api(tandem_app::counsel::assignments_for(
        state.store(),
        session.user,
        ShareId(id),
        &view.client.scope,
        &view.administrations,
        at,
    )
    .await
    .map_err(AppError::from))?;
    Ok(Json(asked.iter().map(AssignmentView::from).collect()))
}

/// Keep a note about a client: private, or shared so they can read it.
#[utoipa::path(
    post,
    path = "/clients/{id}/notes",
    tag = "counsellors",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The client's id for me.")),
    request_body = NewNote,
    responses(
        (status = 201, description = "Kept, sealed.", body = NoteView),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        NotFound, BadId, SignedOut, WriteRefused,
    )
)]
pub(super) async fn add_note(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewNote>,
) -> Result<Response, AppError> {
    api(counsellor(&state, &session).await)?;
    let at = now();
    let note = api(tandem_app::counsel::add_note(
        state.store(),
        session.user,
        ShareId(id),
        &body.text,
        body.shared,
        at,
    )
    .await
    .map_err(AppError::from))?;
    let notes = api(
        tandem_app::counsel::notes_for(state.store(), session.user, ShareId(id), at)
            .await
            .map_err(AppError::from),
    )?;
    let made = notes
        .into_iter()
        .find(|n| n.id == note)
        .ok_or_else(|| AppError::internal("a note just kept is not there").api())?;
    Ok((StatusCode::CREATED, Json(NoteView::from(made))).into_response())
}

/// My notes about a client, private and shared, newest first.
#[utoipa::path(
    get,
    path = "/clients/{id}/notes",
    tag = "counsellors",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The client's id for me.")),
    responses(
        (status = 200, description = "Newest first.", body = Vec<NoteView>),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        NotFound, BadId, SignedOut,
    )
)]
pub(super) async fn client_notes(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<NoteView>>, AppError> {
    api(counsellor(&state, &session).await)?;
    let notes =
        api(
            tandem_app::counsel::notes_for(state.store(), session.user, ShareId(id), now())
                .await
                .map_err(AppError::from),
        )?;
    Ok(Json(notes.into_iter().map(NoteView::from).collect()))
}

/// Every note I wrote, current and former clients, newest first.
#[utoipa::path(
    get,
    path = "/notes",
    tag = "counsellors",
    security(("session" = [])),
    responses(
        (status = 200, description = "Newest first; a former client's notes have no name.", body = Vec<NoteView>),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
    )
)]
pub(super) async fn my_notes(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<NoteView>>, AppError> {
    api(counsellor(&state, &session).await)?;
    let notes = api(state
        .store()
        .notes_by(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(notes.into_iter().map(NoteView::from).collect()))
}

/// Delete one of my notes for good.
#[utoipa::path(
    delete,
    path = "/notes/{id}",
    tag = "counsellors",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The note.")),
    responses((status = 204, description = "Deleted."), NotFound, BadId, SignedOut, CsrfRefused)
)]
pub(super) async fn delete_note(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .delete_note(session.user, NoteId(id))
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// What my counsellors asked me to answer, newest first, through grants
/// that have not ended.
#[utoipa::path(
    get,
    path = "/assignments",
    tag = "counsellors",
    security(("session" = [])),
    responses((status = 200, description = "Newest first.", body = Vec<AssignmentView>), SignedOut)
)]
pub(super) async fn my_assignments(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<AssignmentView>>, AppError> {
    let asked = api(state
        .store()
        .assignments_of(session.user, now())
        .await
        .map_err(AppError::from))?;
    Ok(Json(asked.iter().map(AssignmentView::from).collect()))
}

/// Say no to something a counsellor asked me to answer.
#[utoipa::path(
    post,
    path = "/assignments/{id}/decline",
    tag = "counsellors",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The assignment.")),
    responses((status = 204, description = "Declined; the counsellor sees that."), NotFound, BadId, SignedOut, CsrfRefused)
)]
pub(super) async fn decline(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .decline_assignment(session.user, AssignmentId(id), now())
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The notes my counsellors shared with me, newest first.
#[utoipa::path(
    get,
    path = "/account/notes",
    tag = "counsellors",
    security(("session" = [])),
    responses((status = 200, description = "Newest first.", body = Vec<NoteView>), SignedOut)
)]
pub(super) async fn shared_with_me(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<NoteView>>, AppError> {
    let notes = api(state
        .store()
        .shared_notes(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(notes.into_iter().map(NoteView::from).collect()))
}

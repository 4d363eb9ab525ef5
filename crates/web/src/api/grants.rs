//! Counsellor access in the API, the client's side: make a grant (a
//! single-use code with a scope and an end), list and revoke grants, read
//! who saw what. The counsellor's side is in `clients`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tandem_app::caseload;
use tandem_core::dates::rfc3339_of;
use tandem_store::audit::AuditKind;
use tandem_store::shares::Scope;
use tandem_store::{Share, ShareId, StoreError};
use utoipa::ToSchema;

use super::openapi::{BadId, NotFound, SignedOut, WriteRefused};
use super::{ApiJson, ApiPath, api};
use crate::auth::{ApiUser, now};
use crate::{AppError, AppState};

/// A new grant: what the counsellor may see, and until when.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewGrant {
    /// What is shared; every field left out is not shared.
    scope: Scope,
    /// When it ends by itself: RFC 3339, or a date (the end of that day,
    /// UTC). Left out, it lasts until revoked.
    expires_at: Option<String>,
}

/// A grant just made: give the code to the counsellor. It works once,
/// until `code_expires_at`.
#[derive(Serialize, ToSchema)]
pub(super) struct Invitation {
    /// The grant, to list or revoke it.
    id: i64,
    /// The code (10 characters).
    code: String,
    /// When the code stops working if nobody takes it (RFC 3339).
    code_expires_at: String,
    /// What it shares.
    scope: Scope,
    /// When it ends by itself, if it does.
    expires_at: Option<String>,
}

/// Where a grant stands.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(super) enum GrantStatus {
    /// Its code has not been taken yet.
    Waiting,
    /// A counsellor can see what it shares.
    Active,
    /// The code was never taken in time.
    CodeExpired,
    /// It reached its end.
    Expired,
    /// I ended it.
    Revoked,
}

/// One of my grants.
#[derive(Serialize, ToSchema)]
pub(super) struct GrantView {
    /// Its id.
    id: i64,
    /// Where it stands.
    status: GrantStatus,
    /// The counsellor who took it, by user name, once taken.
    counsellor: Option<String>,
    /// What it shares.
    scope: Scope,
    /// When it was made.
    created_at: String,
    /// When the counsellor took it.
    accepted_at: Option<String>,
    /// When it ends by itself.
    expires_at: Option<String>,
    /// When I ended it.
    revoked_at: Option<String>,
    /// When I showed the counsellor one safety check's result through it,
    /// if I did (`POST /grants/{id}/share-safety`).
    safety_shared_at: Option<String>,
}

impl GrantView {
    fn of(share: &Share, now: i64) -> Self {
        let status = if share.revoked_unix.is_some() {
            GrantStatus::Revoked
        } else if share.is_current(now) {
            GrantStatus::Active
        } else if share.is_waiting(now) {
            GrantStatus::Waiting
        } else if share.accepted_unix.is_some() || share.expires_unix.is_some_and(|at| at <= now) {
            GrantStatus::Expired
        } else {
            GrantStatus::CodeExpired
        };
        Self {
            id: share.id.0,
            status,
            counsellor: share.viewer_name.clone(),
            scope: share.scope.clone(),
            created_at: rfc3339_of(share.created_unix),
            accepted_at: share.accepted_unix.map(rfc3339_of),
            expires_at: share.expires_unix.map(rfc3339_of),
            revoked_at: share.revoked_unix.map(rfc3339_of),
            safety_shared_at: share.safety_shared_unix.map(rfc3339_of),
        }
    }
}

/// One entry of my audit chain: a read of my data by someone else, a
/// grant or link made or ended, or a sign-in.
#[derive(Serialize, ToSchema)]
pub(super) struct AccessEntry {
    /// Its place in my chain, from 1.
    seq: i64,
    /// When (RFC 3339).
    at: String,
    /// What happened.
    kind: AuditKind,
    /// Who did it, by user name.
    who: String,
    /// The grant it was about, for reads and grants.
    grant: Option<i64>,
    /// The link it was about, for links.
    link: Option<i64>,
    /// A word or two more, such as `results` or `passkey`.
    what: String,
}

/// When a grant ends: RFC 3339, or a date meaning the end of that day (UTC).
pub(super) fn parse_expiry(text: &str) -> Result<i64, AppError> {
    let text = text.trim();
    let parsed = tandem_core::dates::unix_of(text).or_else(|| {
        tandem_core::dates::unix_of(&format!("{text}T00:00:00Z")).map(|day| day + 86_400)
    });
    parsed.ok_or_else(|| {
        AppError::from(StoreError::invalid(
            "expires_at",
            "Give the end as a date such as 2027-03-31.",
        ))
    })
}

/// Invite a counsellor: make a grant and get its code.
#[utoipa::path(
    post,
    path = "/grants",
    tag = "counsellors",
    security(("session" = [], "csrf" = [])),
    request_body = NewGrant,
    responses(
        (status = 201, description = "Made; give the code to the counsellor.", body = Invitation),
        (status = 404, description = "A relationship in the scope is not mine.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn create_grant(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<NewGrant>,
) -> Result<Response, AppError> {
    let expires = body
        .expires_at
        .as_deref()
        .map(parse_expiry)
        .transpose()
        .map_err(AppError::api)?;
    let made = api(caseload::invite(
        state.store(),
        state.content(),
        session.user,
        &body.scope,
        now(),
        expires,
    )
    .await
    .map_err(AppError::from))?;
    let body = Invitation {
        id: made.share.0,
        code: made.code,
        code_expires_at: rfc3339_of(made.code_expires_unix),
        scope: body.scope,
        expires_at: expires.map(rfc3339_of),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// My grants, waiting, active and ended, oldest first.
#[utoipa::path(
    get,
    path = "/grants",
    tag = "counsellors",
    security(("session" = [])),
    responses((status = 200, description = "My grants.", body = Vec<GrantView>), SignedOut)
)]
pub(super) async fn grants(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<GrantView>>, AppError> {
    let shares = api(state
        .store()
        .shares_of(session.user)
        .await
        .map_err(AppError::from))?;
    let at = now();
    Ok(Json(shares.iter().map(|s| GrantView::of(s, at)).collect()))
}

/// End a grant at once: the counsellor's next request is refused.
#[utoipa::path(
    delete,
    path = "/grants/{id}",
    tag = "counsellors",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The grant.")),
    responses((status = 204, description = "Ended."), NotFound, BadId, SignedOut, WriteRefused)
)]
pub(super) async fn revoke_grant(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .revoke_share(session.user, ShareId(id), now())
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who saw what of mine, and when: the reads of my data by someone else
/// in my audit chain, oldest first.
#[utoipa::path(
    get,
    path = "/account/access-log",
    tag = "counsellors",
    security(("session" = [])),
    responses((status = 200, description = "Every read of my data by someone else.", body = Vec<AccessEntry>), SignedOut)
)]
pub(super) async fn access_log(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<AccessEntry>>, AppError> {
    audit_entries(&state, &session, AuditKind::is_read_by_someone_else).await
}

/// My whole audit chain, oldest first: reads of my data by someone else,
/// grants and links made and ended, and sign-ins, each with its place.
#[utoipa::path(
    get,
    path = "/account/audit",
    tag = "counsellors",
    security(("session" = [])),
    responses((status = 200, description = "Every entry of my audit chain.", body = Vec<AccessEntry>), SignedOut)
)]
pub(super) async fn audit_log(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<AccessEntry>>, AppError> {
    audit_entries(&state, &session, |_| true).await
}

async fn audit_entries(
    state: &AppState,
    session: &crate::auth::Session,
    keep: fn(AuditKind) -> bool,
) -> Result<Json<Vec<AccessEntry>>, AppError> {
    let trail = api(state
        .store()
        .audit_trail(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(
        trail
            .into_iter()
            .filter(|entry| keep(entry.kind))
            .map(|entry| {
                let about_link = matches!(
                    entry.kind,
                    AuditKind::Linked | AuditKind::Unlinked | AuditKind::PartnerRead
                );
                AccessEntry {
                    seq: entry.seq,
                    at: rfc3339_of(entry.at_unix),
                    kind: entry.kind,
                    who: entry.actor,
                    grant: entry.subject.filter(|_| !about_link),
                    link: entry.subject.filter(|_| about_link),
                    what: entry.detail,
                }
            })
            .collect(),
    ))
}

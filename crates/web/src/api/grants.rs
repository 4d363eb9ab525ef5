//! Counsellor access in the API. The client's side: make a grant (a
//! single-use code with a scope and an end), list and revoke grants, read
//! who saw what. The counsellor's side: take a code, list clients, read
//! one client's results within the scope, with reliable and clinically
//! significant change. Every counsellor read goes through a grant the
//! store checks again, and is written to the client's access log in the
//! same transaction.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tandem_app::caseload::{self, ClientView, ScoreTrend, TrendPoint};
use tandem_app::estimates::Reliability;
use tandem_core::attention::{Alert, Reason};
use tandem_core::dates::rfc3339_of;
use tandem_store::audit::AuditKind;
use tandem_store::shares::{Scope, SharedAdministration};
use tandem_store::{RelationshipId, Share, ShareId, StoreError};
use utoipa::ToSchema;

use super::openapi::{BadId, NotFound, SignedOut, Throttled, WriteRefused};
use super::{ApiJson, ApiPath, api};
use crate::auth::counsellor::counsellor;
use crate::auth::flows::guess_code;
use crate::auth::{ApiUser, Client, now};
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

/// Taking a client's code.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AcceptGrant {
    /// The code the client gave.
    code: String,
}

/// A client just taken on.
#[derive(Serialize, ToSchema)]
pub(super) struct Accepted {
    /// The client's id for me: the grant's, never their user id.
    id: i64,
}

/// Which published rule holds for a client, and why.
#[derive(Serialize, ToSchema)]
pub(super) struct Attention {
    /// `red`, `amber`, `grey` or `green`.
    alert: Alert,
    /// Why.
    reason: Reason,
    /// The rule in plain words, as the caseload page publishes it.
    rule: &'static str,
}

/// One client on my caseload.
#[derive(Serialize, ToSchema)]
pub(super) struct ClientSummary {
    /// The client's id for me: the grant's.
    id: i64,
    /// Their user name.
    name: String,
    /// Who needs attention first.
    attention: Attention,
    /// What they share.
    scope: Scope,
    /// Since when.
    since: String,
    /// Until when, if they set an end.
    expires_at: Option<String>,
    /// Their latest profile's index scores, when they share them.
    latest: Option<LatestProfile>,
}

/// The latest profile a client shared.
#[derive(Serialize, ToSchema)]
pub(super) struct LatestProfile {
    /// When it was finished.
    at: String,
    /// Index scores by id.
    indices: std::collections::BTreeMap<String, f64>,
}

/// One client's results, within what they share.
#[derive(Serialize, ToSchema)]
pub(super) struct ClientResults {
    /// The client's id for me.
    id: i64,
    /// Their user name.
    name: String,
    /// What they share.
    scope: Scope,
    /// Which published rule holds.
    attention: Attention,
    /// What the Reliable Change Index rests on.
    reliability: Reliability,
    /// The relationship followed: that of the latest profile.
    #[schema(value_type = Option<i64>)]
    relationship: Option<RelationshipId>,
    /// Each index over time, with its change from the first measure to
    /// the latest (`change.rci`) and Jacobson & Truax's verdict
    /// (`clinical.outcome`, `clinical.cutoff`).
    indices: Vec<ScoreTrend>,
    /// Each facet, the same way, when facets are shared.
    facets: Vec<ScoreTrend>,
    /// The weekly pulse over time, when check-ins are shared.
    pulse: Vec<TrendPoint>,
    /// Every administration shared, oldest first.
    administrations: Vec<SharedAdministration>,
    /// The one safety check result the client chose to show me, if they
    /// did: its outcome, never its answers.
    safety: Option<super::safety_share::SharedSafety>,
}

impl From<&ClientView> for Attention {
    fn from(view: &ClientView) -> Self {
        Self {
            alert: view.rule.alert,
            reason: view.rule.reason,
            rule: view.rule.text,
        }
    }
}

impl From<&ClientView> for ClientSummary {
    fn from(view: &ClientView) -> Self {
        let latest = view
            .administrations
            .iter()
            .rev()
            .find(|a| a.instrument == "rdp" && a.indices.is_some())
            .map(|a| LatestProfile {
                at: a.completed_at.clone(),
                indices: a.indices.clone().unwrap_or_default(),
            });
        Self {
            id: view.client.share.0,
            name: view.client.name.clone(),
            attention: view.into(),
            scope: view.client.scope.clone(),
            since: rfc3339_of(view.client.since_unix),
            expires_at: view.client.expires_unix.map(rfc3339_of),
            latest,
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

/// Take a client's code (approved counsellors only).
#[utoipa::path(
    post,
    path = "/grants/accept",
    tag = "counsellors",
    security(("session" = [], "csrf" = [])),
    request_body = AcceptGrant,
    responses(
        (status = 201, description = "The client is on my caseload.", body = Accepted),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        (status = 409, description = "This counsellor account is not approved yet.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        WriteRefused,
        Throttled,
    )
)]
pub(super) async fn accept_grant(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    client: Client,
    ApiJson(body): ApiJson<AcceptGrant>,
) -> Result<Response, AppError> {
    api(counsellor(&state, &session).await)?;
    let attempt = caseload::accept(state.store(), session.user, &body.code, now());
    let outcome = api(guess_code(&state, "grant", &session, &client, attempt).await)?;
    let id = api(outcome.map_err(AppError::from))?;
    Ok((StatusCode::CREATED, Json(Accepted { id: id.0 })).into_response())
}

/// My clients, who needs attention first.
#[utoipa::path(
    get,
    path = "/clients",
    tag = "counsellors",
    security(("session" = [])),
    responses(
        (status = 200, description = "Each client with what they share, red first, then amber, grey, green.", body = Vec<ClientSummary>),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
    )
)]
pub(super) async fn clients(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<ClientSummary>>, AppError> {
    api(counsellor(&state, &session).await)?;
    let views = api(
        caseload::caseload(state.store(), state.content(), session.user, now())
            .await
            .map_err(AppError::from),
    )?;
    Ok(Json(views.iter().map(ClientSummary::from).collect()))
}

/// One client's results within what they share, with reliable and
/// clinically significant change.
#[utoipa::path(
    get,
    path = "/clients/{id}/results",
    tag = "counsellors",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The client's id for me.")),
    responses(
        (status = 200, description = "Within the scope the client chose.", body = ClientResults),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        NotFound,
        BadId,
        SignedOut,
    )
)]
pub(super) async fn client_results(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ClientResults>, AppError> {
    api(counsellor(&state, &session).await)?;
    let view = api(caseload::client_view(
        state.store(),
        state.content(),
        session.user,
        ShareId(id),
        now(),
    )
    .await
    .map_err(AppError::from))?;
    let attention = Attention::from(&view);
    Ok(Json(ClientResults {
        id: view.client.share.0,
        name: view.client.name,
        scope: view.client.scope,
        attention,
        reliability: view.reliability,
        relationship: view.relationship,
        indices: view.indices,
        facets: view.facets,
        pulse: view.pulse,
        administrations: view.administrations,
        safety: view.safety.map(Into::into),
    }))
}

/// Which instrument's CSV.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub(super) struct CsvQuery {
    /// `rdp` or `checkin`.
    instrument: Option<String>,
}

/// One client's shared results of one instrument as CSV: a row per
/// administration, a column per score and item the grant shows.
#[utoipa::path(
    get,
    path = "/clients/{id}/export",
    tag = "counsellors",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The client's id for me."), CsvQuery),
    responses(
        (status = 200, description = "The CSV (a header row, then a row per administration, oldest first).", content_type = "text/csv", body = String),
        (status = 403, description = "Not a counsellor account, or signed in without the second factor it needs.", body = super::openapi::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such instrument to export.", body = super::openapi::Problem, content_type = "application/problem+json"),
        NotFound,
        BadId,
        SignedOut,
    )
)]
pub(super) async fn client_export(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    super::ApiQuery(query): super::ApiQuery<CsvQuery>,
) -> Result<Response, AppError> {
    api(counsellor(&state, &session).await)?;
    let instrument = query.instrument.unwrap_or_default();
    let known = state
        .content()
        .instrument(&instrument)
        .is_some_and(|i| i.kind != tandem_core::instrument::Kind::Safety);
    if !known {
        return Err(AppError::from(StoreError::invalid(
            "instrument",
            "There is no such instrument to export.",
        ))
        .api());
    }
    let view = api(caseload::client_view(
        state.store(),
        state.content(),
        session.user,
        ShareId(id),
        now(),
    )
    .await
    .map_err(AppError::from))?;
    let text =
        api(
            tandem_app::caseload_csv::csv_of(state.content(), &view.administrations, &instrument)
                .map_err(AppError::from),
        )?;
    let name = format!("attachment; filename=\"client-{id}-{instrument}.csv\"");
    let disposition = axum::http::HeaderValue::from_str(&name).map_err(AppError::internal)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}

//! Partner links in the API: invite, accept, list, unlink, choose what the
//! partner sees, and the comparison. Every refusal of a comparison is the
//! same 403 body, whatever the reason, so it tells the partner nothing
//! about the other's activity.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tandem_app::couple::{self, Comparison};
use tandem_store::{Link, LinkId, LinkLevel, Mark, RelationshipId};
use utoipa::ToSchema;

use super::openapi::{BadId, CsrfRefused, NotFound, SignedOut, Throttled, WriteRefused};
use super::{ApiJson, ApiPath, api};
use crate::auth::flows::guess_code;
use crate::auth::{ApiUser, Client, Session, now};
use crate::{AppError, AppState};

/// The one refusal of a comparison.
const NOT_AVAILABLE: &str = "There is no comparison to show.";

/// The refusal of linking to someone for whom it may not be safe; the same
/// words whatever the reason, so a partner looking over a shoulder learns
/// nothing from them.
const NOT_OFFERED: &str = "Linking is not available for this account.";

/// An invite for one of my partner relationships.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewInvite {
    /// The relationship to link: one of mine, with the role `partner`.
    relationship: RelationshipId,
}

/// An invite just made: give the code to the partner. It works once, until
/// `expires_at`.
#[derive(Serialize, ToSchema)]
pub(super) struct Invite {
    /// The code (10 characters in two groups of five).
    code: String,
    /// When it stops working (UTC, RFC 3339).
    expires_at: String,
}

/// Accepting a partner's invite.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Accept {
    /// The code the partner gave.
    code: String,
    /// My relationship to link: one of mine, with the role `partner`.
    relationship: RelationshipId,
}

/// What my partner may see of my results for the linked relationship.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Sharing {
    /// `none`, `indices`, `facets` or `items`; each includes the ones
    /// before it.
    level: LinkLevel,
}

/// My own mark on one discussion item.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct MarkBody {
    /// `star`, `set_aside`, or null to clear it.
    mark: Option<Mark>,
}

/// Refused when couple features may not be safe for this person.
pub(super) async fn offered(state: &AppState, session: &Session) -> Result<(), AppError> {
    let held = crate::follow_up::held(state, session).await?;
    let situation =
        tandem_app::situation::assess(state.store(), state.content(), session.user, held).await?;
    if situation.risk.rules_out_couple_features() {
        return Err(AppError::forbidden(NOT_OFFERED));
    }
    Ok(())
}

/// Make an invite.
#[utoipa::path(
    post,
    path = "/links",
    tag = "links",
    security(("session" = [], "csrf" = [])),
    request_body = NewInvite,
    responses(
        (status = 201, description = "Made; an earlier invite for this relationship stops working.", body = Invite),
        (status = 404, description = "Not one of my relationships.", body = super::openapi::Problem, content_type = "application/problem+json"),
        (status = 409, description = "This relationship is linked already.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn create_link(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<NewInvite>,
) -> Result<Response, AppError> {
    api(offered(&state, &session).await)?;
    let made = api(
        couple::invite(state.store(), session.user, body.relationship, now())
            .await
            .map_err(AppError::from),
    )?;
    let body = Invite {
        code: made.code,
        expires_at: tandem_core::dates::rfc3339_of(made.expires_unix),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Accept a partner's invite.
#[utoipa::path(
    post,
    path = "/links/accept",
    tag = "links",
    security(("session" = [], "csrf" = [])),
    request_body = Accept,
    responses(
        (status = 201, description = "Linked; both sides share nothing until each chooses.", body = Link),
        (status = 409, description = "One of the two relationships is linked already.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        WriteRefused,
        Throttled,
    )
)]
pub(super) async fn accept_link(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    client: Client,
    ApiJson(body): ApiJson<Accept>,
) -> Result<Response, AppError> {
    api(offered(&state, &session).await)?;
    let attempt = couple::accept(
        state.store(),
        session.user,
        &body.code,
        body.relationship,
        now(),
    );
    let outcome = api(guess_code(&state, "link", &session, &client, attempt).await)?;
    let id = api(outcome.map_err(AppError::from))?;
    let link = Link {
        id,
        relationship: body.relationship,
        sharing: LinkLevel::None,
        guessing: tandem_store::Guessing::Off,
    };
    Ok((StatusCode::CREATED, Json(link)).into_response())
}

/// My current links.
#[utoipa::path(
    get,
    path = "/links",
    tag = "links",
    security(("session" = [])),
    responses((status = 200, description = "My links, oldest first.", body = Vec<Link>), SignedOut)
)]
pub(super) async fn links(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<Link>>, AppError> {
    Ok(Json(api(state
        .store()
        .links(session.user)
        .await
        .map_err(AppError::from))?))
}

/// End a link, for both sides, at once; the partner is not told.
#[utoipa::path(
    delete,
    path = "/links/{id}",
    tag = "links",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The link.")),
    responses((status = 204, description = "Ended."), NotFound, BadId, SignedOut, CsrfRefused)
)]
pub(super) async fn unlink(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .unlink(session.user, LinkId(id), now())
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Choose what my partner sees, at once, for every result of the linked
/// relationship.
#[utoipa::path(
    put,
    path = "/links/{id}/sharing",
    tag = "links",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The link.")),
    request_body = Sharing,
    responses((status = 204, description = "Changed."), NotFound, SignedOut, WriteRefused)
)]
pub(super) async fn set_sharing(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Sharing>,
) -> Result<StatusCode, AppError> {
    api(state
        .store()
        .set_link_sharing(session.user, LinkId(id), body.level)
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Star or set aside one discussion item, for myself alone.
#[utoipa::path(
    put,
    path = "/links/{id}/discussion/{item}",
    tag = "links",
    security(("session" = [], "csrf" = [])),
    params(
        ("id" = i64, Path, description = "The link."),
        ("item" = String, Path, description = "An RDP item id."),
    ),
    request_body = MarkBody,
    responses((status = 204, description = "Kept."), NotFound, SignedOut, WriteRefused)
)]
pub(super) async fn mark_item(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath((id, item)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<MarkBody>,
) -> Result<StatusCode, AppError> {
    if state.content().rdp.item(&item).is_none() {
        return Err(AppError::not_found().api());
    }
    api(state
        .store()
        .set_mark(session.user, LinkId(id), &item, body.mark)
        .await
        .map_err(AppError::from))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Both sides' latest results for the linked relationship, each at the
/// level its owner shares: 403 (always the same body) until both have
/// finished an RDP about it and both share something.
#[utoipa::path(
    get,
    path = "/links/{id}/comparison",
    tag = "links",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The link.")),
    responses(
        (status = 200, description = "The comparison.", body = Comparison),
        (status = 403, description = "No comparison to show, for whatever reason.", body = super::openapi::Problem, content_type = "application/problem+json"),
        BadId,
        SignedOut,
    )
)]
pub(super) async fn comparison(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Comparison>, AppError> {
    let held = api(crate::follow_up::held(&state, &session).await)?;
    let found = api(couple::comparison(
        state.store(),
        state.content(),
        (session.user, held),
        LinkId(id),
    )
    .await
    .map_err(AppError::from))?;
    found
        .map(Json)
        .ok_or_else(|| AppError::forbidden(NOT_AVAILABLE).api())
}

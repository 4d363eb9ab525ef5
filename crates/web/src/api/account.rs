//! Accounts and sessions in the API: sign-up, sign-in and sign-out, the
//! password, the list of sessions, the time zone, and deleting the account.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tandem_core::moments::TimeZoneName;
use tandem_store::{AccountRole, UserId};
use utoipa::ToSchema;

use super::openapi::{CsrfRefused, SignedOut, Throttled, WriteRefused};
use super::{ApiJson, api};
use crate::auth::now;
use crate::auth::{ApiUser, Client, MaybeUser, cleared_cookie, flows, session_cookie};
use crate::{AppError, AppState};

/// Name and password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Credentials {
    name: String,
    password: String,
}

/// A new account's name and password, and what it is for.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewAccount {
    name: String,
    password: String,
    /// `person` (the default) or `counsellor`; a counsellor's account
    /// takes clients only once the operator approves it
    /// (`tandem admin approve-counsellor NAME`).
    #[serde(default)]
    role: AccountRole,
}

/// A new session: who signed in, and the token writes must carry.
#[derive(Serialize, ToSchema)]
pub(super) struct SignedIn {
    user: UserId,
    csrf_token: String,
}

/// A new account: as [`SignedIn`], with its first recovery codes, shown
/// this once (empty if they could not be made just now: then make them
/// with `POST /account/recovery-codes`).
#[derive(Serialize, ToSchema)]
pub(super) struct SignedUp {
    user: UserId,
    csrf_token: String,
    recovery_codes: Vec<String>,
}

pub(super) fn with_cookie(
    state: &AppState,
    status: StatusCode,
    started: &flows::Started,
) -> Response {
    let body = SignedIn {
        user: started.user.id(),
        csrf_token: started.csrf_token.clone(),
    };
    cookie_on(state, (status, Json(body)).into_response(), started)
}

fn cookie_on(state: &AppState, mut response: Response, started: &flows::Started) -> Response {
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(state.config().secure_cookies, &started.token),
    );
    response
}

/// Create an account and sign in.
///
/// The session cookie is set; `csrf_token` goes in `X-CSRF-Token` on writes.
#[utoipa::path(
    post,
    path = "/accounts",
    tag = "account",
    request_body = NewAccount,
    responses(
        (status = 201, description = "Signed up and signed in, with the first recovery codes.", body = SignedUp),
        (status = 409, description = "That name is taken.", body = super::openapi::Problem, content_type = "application/problem+json"),
        WriteRefused,
        Throttled,
    )
)]
pub(super) async fn create_account(
    State(state): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<NewAccount>,
) -> Result<Response, AppError> {
    let started = api(flows::sign_up(
        &state,
        &client,
        &body.name,
        &body.password,
        &body.password,
        body.role,
    )
    .await)?;
    // The account exists by now: codes that cannot be made just now are
    // made later, never a reason to answer as if sign-up failed.
    let recovery_codes = match crate::auth::recovery::issue(&state, started.user).await {
        Ok(codes) => codes,
        Err(err) => {
            tracing::warn!(err = err.message(), "recovery codes at sign-up");
            Vec::new()
        }
    };
    let body = SignedUp {
        user: started.user.id(),
        csrf_token: started.csrf_token.clone(),
        recovery_codes,
    };
    Ok(cookie_on(
        &state,
        (StatusCode::CREATED, Json(body)).into_response(),
        &started,
    ))
}

/// Sign in; a session this browser already had ends.
#[utoipa::path(
    post,
    path = "/session",
    tag = "account",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in.", body = SignedIn),
        (status = 401, description = "The name and password do not match.", body = super::openapi::Problem, content_type = "application/problem+json"),
        WriteRefused,
        Throttled,
    )
)]
pub(super) async fn create_session(
    State(state): State<AppState>,
    client: Client,
    MaybeUser(previous): MaybeUser,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<Response, AppError> {
    let started = api(flows::sign_in(
        &state,
        &client,
        &body.name,
        &body.password,
        previous.as_ref(),
    )
    .await)?;
    Ok(with_cookie(&state, StatusCode::OK, &started))
}

/// Sign out.
#[utoipa::path(
    delete,
    path = "/session",
    tag = "account",
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared."),
        SignedOut,
        CsrfRefused,
    )
)]
pub(super) async fn end_session(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Response, AppError> {
    api(state
        .store()
        .end_session(&session.token)
        .await
        .map_err(AppError::from))?;
    crate::follow_up::forget_held(&state, session.user).await;
    Ok(signed_out(&state))
}

/// 204 for a sign-out or a deletion: the cookie cleared, and the browser
/// told to forget everything of this site, as the pages do.
fn signed_out(state: &AppState) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::SET_COOKIE,
        cleared_cookie(state.config().secure_cookies),
    );
    headers.insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    response
}

/// Current and new password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewPassword {
    current: String,
    password: String,
}

/// Change my password; my other sessions end.
#[utoipa::path(
    put,
    path = "/account/password",
    tag = "account",
    security(("session" = [], "csrf" = [])),
    request_body = NewPassword,
    responses(
        (status = 204, description = "Changed."),
        SignedOut,
        WriteRefused,
        Throttled,
    )
)]
pub(super) async fn change_password(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<NewPassword>,
) -> Result<StatusCode, AppError> {
    api(flows::change_password(
        &state,
        session.user,
        &session.token,
        &body.current,
        &body.password,
        &body.password,
    )
    .await)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The password, to confirm a deletion.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Confirm {
    password: String,
}

/// Delete my account and everything in it.
#[utoipa::path(
    delete,
    path = "/account",
    tag = "account",
    security(("session" = [], "csrf" = [])),
    request_body = Confirm,
    responses(
        (status = 204, description = "Deleted; the cookie is cleared."),
        (status = 401, description = "Not signed in, or the password is not right (nothing was deleted).", body = super::openapi::Problem, content_type = "application/problem+json"),
        WriteRefused,
        Throttled,
    )
)]
pub(super) async fn delete_account(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<Confirm>,
) -> Result<Response, AppError> {
    api(async {
        if !flows::password_matches(&state, session.user, &body.password).await? {
            return Err(AppError::bad_credentials(
                "That password is not right, so nothing was deleted.",
            ));
        }
        state.store().delete_account(session.user, now()).await?;
        Ok(signed_out(&state))
    }
    .await)
}

/// One place where the person is signed in.
#[derive(Serialize, ToSchema)]
pub(super) struct SessionView {
    /// The token's SHA-256 in hex, never the token.
    id: String,
    label: String,
    created_unix: i64,
    last_seen_unix: i64,
    /// Whether this is the session asking.
    current: bool,
}

/// Where I am signed in.
#[utoipa::path(
    get,
    path = "/sessions",
    tag = "account",
    security(("session" = [])),
    responses((status = 200, description = "My sessions.", body = Vec<SessionView>), SignedOut)
)]
pub(super) async fn sessions(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<SessionView>>, AppError> {
    let current = tandem_store::token_hash_hex(&session.token);
    let all = api(state
        .store()
        .sessions_of(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(
        all.into_iter()
            .map(|s| SessionView {
                current: s.token_hash_hex == current,
                id: s.token_hash_hex,
                label: s.label,
                created_unix: s.created_unix,
                last_seen_unix: s.last_seen_unix,
            })
            .collect(),
    ))
}

/// How many other sessions ended.
#[derive(Serialize, ToSchema)]
pub(super) struct Ended {
    ended: u64,
}

/// Sign out everywhere else.
#[utoipa::path(
    post,
    path = "/sessions/end-others",
    tag = "account",
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "How many sessions ended.", body = Ended),
        SignedOut,
        CsrfRefused,
    )
)]
pub(super) async fn end_other_sessions(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Ended>, AppError> {
    let ended = api(state
        .store()
        .end_other_sessions(session.user, &session.token)
        .await
        .map_err(AppError::from))?;
    Ok(Json(Ended { ended }))
}

/// The time zone my moments are shown in.
#[derive(Serialize, ToSchema)]
pub(super) struct TimeZoneSetting {
    /// An IANA name such as `Europe/London`; `UTC` until one is chosen.
    #[schema(example = "Europe/London")]
    time_zone: String,
    /// Whether I have chosen it (if not, it is UTC by default).
    chosen: bool,
}

/// A time zone to keep.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewTimeZone {
    /// An IANA name the server's time zone database knows, such as
    /// `Asia/Tokyo`; any other is refused (422, naming `time_zone`).
    #[schema(value_type = String, example = "Asia/Tokyo")]
    time_zone: TimeZoneName,
}

/// The time zone my pages show moments in.
#[utoipa::path(
    get,
    path = "/account/time-zone",
    tag = "account",
    security(("session" = [])),
    responses((status = 200, description = "My time zone.", body = TimeZoneSetting), SignedOut)
)]
pub(super) async fn time_zone(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<TimeZoneSetting>, AppError> {
    let chosen = api(state
        .store()
        .time_zone(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(TimeZoneSetting {
        chosen: chosen.is_some(),
        time_zone: chosen.unwrap_or_default().to_string(),
    }))
}

/// Choose the time zone my pages show moments in.
#[utoipa::path(
    put,
    path = "/account/time-zone",
    tag = "account",
    security(("session" = [], "csrf" = [])),
    request_body = NewTimeZone,
    responses(
        (status = 200, description = "The time zone, as kept.", body = TimeZoneSetting),
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn set_time_zone(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<NewTimeZone>,
) -> Result<Json<TimeZoneSetting>, AppError> {
    api(state
        .store()
        .set_time_zone(session.user, &body.time_zone)
        .await
        .map_err(AppError::from))?;
    Ok(Json(TimeZoneSetting {
        time_zone: body.time_zone.to_string(),
        chosen: true,
    }))
}

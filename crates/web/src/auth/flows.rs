//! Sign-up, sign-in and password change, shared by pages and API so both
//! follow the same rules and throttles.

use tandem_store::throttle::{Attempt, Limits, Ticket};
use tandem_store::{Owner, UserId, UserName};

use super::hashing::HashingError;
use super::password::check_new_password;
use super::{Client, now};
use crate::{AppError, AppState};

/// The same words for an unknown name and a wrong password.
pub const WRONG: &str = "That user name and password do not match.";

/// Reserves an attempt before any password is hashed (see
/// `tandem_store::throttle`): per account by its name (any spelling of a
/// name is one account, known or not), per address across accounts. A
/// refusal is a 429 with `Retry-After`, and no hash is computed.
pub(super) async fn reserve(
    state: &AppState,
    name: Option<&str>,
    client: Option<&Client>,
) -> Result<Ticket, AppError> {
    reserve_under(state, "user", name, client).await
}

/// Runs one guess at a code (a partner's or a client's) under a throttle
/// ticket of `kind` for this person and address: a wrong code stays
/// counted as a failed guess, a success clears the count, and any other
/// outcome gives the attempt back.
pub(crate) async fn guess_code<T>(
    state: &AppState,
    kind: &str,
    session: &super::Session,
    client: &Client,
    attempt: impl Future<Output = Result<T, tandem_app::ServiceError>>,
) -> Result<Result<T, tandem_app::ServiceError>, AppError> {
    let who = session.user.id().to_string();
    let ticket = reserve_under(state, kind, Some(&who), Some(client)).await?;
    let outcome = attempt.await;
    let store = state.store();
    match &outcome {
        Ok(_) => store.attempt_succeeded(ticket).await?,
        Err(tandem_app::ServiceError::Store(tandem_store::StoreError::Invalid {
            field, ..
        })) if field == "code" => {}
        Err(_) => store.release_attempt(ticket).await?,
    }
    Ok(outcome)
}

/// [`reserve`] for attempts of another `kind` than signing in, such as
/// guessing a partner's invite code: the same limits, counted apart.
pub(crate) async fn reserve_under(
    state: &AppState,
    kind: &str,
    name: Option<&str>,
    client: Option<&Client>,
) -> Result<Ticket, AppError> {
    let store = state.store();
    let account = match name {
        Some(name) => Some(store.throttle_key(kind, name).await?),
        None => None,
    };
    let address = match client {
        Some(client) => Some(store.throttle_key("addr", &client.addr.to_string()).await?),
        None => None,
    };
    match store
        .reserve_attempt(
            account.as_deref(),
            address.as_deref(),
            now(),
            Limits::default(),
        )
        .await?
    {
        Attempt::Allowed(ticket) => Ok(ticket),
        Attempt::Refused { retry_after } => Err(AppError::throttled(retry_after)),
    }
}

/// A new session: the cookie value and the token forms must echo.
pub struct Started {
    /// The person.
    pub user: Owner,
    /// Cookie value.
    pub token: String,
    /// CSRF token.
    pub csrf_token: String,
}

pub(super) fn parse_name(name: &str) -> Result<UserName, AppError> {
    UserName::parse(name).map_err(|err| AppError::invalid(err.to_string()))
}

pub(super) fn hashing_error(err: HashingError) -> AppError {
    match err {
        HashingError::Busy => AppError::busy(),
        HashingError::Failed(err) => AppError::internal(err),
    }
}

pub(super) async fn hash(state: &AppState, password: String) -> Result<String, AppError> {
    state.hasher().hash(&password).await.map_err(hashing_error)
}

async fn verify(
    state: &AppState,
    password: String,
    stored: Option<String>,
) -> Result<bool, AppError> {
    state
        .hasher()
        .verify(&password, stored.as_deref())
        .await
        .map_err(hashing_error)
}

/// Begins a session for `user`, whose password or recovery code has just
/// been checked (or whose account was just made): the session is what the
/// store vouches for from now on.
pub(super) async fn start(
    state: &AppState,
    user: UserId,
    client: &Client,
) -> Result<Started, AppError> {
    let session = state
        .store()
        .create_session(user, &client.label, now())
        .await?;
    Ok(Started {
        user: session.owner,
        token: session.token,
        csrf_token: session.csrf_token,
    })
}

/// Every problem with a sign-up form, field by field, found before any
/// password is hashed, so a form can show them all at once (a taken name
/// is only known later, from the store).
pub fn sign_up_problems(name: &str, password: &str, confirm: &str) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    let parsed = UserName::parse(name);
    if name.trim().is_empty() {
        problems.push(("name", "Enter a user name.".to_owned()));
    } else if let Err(err) = &parsed {
        problems.push(("name", err.to_string()));
    }
    let checked_name = parsed.as_ref().map_or(name, |n| n.as_str());
    if password.is_empty() {
        problems.push(("password", "Enter a password.".to_owned()));
    } else if let Err(problem) = check_new_password(password, checked_name) {
        problems.push(("password", problem.to_string()));
    }
    if confirm.is_empty() && !password.is_empty() {
        problems.push(("confirm", "Enter your password again.".to_owned()));
    } else if !confirm.is_empty() && password != confirm {
        problems.push(("confirm", "The two passwords are not the same.".to_owned()));
    }
    problems
}

/// Every problem with a new password and its confirmation, found before
/// the current password is checked.
pub fn new_password_problems(
    user_name: &str,
    password: &str,
    confirm: &str,
) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if password.is_empty() {
        problems.push(("password", "Enter a new password.".to_owned()));
    } else if let Err(problem) = check_new_password(password, user_name) {
        problems.push(("password", problem.to_string()));
    }
    if password != confirm && !password.is_empty() {
        problems.push((
            "confirm",
            "The two new passwords are not the same.".to_owned(),
        ));
    }
    problems
}

/// Creates an account and signs it in.
pub async fn sign_up(
    state: &AppState,
    client: &Client,
    name: &str,
    password: &str,
    confirm: &str,
    role: tandem_store::AccountRole,
) -> Result<Started, AppError> {
    let name = parse_name(name)?;
    check_new_password(password, name.as_str()).map_err(|p| AppError::invalid(p.to_string()))?;
    if password != confirm {
        return Err(AppError::invalid("The two passwords are not the same."));
    }
    // Sign-ups count per address, so "that name is taken" cannot be asked
    // of every name in a burst.
    let ticket = reserve(state, None, Some(client)).await?;
    let hashed = match hash(state, password.to_owned()).await {
        Ok(hashed) => hashed,
        Err(err) => {
            state.store().release_attempt(ticket).await?;
            return Err(err);
        }
    };
    // A taken name leaves the attempt counted against the address.
    let user = state
        .store()
        .create_account_as(&name, &hashed, role, now())
        .await?;
    state.store().attempt_succeeded(ticket).await?;
    start(state, user, client).await
}

/// Checks a name and password, with throttling per name and per address;
/// ends `previous`, the session the browser had, when there was one.
/// An unknown name costs the same hashing time as a wrong password.
pub async fn sign_in(
    state: &AppState,
    client: &Client,
    name: &str,
    password: &str,
    previous: Option<&super::Session>,
) -> Result<Started, AppError> {
    let store = state.store();
    let ticket = reserve(state, Some(name), Some(client)).await?;
    let account = match UserName::parse(name) {
        Ok(parsed) => store.account_by_name(&parsed).await?,
        Err(_) => None,
    };
    let stored = account.as_ref().map(|(_, hash)| hash.clone());
    // A wrong password leaves the reserved attempt recorded as a failure;
    // one that was never checked (busy) is released.
    let checked = verify(state, password.to_owned(), stored).await;
    let matched = match checked {
        Ok(matched) => matched,
        Err(err) => {
            store.release_attempt(ticket).await?;
            return Err(err);
        }
    };
    if !matched {
        return Err(AppError::bad_credentials(WRONG));
    }
    let Some((user, _)) = account else {
        return Err(AppError::bad_credentials(WRONG));
    };
    store.attempt_succeeded(ticket).await?;
    let started = start(state, user, client).await?;
    // Signing in again from a browser that was signed in ends its old
    // session on the server, not only in the cookie.
    if let Some(previous) = previous {
        store.end_session(&previous.token).await?;
    }
    // A new session holds no unkept safety screen: whatever one held
    // before (a session that ended or expired) no longer shapes the plan.
    crate::follow_up::forget_held(state, started.user).await;
    Ok(started)
}

/// Whether `password` is the person's current password.
pub async fn password_matches(
    state: &AppState,
    user: Owner,
    password: &str,
) -> Result<bool, AppError> {
    let store = state.store();
    let name = store.user_name(user).await?;
    // A re-check is a sign-in in all but name: throttled the same way.
    let ticket = reserve(state, Some(&name), None).await?;
    let stored = store.password_hash(user).await?;
    match verify(state, password.to_owned(), Some(stored)).await {
        Ok(true) => {
            store.attempt_succeeded(ticket).await?;
            Ok(true)
        }
        Ok(false) => Ok(false),
        Err(err) => {
            store.release_attempt(ticket).await?;
            Err(err)
        }
    }
}

/// Changes a password after checking the current one; ends every other session.
pub async fn change_password(
    state: &AppState,
    user: Owner,
    keep_token: &str,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let store = state.store();
    if !password_matches(state, user, current).await? {
        return Err(AppError::bad_credentials(
            "Your current password is not right.",
        ));
    }
    let name = store.user_name(user).await?;
    check_new_password(new, &name).map_err(|p| AppError::invalid(p.to_string()))?;
    if new != confirm {
        return Err(AppError::invalid("The two new passwords are not the same."));
    }
    let hashed = hash(state, new.to_owned()).await?;
    store.set_password_hash(user, &hashed).await?;
    store.end_other_sessions(user, keep_token).await?;
    Ok(())
}

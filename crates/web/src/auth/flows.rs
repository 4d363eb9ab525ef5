//! Sign-up, sign-in and password change, shared by pages and API so both
//! follow the same rules and throttles.

use tandem_store::{UserId, UserName};

use super::password::check_new_password;
use super::{Client, now};
use crate::{AppError, AppState};

/// Failed sign-ins allowed per name, and per address, in the window.
const PER_ACCOUNT: u64 = 5;
const PER_ADDRESS: u64 = 20;
const WINDOW_SECS: i64 = 15 * 60;

/// The same words for an unknown name and a wrong password.
pub const WRONG: &str = "That user name and password do not match.";
const THROTTLED: &str = "Too many tries. Please wait 15 minutes before you try again.";

/// A new session: the cookie value and the token forms must echo.
pub struct Started {
    /// The person.
    pub user: UserId,
    /// Cookie value.
    pub token: String,
    /// CSRF token.
    pub csrf_token: String,
}

fn parse_name(name: &str) -> Result<UserName, AppError> {
    UserName::parse(name).map_err(|err| AppError::invalid(err.to_string()))
}

async fn hash(state: &AppState, password: String) -> Result<String, AppError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || state.hasher().hash(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

async fn verify(
    state: &AppState,
    password: String,
    stored: Option<String>,
) -> Result<bool, AppError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || state.hasher().verify(&password, stored.as_deref()))
        .await
        .map_err(AppError::internal)
}

async fn start(state: &AppState, user: UserId, client: &Client) -> Result<Started, AppError> {
    let session = state
        .store()
        .create_session(user, &client.label, now())
        .await?;
    Ok(Started {
        user,
        token: session.token,
        csrf_token: session.csrf_token,
    })
}

/// Creates an account and signs it in.
pub async fn sign_up(
    state: &AppState,
    client: &Client,
    name: &str,
    password: &str,
    confirm: &str,
) -> Result<Started, AppError> {
    let name = parse_name(name)?;
    check_new_password(password, name.as_str()).map_err(|p| AppError::invalid(p.to_string()))?;
    if password != confirm {
        return Err(AppError::invalid("The two passwords are not the same."));
    }
    let hashed = hash(state, password.to_owned()).await?;
    let user = state.store().create_account(&name, &hashed, now()).await?;
    start(state, user, client).await
}

/// Checks a name and password, with throttling per name and per address.
/// An unknown name costs the same hashing time as a wrong password.
pub async fn sign_in(
    state: &AppState,
    client: &Client,
    name: &str,
    password: &str,
) -> Result<Started, AppError> {
    let store = state.store();
    let since = now() - WINDOW_SECS;
    let name_key = format!("user:{}", name.trim().to_lowercase());
    let addr_key = format!("addr:{}", client.addr);
    if store.recent_failures(&name_key, since).await? >= PER_ACCOUNT
        || store.recent_failures(&addr_key, since).await? >= PER_ADDRESS
    {
        return Err(AppError::too_many(THROTTLED));
    }
    let account = match UserName::parse(name) {
        Ok(parsed) => store.account_by_name(&parsed).await?,
        Err(_) => None,
    };
    let stored = account.as_ref().map(|(_, hash)| hash.clone());
    if !verify(state, password.to_owned(), stored).await? {
        store
            .record_login_failure(&[name_key.as_str(), addr_key.as_str()], now())
            .await?;
        return Err(AppError::invalid(WRONG));
    }
    let Some((user, _)) = account else {
        return Err(AppError::invalid(WRONG));
    };
    store.clear_login_failures(&name_key).await?;
    let started = start(state, user, client).await?;
    // A new session holds no unkept safety screen: whatever one held
    // before (a session that ended or expired) no longer shapes the plan.
    crate::plan::forget_held(state, user).await;
    Ok(started)
}

/// Whether `password` is the person's current password.
pub async fn password_matches(
    state: &AppState,
    user: UserId,
    password: &str,
) -> Result<bool, AppError> {
    let stored = state.store().password_hash(user).await?;
    verify(state, password.to_owned(), Some(stored)).await
}

/// Changes a password after checking the current one; ends every other session.
pub async fn change_password(
    state: &AppState,
    user: UserId,
    keep_token: &str,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let store = state.store();
    if !password_matches(state, user, current).await? {
        return Err(AppError::invalid("Your current password is not right."));
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

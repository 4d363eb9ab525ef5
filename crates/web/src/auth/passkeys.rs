//! Passkeys (WebAuthn, through `webauthn-rs`): adding one to a signed-in
//! account, and signing in with one, which makes a session that counts as
//! a second factor (a passkey proves a device and its PIN or fingerprint:
//! webauthn-rs asks for user verification). The relying party is
//! `public_url`, so passkeys are offered only when it is set (a browser
//! refuses them on an IP address; use `http://localhost:PORT` to try them
//! locally). Each ceremony's state waits in the store under the hash of a
//! one-time key the browser sends back, so any instance can finish it.

use sha2::{Digest, Sha256};
use tandem_store::passkeys::{CEREMONY_SECONDS, Ceremony};
use tandem_store::{PasskeyId, StoreError, UserId, UserName, random_hex};
use webauthn_rs::prelude::{
    CreationChallengeResponse, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse, Url, Uuid,
    Webauthn, WebauthnBuilder,
};

use super::flows::{self, Started};
use super::{Client, Session, now};
use crate::address::PublicUrl;
use crate::{AppError, AppState};

/// Refused where no relying party is set.
pub const NOT_SET_UP: &str =
    "Passkeys need this server's public address (public_url) to be set. Ask whoever runs it.";

/// Refused to a ceremony that is unknown, used or too old.
const STALE: &str = "This passkey request has run out. Try again.";

/// The one refusal of a passkey sign-in, whatever the reason.
pub const NO_MATCH: &str = "That passkey did not sign you in. Try again, or use your password.";

/// The relying party for `public_url`, when it is set.
pub fn relying_party(public_url: Option<&PublicUrl>) -> Result<Option<Webauthn>, String> {
    let Some(public_url) = public_url else {
        return Ok(None);
    };
    let origin = Url::parse(public_url.origin()).map_err(|err| format!("public_url: {err}"))?;
    let rp_id = origin
        .host_str()
        .ok_or_else(|| "public_url has no host".to_owned())?
        .to_owned();
    let built = WebauthnBuilder::new(&rp_id, &origin)
        .and_then(|builder| builder.rp_name("Tandem").build())
        .map_err(|err| format!("passkeys for {public_url}: {err}"))?;
    Ok(Some(built))
}

fn party(state: &AppState) -> Result<&Webauthn, AppError> {
    state
        .webauthn()
        .ok_or_else(|| AppError::conflict(NOT_SET_UP))
}

/// The handle a passkey carries for its account: made from the user id, so
/// it needs no column of its own.
fn handle(user: UserId) -> Uuid {
    Uuid::from_u64_pair(0x7461_6e64_656d_0001, user.0.unsigned_abs())
}

fn key_hash(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(AppError::internal)
}

fn stored_passkey(text: &str) -> Result<Passkey, AppError> {
    serde_json::from_str(text)
        .map_err(|err| AppError::from(StoreError::corrupt(format!("a kept passkey: {err}"))))
}

async fn keep(
    state: &AppState,
    user: UserId,
    purpose: Ceremony,
    state_json: &str,
) -> Result<String, AppError> {
    let key = random_hex()?;
    let at = now();
    state
        .store()
        .keep_ceremony(
            &key_hash(&key),
            user,
            purpose,
            state_json,
            at,
            at + CEREMONY_SECONDS,
        )
        .await?;
    Ok(key)
}

/// Begins adding a passkey: the ceremony's key and the options for
/// `navigator.credentials.create`.
pub async fn start_adding(
    state: &AppState,
    session: &Session,
) -> Result<(String, CreationChallengeResponse), AppError> {
    let party = party(state)?;
    let store = state.store();
    let mut known = Vec::new();
    for kept in store.passkeys(session.user).await? {
        known.push(stored_passkey(&kept.credential)?.cred_id().clone());
    }
    let name = store.user_name(session.user).await?;
    let (options, registration) = party
        .start_passkey_registration(handle(session.user.id()), &name, &name, Some(known))
        .map_err(AppError::internal)?;
    let key = keep(
        state,
        session.user.id(),
        Ceremony::Register,
        &to_json(&registration)?,
    )
    .await?;
    Ok((key, options))
}

/// Finishes adding a passkey with what the browser made of the options.
pub async fn finish_adding(
    state: &AppState,
    session: &Session,
    client: &Client,
    key: &str,
    credential: &RegisterPublicKeyCredential,
) -> Result<PasskeyId, AppError> {
    let party = party(state)?;
    let store = state.store();
    let stale = || AppError::from(StoreError::invalid("ceremony", STALE));
    let taken = store
        .take_ceremony(&key_hash(key), Ceremony::Register, now())
        .await?
        .filter(|row| row.user == session.user.id())
        .ok_or_else(stale)?;
    let registration: PasskeyRegistration =
        serde_json::from_str(&taken.state).map_err(AppError::internal)?;
    let passkey = party
        .finish_passkey_registration(credential, &registration)
        .map_err(|_| {
            AppError::from(StoreError::invalid(
                "credential",
                "The passkey could not be checked. Try again.",
            ))
        })?;
    Ok(store
        .add_passkey(
            session.user,
            passkey.cred_id().as_ref(),
            &to_json(&passkey)?,
            &client.label,
            now(),
        )
        .await?)
}

/// Begins a passkey sign-in for the account `name`: the ceremony's key and
/// the options for `navigator.credentials.get`.
pub async fn start_sign_in(
    state: &AppState,
    client: &Client,
    name: &str,
) -> Result<(String, RequestChallengeResponse), AppError> {
    let party = party(state)?;
    let refused = || AppError::bad_credentials(NO_MATCH);
    let name = UserName::parse(name).map_err(|_| refused())?;
    let ticket = flows::reserve(state, Some(name.as_str()), Some(client)).await?;
    let store = state.store();
    let Some((user, _)) = store.account_by_name(&name).await? else {
        return Err(refused());
    };
    let mut passkeys = Vec::new();
    for kept in store.sign_in_passkeys(user).await? {
        passkeys.push(stored_passkey(&kept.credential)?);
    }
    if passkeys.is_empty() {
        return Err(refused());
    }
    let (options, authentication) = party
        .start_passkey_authentication(&passkeys)
        .map_err(AppError::internal)?;
    let key = keep(state, user, Ceremony::SignIn, &to_json(&authentication)?).await?;
    // Asking is not a failed guess; the answer is checked in its own step.
    store.release_attempt(ticket).await?;
    Ok((key, options))
}

/// Finishes a passkey sign-in: a new session that counts as a second
/// factor, ending `previous`, the session the browser had, as a password
/// sign-in does. Every refusal is the same 401.
pub async fn finish_sign_in(
    state: &AppState,
    client: &Client,
    key: &str,
    credential: &PublicKeyCredential,
    previous: Option<&super::Session>,
) -> Result<Started, AppError> {
    let party = party(state)?;
    let refused = || AppError::bad_credentials(NO_MATCH);
    let store = state.store();
    let taken = store
        .take_ceremony(&key_hash(key), Ceremony::SignIn, now())
        .await?
        .ok_or_else(refused)?;
    let authentication: PasskeyAuthentication =
        serde_json::from_str(&taken.state).map_err(AppError::internal)?;
    let result = party
        .finish_passkey_authentication(credential, &authentication)
        .map_err(|_| refused())?;
    // The passkey that signed in keeps its new counter and time of use.
    for kept in store.sign_in_passkeys(taken.user).await? {
        let mut passkey = stored_passkey(&kept.credential)?;
        let Some(changed) = passkey.update_credential(&result) else {
            continue;
        };
        let credential = if changed {
            to_json(&passkey)?
        } else {
            kept.credential
        };
        store
            .passkey_used(taken.user, &kept.credential_id, &credential, now())
            .await?;
    }
    let session = store
        .create_session_with_second_factor(taken.user, &client.label, now())
        .await?;
    if let Some(previous) = previous {
        store.end_session(&previous.token).await?;
    }
    crate::follow_up::forget_held(state, session.owner).await;
    Ok(Started {
        user: session.owner,
        token: session.token,
        csrf_token: session.csrf_token,
    })
}

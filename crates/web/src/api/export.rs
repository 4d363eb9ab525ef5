//! The person's own download: everything of theirs, as JSON.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::Value;
use tandem_store::{Administration, Owner};
use utoipa::ToSchema;

use super::api;
use super::openapi::SignedOut;
use super::people::{Person, listed};
use crate::auth::ApiUser;
use crate::{AppError, AppState};

/// One administration with its answers.
#[derive(Serialize, ToSchema)]
pub(crate) struct Answered {
    administration: Administration,
    /// Item id → answer.
    #[schema(value_type = Object)]
    answers: Value,
}

/// Everything of one person's.
#[derive(Serialize, ToSchema)]
pub(crate) struct Export {
    /// Always `tandem-export`.
    #[schema(value_type = String)]
    format: &'static str,
    /// The export format's version: 1.
    version: u32,
    user: String,
    administrations: Vec<Answered>,
    people: Vec<Person>,
    /// The kept safety screens, each with its answers.
    #[schema(value_type = Vec<Object>)]
    safety_screens: Value,
    /// The time zone I chose (an IANA name), or null if I never chose one.
    time_zone: Option<String>,
    /// My "how I see us" answers, one entry per relationship I answered it
    /// about.
    how_i_see_us: Vec<UsAnswers>,
}

/// My "how I see us" answers about one relationship.
#[derive(Serialize, ToSchema)]
pub(crate) struct UsAnswers {
    relationship: tandem_store::RelationshipId,
    /// Item id → 1 to 5.
    answers: std::collections::BTreeMap<String, i64>,
}

/// Everything of one person's, for their own download.
pub(crate) async fn export_of(state: &AppState, user: Owner) -> Result<Export, AppError> {
    let store = state.store();
    let mut administrations = Vec::new();
    for administration in store.administrations(user, None).await? {
        // Each read with the version it was taken with, so old answers read as they were given.
        let instrument = tandem_app::situation::version_of(state.content(), &administration)?;
        let answers = store.answers(user, instrument, administration.id).await?;
        administrations.push(Answered {
            administration,
            answers: serde_json::to_value(answers).map_err(AppError::internal)?,
        });
    }
    let people = store.support_map(user).await?;
    let mut how_i_see_us = Vec::new();
    for relationship in store.relationships(user).await? {
        let answers = store.us(user, relationship.id).await?;
        if !answers.is_empty() {
            how_i_see_us.push(UsAnswers {
                relationship: relationship.id,
                answers,
            });
        }
    }
    Ok(Export {
        format: "tandem-export",
        version: 1,
        user: store.user_name(user).await?,
        administrations,
        people: listed(people),
        safety_screens: serde_json::to_value(store.safety_screens(user).await?)
            .map_err(AppError::internal)?,
        time_zone: store.time_zone(user).await?.map(String::from),
        how_i_see_us,
    })
}

/// Everything of mine, as JSON.
#[utoipa::path(
    get,
    path = "/export",
    tag = "account",
    security(("session" = [])),
    responses((status = 200, description = "My export.", body = Export), SignedOut)
)]
pub(super) async fn export(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Export>, AppError> {
    Ok(Json(api(export_of(&state, session.user).await)?))
}

//! The person's own download: everything of theirs, as JSON.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::Value;
use tandem_store::{Administration, ExerciseRecord, Owner};
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
    /// The export format's version: 2 (1 had no relationships, plans,
    /// exercises, links, grants, assignments, notes or audit entries).
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
    /// The people my results are about.
    relationships: Vec<tandem_store::Relationship>,
    /// Each relationship's plan with its history: every item it ever had,
    /// replaced ones included, the most recently changed first.
    plans: Vec<PlanHistory>,
    /// Every exercise and journal entry, with what I wrote.
    exercises: Vec<ExerciseRecord>,
    /// My current links with partners, as I see them.
    links: Vec<tandem_store::Link>,
    /// The grants I made to counsellors.
    #[schema(value_type = Vec<Object>)]
    grants: Value,
    /// What counsellors asked me to answer, through grants not ended.
    #[schema(value_type = Vec<Object>)]
    assignments: Value,
    /// The notes counsellors shared with me.
    #[schema(value_type = Vec<Object>)]
    notes_shared_with_me: Value,
    /// My own audit chain: who saw what, when, and my grants, links and
    /// sign-ins, oldest first.
    #[schema(value_type = Vec<Object>)]
    audit: Value,
}

/// One relationship's plan, current and past.
#[derive(Serialize, ToSchema)]
pub(crate) struct PlanHistory {
    relationship: tandem_store::RelationshipId,
    /// Every item, most recently changed first.
    #[schema(value_type = Vec<Object>)]
    items: Value,
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
    let relationships = store.relationships(user).await?;
    let mut plans = Vec::new();
    for relationship in &relationships {
        let items = store.plan_history(user, relationship.id).await?;
        if !items.is_empty() {
            plans.push(PlanHistory {
                relationship: relationship.id,
                items: json(&items)?,
            });
        }
    }
    Ok(Export {
        format: "tandem-export",
        version: 2,
        user: store.user_name(user).await?,
        administrations,
        people: listed(people),
        safety_screens: serde_json::to_value(store.safety_screens(user).await?)
            .map_err(AppError::internal)?,
        time_zone: store.time_zone(user).await?.map(String::from),
        how_i_see_us,
        relationships,
        plans,
        exercises: store.exercises(user, None).await?,
        links: store.links(user).await?,
        grants: json(&store.shares_of(user).await?)?,
        assignments: json(&store.assignments_of(user, crate::auth::now()).await?)?,
        notes_shared_with_me: json(&store.shared_notes(user).await?)?,
        audit: json(&store.audit_trail(user).await?)?,
    })
}

/// Any serializable value as JSON, for the export's loosely described parts.
fn json<T: Serialize>(value: &T) -> Result<Value, AppError> {
    serde_json::to_value(value).map_err(AppError::internal)
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

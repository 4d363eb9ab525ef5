//! Relationships in the API: the people a person answers about, each with
//! a role and a name, listed and added. Every administration belongs to
//! one; `POST /administrations` takes one's id as `relationship`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_core::input::About;
use tandem_core::relationship::Role;
use tandem_store::{Owner, Relationship, RelationshipId, Store, StoreError};
use utoipa::ToSchema;

use super::openapi::{SignedOut, WriteRefused};
use super::{ApiJson, api};
use crate::auth::ApiUser;
use crate::{AppError, AppState};

/// My relationships, oldest first.
#[utoipa::path(
    get,
    path = "/relationships",
    tag = "relationships",
    security(("session" = [])),
    responses((status = 200, description = "Everyone I answer about.", body = Vec<Relationship>), SignedOut)
)]
pub(super) async fn relationships(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
) -> Result<Json<Vec<Relationship>>, AppError> {
    let all = api(state
        .store()
        .relationships(session.user)
        .await
        .map_err(AppError::from))?;
    Ok(Json(all))
}

/// A new relationship.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewRelationship {
    /// What they are to me; `family` is taken for `other_family`.
    role: Role,
    /// A name or nickname: 1 to 80 characters that can be seen, with no
    /// direction controls, and not one I already use.
    #[schema(value_type = String, min_length = 1, max_length = 80)]
    name: About,
}

/// Add a relationship.
#[utoipa::path(
    post,
    path = "/relationships",
    tag = "relationships",
    security(("session" = [], "csrf" = [])),
    request_body = NewRelationship,
    responses(
        (status = 201, description = "Added.", body = Relationship),
        (status = 409, description = "I already have someone of that name.", body = super::openapi::Problem, content_type = "application/problem+json"),
        SignedOut,
        WriteRefused,
    )
)]
pub(super) async fn add_relationship(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    ApiJson(body): ApiJson<NewRelationship>,
) -> Result<Response, AppError> {
    let made = api(state
        .store()
        .create_relationship(session.user, body.role, &body.name)
        .await
        .map_err(AppError::from))?;
    Ok((StatusCode::CREATED, Json(made)).into_response())
}

/// Whom an administration is about, from what a request gave: the name of
/// the relationship it names (one of the person's own, else 422 on
/// `relationship`), the `about` text, or — neither given — the person's
/// partner (the first relationship with that role, else "my partner",
/// which the store makes a partner relationship).
pub(crate) async fn about_for(
    store: &Store,
    owner: Owner,
    about: Option<&About>,
    relationship: Option<RelationshipId>,
) -> Result<About, AppError> {
    match (about, relationship) {
        (Some(_), Some(_)) => Err(StoreError::invalid(
            "relationship",
            "Give `relationship` or `about`, not both.",
        )
        .into()),
        (Some(about), None) => Ok(about.clone()),
        (None, Some(id)) => match store.relationship(owner, id).await {
            Ok(found) => name_of(&found),
            Err(StoreError::NotFound { .. }) => Err(StoreError::invalid(
                "relationship",
                format!("{id} is not one of your relationships."),
            )
            .into()),
            Err(err) => Err(err.into()),
        },
        (None, None) => {
            let kept = store.relationships(owner).await?;
            match kept.iter().find(|r| r.role == Role::Partner) {
                Some(partner) => name_of(partner),
                None => Ok(About::my_partner()),
            }
        }
    }
}

fn name_of(relationship: &Relationship) -> Result<About, AppError> {
    About::parse(&relationship.name).map_err(AppError::internal)
}

//! Extractors for pages, whose refusals are pages: an id in the address
//! that does not parse is "not found", like an id that is not yours, so
//! the two cannot be told apart and the person gets the page frame with
//! its quick exit, never a bare line of text.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::AppError;

/// A path parameter; one that does not parse is a 404 page.
pub struct PagePath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for PagePath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(PagePath(value)),
            Err(_) => Err(AppError::not_found()),
        }
    }
}

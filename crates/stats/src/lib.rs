//! Psychometrics engine: reliability, factor analysis and streaming CSV ingestion.
//!
//! Empty until issue 5 lands; the crate exists so the workspace has its final shape.

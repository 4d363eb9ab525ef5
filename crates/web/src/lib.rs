//! The web app: routes, templates, auth, sessions and the JSON API.
//!
//! Empty until issue 3 lands; the crate exists so the workspace has its final shape.

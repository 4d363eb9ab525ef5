//! The OpenAPI 3.1 description of `/api/v1`, built from one route table that
//! a test also walks, so the document cannot silently miss a route.

use axum::Json;
use serde_json::{Map, Value, json};

/// Every API route: (method, path, summary, needs a session).
pub const ROUTES: [(&str, &str, &str, bool); 33] = [
    ("get", "/openapi.json", "This document", false),
    (
        "post",
        "/accounts",
        "Create an account and sign in ({name, password})",
        false,
    ),
    (
        "post",
        "/session",
        "Sign in ({name, password}); returns the CSRF token",
        false,
    ),
    ("delete", "/session", "Sign out", true),
    (
        "get",
        "/instruments/{id}",
        "An instrument definition (rdp, checkin, safety)",
        false,
    ),
    (
        "get",
        "/administrations",
        "My administrations, oldest first",
        true,
    ),
    (
        "post",
        "/administrations",
        "Record a whole administration ({instrument, about?, answers})",
        true,
    ),
    (
        "post",
        "/administrations/open",
        "Start an administration to fill page by page ({instrument, about?})",
        true,
    ),
    (
        "put",
        "/administrations/{id}/answers",
        "Save one page ({answers: {item: value|null}, position})",
        true,
    ),
    (
        "post",
        "/administrations/{id}/complete",
        "Finish an administration",
        true,
    ),
    (
        "get",
        "/results/latest",
        "Scores, profile and change of my latest RDP",
        true,
    ),
    (
        "get",
        "/results/{id}",
        "Scores, profile and change of one RDP",
        true,
    ),
    ("post", "/checkins", "Record a check-in ({answers})", true),
    ("get", "/people", "My support map", true),
    (
        "post",
        "/people",
        "Add a person ({name, role, leans_on, leans_back})",
        true,
    ),
    ("delete", "/people/{id}", "Remove a person", true),
    (
        "get",
        "/people/metrics",
        "Support-map metrics and flags",
        true,
    ),
    (
        "post",
        "/safety",
        "Answer the safety screen ({answers: {item: 0|1|\"prefer_not_to_say\"}, keep}); its outcome and the help it calls for",
        true,
    ),
    (
        "delete",
        "/safety/{id}",
        "Delete one of my kept safety screens for good",
        true,
    ),
    (
        "get",
        "/research",
        "Whether my answers may help research ({research})",
        true,
    ),
    (
        "put",
        "/research",
        "Give or take back consent to research use ({research: true|false})",
        true,
    ),
    (
        "put",
        "/account/password",
        "Change my password ({current, password}); ends my other sessions",
        true,
    ),
    (
        "delete",
        "/account",
        "Delete my account and everything in it ({password})",
        true,
    ),
    ("get", "/sessions", "Where I am signed in", true),
    (
        "post",
        "/sessions/end-others",
        "Sign out everywhere else",
        true,
    ),
    (
        "get",
        "/plan",
        "My action plan, most important first; each item says whether it is joint, and only the first few are suggested (the rest later)",
        true,
    ),
    (
        "put",
        "/plan/{id}",
        "Set a plan item's status ({status: chosen|done|dropped|suggested})",
        true,
    ),
    (
        "get",
        "/exercises",
        "My exercise entries (?kind=needs-statement|boundary-plan|own-life|support-growth|goals|self-care|journal)",
        true,
    ),
    (
        "post",
        "/exercises",
        "Save an entry ({kind, plan_item?, content: {field: text}})",
        true,
    ),
    (
        "put",
        "/exercises/{id}",
        "Update an entry ({content, progress, done})",
        true,
    ),
    ("delete", "/exercises/{id}", "Delete an entry", true),
    (
        "put",
        "/exercises/{id}/weeks/{week}",
        "Tick an ISO week (2026-W48) for an own-life plan",
        true,
    ),
    (
        "delete",
        "/exercises/{id}/weeks/{week}",
        "Untick a week",
        true,
    ),
];

/// Serves the document.
pub async fn document() -> Json<Value> {
    let mut paths = Map::new();
    for (method, path, summary, session) in ROUTES.iter().copied().chain(std::iter::once((
        "get",
        "/export",
        "Everything of mine, as JSON",
        true,
    ))) {
        let mut operation = json!({
            "summary": summary,
            "responses": {
                "200": { "description": "Done" },
                "4XX": { "description": "A problem object (RFC 9457) saying what was wrong", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
            }
        });
        if let Some(object) = operation.as_object_mut() {
            if session {
                object.insert("security".into(), json!([{ "session": [], "csrf": [] }]));
            }
            let parameters: Vec<Value> = path
                .split('/')
                .filter_map(|part| part.strip_prefix('{').and_then(|p| p.strip_suffix('}')))
                .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
                .collect();
            if !parameters.is_empty() {
                object.insert("parameters".into(), Value::Array(parameters));
            }
            if matches!(method, "post" | "put") {
                object.insert("requestBody".into(), json!({ "required": true, "content": { "application/json": { "schema": { "type": "object" } } } }));
            }
        }
        let entry = paths
            .entry(format!("/api/v1{path}"))
            .or_insert_with(|| json!({}));
        if let Some(entry) = entry.as_object_mut() {
            entry.insert(method.to_owned(), operation);
        }
    }
    Json(json!({
        "openapi": "3.1.0",
        "info": { "title": "Tandem API", "version": "1" },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "tandem" },
                "csrf": { "type": "apiKey", "in": "header", "name": "X-CSRF-Token" }
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "properties": {
                        "type": { "type": "string" },
                        "title": { "type": "string" },
                        "status": { "type": "integer" },
                        "detail": { "type": "string" }
                    }
                }
            }
        }
    }))
}

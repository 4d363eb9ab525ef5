//! The OpenAPI document: it lists every route, each exists, and the router
//! answers no method the document leaves out.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::Server;

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_lists_every_route_and_each_exists() {
    let server = Server::start().await;
    let user = server.user("dunlin").await;
    let doc: Value = reqwest::get(server.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for (method, path, _, _) in tandem_web::API_ROUTES {
        let full = format!("/api/v1{path}");
        assert!(
            doc["paths"][&full][method].is_object(),
            "{method} {full} missing from the document"
        );
        let concrete = full.replace("{id}", "999999");
        let response = user
            .send(
                &server,
                Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                &concrete,
                json!({}),
            )
            .send()
            .await
            .unwrap();
        assert_ne!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {concrete}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_generated_document_and_the_router_agree() {
    let server = Server::start().await;
    let user = server.user("turnstone").await;
    let doc: Value = reqwest::get(server.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let methods = ["get", "post", "put", "delete", "patch"];
    // Every operation in the document, with whether it needs a session.
    let mut documented = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let security = &operation["security"];
            let session = security.is_array();
            if session {
                // Reads need the cookie; writes the cookie and the CSRF header.
                let mut names: Vec<&str> = security[0]
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                names.sort_unstable();
                let expected: &[&str] = if method == "get" {
                    &["session"]
                } else {
                    &["csrf", "session"]
                };
                assert_eq!(names, expected, "{method} {path}");
            }
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["name"] == "id" && !path.starts_with("/api/v1/instruments") {
                    assert_eq!(
                        parameter["schema"]["type"], "integer",
                        "{method} {path}: ids are integers"
                    );
                }
            }
            documented.insert((method.clone(), path.clone(), session));
        }
    }
    let table: std::collections::BTreeSet<(String, String, bool)> = tandem_web::API_ROUTES
        .iter()
        .map(|(method, path, _, session)| {
            ((*method).to_owned(), format!("/api/v1{path}"), *session)
        })
        .collect();
    assert_eq!(documented, table, "the document and API_ROUTES differ");
    // The answers a whole RDP may carry are the RDP's own items.
    let rdp = tandem_core::instrument::builtin::builtin_by_id("rdp")
        .unwrap()
        .unwrap();
    let shapes = doc["components"]["schemas"]["Record"]["oneOf"]
        .as_array()
        .unwrap();
    let rdp_shape = shapes
        .iter()
        .find(|shape| shape["properties"]["instrument"]["enum"][0] == "rdp")
        .unwrap();
    let items: Vec<&String> = rdp_shape["properties"]["answers"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let mut expected: Vec<String> = rdp.items.iter().map(|i| i.id.to_string()).collect();
    expected.sort_unstable();
    assert_eq!(items, expected.iter().collect::<Vec<_>>());
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "tandem");
    assert_eq!(schemes["csrf"]["in"], "header");
    // The router has no method at a documented path that the document
    // leaves out: each answers 405.
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path.replace("{id}", "999999").replace("{week}", "2026-W48");
        for method in methods {
            if item.get(method).is_some() {
                continue;
            }
            let response = user
                .send(
                    &server,
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    &concrete,
                    json!({}),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {concrete} answers but is not documented"
            );
        }
    }
    // A secure deployment's document names its real cookie.
    let secure = Server::start_with(tandem_web::WebConfig {
        secure_cookies: true,
        ..tandem_web::WebConfig::default()
    })
    .await;
    let doc: Value = reqwest::get(secure.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        doc["components"]["securitySchemes"]["session"]["name"],
        "__Host-tandem"
    );
}

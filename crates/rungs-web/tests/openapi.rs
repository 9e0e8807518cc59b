//! The OpenAPI document served at `/api/openapi.json`, read over a real socket and held against
//! the route table: every parameter is declared where it is sent, every operation documents
//! the error statuses its route can answer with the one error shape, and every declared number
//! limit is the one the server enforces.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::collections::BTreeSet;

use rungs_web::{Access, ROUTES};
use serde_json::{Value, json};
use support::spawn_app;

/// The operation of `route` in the document.
fn operation<'d>(document: &'d Value, method: &str, path: &str) -> &'d Value {
    let operation = &document["paths"][path][method.to_ascii_lowercase()];
    assert!(operation.is_object(), "{method} {path} is not in the document");
    operation
}

fn parameters(operation: &Value) -> impl Iterator<Item = &Value> {
    operation["parameters"].as_array().into_iter().flatten()
}

/// The statuses an API route can answer besides its handler's own, from its method, its `Access`
/// and what it reads, as docs/web.md lists them.
fn error_statuses(method: &str, access: Access, operation: &Value) -> BTreeSet<u16> {
    let mut statuses = BTreeSet::new();
    if access != Access::Public {
        // 401: no or an unknown token; 400: a malformed `Authorization` header.
        statuses.extend([400, 401]);
    }
    if !matches!(access, Access::Public | Access::SignedIn) {
        // Denial looks like absence.
        statuses.insert(404);
    }
    if matches!(access, Access::WriteAssessment | Access::AgreeAssessment) || method == "post" {
        // Seen but not changed, or a cookie without its CSRF token.
        statuses.insert(403);
    }
    if parameters(operation).any(|parameter| parameter["in"] == "query") {
        statuses.insert(400);
    }
    if let Some(content) = operation["requestBody"]["content"].as_object() {
        statuses.extend([400, 413]);
        if content.contains_key("application/json") {
            statuses.extend([415, 422]);
        }
    }
    statuses
}

#[tokio::test]
async fn every_parameter_is_declared_where_it_is_sent() {
    let app = spawn_app("openapi-parameters").await;
    let (status, document) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    let mut wrong = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let in_path: BTreeSet<&str> = parameters(operation)
                .filter(|parameter| parameter["in"] == "path")
                .map(|parameter| parameter["name"].as_str().unwrap())
                .collect();
            let in_template: BTreeSet<&str> = path
                .split('/')
                .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
                .collect();
            if in_path != in_template {
                wrong.push(format!("{method} {path}: path parameters {in_path:?}"));
            }
            for parameter in parameters(operation) {
                let place = parameter["in"].as_str().unwrap();
                assert!(["path", "query"].contains(&place), "{method} {path}: {parameter}");
            }
        }
    }
    assert!(wrong.is_empty(), "parameters declared in the wrong place:\n{}", wrong.join("\n"));
}

#[tokio::test]
async fn every_operation_documents_the_errors_its_route_can_answer() {
    let app = spawn_app("openapi-errors").await;
    let (_, document) = app.get_json("/api/openapi.json").await;
    let mut missing = Vec::new();
    for route in ROUTES.iter().filter(|route| route.path.starts_with("/api/v1/")) {
        let method = route.method.to_ascii_lowercase();
        let operation = operation(&document, &method, route.path);
        let responses = operation["responses"].as_object().unwrap();
        for status in error_statuses(&method, route.access, operation) {
            if !responses.contains_key(&status.to_string()) {
                missing.push(format!("{} {}: {status}", route.method, route.path));
            }
        }
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{} {} {status}",
                    route.method,
                    route.path
                );
            }
        }
    }
    assert!(missing.is_empty(), "undocumented statuses:\n{}", missing.join("\n"));
}

/// Every integer the document declares (parameter or body field) has the bounds the server
/// enforces; a query parameter just outside them answers 400 naming it, and a bound itself is
/// accepted.
#[tokio::test]
async fn declared_number_limits_are_the_enforced_ones() {
    let app = spawn_app("openapi-limits").await;
    let (_, document) = app.get_json("/api/openapi.json").await;
    let org = app.app.current_org().await.unwrap();
    let top = org.chart.member(org.chart.roots().next().unwrap()).id.to_string();
    let bounds = |schema: &Value, what: &str| -> (i64, i64) {
        let (Some(minimum), Some(maximum)) =
            (schema["minimum"].as_i64(), schema["maximum"].as_i64())
        else {
            panic!("{what} declares no minimum and maximum: {schema}");
        };
        if schema["format"] == "int32" {
            assert!(maximum <= i64::from(i32::MAX), "{what}: {schema}");
        }
        (minimum, maximum)
    };
    let mut checked = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for parameter in parameters(operation) {
                if parameter["schema"]["type"] != "integer" {
                    continue;
                }
                let name = parameter["name"].as_str().unwrap();
                let (minimum, maximum) = bounds(&parameter["schema"], &format!("{path} {name}"));
                if parameter["in"] != "query" || method != "get" {
                    continue;
                }
                for (value, expected) in [
                    (maximum.to_string(), 200),
                    (minimum.to_string(), 200),
                    ((i128::from(maximum) + 1).to_string(), 400),
                    ((i128::from(minimum) - 1).to_string(), 400),
                    ("2147483648".to_owned(), 400),
                    ("ten".to_owned(), 400),
                ] {
                    // A path that names a person names the top of the demo org; one that
                    // names a cycle names the demo's open one.
                    let path = path.replace("{id}", &top).replace("{name}", "2026-H2");
                    assert!(!path.contains('{'), "a path parameter to fill in: {path}");
                    let (status, body) = app.get_json(&format!("{path}?{name}={value}")).await;
                    assert_eq!(status, expected, "{path}?{name}={value}: {body}");
                    if expected == 400 {
                        assert_eq!(body["error"]["field"], json!(name), "{path}?{name}={value}");
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 0, "no integer query parameter was checked");
    // A body's number out of its bounds, or too large for any integer, is refused by name.
    for gaps in [json!(0), json!(101), json!(4_294_967_297_u64), json!(-1), json!(1.5)] {
        let (status, body) =
            app.post_json("/api/v1/people/E00002/plan", &json!({ "gaps": gaps })).await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (422, Some("gaps")),
            "{gaps}: {body}"
        );
    }
    for (name, schema) in document["components"]["schemas"].as_object().unwrap() {
        for (field, property) in schema["properties"].as_object().into_iter().flatten() {
            let types = &property["type"];
            if types == "integer" || types.as_array().is_some_and(|t| t.contains(&json!("integer")))
            {
                bounds(property, &format!("{name}.{field}"));
            }
        }
    }
}

#[tokio::test]
async fn bodies_that_may_be_left_out_are_not_required() {
    let app = spawn_app("openapi-optional-bodies").await;
    let (_, document) = app.get_json("/api/openapi.json").await;
    for path in ["/api/v1/assessments/{id}/submit", "/api/v1/cycles/{name}/close"] {
        let body = &operation(&document, "post", path)["requestBody"];
        assert_ne!(body["required"], json!(true), "{path} answers a request without a body");
        assert!(body["content"]["application/json"].is_object(), "{path}: {body}");
    }
    let body = &operation(&document, "post", "/api/v1/cycles")["requestBody"];
    assert_eq!(body["required"], json!(true), "opening a cycle needs its name");
}

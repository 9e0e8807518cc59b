//! The OpenAPI document served at `/api/openapi.json`, read over a real socket and held against
//! the route table: every parameter is declared where it is sent.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::collections::BTreeSet;

use serde_json::Value;
use support::spawn_app;

fn parameters(operation: &Value) -> impl Iterator<Item = &Value> {
    operation["parameters"].as_array().into_iter().flatten()
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

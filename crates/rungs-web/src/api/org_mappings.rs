//! Import mappings kept by name: listed, read, saved (a TOML body, checked against the ladder
//! with every error's line) and removed. `POST /api/v1/org/import?mapping=NAME` uses them.

use axum::http::StatusCode;

use super::{ApiPath, ApiText, Json, json};
use crate::auth::Acting;
use crate::error::{ApiError, ErrorBody};

fn listed(mapping: &rungs_store::StoredMapping) -> serde_json::Value {
    serde_json::json!({
        "name": mapping.name,
        "saved_by": mapping.saved_by,
        "saved_at": mapping.saved_at,
    })
}

/// The saved import mappings, by name.
#[utoipa::path(get, path = "/api/v1/org/mappings", tag = "org",
    responses((status = 200, description = "`{\"mappings\": [{\"name\", \"saved_by\", \"saved_at\"}]}`", body = serde_json::Value)))]
pub async fn list(Acting(state): Acting) -> Result<Json, ApiError> {
    let mappings = state.app.import_mappings().await?;
    json(serde_json::json!({ "mappings": mappings.iter().map(listed).collect::<Vec<_>>() }))
}

/// One saved import mapping, with its TOML.
#[utoipa::path(get, path = "/api/v1/org/mappings/{name}", tag = "org",
    params(("name" = String, Path, description = "The mapping's name")),
    responses((status = 200, description = "`{\"name\", \"saved_by\", \"saved_at\", \"source\"}`", body = serde_json::Value), (status = 404, description = "No mapping of that name", body = ErrorBody)))]
pub async fn show(Acting(state): Acting, ApiPath(name): ApiPath<String>) -> Result<Json, ApiError> {
    let mapping = state.app.import_mapping(&name).await?;
    let mut shown = listed(&mapping);
    shown["source"] = serde_json::Value::String(mapping.source);
    json(shown)
}

/// Saves the body (an import mapping, TOML) under `name`, replacing a mapping of that name.
#[utoipa::path(put, path = "/api/v1/org/mappings/{name}", tag = "org",
    params(("name" = String, Path, pattern = "^[a-z0-9_-]{1,64}$", description = "Lowercase letters, digits, `-` and `_`, at most 64")),
    request_body(description = "The mapping (TOML), as `application/toml` or `text/plain`; the format is in docs/org.md", content((String = "application/toml"), (String = "text/plain"))),
    responses((status = 200, description = "Saved: `{\"name\", \"saved_by\", \"saved_at\"}`", body = serde_json::Value), (status = 422, description = "A bad name, an empty body, or the mapping's errors, each with its line; nothing was saved", body = ErrorBody)))]
pub async fn save(
    Acting(state): Acting,
    ApiPath(name): ApiPath<String>,
    ApiText(body): ApiText,
) -> Result<Json, ApiError> {
    state.app.save_import_mapping(&name, &body).await?;
    json(listed(&state.app.import_mapping(&name).await?))
}

/// Removes a saved import mapping.
#[utoipa::path(delete, path = "/api/v1/org/mappings/{name}", tag = "org",
    params(("name" = String, Path, description = "The mapping's name")),
    responses((status = 204, description = "Removed"), (status = 404, description = "No mapping of that name", body = ErrorBody)))]
pub async fn remove(
    Acting(state): Acting,
    ApiPath(name): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    state.app.remove_import_mapping(&name).await?;
    Ok(StatusCode::NO_CONTENT)
}

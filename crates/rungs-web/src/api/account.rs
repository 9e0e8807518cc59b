//! The API's view of who is asking, and the audit log.

use serde_json::Value;

use super::{ApiQuery, Json, json};
use crate::auth::Acting;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::pages::accounts::AuditQuery;

/// The account or token the request acts for: its name, role and person.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, description = "Who is asking", body = serde_json::Value), (status = 401, description = "Not signed in", body = ErrorBody)))]
pub async fn me(Acting(state): Acting) -> Result<Json, ApiError> {
    let viewer = state.viewer.as_deref().ok_or_else(|| {
        WebError::new(axum::http::StatusCode::UNAUTHORIZED, "unauthenticated", "not signed in")
    })?;
    json(serde_json::json!({
        "name": viewer.principal.name,
        "role": viewer.principal.role.as_str(),
        "person": viewer.principal.person.as_ref().map(|person| person.as_str()),
    }))
}

/// The audit log, newest first: who changed what, when, before and after.
#[utoipa::path(get, path = "/api/v1/audit", tag = "accounts",
    params(("person" = Option<String>, Query, description = "Only entries about this person"), ("since" = Option<String>, Query, description = "Only entries on or after this date"), ("limit" = Option<u32>, Query, description = "At most this many (200 by default, 1000 at most)")),
    responses((status = 200, description = "Entries", body = serde_json::Value), (status = 422, description = "A filter that is not valid", body = ErrorBody)))]
pub async fn audit(
    Acting(state): Acting,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json, ApiError> {
    let records = state.app.audit(&query.filter()?).await?;
    let entries: Vec<Value> = records.iter().map(rungs_app::audit_json).collect();
    json(serde_json::json!({ "entries": entries }))
}

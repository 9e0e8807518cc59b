//! The API's view of who is asking, and the audit log.

use serde_json::Value;

use super::{ApiQuery, Json, json};
use crate::auth::Acting;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::pages::accounts::{AUDIT_MAX, AuditQuery};

/// The account or token the request acts for: its name, role and person.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, description = "Who is asking", body = serde_json::Value), (status = 401, description = "Not signed in", body = ErrorBody)))]
pub async fn me(Acting(state): Acting) -> Result<Json, ApiError> {
    let viewer = state.signed_in()?;
    json(serde_json::json!({
        "name": viewer.principal.name,
        "role": viewer.principal.role.as_str(),
        "person": viewer.principal.person.as_ref().map(|person| person.as_str()),
    }))
}

/// The audit log, newest first: who changed what, when, before and after.
#[utoipa::path(get, path = "/api/v1/audit", tag = "accounts",
    params(("person" = Option<String>, Query, pattern = r"^[^\s\x00-\x1f\x7f-\x9f]{0,128}$", description = "Only entries about this person; empty for everyone"), ("since" = Option<String>, Query, format = Date, description = "Only entries on or after this date (YYYY-MM-DD)"), ("limit" = Option<i32>, Query, minimum = 1, maximum = 1000, description = "At most this many (200 by default); outside 1 to 1000 answers 400")),
    responses((status = 200, description = "Entries", body = serde_json::Value), (status = 422, description = "A filter that is not valid", body = ErrorBody)))]
pub async fn audit(
    Acting(state): Acting,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json, ApiError> {
    // The page's form sends an empty field for none; the API declares a date and a number, so
    // neither may be empty here.
    if query.since.as_deref().is_some_and(|since| since.trim().is_empty()) {
        return Err(ApiError(WebError::invalid("since", "`` is not a date such as 2026-09-14")));
    }
    if query.limit.as_deref().is_some_and(|limit| limit.trim().is_empty()) {
        return Err(ApiError(WebError::bad_request(
            "limit",
            format!("`` is not a whole number from 1 to {AUDIT_MAX}"),
        )));
    }
    let records = state.app.audit(&query.filter()?).await?;
    let entries: Vec<Value> = records.iter().map(rungs_app::audit_json).collect();
    json(serde_json::json!({ "entries": entries }))
}

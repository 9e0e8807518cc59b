//! The org: figures, org-design findings, and importing an HR export.

use axum::http::StatusCode;
use rungs_app::OrgImport;

use super::{ApiQuery, ApiText, Json, json};
use crate::auth::Acting;
use crate::error::{ApiError, ErrorBody, WebError};

/// Head counts, managers, layers, spans, the level distribution and the IC-to-manager ratio.
#[utoipa::path(get, path = "/api/v1/org/stats", tag = "org",
    responses((status = 200, description = "The figures", body = serde_json::Value)))]
pub async fn stats(Acting(state): Acting) -> Result<Json, ApiError> {
    let (_, _, figures) = state.app.org_design().await?;
    json(figures)
}

/// Spans, org sizes, layers and bands checked against the ladder.
#[utoipa::path(get, path = "/api/v1/org/check", tag = "org",
    responses((status = 200, description = "`{\"findings\": [...]}`", body = serde_json::Value)))]
pub async fn check(Acting(state): Acting) -> Result<Json, ApiError> {
    let (_, findings, _) = state.app.org_design().await?;
    json(serde_json::json!({ "findings": findings }))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check and report, but write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// `csv` (default) or `json`.
    #[param(pattern = "^(csv|json)$")]
    pub format: Option<String>,
}

/// Imports a full HR export (the request body). Any error writes nothing and answers 422 with
/// every row error.
#[utoipa::path(post, path = "/api/v1/org/import", tag = "org", params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The export"),
    responses((status = 200, description = "What was imported", body = serde_json::Value), (status = 422, description = "Row errors; nothing was written", body = ErrorBody)))]
pub async fn import(
    Acting(state): Acting,
    ApiQuery(query): ApiQuery<ImportQuery>,
    ApiText(body): ApiText,
) -> Result<Json, ApiError> {
    let name = match query.format.as_deref() {
        None | Some("csv") => "request.csv",
        Some("json") => "request.json",
        Some(other) => {
            return Err(ApiError(WebError::invalid(
                "format",
                format!("`{other}` is not csv or json"),
            )));
        }
    };
    let outcome = state.app.import_org(name, body.into_bytes(), &[], query.dry_run).await?;
    let refused = |message: String| {
        ApiError(WebError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            message,
            field: Some("body".to_owned()),
        })
    };
    match outcome {
        imported @ OrgImport::Imported { .. } => json(imported),
        OrgImport::Invalid { errors, .. } => Err(refused(
            errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
                + "\nnothing was imported",
        )),
        OrgImport::Unreadable { message, .. } => {
            Err(refused(format!("{message}; nothing was imported")))
        }
        OrgImport::Empty { .. } => Err(refused(
            "the export has no people, only a header; importing it would mark everyone as left"
                .to_owned(),
        )),
    }
}

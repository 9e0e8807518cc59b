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
    json(state.app.org_stats().await?)
}

/// The most findings one page of `GET /api/v1/org/check` lists.
pub const FINDINGS_MAX: usize = 1_000;
/// The largest `offset` accepted: more findings than any org has.
pub const OFFSET_MAX: usize = 1_000_000_000;
/// The most leavers `allow_leavers` accepts: more people than any org has.
pub const LEAVERS_MAX: usize = 1_000_000_000;
/// How many it lists unless `limit` says.
pub const FINDINGS_DEFAULT: usize = 200;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// How many findings to skip, in the list's order (errors first): the `next_offset` of
    /// the page before.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 1000000000)]
    pub offset: Option<String>,
    /// How many findings a page lists (200 unless given).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
}

/// A whole number in `range` from a query parameter, or a bad request naming it.
fn number_in(
    field: &str,
    text: Option<&str>,
    range: std::ops::RangeInclusive<usize>,
    default: usize,
) -> Result<usize, ApiError> {
    let Some(text) = text else { return Ok(default) };
    text.trim().parse::<usize>().ok().filter(|number| range.contains(number)).ok_or_else(|| {
        ApiError(WebError::bad_request(
            field,
            format!(
                "`{}` is not a whole number from {} to {}",
                rungs_core::text::excerpt(text),
                range.start(),
                range.end()
            ),
        ))
    })
}

/// Spans, org sizes, layers and bands checked against the ladder: one page of the findings,
/// errors first, and how many there are of each severity.
#[utoipa::path(get, path = "/api/v1/org/check", tag = "org", params(CheckQuery),
    responses((status = 200, description = "`{\"findings\": [...], \"counts\": {\"errors\", \"warnings\", \"infos\"}, \"total\", \"next_offset\"}`; `next_offset` is null on the last page", body = serde_json::Value), (status = 400, description = "An `offset` or `limit` that is not a whole number in range", body = ErrorBody)))]
pub async fn check(
    Acting(state): Acting,
    ApiQuery(query): ApiQuery<CheckQuery>,
) -> Result<Json, ApiError> {
    let offset = number_in("offset", query.offset.as_deref(), 0..=OFFSET_MAX, 0)?;
    let limit = number_in("limit", query.limit.as_deref(), 1..=FINDINGS_MAX, FINDINGS_DEFAULT)?;
    let (findings, counts) = state.app.org_findings(offset, limit).await?;
    let next_offset =
        (offset.saturating_add(findings.len()) < counts.total()).then(|| offset + findings.len());
    json(serde_json::json!({
        "findings": findings,
        "counts": counts,
        "total": counts.total(),
        "next_offset": next_offset,
    }))
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
    /// Accept an import that marks up to this many people as left, more than the server's
    /// leaver share allows (the 409 refusal says how many it would).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 1000000000)]
    pub allow_leavers: Option<String>,
    /// A saved import mapping (`GET /api/v1/org/mappings`) that says how the export's columns
    /// and values become Rungs'.
    #[param(pattern = "^[a-z0-9_-]{1,64}$")]
    pub mapping: Option<String>,
}

/// Imports a full HR export (the request body). Nothing is written unless the whole file is
/// imported: row errors answer 422 with every one of them, too many leavers 409, and a bad
/// parameter 400.
#[utoipa::path(post, path = "/api/v1/org/import", tag = "org", params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The export"),
    responses((status = 200, description = "What was imported", body = serde_json::Value), (status = 409, description = "The import would mark more people as left than the server's leaver share allows, and `allow_leavers` did not accept that many; nothing was written", body = ErrorBody), (status = 422, description = "Row errors, or a `mapping` that is not saved; nothing was written", body = ErrorBody)))]
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
    let options = rungs_app::ImportOptions {
        dry_run: query.dry_run,
        leavers: rungs_core::org::LeaverPolicy {
            share: state.leaver_share,
            allowed: match query.allow_leavers.as_deref() {
                None => None,
                Some(text) => {
                    Some(number_in("allow_leavers", Some(text), 0..=LEAVERS_MAX, 0)? as u64)
                }
            },
        },
        claim: None,
    };
    let mapping = match query.mapping.as_deref() {
        None => rungs_import::ImportMapping::default(),
        Some(mapping) => match state.app.mapping_named(mapping).await {
            Ok((mapping, _)) => mapping,
            Err(error @ rungs_app::AppError::NotFound { .. }) => {
                return Err(ApiError(WebError::invalid("mapping", error.to_string())));
            }
            Err(error) => return Err(error.into()),
        },
    };
    let outcome = state.app.import_org(name, body.into_bytes(), mapping, options).await?;
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
        OrgImport::TooManyLeavers { refusal, .. } => Err(ApiError(WebError {
            status: StatusCode::CONFLICT,
            code: "conflict",
            message: format!(
                "{refusal}. If they did leave, send allow_leavers={} to import it",
                refusal.left
            ),
            field: Some("allow_leavers".to_owned()),
        })),
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

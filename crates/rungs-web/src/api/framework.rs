//! The ladder: the active framework, a level, two levels compared, a growth area; and
//! activating a framework file.

use axum::http::StatusCode;
use rungs_app::FrameworkUse;
use rungs_format::export;

use super::{ApiPath, ApiQuery, ApiText, Json, json};
use crate::auth::Acting;
use crate::error::{ApiError, ErrorBody, WebError};

/// The active framework (the built-in ladder when none was chosen).
#[utoipa::path(get, path = "/api/v1/framework", tag = "ladder",
    responses((status = 200, description = "The framework: tracks, bands, levels, expectations, growth areas, transitions", body = serde_json::Value)))]
pub async fn show(Acting(state): Acting) -> Result<Json, ApiError> {
    json(&*state.app.current_framework().await?)
}

fn level_or_404<'f>(
    framework: &'f rungs_core::Framework,
    id: &str,
) -> Result<&'f rungs_core::Level, ApiError> {
    framework.level(id).ok_or_else(|| {
        ApiError(WebError::not_found(format!(
            "there is no level `{id}`{}",
            rungs_core::suggest::did_you_mean(
                id,
                framework.levels().iter().map(|level| level.id.as_str())
            )
        )))
    })
}

/// One level, its neighbours and equivalents, and its growth statements.
#[utoipa::path(get, path = "/api/v1/levels/{id}", tag = "ladder",
    params(("id" = String, Path, description = "A level id, such as `em`")),
    responses((status = 200, description = "The level", body = serde_json::Value), (status = 404, description = "No such level", body = ErrorBody)))]
pub async fn level(Acting(state): Acting, ApiPath(id): ApiPath<String>) -> Result<Json, ApiError> {
    let framework = state.app.current_framework().await?;
    json(export::level_view(&framework, level_or_404(&framework, &id)?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// The level you are at.
    pub from: String,
    /// The level you look at.
    pub to: String,
}

/// What level `to` adds, drops and changes relative to level `from`.
#[utoipa::path(get, path = "/api/v1/compare", tag = "ladder", params(CompareQuery),
    responses((status = 200, description = "The comparison", body = serde_json::Value), (status = 400, description = "Missing levels", body = ErrorBody), (status = 404, description = "No such level", body = ErrorBody)))]
pub async fn compare(
    Acting(state): Acting,
    ApiQuery(query): ApiQuery<CompareQuery>,
) -> Result<Json, ApiError> {
    let framework = state.app.current_framework().await?;
    let from = level_or_404(&framework, &query.from)?;
    let to = level_or_404(&framework, &query.to)?;
    json(framework.compare(from, to))
}

/// One growth area across all levels.
#[utoipa::path(get, path = "/api/v1/growth-areas/{id}", tag = "ladder",
    params(("id" = String, Path, description = "A growth area's id or name")),
    responses((status = 200, description = "The growth area", body = serde_json::Value), (status = 404, description = "No such growth area", body = ErrorBody)))]
pub async fn growth_area(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
) -> Result<Json, ApiError> {
    let framework = state.app.current_framework().await?;
    let area = framework
        .growth_area(&id)
        .ok_or_else(|| ApiError(WebError::not_found(format!("there is no growth area `{id}`"))))?;
    json(export::growth_area_view(&framework, area))
}

/// Lints a framework file (the request body, TOML) and makes it the active framework.
#[utoipa::path(post, path = "/api/v1/framework", tag = "admin",
    request_body(description = "The framework file (TOML), sent as `application/toml` or `text/plain`", content((String = "application/toml"), (String = "text/plain"))),
    responses((status = 200, description = "Activated", body = serde_json::Value), (status = 422, description = "Lint errors; nothing changed", body = ErrorBody)))]
pub async fn activate(Acting(state): Acting, ApiText(body): ApiText) -> Result<Json, ApiError> {
    match state.app.use_framework("<request body>", &body).await? {
        activated @ FrameworkUse::Activated { .. } => json(activated),
        FrameworkUse::Invalid { diagnostics } => Err(ApiError(WebError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            message: diagnostics.join("\n"),
            field: Some("body".to_owned()),
        })),
    }
}

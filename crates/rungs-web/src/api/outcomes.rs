//! The outcome agreed for a person in each cycle, and the person's acknowledgement of it.

use rungs_core::org::PersonId;

use super::{ApiJson, ApiPath, Json, json};
use crate::auth::Acting;
use crate::error::{ApiError, ErrorBody, WebError};

fn person_id(id: &str) -> Result<PersonId, ApiError> {
    PersonId::parse(id)
        .map_err(|_| ApiError(WebError::not_found(format!("there is no person `{id}`"))))
}

/// Each cycle with agreed ratings for the person, oldest first: how many were agreed, by
/// whom and when last, and whether the person acknowledged the outcome as it now stands
/// (`changed_since_acknowledged` is true when an agreement came after their acknowledgement).
#[utoipa::path(get, path = "/api/v1/people/{id}/outcomes", tag = "assessments",
    params(("id" = String, Path, description = "The person's id")),
    responses((status = 200, description = "The outcomes, oldest cycle first", body = serde_json::Value)))]
pub async fn outcomes(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
) -> Result<Json, ApiError> {
    json(state.app.outcomes(&person_id(&id)?).await?)
}

/// The person's acknowledgement of a cycle's outcome.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAcknowledgement {
    /// The cycle whose agreed outcome is acknowledged.
    pub cycle: String,
    /// What the person says about it: plain text, at most 2,000 characters.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Records that the caller, the person themselves, has seen the outcome agreed for them in a
/// cycle (it is not consent). Acknowledging again replaces the earlier acknowledgement.
#[utoipa::path(post, path = "/api/v1/people/{id}/acknowledgements", tag = "assessments",
    params(("id" = String, Path, description = "The person's id: the caller")), request_body = NewAcknowledgement,
    responses((status = 201, description = "The acknowledgement", body = serde_json::Value), (status = 404, description = "No such cycle", body = ErrorBody), (status = 422, description = "Nothing agreed for the person in the cycle, or a comment that is too long or holds control characters", body = ErrorBody)))]
pub async fn acknowledge(
    Acting(state): Acting,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NewAcknowledgement>,
) -> Result<(axum::http::StatusCode, Json), ApiError> {
    let acknowledged =
        state.app.acknowledge(&person_id(&id)?, &body.cycle, body.comment.as_deref()).await?;
    Ok((axum::http::StatusCode::CREATED, json(acknowledged)?))
}

//! The SCIM error response (RFC 7644, section 3.12): the web edge's `WebError` with SCIM's
//! shape, status as a string, and a `scimType` where the RFC names one. A leaf: the guard
//! answers in this shape on SCIM's paths without depending on SCIM's handlers.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::WebError;

/// The media type SCIM answers with.
pub const SCIM_JSON: &str = "application/scim+json";

const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// A refused SCIM request.
#[derive(Debug)]
pub struct ScimError {
    pub error: WebError,
    /// RFC 7644's `scimType`: `invalidValue`, `uniqueness`, `invalidFilter`, `invalidSyntax`,
    /// `invalidPath`, `noTarget`, `mutability`.
    pub scim_type: Option<&'static str>,
}

impl ScimError {
    pub fn bad(scim_type: &'static str, message: impl Into<String>) -> ScimError {
        ScimError {
            error: WebError::new(StatusCode::BAD_REQUEST, "bad_request", message),
            scim_type: Some(scim_type),
        }
    }

    pub fn not_found(message: impl Into<String>) -> ScimError {
        ScimError { error: WebError::not_found(message), scim_type: None }
    }
}

impl From<WebError> for ScimError {
    fn from(error: WebError) -> ScimError {
        // SCIM answers every bad value with 400; a conflict is a `uniqueness` one.
        let scim_type = match error.status {
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => Some("invalidValue"),
            StatusCode::CONFLICT => Some("uniqueness"),
            _ => None,
        };
        let status = if error.status == StatusCode::UNPROCESSABLE_ENTITY {
            StatusCode::BAD_REQUEST
        } else {
            error.status
        };
        ScimError { error: WebError { status, ..error }, scim_type }
    }
}

impl From<rungs_app::AppError> for ScimError {
    fn from(error: rungs_app::AppError) -> ScimError {
        ScimError::from(WebError::from(error))
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let ScimError { error, scim_type } = self;
        let detail = match &error.field {
            // A message that names its attribute already is not prefixed again.
            Some(field)
                if !error.message.starts_with('`')
                    && !error.message.starts_with(field.as_str()) =>
            {
                format!("{field}: {}", error.message)
            }
            _ => error.message.clone(),
        };
        let mut body = serde_json::json!({
            "schemas": [ERROR_SCHEMA],
            "status": error.status.as_u16().to_string(),
            "detail": detail,
        });
        if let Some(scim_type) = scim_type {
            body["scimType"] = serde_json::Value::from(scim_type);
        }
        let mut response = (error.status, body.to_string()).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
        if error.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A path under `/scim/v2` that is not served: SCIM's 404.
pub fn missing(path: &str) -> Response {
    ScimError::not_found(format!("there is no endpoint {path}")).into_response()
}

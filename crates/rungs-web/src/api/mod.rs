//! The JSON API under `/api/v1`: everything the pages can do, for scripts and HR tooling.
//! Every handler is documented for the OpenAPI document; errors are always
//! `{"error": {"code", "message", "field"}}`, and every status an operation can answer is in
//! the document (`openapi::errors` adds the ones the guard and these extractors answer).

pub mod account;
pub mod assessments;
pub mod cycles;
pub mod framework;
pub mod nominations;
pub mod org;
pub mod org_mappings;
pub mod outcomes;
pub mod people;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;

use crate::error::ApiError;

/// A JSON body whose rejections (malformed JSON, wrong types, too large) answer as API errors.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<T>::from_request(request, state).await?;
        Ok(ApiJson(value))
    }
}

/// A JSON body that may be left out: a request without a body and without a content type
/// means `T::default()`, as it did before the body had fields.
#[derive(Debug)]
pub struct ApiJsonOrDefault<T>(pub T);

impl<S, T> FromRequest<S> for ApiJsonOrDefault<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned + Default,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if request.headers().contains_key(axum::http::header::CONTENT_TYPE) {
            let ApiJson(value) = ApiJson::<T>::from_request(request, state).await?;
            return Ok(ApiJsonOrDefault(value));
        }
        let body = axum::body::Bytes::from_request(request, state).await.map_err(|error| {
            ApiError(crate::error::WebError::new(error.status(), "bad_request", error.body_text()))
        })?;
        if body.is_empty() {
            Ok(ApiJsonOrDefault(T::default()))
        } else {
            Err(ApiError(crate::error::WebError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON, with `Content-Type: application/json`, or no body",
            )))
        }
    }
}

/// A query string whose rejections answer as API errors.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(ApiQuery(value))
    }
}

/// Path parameters whose rejections (a segment that is not UTF-8 once decoded) answer as API
/// errors.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(value) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(ApiPath(value))
    }
}

/// A text body (a CSV export, a framework file) whose rejections answer as API errors.
#[derive(Debug)]
pub struct ApiText(pub String);

impl<S: Send + Sync> FromRequest<S> for ApiText {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiText(String::from_request(request, state).await?))
    }
}

/// A JSON answer, serialized once, straight from the value a handler built (not through a
/// `serde_json::Value` copy of it first).
#[derive(Debug)]
pub struct Json(Vec<u8>);

impl axum::response::IntoResponse for Json {
    fn into_response(self) -> axum::response::Response {
        use axum::http::header::{CONTENT_TYPE, HeaderValue};
        ([(CONTENT_TYPE, HeaderValue::from_static("application/json"))], self.0).into_response()
    }
}

/// Serializes a value for a response.
pub fn json(value: impl serde::Serialize) -> Result<Json, ApiError> {
    serde_json::to_vec(&value).map(Json).map_err(|error| {
        ApiError(crate::error::WebError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("cannot write the response: {error}"),
        ))
    })
}

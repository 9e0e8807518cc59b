//! One error type for the web edge, rendered as JSON for the API and as a page for people.
//! Each kind maps to one status code; a 500 logs the whole chain and shows none of it.

use askama::Template;
use axum::extract::rejection::{
    FormRejection, JsonRejection, PathRejection, QueryRejection, StringRejection,
};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use rungs_app::AppError;
use rungs_core::assess::AssessError;

use crate::layout::Layout;

/// What went wrong, with the status code it answers with.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    /// A stable, machine-readable code such as `not_found`.
    pub code: &'static str,
    pub message: String,
    /// The input field the problem is about, when there is one.
    pub field: Option<String>,
}

impl WebError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> WebError {
        WebError { status, code, message: message.into(), field: None }
    }

    pub fn not_found(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// A malformed request, about `field` (a query parameter, a header): 400.
    pub fn bad_request(field: &str, message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }

    /// The sentence a page shows for a refused form: the field, the problem, and what became
    /// of the input, such as "Nothing was saved."
    pub fn refusal(&self, outcome: &str) -> String {
        match &self.field {
            Some(field) => format!("{field}: {}. {outcome}", self.message),
            None => format!("{}. {outcome}", self.message),
        }
    }

    pub(crate) fn internal(error: &dyn std::error::Error) -> WebError {
        let mut chain = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        tracing::error!(error = %chain, "internal error");
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on our side; it has been logged",
        )
    }
}

impl From<AppError> for WebError {
    fn from(error: AppError) -> WebError {
        match &error {
            AppError::NotFound { .. } => WebError::not_found(error.to_string()),
            AppError::Rule(rule) => {
                let conflict = matches!(
                    rule,
                    AssessError::Submitted { .. }
                        | AssessError::CycleClosed { .. }
                        | AssessError::Superseded { .. }
                        | AssessError::AlreadyAssessed { .. }
                        | AssessError::ReplacingAgreed(_)
                );
                if conflict {
                    WebError::new(StatusCode::CONFLICT, "conflict", error.to_string())
                } else {
                    WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", error.to_string())
                }
            }
            AppError::Nomination(refusal) => {
                use rungs_core::assess::NominationError;
                match refusal {
                    NominationError::MayNotNominate { .. }
                    | NominationError::MayNotDecide { .. }
                    | NominationError::MayNotDecline { .. }
                    | NominationError::MayNotWithdraw { .. } => {
                        WebError::new(StatusCode::FORBIDDEN, "forbidden", error.to_string())
                    }
                    NominationError::ReasonMissing | NominationError::Reason(_) => {
                        WebError::invalid("reason", error.to_string())
                    }
                    NominationError::NotProposed { .. }
                    | NominationError::AlreadySubmitted { .. }
                    | NominationError::AlreadyNominated { .. }
                    | NominationError::AlreadyDeclined { .. } => {
                        WebError::new(StatusCode::CONFLICT, "conflict", error.to_string())
                    }
                    _ => WebError::invalid("peer", error.to_string()),
                }
            }
            AppError::Plan(_) | AppError::Bundle { .. } => {
                WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", error.to_string())
            }
            AppError::Invalid { field, message } => WebError::invalid(field, message.clone()),
            AppError::Conflict(message) => {
                WebError::new(StatusCode::CONFLICT, "conflict", message.clone())
            }
            AppError::Cycle(_) => {
                WebError::new(StatusCode::CONFLICT, "conflict", error.to_string())
            }
            AppError::SignIn(rungs_app::SignInRefusal::Throttled { .. }) => {
                WebError::new(StatusCode::TOO_MANY_REQUESTS, "throttled", error.to_string())
            }
            AppError::SignIn(_) => {
                WebError::new(StatusCode::UNAUTHORIZED, "sign_in_refused", error.to_string())
            }
            AppError::Framework(_) | AppError::Store(_) | AppError::Secret(_) => {
                WebError::internal(&error)
            }
        }
    }
}

macro_rules! from_rejection {
    ($($rejection:ty),*) => {
        $(impl From<$rejection> for WebError {
            fn from(rejection: $rejection) -> WebError {
                let status = rejection.status();
                let code = match status {
                    StatusCode::PAYLOAD_TOO_LARGE => "too_large",
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                    StatusCode::NOT_FOUND => "not_found",
                    _ => "bad_request",
                };
                // Rejections are about the request, never the server: a 4xx, always.
                let status = if status.is_client_error() { status } else { StatusCode::BAD_REQUEST };
                WebError::new(status, code, rejection.body_text())
            }
        })*
    };
}

from_rejection!(JsonRejection, QueryRejection, PathRejection, FormRejection, StringRejection);

/// An error answered as `{"error": {"code", "message", "field"}}`.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(error: E) -> ApiError {
        ApiError(error.into())
    }
}

/// The body of every API error.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// `bad_request`, `unauthenticated`, `sign_in_refused`, `csrf`, `forbidden`, `not_found`,
    /// `method_not_allowed`, `conflict`, `too_large`, `unsupported_media_type`, `invalid`,
    /// `throttled` or `internal`.
    pub code: String,
    pub message: String,
    /// The input field the problem is about.
    pub field: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.0;
        let body = ErrorBody {
            error: ErrorDetail {
                code: error.code.to_owned(),
                message: error.message,
                field: error.field,
            },
        };
        (error.status, axum::Json(body)).into_response()
    }
}

/// An error answered as a page.
#[derive(Debug)]
pub struct PageError(pub WebError);

impl<E: Into<WebError>> From<E> for PageError {
    fn from(error: E) -> PageError {
        PageError(error.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    title: &'a str,
    message: &'a str,
    status: u16,
}

/// What an error page said, kept on its response so that the request's guard, which knows
/// who is asking, can frame it with their navigation ([`frame_error_page`]).
#[derive(Debug, Clone)]
struct ShownError {
    status: StatusCode,
    message: String,
}

fn error_page(status: StatusCode, message: &str, layout: Layout) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    let page = ErrorPage { layout, title, message, status: status.as_u16() };
    let mut response = match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_owned()).into_response(),
    };
    response.extensions_mut().insert(ShownError { status, message: message.to_owned() });
    response
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        // The frame without navigation; the guard adds the viewer's.
        error_page(self.0.status, &self.0.message, Layout::default())
    }
}

/// Renders an error page in `response` again in `layout`, the viewer's frame, so that an
/// error page keeps the navigation. Other responses pass unchanged; headers set on the error
/// response (such as `Allow`) are kept.
pub fn frame_error_page(response: Response, layout: Layout) -> Response {
    let Some(shown) = response.extensions().get::<ShownError>().cloned() else {
        return response;
    };
    let signed_in = layout.user.is_some();
    let (mut parts, _) = response.into_parts();
    let framed = error_page(shown.status, &shown.message, layout);
    let (framed_parts, body) = framed.into_parts();
    parts.headers.extend(framed_parts.headers);
    if signed_in {
        // The frame names the viewer and carries their form token: no shared cache keeps it.
        parts.headers.insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    Response::from_parts(parts, body)
}

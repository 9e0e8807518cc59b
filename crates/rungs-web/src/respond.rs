//! Answers every kind of handler gives: a redirect after a form, and URL-encoded path segments.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// After a form post: back to a page (303, so a reload does not post again).
pub fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, Redirect::to(location)).into_response()
}

/// A value for a URL path segment.
pub fn encode(segment: &str) -> String {
    let mut encoded = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

//! Server-rendered pages. Each works without JavaScript; `static/app.js` only adds comfort.

pub mod account;
pub mod accounts;
pub mod acknowledge;
pub mod admin;
pub mod assessment;
pub mod confirm;
pub mod cycles;
pub mod import_mappings;
pub mod ladder;
pub mod level_options;
pub mod mail;
pub mod org;
pub mod org_import;
pub mod outcome_view;
pub mod peers;
pub mod people_search;
pub mod person;
pub mod tasks;

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::{PageError, WebError};
pub use crate::layout::Layout;
pub use crate::respond::{encode, see_other};

impl Layout {
    /// The frame for the viewer of `state`.
    pub fn of(state: &crate::state::WebState) -> Layout {
        Layout::for_viewer(state.demo, state.viewer.as_deref())
    }
}

/// Renders `page` as an HTML response into a buffer of `capacity` bytes. A page that outgrows
/// its buffer is copied each time the buffer doubles; askama's own estimate (what
/// `askama_web` starts from) counts only the template's literal text, so a busy page such as a
/// person's was copied four or five times per request.
pub fn render_html(page: &impl askama::Template, capacity: usize) -> Response {
    let mut html = String::with_capacity(capacity);
    match page.render_into(&mut html) {
        Ok(()) => axum::response::Html(html).into_response(),
        Err(error) => PageError(WebError::internal(&error)).into_response(),
    }
}

pub async fn health() -> &'static str {
    "ok"
}

pub async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/style.css"),
    )
        .into_response()
}

pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.js"),
    )
        .into_response()
}

pub async fn not_found(
    axum::extract::State(state): axum::extract::State<crate::state::WebState>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> Response {
    if uri.path().starts_with("/scim/") {
        crate::scim::error::missing(uri.path())
    } else if uri.path().starts_with("/api/") {
        crate::error::ApiError(WebError::not_found(format!("there is no endpoint {}", uri.path())))
            .into_response()
    } else {
        let missing = PageError(WebError::not_found(format!("there is no page {}", uri.path())));
        crate::auth::framed_for(&state, &headers, missing.into_response()).await
    }
}

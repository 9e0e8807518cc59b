//! Server-rendered pages. Each works without JavaScript; `static/app.js` only adds comfort.

pub mod account;
pub mod accounts;
pub mod admin;
pub mod assessment;
pub mod confirm;
pub mod ladder;
pub mod level_options;
pub mod org;
pub mod person;

use axum::http::header;
use axum::response::{IntoResponse, Response};

use rungs_core::access::Role;

use crate::error::{PageError, WebError};
pub use crate::respond::{encode, see_other};
use crate::state::WebState;

/// What every page's frame needs: whether this is a demo, who is signed in (and what the
/// navigation may offer them), and the CSRF token every form carries.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub demo: bool,
    /// The signed-in account's email.
    pub user: Option<String>,
    /// Their own person page, when their email matches someone in the org.
    pub me: Option<String>,
    pub csrf: String,
    /// `hr` and `admin` see the org and the admin pages.
    pub sees_org: bool,
    pub admin: bool,
    /// The viewer has direct reports: the navigation links to their team.
    pub manages: bool,
}

impl Layout {
    pub fn of(state: &WebState) -> Layout {
        let viewer = state.viewer.as_deref();
        let role = viewer.map(|viewer| viewer.principal.role);
        Layout {
            demo: state.demo,
            user: viewer.map(|viewer| viewer.principal.name.clone()),
            me: viewer.and_then(|viewer| viewer.principal.person.as_ref().map(ToString::to_string)),
            csrf: viewer.and_then(|viewer| viewer.csrf_token.clone()).unwrap_or_default(),
            sees_org: role.is_some_and(Role::sees_everyone),
            admin: role == Some(Role::Admin),
            manages: viewer.is_some_and(|viewer| viewer.manages),
        }
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

pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        crate::error::ApiError(WebError::not_found(format!("there is no endpoint {}", uri.path())))
            .into_response()
    } else {
        PageError(WebError::not_found(format!("there is no page {}", uri.path()))).into_response()
    }
}

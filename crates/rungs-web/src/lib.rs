//! The Rungs web app and JSON API: server-rendered pages that work without JavaScript, SVG
//! charts, a JSON API under `/api/v1` with an OpenAPI document generated from the handlers.
//! Handlers are thin: they parse the request, call a `rungs-app` use case, and render.

mod api;
mod auth;
mod charts;
mod error;
mod escape;
mod openapi;
mod pages;
mod routes;
mod server;
mod state;

pub use auth::oidc::{OidcConfig, OidcConfigError};
pub use error::{ApiError, PageError};
pub use openapi::openapi;
pub use routes::{Access, BODY_LIMIT, ROUTES, Route, router};
pub use server::{Server, serve, shutdown_signal};
pub use state::WebState;

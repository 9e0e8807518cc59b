//! The Rungs web app and JSON API: server-rendered pages that work without JavaScript, SVG
//! charts, a JSON API under `/api/v1` with an OpenAPI document generated from the handlers.
//! Handlers are thin: they parse the request, call a `rungs-app` use case, and render.

mod api;
mod auth;
mod charts;
mod error;
mod escape;
mod layout;
mod oidc_config;
mod openapi;
mod pages;
mod respond;
mod route;
mod routes;
mod scim;
mod server;
mod state;
mod viewer;

pub use error::{ApiError, PageError};
pub use oidc_config::{OidcConfig, OidcConfigError};
pub use openapi::openapi;
pub use route::{Access, BODY_LIMIT, ROUTES, Route};
pub use routes::router;
pub use server::{Server, serve, shutdown_signal};
pub use state::WebState;

//! The signed-in viewer of a request, and `Acting`: the app state acting as them, which
//! handlers take instead of the bare state so that every write is audited under their name.

use std::sync::Arc;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use rungs_core::access::Principal;

use crate::state::WebState;

/// How the viewer proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A session cookie, whose value signing out ends.
    Session { token: String },
    /// An API token in a bearer header.
    Token,
}

/// The principal of a request that the guard let through.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub principal: Principal,
    /// The CSRF token forms must carry (sessions only).
    pub csrf_token: Option<String>,
    pub via: Via,
    /// The org version read with the session (sessions only): the guard decides by the org
    /// chart at least that new without reading the version again.
    pub org_version: Option<i64>,
}

/// The app state for this request: its app writes as the viewer, and pages show who they are.
#[derive(Debug, Clone)]
pub struct Acting(pub WebState);

impl FromRequestParts<WebState> for Acting {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Acting, Self::Rejection> {
        let State(mut state) = State::<WebState>::from_request_parts(parts, state).await?;
        match parts.extensions.get::<Arc<Viewer>>() {
            Some(viewer) => {
                state.app = state.app.acting_as(&viewer.principal.name);
                state.viewer = Some(Arc::clone(viewer));
            }
            // Signing in, the first-run set-up: written in nobody's name yet.
            None => state.app = state.app.acting_as("anonymous"),
        }
        Ok(Acting(state))
    }
}

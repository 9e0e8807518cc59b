//! `Acting`: the app state acting as the request's viewer, which handlers take instead of the
//! bare state so that every write is audited under their name.

use std::sync::Arc;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;

use crate::state::WebState;
use crate::viewer::Viewer;

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
                // A person reading their own records sees peer feedback as the framework
                // allows.
                state.app = state
                    .app
                    .acting_as(&viewer.principal.name)
                    .read_by(viewer.principal.person.as_ref());
                state.viewer = Some(Arc::clone(viewer));
            }
            // Signing in, the first-run set-up: written in nobody's name yet.
            None => state.app = state.app.acting_as("anonymous"),
        }
        Ok(Acting(state))
    }
}

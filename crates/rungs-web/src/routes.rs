//! The router: every route of the table in `route.rs` with its handler, behind the guard.

use axum::Router;
use axum::extract::DefaultBodyLimit;

use crate::route::{BODY_LIMIT, every_route};
use crate::{WebState, api, auth, openapi, pages, scim};

macro_rules! route_handlers {
    ($($method:ident $path:literal => $handler:path, $owner:ident;)*) => {
        fn table(router: Router<WebState>) -> Router<WebState> {
            router $(.route($path, axum::routing::$method($handler)))*
        }
    };
}
every_route!(route_handlers);

/// The whole app: pages, API, static files.
pub fn router(state: WebState) -> Router {
    table(Router::new())
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), auth::guard))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

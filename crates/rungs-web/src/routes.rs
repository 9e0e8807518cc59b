//! Every route the app serves, in one table: the router is built from it, the OpenAPI test
//! checks the API part of it against the document, and access rules (accounts and roles) key
//! on each route's owner.

use axum::Router;
use axum::extract::DefaultBodyLimit;

use crate::{WebState, api, pages};

/// Whose data a route shows or changes: what an access rule checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// Nobody's: health checks, static files, the API document.
    Nobody,
    /// The ladder: everyone may read it.
    Ladder,
    /// The person named by the path's `{id}`.
    Person,
    /// The subject (and the assessor) of the assessment `{id}`.
    Assessment,
    /// The subject of the growth plan the action `{id}` belongs to.
    Action,
    /// The whole org: its shape, cycles, imports and frameworks.
    Org,
}

/// One route: method, path (axum syntax, `{id}` for parameters) and owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub owner: Owner,
}

/// The largest request body accepted: a framework file or an org CSV of about 100,000 people.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

macro_rules! route_table {
    ($($method:ident $path:literal => $handler:path, $owner:ident;)*) => {
        /// Every route the app serves.
        pub const ROUTES: &[Route] = &[
            $(Route { method: stringify!($method), path: $path, owner: Owner::$owner },)*
        ];

        fn table(router: Router<WebState>) -> Router<WebState> {
            router $(.route($path, axum::routing::$method($handler)))*
        }
    };
}

route_table! {
    get "/healthz" => pages::health, Nobody;
    get "/static/style.css" => pages::style, Nobody;
    get "/static/app.js" => pages::script, Nobody;
    get "/api/openapi.json" => crate::openapi::document, Nobody;

    get "/" => pages::ladder::home, Ladder;
    get "/levels/{id}" => pages::ladder::level, Ladder;
    get "/compare" => pages::ladder::compare, Ladder;
    get "/growth-areas/{id}" => pages::ladder::growth_area, Ladder;

    get "/people" => pages::person::find, Nobody;
    get "/people/{id}" => pages::person::show, Person;
    get "/people/{id}/compare" => pages::assessment::side_by_side, Person;
    post "/people/{id}/assessments" => pages::assessment::create, Person;
    post "/people/{id}/plan" => pages::person::create_plan, Person;
    post "/people/{id}/plan/actions" => pages::person::add_action, Person;
    get "/team/{id}" => pages::org::team, Person;
    get "/assessments/{id}" => pages::assessment::show, Assessment;
    post "/assessments/{id}" => pages::assessment::save, Assessment;
    post "/assessments/{id}/agree" => pages::assessment::agree, Assessment;
    post "/actions/{id}/status" => pages::person::action_status, Action;

    get "/org" => pages::org::tree, Org;
    get "/admin" => pages::admin::show, Org;
    post "/admin/cycles" => pages::admin::open_cycle, Org;
    post "/admin/cycles/{name}/close" => pages::admin::close_cycle, Org;
    post "/admin/org" => pages::admin::import_org, Org;
    post "/admin/framework" => pages::admin::use_framework, Org;

    get "/api/v1/framework" => api::framework::show, Ladder;
    post "/api/v1/framework" => api::framework::activate, Org;
    get "/api/v1/levels/{id}" => api::framework::level, Ladder;
    get "/api/v1/compare" => api::framework::compare, Ladder;
    get "/api/v1/growth-areas/{id}" => api::framework::growth_area, Ladder;

    get "/api/v1/people/{id}" => api::people::show, Person;
    get "/api/v1/people/{id}/readiness" => api::people::readiness, Person;
    get "/api/v1/people/{id}/history" => api::people::history, Person;
    get "/api/v1/people/{id}/team" => api::people::team, Person;
    get "/api/v1/people/{id}/compare" => api::people::side_by_side, Person;
    get "/api/v1/people/{id}/plan" => api::people::plan, Person;
    post "/api/v1/people/{id}/plan" => api::people::create_plan, Person;
    post "/api/v1/people/{id}/plan/focus" => api::people::add_focus, Person;
    post "/api/v1/people/{id}/plan/actions" => api::people::add_action, Person;
    post "/api/v1/actions/{id}/status" => api::people::action_status, Action;

    get "/api/v1/cycles" => api::assessments::cycles, Org;
    post "/api/v1/cycles" => api::assessments::open_cycle, Org;
    post "/api/v1/cycles/{name}/close" => api::assessments::close_cycle, Org;
    get "/api/v1/assessments" => api::assessments::list, Org;
    post "/api/v1/assessments" => api::assessments::create, Person;
    get "/api/v1/assessments/{id}" => api::assessments::show, Assessment;
    post "/api/v1/assessments/{id}/ratings" => api::assessments::rate, Assessment;
    post "/api/v1/assessments/{id}/evidence" => api::assessments::evidence, Assessment;
    post "/api/v1/assessments/{id}/submit" => api::assessments::submit, Assessment;
    post "/api/v1/assessments/{id}/revise" => api::assessments::revise, Assessment;
    post "/api/v1/assessments/{id}/agree" => api::assessments::agree, Assessment;

    get "/api/v1/org/stats" => api::org::stats, Org;
    get "/api/v1/org/check" => api::org::check, Org;
    post "/api/v1/org/import" => api::org::import, Org;
}

/// The whole app: pages, API, static files.
pub fn router(state: WebState) -> Router {
    table(Router::new())
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

//! The OpenAPI 3 document, generated from the handlers' annotations and served at
//! `/api/openapi.json`. `errors` adds the error statuses every operation can answer.

mod errors;

use errors::ErrorResponses;

use axum::Json;
use utoipa::OpenApi;

use crate::api;
use crate::error::{ErrorBody, ErrorDetail};

#[derive(OpenApi)]
#[openapi(
    info(title = "Rungs", description = "An executable engineering career ladder: the ladder, people, assessments, readiness, growth plans and org-design checks."),
    paths(
        api::framework::show, api::framework::activate, api::framework::level, api::framework::compare,
        api::framework::growth_area,
        api::people::search, api::people::show, api::people::readiness, api::people::history, api::people::team,
        api::people::side_by_side, api::people::plan, api::people::create_plan, api::people::add_focus,
        api::people::add_action, api::people::action_status,
        api::outcomes::outcomes, api::outcomes::acknowledge,
        api::nominations::list, api::nominations::nominate, api::nominations::decide,
        api::nominations::decline, api::nominations::withdraw,
        api::cycles::cycles, api::cycles::open_cycle, api::cycles::show, api::cycles::replan,
        api::cycles::participants, api::cycles::progress, api::cycles::close_cycle,
        api::cycles::my_tasks,
        api::assessments::list, api::assessments::create, api::assessments::show, api::assessments::rate,
        api::assessments::evidence, api::assessments::submit, api::assessments::revise, api::assessments::agree,
        api::org::stats, api::org::check, api::org::import,
        api::org_mappings::list, api::org_mappings::show, api::org_mappings::save, api::org_mappings::remove,
        api::account::me, api::account::audit,
    ),
    modifiers(&BearerToken, &ErrorResponses),
    security(("bearer" = [])),
    components(schemas(ErrorBody, ErrorDetail)),
    tags(
        (name = "ladder", description = "The career framework"),
        (name = "people", description = "A person and where they stand"),
        (name = "plans", description = "Growth plans"),
        (name = "cycles", description = "Assessment cycles"),
        (name = "assessments", description = "Assessments, ratings, evidence and agreed ratings"),
        (name = "org", description = "The org chart"),
        (name = "admin", description = "Frameworks"),
        (name = "accounts", description = "Who is asking, and the audit log"),
    )
)]
struct ApiDoc;

/// API calls authenticate with a token from `rungs token create`, sent as a bearer header.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from `rungs token create`; a signed-in browser session works too (state-changing calls then need the `X-CSRF-Token` header)."))
                    .build(),
            ),
        );
    }
}

/// The document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}

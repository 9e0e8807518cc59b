//! The error responses an operation can answer besides its handler's own, added to the
//! document from the route table: what the guard answers for the route's `Access` and method,
//! and what the extractors answer for the parameters and body the operation declares. Each
//! comes with the one error shape, `ErrorBody`.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::Ref;
use utoipa::openapi::{ContentBuilder, RefOr, Response, ResponseBuilder};

use crate::routes::{Access, BODY_LIMIT, ROUTES, Route};

/// Adds, to every API operation, each status its route can answer with why; a status the
/// handler documents already keeps its words, with these added.
pub struct ErrorResponses;

impl utoipa::Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for route in ROUTES.iter().filter(|route| route.path.starts_with("/api/v1/")) {
            let Some(item) = openapi.paths.paths.get_mut(route.path) else { continue };
            let operation = match route.method {
                "get" => item.get.as_mut(),
                "post" => item.post.as_mut(),
                _ => None,
            };
            let Some(operation) = operation else { continue };
            for (status, reasons) in statuses(route, operation) {
                let reasons = reasons.join("; ");
                let responses = &mut operation.responses.responses;
                match responses.get_mut(&status.to_string()) {
                    Some(RefOr::T(response)) => {
                        response.description = format!("{}; {reasons}", response.description);
                    }
                    Some(RefOr::Ref(_)) => {}
                    None => {
                        responses.insert(status.to_string(), RefOr::T(error_response(&reasons)));
                    }
                }
            }
        }
    }
}

fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
        )
        .build()
}

/// Each status `route` can answer whatever its handler does, with the reasons.
fn statuses(route: &Route, operation: &Operation) -> Vec<(u16, Vec<String>)> {
    let mut statuses: Vec<(u16, Vec<String>)> = Vec::new();
    let mut add = |status: u16, reason: &str| match statuses.iter_mut().find(|(s, _)| *s == status)
    {
        Some((_, reasons)) => reasons.push(reason.to_owned()),
        None => statuses.push((status, vec![reason.to_owned()])),
    };
    let signed_in = route.access != Access::Public;
    if signed_in {
        add(400, "An `Authorization` header that is not `Bearer TOKEN`");
        add(401, "Not signed in: no session and no API token, or an unknown or revoked token");
    }
    let parameters = operation.parameters.iter().flatten();
    if parameters.clone().any(|parameter| parameter.parameter_in == ParameterIn::Query) {
        add(400, "A required query parameter missing, or one of the wrong type or out of range");
    }
    if parameters.clone().any(|parameter| parameter.parameter_in == ParameterIn::Path) {
        add(400, "A path segment that is not UTF-8 once decoded");
    }
    match route.access {
        Access::Public | Access::SignedIn => {}
        Access::Person | Access::Action => add(404, "Or one the caller may not see"),
        Access::ReadAssessment | Access::WriteAssessment | Access::AgreeAssessment => {
            add(404, "Or one the caller may not see");
        }
        Access::Org => add(404, "The caller is not `hr` or `admin` (denial looks like absence)"),
        Access::Admin => add(404, "The caller is not `admin` (denial looks like absence)"),
    }
    match route.access {
        Access::WriteAssessment => {
            add(403, "The caller may see the assessment but did not write it")
        }
        Access::AgreeAssessment => add(
            403,
            "The caller may see the assessment but neither wrote it nor manages its subject",
        ),
        _ => {}
    }
    if route.method == "post" {
        add(403, "A session cookie without its CSRF token, or a cross-site request");
        // Every write is re-checked by guards in its SQL, so a racing change can refuse it.
        add(409, "A concurrent change made this one impossible; nothing was written");
    }
    if let Some(body) = &operation.request_body {
        let limit = format!("A body over {} MB", BODY_LIMIT / (1024 * 1024));
        add(413, &limit);
        if body.content.contains_key("application/json") {
            add(400, "A body that is not JSON");
            add(415, "A body without `Content-Type: application/json`");
            add(422, "Wrong types, missing or unknown fields in the body");
        } else {
            add(400, "A body that is not UTF-8 text");
        }
    }
    if signed_in {
        add(500, "A broken server; the details are in its log");
    }
    statuses.sort_by_key(|(status, _)| *status);
    statuses
}

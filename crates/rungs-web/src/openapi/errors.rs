//! The error responses an operation can answer besides its handler's own, added to the
//! document from the route table: what the guard answers for the route's `Access` and method,
//! and what the extractors answer for the parameters and body the operation declares. Each
//! comes with the one error shape, `ErrorBody`.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::Ref;
use utoipa::openapi::{ContentBuilder, RefOr, Response, ResponseBuilder};

use crate::route::{Access, BODY_LIMIT, ROUTES, Route};

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
                "put" => item.put.as_mut(),
                "patch" => item.patch.as_mut(),
                "delete" => item.delete.as_mut(),
                _ => None,
            };
            let Some(operation) = operation else { continue };
            for (status, reasons) in statuses(route, operation) {
                let responses = &mut operation.responses.responses;
                match responses.get_mut(&status.to_string()) {
                    Some(RefOr::T(response)) => {
                        let mut words = vec![response.description.as_str()];
                        words.extend(reasons.iter().map(|reason| reason.also.as_str()));
                        response.description = words.join("; ");
                    }
                    Some(RefOr::Ref(_)) => {}
                    None => {
                        let mut words: Vec<&str> =
                            reasons.iter().map(|reason| reason.also.as_str()).collect();
                        if let (Some(first), Some(reason)) = (words.first_mut(), reasons.first()) {
                            *first = reason.alone.as_str();
                        }
                        let response = error_response(&words.join("; "));
                        responses.insert(status.to_string(), RefOr::T(response));
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

/// Why a status is answered: as a description of its own, and as words added to others.
struct Reason {
    alone: String,
    also: String,
}

impl Reason {
    /// A reason whose added words are its own, from a small letter.
    fn new(alone: &str) -> Reason {
        let mut chars = alone.chars();
        let also = chars
            .next()
            .map(|first| first.to_lowercase().chain(chars).collect())
            .unwrap_or_default();
        Reason { alone: alone.to_owned(), also }
    }

    /// A 404 for a record the caller may not see, which reads as a missing one.
    fn hidden(what: &str) -> Reason {
        Reason {
            alone: format!("No such {what}, or one the caller may not see"),
            also: "also for one the caller may not see (denial looks like absence)".to_owned(),
        }
    }
}

/// Statuses with their reasons, in the order first added.
#[derive(Default)]
struct Statuses(Vec<(u16, Vec<Reason>)>);

impl Statuses {
    fn push(&mut self, status: u16, reason: Reason) {
        match self.0.iter_mut().find(|(known, _)| *known == status) {
            Some((_, reasons)) => reasons.push(reason),
            None => self.0.push((status, vec![reason])),
        }
    }

    fn add(&mut self, status: u16, reason: &str) {
        self.push(status, Reason::new(reason));
    }
}

/// Each status `route` can answer whatever its handler does, with the reasons.
fn statuses(route: &Route, operation: &Operation) -> Vec<(u16, Vec<Reason>)> {
    let mut statuses = Statuses::default();
    let signed_in = route.access != Access::Public;
    if signed_in {
        statuses.add(400, "An `Authorization` header that is not `Bearer TOKEN`");
        statuses
            .add(401, "Not signed in: no session and no API token, or an unknown or revoked token");
    }
    let parameters = operation.parameters.iter().flatten();
    if parameters.clone().any(|parameter| parameter.parameter_in == ParameterIn::Query) {
        statuses.add(
            400,
            "A required query parameter missing, or one of the wrong type or out of range",
        );
    }
    if parameters.clone().any(|parameter| parameter.parameter_in == ParameterIn::Path) {
        statuses.add(400, "A path segment that is not UTF-8 once decoded");
    }
    match route.access {
        Access::Public | Access::SignedIn => {}
        Access::Person | Access::Acknowledge => statuses.push(404, Reason::hidden("person")),
        Access::Action => statuses.push(404, Reason::hidden("action")),
        Access::ReadAssessment | Access::WriteAssessment | Access::AgreeAssessment => {
            statuses.push(404, Reason::hidden("assessment"));
        }
        Access::Org => {
            statuses.add(404, "The caller is not `hr` or `admin` (denial looks like absence)");
        }
        Access::Admin => statuses.add(404, "The caller is not `admin` (denial looks like absence)"),
        // SCIM's routes are outside `/api/v1`: their document is SCIM's discovery endpoints.
        Access::Directory => {}
    }
    match route.access {
        Access::WriteAssessment => {
            statuses.add(403, "The caller may see the assessment but did not write it");
        }
        Access::AgreeAssessment => statuses.add(
            403,
            "The caller may see the assessment but neither wrote it nor manages its subject",
        ),
        Access::Acknowledge => statuses.add(
            403,
            "The caller may see the person but is not them: only the person acknowledges",
        ),
        _ => {}
    }
    if route.method != "get" {
        statuses.add(403, "A session cookie without its CSRF token, or a cross-site request");
        // Every write is re-checked by guards in its SQL, so a racing change can refuse it.
        statuses.add(409, "A concurrent change made this one impossible; nothing was written");
    }
    if let Some(body) = &operation.request_body {
        statuses.add(413, &format!("A body over {} MB", BODY_LIMIT / (1024 * 1024)));
        if body.content.contains_key("application/json") {
            statuses.add(400, "A body that is not JSON");
            statuses.add(415, "A body without `Content-Type: application/json`");
            statuses.add(422, "Wrong types, missing or unknown fields in the body");
        } else {
            statuses.add(400, "A body that is not UTF-8 text");
        }
    }
    if signed_in {
        statuses.add(500, "A broken server; the details are in its log");
    }
    let mut statuses = statuses.0;
    statuses.sort_by_key(|(status, _)| *status);
    statuses
}

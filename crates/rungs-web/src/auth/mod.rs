//! Who is asking and whether they may: the one guard every route goes through. It finds the
//! principal (a session cookie or a bearer token), checks the CSRF token of state-changing
//! requests made with a cookie, gathers the facts the route's access rule needs, and asks
//! `rungs_core::access::decide`. Denied data answers 404 like a missing record.

mod acting;
pub mod cookies;
pub mod oidc;
mod sign_in;

use std::net::SocketAddr;

use axum::RequestExt;
use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rungs_core::access::{Decision, decide};

pub use crate::viewer::{Via, Viewer};
pub use acting::Acting;
pub use sign_in::{safe_next, signed_in};

use crate::error::{ApiError, PageError, WebError, frame_error_page};
use crate::layout::Layout;
use crate::respond::{encode, see_other};
use crate::route::{BODY_LIMIT, ROUTES, Route};
use crate::state::WebState;

/// The field, header and query parameter that carry the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The answer to a request that may not go on.
fn refuse(route: &Route, error: WebError) -> Response {
    if route.is_scim() {
        crate::scim::error::ScimError::from(error).into_response()
    } else if route.is_api() {
        ApiError(error).into_response()
    } else {
        PageError(error).into_response()
    }
}

/// The message of a hidden record: the same words a missing one gets.
fn hidden(route: &Route, id: Option<&str>, path: &str) -> WebError {
    use crate::route::Access;
    let what = match route.access {
        Access::Action => "action",
        Access::Person | Access::Acknowledge => "person",
        Access::ReadAssessment | Access::WriteAssessment | Access::AgreeAssessment => "assessment",
        _ => "",
    };
    match (what, id) {
        ("", _) | (_, None) => WebError::not_found(if route.is_api() || route.is_scim() {
            format!("there is no endpoint {path}")
        } else {
            format!("there is no page {path}")
        }),
        (what, Some(id)) => WebError::not_found(format!("there is no {what} `{id}`")),
    }
}

/// The client's address, for throttling sign-ins: the connection's, or, behind a reverse
/// proxy the server was told to trust, the address the proxy appended to `X-Forwarded-For`
/// (the last one: those before it are whatever the client claimed).
pub fn client_address(state: &WebState, connect: SocketAddr, headers: &HeaderMap) -> String {
    if state.trust_proxy {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|hop| hop.trim().parse::<std::net::IpAddr>().ok())
            .next_back();
        if let Some(address) = forwarded {
            return address.to_string();
        }
    }
    connect.ip().to_string()
}

/// Who a request acts for: a bearer token, else a session cookie. `Err` when a bearer
/// token was sent but is unknown or revoked.
async fn identify(state: &WebState, headers: &HeaderMap) -> Result<Option<Viewer>, WebError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = bearer_token(value)?;
        return match state.app.token_principal(token).await? {
            Some(principal) => Ok(Some(Viewer {
                principal,
                csrf_token: None,
                via: Via::Token,
                org_version: None,
                manages: false,
            })),
            None => Err(WebError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "the API token is unknown or was revoked",
            )),
        };
    }
    let Some(token) = cookies::session_token(headers) else { return Ok(None) };
    let Some(session) = state.app.session(&token).await? else { return Ok(None) };
    let manages = match &session.principal.person {
        Some(person) => state.app.org_at(session.org_version).await?.has_reports(person.as_str()),
        None => false,
    };
    Ok(Some(Viewer {
        principal: session.principal,
        csrf_token: Some(session.csrf_token),
        via: Via::Session { token },
        org_version: Some(session.org_version),
        manages,
    }))
}

/// The token of an `Authorization` header. Another scheme (or none) is a token that is not
/// known: 401. A header that is not text, or `Bearer` without a token, is malformed: 400, as
/// RFC 6750 (section 3.1) has it.
fn bearer_token(value: &header::HeaderValue) -> Result<&str, WebError> {
    let malformed =
        || WebError::bad_request("Authorization", "the Authorization header is not `Bearer TOKEN`");
    let text = value.to_str().map_err(|_| malformed())?.trim();
    let (scheme, token) = text.split_once(' ').unwrap_or((text, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Ok("");
    }
    match token.trim() {
        "" => Err(malformed()),
        token => Ok(token),
    }
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The CSRF token a request carries: a header, a query parameter, or a field of a form body.
/// A form body is read here and put back for the handler.
async fn sent_csrf_token(request: Request) -> Result<(Option<String>, Request), WebError> {
    let from_header =
        request.headers().get(CSRF_HEADER).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // Only uploads carry the token in their URL: their body is not read here.
    let from_query = content_type
        .starts_with("multipart/form-data")
        .then(|| request.uri().query())
        .flatten()
        .and_then(|query| {
            form_pairs(query.as_bytes())
                .into_iter()
                .find(|(key, _)| key == CSRF_FIELD)
                .map(|(_, value)| value)
        });
    if let Some(token) = from_header.or(from_query) {
        return Ok((Some(token), request));
    }
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_form {
        return Ok((None, request));
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, BODY_LIMIT).await.map_err(|_| {
        WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "the form is too large")
    })?;
    let token =
        form_pairs(&bytes).into_iter().find(|(key, _)| key == CSRF_FIELD).map(|(_, value)| value);
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes).unwrap_or_default()
}

fn csrf_refusal() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "csrf",
        "the form's security token is missing or out of date; reload the page and try again",
    )
}

/// Whether the browser says the request comes from another site: `Sec-Fetch-Site`, or else an
/// `Origin` whose host is not the one the request was sent to. Scripts send neither.
fn cross_site(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return site == "cross-site";
    }
    match (text("origin"), text("host")) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            origin.split_once("://").is_none_or(|(_, origin_host)| origin_host != host)
        }
        _ => false,
    }
}

/// Constant-time comparison of two tokens.
fn same_token(sent: &str, expected: &str) -> bool {
    sent.len() == expected.len()
        && sent.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The guard: every routed request passes here before its handler.
/// An error page framed with the navigation of whoever sent `headers`: a missing page is
/// missing, not the viewer. A session that cannot be read leaves the page unframed.
pub async fn framed_for(state: &WebState, headers: &HeaderMap, response: Response) -> Response {
    match identify(state, headers).await {
        Ok(viewer) => frame_error_page(response, Layout::for_viewer(state.demo, viewer.as_ref())),
        Err(_) => response,
    }
}

pub async fn guard(
    State(state): State<WebState>,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    // Deny by default: a route without a rule does not exist.
    let matched = matched.as_ref().map(MatchedPath::as_str);
    let Some(route) = matched.and_then(|matched| Route::find(method.as_str(), matched)) else {
        // A path of the API served with other methods: 405, whoever asks (the route table is
        // public, in the OpenAPI document). Pages keep their 404.
        if let Some(matched) = matched.filter(|matched| matched.starts_with("/api/")) {
            return method_not_allowed(&method, matched);
        }
        if let Some(matched) = matched.filter(|matched| matched.starts_with("/scim/")) {
            let refused = crate::scim::error::ScimError::from(WebError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("{matched} does not take {method}"),
            ));
            return refused.into_response();
        }
        let missing = PageError(WebError::not_found(format!("there is no page {path}")));
        return framed_for(&state, request.headers(), missing.into_response()).await;
    };
    let mut request = request;
    let id = match request.extract_parts::<RawPathParams>().await {
        Ok(params) => params.iter().next().map(|(_, value)| value.to_owned()),
        Err(_) => None,
    };
    let viewer = match identify(&state, request.headers()).await {
        Ok(viewer) => viewer,
        Err(error) => return refuse(route, error),
    };
    // Without a session there is no token to check yet; a cross-site post (a sign-in into the
    // attacker's account, say) is refused by what the browser says about where it came from.
    if viewer.is_none() && changes_state(&method) && cross_site(request.headers()) {
        return refuse(route, csrf_refusal());
    }
    if let Some(Viewer { csrf_token: Some(expected), .. }) = &viewer
        && changes_state(&method)
    {
        let (sent, rebuilt) = match sent_csrf_token(request).await {
            Ok(pair) => pair,
            Err(error) => return refuse(route, error),
        };
        request = rebuilt;
        if !sent.is_some_and(|sent| same_token(&sent, expected)) {
            return refuse(route, csrf_refusal());
        }
    }
    let rule = route.access.rule();
    let facts = match &viewer {
        Some(viewer) => {
            // The org version came with the session: one read fewer for this decision. Not for
            // a request that changes state: its body (read above for the CSRF token) may have
            // taken long enough to arrive for an import to commit meanwhile.
            let app = match viewer.org_version {
                Some(version) if !changes_state(&method) => state.app.as_of_org_version(version),
                _ => state.app.clone(),
            };
            match app
                .facts(&viewer.principal, route.access.target(id.as_deref().unwrap_or("")))
                .await
            {
                Ok(facts) => facts,
                Err(error) => return refuse(route, error.into()),
            }
        }
        None => rungs_core::access::Facts::None,
    };
    let viewer = viewer.map(std::sync::Arc::new);
    // An error page keeps the viewer's navigation.
    let framed = |response: Response| match viewer.as_deref() {
        Some(viewer) if !route.is_api() && !route.is_scim() => {
            frame_error_page(response, Layout::for_viewer(state.demo, Some(viewer)))
        }
        _ => response,
    };
    match decide(viewer.as_ref().map(|viewer| &viewer.principal), rule, facts) {
        Decision::Allow => {
            if let Some(viewer) = &viewer {
                request.extensions_mut().insert(std::sync::Arc::clone(viewer));
            }
            let mut response = framed(next.run(request).await);
            if rule != rungs_core::access::Rule::Public {
                // Personal data stays out of shared caches and the browser's history cache.
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
            }
            response
        }
        Decision::SignIn if route.is_scim() => refuse(
            route,
            WebError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "send the directory's API token (role scim) as `Authorization: Bearer TOKEN`",
            ),
        ),
        Decision::SignIn if route.is_api() => {
            let mut response = ApiError(WebError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "sign in, or send an API token as `Authorization: Bearer TOKEN`",
            ))
            .into_response();
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
            response
        }
        Decision::SignIn => {
            let back = match request.uri().path_and_query() {
                Some(target) if method == Method::GET => target.as_str().to_owned(),
                _ => "/".to_owned(),
            };
            see_other(&format!("/sign-in?next={}", encode(&back)))
        }
        Decision::Hidden => framed(refuse(route, hidden(route, id.as_deref(), &path))),
        Decision::Forbidden => framed(refuse(
            route,
            WebError::new(StatusCode::FORBIDDEN, "forbidden", "you may see this but not change it"),
        )),
    }
}

/// 405 for a path the route table serves with other methods, with the error shape and the
/// methods it does serve (`HEAD` with `GET`, as axum serves it).
fn method_not_allowed(method: &Method, path: &str) -> Response {
    let mut methods = std::collections::BTreeSet::new();
    for route in ROUTES.iter().filter(|route| route.path == path) {
        methods.insert(route.method.to_ascii_uppercase());
        if route.method == "get" {
            methods.insert("HEAD".to_owned());
        }
    }
    let allow = methods.into_iter().collect::<Vec<_>>().join(", ");
    let mut response = ApiError(WebError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{path} does not answer {method}; it answers {allow}"),
    ))
    .into_response();
    if let Ok(value) = header::HeaderValue::from_str(&allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

/// Who writes a new assessment of `kind` of `subject` that the viewer creates: themselves,
/// or for a peer assessment the colleague they name (see `rungs_core::access::assessor_for`).
pub async fn assessor_for_viewer(
    state: &WebState,
    subject: &str,
    kind: rungs_core::assess::AssessmentKind,
    requested: Option<&str>,
) -> Result<String, WebError> {
    let missing = || WebError::not_found(format!("there is no person `{subject}`"));
    let viewer = state.viewer.as_deref().ok_or_else(missing)?;
    let relation = state.app.relation(&viewer.principal, subject).await?.ok_or_else(missing)?;
    let subject_id = rungs_core::org::PersonId::parse(subject).map_err(|_| missing())?;
    // A colleague asked for a peer assessment is named by name, email or id, among everyone:
    // the manager asking may not open their page. Only someone who may ask for one searches
    // the whole org; anyone else's text is taken as an id, and `assessor_for` refuses it.
    let may_ask_a_peer = kind == rungs_core::assess::AssessmentKind::Peer
        && (relation.manages || viewer.principal.role.sees_everyone());
    let requested = match requested.map(str::trim).filter(|text| !text.is_empty()) {
        Some(text) if may_ask_a_peer => Some(
            state
                .app
                .resolve_person(
                    &viewer.principal,
                    "assessor",
                    text,
                    rungs_app::SearchScope::Everyone,
                )
                .await?,
        ),
        Some(text) => Some(
            rungs_core::org::PersonId::parse(text)
                .map_err(|error| WebError::invalid("assessor", error.to_string()))?,
        ),
        None => None,
    };
    rungs_core::access::assessor_for(
        &viewer.principal,
        kind,
        &subject_id,
        relation,
        requested.as_ref(),
    )
    .map(|assessor| assessor.to_string())
    .map_err(|message| WebError {
        status: StatusCode::FORBIDDEN,
        code: "forbidden",
        message,
        field: Some("kind".to_owned()),
    })
}

/// The id of the person `typed` (a name, an email or an id) names in `field` (a growth-plan
/// action's owner), when the viewer may see them by the rule that guards `/people/{id}`.
/// Someone unknown and someone the viewer may not see get the same answer, so that people
/// cannot be probed through the field.
pub async fn visible_person(
    state: &WebState,
    field: &str,
    typed: &str,
) -> Result<String, WebError> {
    let unseen = || {
        let shown = rungs_core::text::excerpt(typed.trim());
        WebError::invalid(
            field,
            format!(
                "there is no person “{shown}” you can name here; type a name, an email or an id"
            ),
        )
    };
    let viewer = state.viewer.as_deref().ok_or_else(unseen)?;
    let id = state
        .app
        .resolve_person(&viewer.principal, field, typed, rungs_app::SearchScope::Visible)
        .await?
        .to_string();
    let facts = state.app.facts(&viewer.principal, rungs_app::Target::Person(&id)).await?;
    if matches!(facts, rungs_core::access::Facts::Missing) {
        return Err(unseen());
    }
    match decide(Some(&viewer.principal), rungs_core::access::Rule::Person, facts) {
        Decision::Allow => Ok(id),
        _ => Err(unseen()),
    }
}

/// Whether `principal` may open `assessment`, whose subject they stand to as `relation`: the
/// rule the guard applies to `/assessments/{id}`, for pages and lists that show many.
pub fn may_read_assessment(
    principal: Option<&rungs_core::access::Principal>,
    relation: rungs_core::access::Relation,
    assessment: &rungs_core::assess::Assessment,
    anonymous_peer: bool,
) -> bool {
    use rungs_core::access::{AssessmentFacts, Facts, Rule};
    // Whoever the list is for, the principal is the subject of their own assessments.
    let me = principal.and_then(|principal| principal.person.as_ref());
    let relation = rungs_core::access::Relation {
        is_self: relation.is_self || me == Some(&assessment.subject),
        ..relation
    };
    let facts = Facts::Assessment(AssessmentFacts {
        kind: assessment.kind,
        draft: assessment.status == rungs_core::assess::AssessmentStatus::Draft,
        author: principal.and_then(|principal| principal.person.as_ref())
            == Some(&assessment.assessor),
        subject: relation,
        anonymous_peer,
    });
    decide(principal, Rule::ReadAssessment, facts) == Decision::Allow
}

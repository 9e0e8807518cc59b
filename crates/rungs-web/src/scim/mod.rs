//! Directory sync over SCIM 2.0 (RFC 7643, RFC 7644) under `/scim/v2`: an identity provider
//! (Okta, Microsoft Entra ID, OneLogin) creates, reads, finds, replaces, patches and deletes
//! Users, which are people in the org chart. Only an API token of the role `scim` reaches these
//! endpoints (the guard's rule `Directory`). Each write is a use case of `rungs-app`
//! (`directory.rs`): checked like an import row, audited, one transaction.
//!
//! The protocol's own document is its discovery endpoints (`ServiceProviderConfig`,
//! `ResourceTypes`, `Schemas`), not the OpenAPI document of `/api/v1`.

mod discovery;
pub mod error;
mod filter;
mod patch;
mod user;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rungs_store::DirectoryFilter;
use serde_json::Value;

use error::{SCIM_JSON, ScimError};

use crate::auth::Acting;
use crate::state::WebState;
use discovery::{MAX_RESULTS, SEARCH_SCHEMA, list_response};
use user::{entry_of, projected, user_json};

/// The prefix every SCIM path starts with.
pub const SCIM_PREFIX: &str = "/scim/v2";

/// A SCIM answer: JSON with SCIM's media type.
pub struct ScimJson(StatusCode, Value, Option<String>);

impl IntoResponse for ScimJson {
    fn into_response(self) -> Response {
        let ScimJson(status, body, location) = self;
        let mut response = (status, body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
        if let Some(location) = location.and_then(|location| HeaderValue::from_str(&location).ok())
        {
            headers.insert(header::LOCATION, location);
        }
        response
    }
}

fn ok(body: Value) -> ScimJson {
    ScimJson(StatusCode::OK, body, None)
}

/// Where this service is, as the client reached it: the base of every `location`.
fn base_url(state: &WebState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .filter(|host| host.bytes().all(|byte| byte.is_ascii_graphic()))
        .unwrap_or("localhost");
    let https = state.trust_proxy
        && headers
            .get("x-forwarded-proto")
            .and_then(|proto| proto.to_str().ok())
            .is_some_and(|proto| proto.eq_ignore_ascii_case("https"));
    format!("{}://{host}{SCIM_PREFIX}", if https { "https" } else { "http" })
}

/// The request's query parameters, names compared ignoring case as SCIM has them.
struct Params(Vec<(String, String)>);

impl Params {
    fn of(query: Option<&str>) -> Result<Params, ScimError> {
        let pairs = serde_urlencoded::from_str(query.unwrap_or(""))
            .map_err(|_| ScimError::bad("invalidSyntax", "the query string is not form-encoded"))?;
        Ok(Params(pairs))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn number(&self, name: &str) -> Result<Option<u64>, ScimError> {
        match self.get(name) {
            None => Ok(None),
            // RFC 7644: a negative or zero startIndex is 1; a negative count is 0.
            Some(text) => match text.trim().parse::<i64>() {
                Ok(number) => Ok(Some(u64::try_from(number.max(0)).unwrap_or(0))),
                Err(_) => {
                    Err(ScimError::bad("invalidValue", format!("`{name}` must be a whole number")))
                }
            },
        }
    }
}

/// The body as JSON, whatever its content type says (SCIM's is `application/scim+json`).
fn json_body(body: &Bytes) -> Result<Value, ScimError> {
    serde_json::from_slice(body)
        .map_err(|error| ScimError::bad("invalidSyntax", format!("the body is not JSON: {error}")))
}

/// What a query asks for, from the URL or a `.search` body.
struct Search {
    filter: DirectoryFilter,
    start_index: u64,
    count: u64,
    attributes: Option<String>,
    excluded: Option<String>,
}

async fn answer_search(
    state: &WebState,
    headers: &HeaderMap,
    search: Search,
) -> Result<ScimJson, ScimError> {
    let page =
        state.app.directory_users(&search.filter, search.start_index - 1, search.count).await?;
    let base = base_url(state, headers);
    let resources = page
        .users
        .iter()
        .map(|user| {
            projected(
                user_json(user, &base),
                search.attributes.as_deref(),
                search.excluded.as_deref(),
            )
        })
        .collect();
    Ok(ok(list_response(page.total, search.start_index, resources)))
}

/// `GET /Users`: a page of users, by id, optionally filtered by userName or externalId.
pub async fn list_users(
    Acting(state): Acting,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<ScimJson, ScimError> {
    let params = Params::of(query.as_deref())?;
    let filter = match params.get("filter").filter(|filter| !filter.trim().is_empty()) {
        Some(filter) => filter::parse_filter(filter)?,
        None => DirectoryFilter::All,
    };
    let search = Search {
        filter,
        start_index: params.number("startIndex")?.unwrap_or(1).max(1),
        count: params.number("count")?.unwrap_or(100).min(MAX_RESULTS),
        attributes: params.get("attributes").map(str::to_owned),
        excluded: params.get("excludedAttributes").map(str::to_owned),
    };
    answer_search(&state, &headers, search).await
}

/// `POST /Users/.search`: the same query in a body.
pub async fn search_users(
    Acting(state): Acting,
    headers: HeaderMap,
    body: Bytes,
) -> Result<ScimJson, ScimError> {
    let body = json_body(&body)?;
    let get = |name: &str| {
        body.as_object().and_then(|object| {
            object
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.clone())
        })
    };
    let list = |value: Option<Value>| -> Option<String> {
        match value? {
            Value::Array(items) => {
                Some(items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","))
            }
            Value::String(text) => Some(text),
            _ => None,
        }
    };
    let number = |name: &str| {
        get(name).and_then(|value| value.as_i64()).map(|n| u64::try_from(n.max(0)).unwrap_or(0))
    };
    let filter =
        match get("filter").as_ref().and_then(Value::as_str).filter(|f| !f.trim().is_empty()) {
            Some(filter) => filter::parse_filter(filter)?,
            None => DirectoryFilter::All,
        };
    if !body
        .get("schemas")
        .and_then(Value::as_array)
        .is_none_or(|schemas| schemas.iter().any(|s| s == SEARCH_SCHEMA))
    {
        return Err(ScimError::bad(
            "invalidSyntax",
            format!("a search request's schema is {SEARCH_SCHEMA}"),
        ));
    }
    let search = Search {
        filter,
        start_index: number("startIndex").unwrap_or(1).max(1),
        count: number("count").unwrap_or(100).min(MAX_RESULTS),
        attributes: list(get("attributes")),
        excluded: list(get("excludedAttributes")),
    };
    answer_search(&state, &headers, search).await
}

/// `POST /.search` across resource types: not offered (Users are the only type).
pub async fn search_everything() -> ScimError {
    ScimError {
        error: crate::error::WebError::new(
            StatusCode::NOT_IMPLEMENTED,
            "not_implemented",
            "searching several resource types at once is not offered: use POST /scim/v2/Users/.search",
        ),
        scim_type: None,
    }
}

/// `GET /Users/{id}`.
pub async fn get_user(
    Acting(state): Acting,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<ScimJson, ScimError> {
    let params = Params::of(query.as_deref())?;
    let user = state.app.directory_user(&id).await?;
    let json = user_json(&user, &base_url(&state, &headers));
    Ok(ok(projected(json, params.get("attributes"), params.get("excludedAttributes"))))
}

/// `POST /Users`: a new person, or the person an import made with the same employeeNumber
/// (or, without one, email) taken over. 201 with the user and its `Location`.
pub async fn create_user(
    Acting(state): Acting,
    headers: HeaderMap,
    body: Bytes,
) -> Result<ScimJson, ScimError> {
    let entry = entry_of(&json_body(&body)?)?;
    let user = state.app.create_directory_user(entry).await?;
    let json = user_json(&user, &base_url(&state, &headers));
    let location = json["meta"]["location"].as_str().map(str::to_owned);
    Ok(ScimJson(StatusCode::CREATED, json, location))
}

/// `PUT /Users/{id}`: the user as sent replaces what was kept.
pub async fn replace_user(
    Acting(state): Acting,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<ScimJson, ScimError> {
    let entry = entry_of(&json_body(&body)?)?;
    let user = state.app.replace_directory_user(&id, entry).await?;
    Ok(ok(user_json(&user, &base_url(&state, &headers))))
}

/// `PATCH /Users/{id}`: the operations applied to the user as a GET returns it, and the
/// result written as a PUT would be.
pub async fn patch_user(
    Acting(state): Acting,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<ScimJson, ScimError> {
    let body = json_body(&body)?;
    let base = base_url(&state, &headers);
    let current = user_json(&state.app.directory_user(&id).await?, &base);
    let patched = patch::apply_patch(current, &body)?;
    let entry = entry_of(&patched)?;
    let user = state.app.replace_directory_user(&id, entry).await?;
    Ok(ok(user_json(&user, &base)))
}

/// `DELETE /Users/{id}`: the person is marked left and is no longer a user here. 204.
pub async fn delete_user(
    Acting(state): Acting,
    Path(id): Path<String>,
) -> Result<StatusCode, ScimError> {
    state.app.delete_directory_user(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /ServiceProviderConfig`.
pub async fn service_provider_config(Acting(state): Acting, headers: HeaderMap) -> ScimJson {
    ok(discovery::service_provider_config(&base_url(&state, &headers)))
}

/// `GET /ResourceTypes`.
pub async fn resource_types(Acting(state): Acting, headers: HeaderMap) -> ScimJson {
    let user = discovery::user_resource_type(&base_url(&state, &headers));
    ok(list_response(1, 1, vec![user]))
}

/// `GET /ResourceTypes/{id}`.
pub async fn resource_type(
    Acting(state): Acting,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<ScimJson, ScimError> {
    if id != "User" {
        return Err(ScimError::not_found(format!(
            "there is no resource type `{id}`: Rungs serves User"
        )));
    }
    Ok(ok(discovery::user_resource_type(&base_url(&state, &headers))))
}

async fn all_schemas(state: &WebState, headers: &HeaderMap) -> Result<Vec<Value>, ScimError> {
    let framework = state.app.current_framework().await?;
    let levels: Vec<&str> = framework.levels().iter().map(|level| level.id.as_str()).collect();
    Ok(discovery::schemas(&base_url(state, headers), &levels))
}

/// `GET /Schemas`.
pub async fn schemas(Acting(state): Acting, headers: HeaderMap) -> Result<ScimJson, ScimError> {
    let schemas = all_schemas(&state, &headers).await?;
    Ok(ok(list_response(schemas.len() as u64, 1, schemas)))
}

/// `GET /Schemas/{id}`.
pub async fn schema(
    Acting(state): Acting,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<ScimJson, ScimError> {
    all_schemas(&state, &headers)
        .await?
        .into_iter()
        .find(|schema| schema["id"] == id.as_str())
        .map(ok)
        .ok_or_else(|| ScimError::not_found(format!("there is no schema `{id}`")))
}

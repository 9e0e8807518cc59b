//! What the SCIM service says about itself (RFC 7643, sections 5 to 7; RFC 7644, section 4):
//! `ServiceProviderConfig`, the `User` resource type, and the schemas of its attributes: the
//! core User attributes Rungs keeps, the Enterprise User extension (`employeeNumber`,
//! `department`, `manager`), and the Rungs extension (`level`, one of the ladder's; its track
//! follows from it).

use serde_json::{Value, json};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ENTERPRISE_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const RUNGS_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:rungs:2.0:User";
pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const SEARCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const CONFIG_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

/// The most users one page holds, as `ServiceProviderConfig` says.
pub const MAX_RESULTS: u64 = rungs_app::DIRECTORY_PAGE_MAX;

/// One attribute's definition, with the RFC's defaults spelt out.
fn attribute(name: &str, kind: &str, description: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "description": description,
        "required": false,
        "caseExact": false,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
    })
}

fn with(mut attribute: Value, key: &str, value: Value) -> Value {
    attribute[key] = value;
    attribute
}

fn core_attributes() -> Vec<Value> {
    let name_parts = vec![
        attribute("formatted", "string", "The full name, as displayed."),
        attribute("familyName", "string", "The family name: Rungs composes a name from it."),
        attribute("givenName", "string", "The given name: Rungs composes a name from it."),
    ];
    let email_parts = vec![
        with(attribute("value", "string", "The address."), "required", json!(true)),
        with(
            attribute("type", "string", "work, home or other."),
            "canonicalValues",
            json!(["work", "home", "other"]),
        ),
        attribute("primary", "boolean", "The address Rungs keeps, when there are several."),
    ];
    vec![
        with(
            with(
                attribute(
                    "userName",
                    "string",
                    "How the directory names the person; unique, ignoring case.",
                ),
                "required",
                json!(true),
            ),
            "uniqueness",
            json!("server"),
        ),
        with(
            attribute("name", "complex", "The parts of the person's name."),
            "subAttributes",
            json!(name_parts),
        ),
        attribute("displayName", "string", "The name Rungs shows; without it, the name's parts."),
        attribute("nickName", "string", "A preferred given name."),
        attribute("title", "string", "The job title; without it, the level's title."),
        attribute("active", "boolean", "false marks the person as left; their history stays."),
        with(
            with(
                with(
                    attribute(
                        "emails",
                        "complex",
                        "Email addresses: Rungs keeps the primary one, or the first.",
                    ),
                    "multiValued",
                    json!(true),
                ),
                "required",
                json!(true),
            ),
            "subAttributes",
            json!(email_parts),
        ),
    ]
}

fn enterprise_attributes() -> Vec<Value> {
    let manager_parts = vec![
        attribute("value", "string", "The manager's id in this service."),
        with(
            attribute("$ref", "reference", "The manager's URI in this service."),
            "referenceTypes",
            json!(["User"]),
        ),
        with(
            attribute("displayName", "string", "The manager's name."),
            "mutability",
            json!("readOnly"),
        ),
    ];
    vec![
        attribute(
            "employeeNumber",
            "string",
            "The HR system's id: a new person's id in Rungs, so that HR exports and the directory agree.",
        ),
        attribute("department", "string", "The team."),
        with(
            attribute("manager", "complex", "Whom the person reports to."),
            "subAttributes",
            json!(manager_parts),
        ),
    ]
}

fn rungs_attributes(levels: &[&str]) -> Vec<Value> {
    vec![with(
        with(
            attribute(
                "level",
                "string",
                "The person's level on the ladder; an import mapping named `scim` may translate the directory's codes.",
            ),
            "required",
            json!(true),
        ),
        "canonicalValues",
        json!(levels),
    )]
}

fn schema(id: &str, name: &str, description: &str, attributes: Vec<Value>, base: &str) -> Value {
    let mut schema = json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": id,
        "name": name,
        "description": description,
        "meta": { "resourceType": "Schema", "location": format!("{base}/Schemas/{id}") },
    });
    schema["attributes"] = Value::Array(attributes);
    schema
}

/// Every schema, for `/Schemas`; `levels` are the ladder's level ids.
pub fn schemas(base: &str, levels: &[&str]) -> Vec<Value> {
    vec![
        schema(USER_SCHEMA, "User", "A person in the org chart.", core_attributes(), base),
        schema(
            ENTERPRISE_SCHEMA,
            "EnterpriseUser",
            "Where the person sits in the organisation.",
            enterprise_attributes(),
            base,
        ),
        schema(
            RUNGS_SCHEMA,
            "RungsUser",
            "Where the person is on the career ladder.",
            rungs_attributes(levels),
            base,
        ),
    ]
}

/// The one resource type, for `/ResourceTypes`.
pub fn user_resource_type(base: &str) -> Value {
    json!({
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "People in the org chart",
        "schema": USER_SCHEMA,
        "schemaExtensions": [
            { "schema": ENTERPRISE_SCHEMA, "required": false },
            { "schema": RUNGS_SCHEMA, "required": true },
        ],
        "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User") },
    })
}

/// `/ServiceProviderConfig`: PATCH and filters, no bulk, sort, ETags or password changes.
pub fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": [CONFIG_SCHEMA],
        "patch": { "supported": true },
        "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
        "filter": { "supported": true, "maxResults": MAX_RESULTS },
        "changePassword": { "supported": false },
        "sort": { "supported": false },
        "etag": { "supported": false },
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "An API token of the role scim: rungs token create --name okta --role scim",
            "primary": true,
        }],
        "meta": { "resourceType": "ServiceProviderConfig", "location": format!("{base}/ServiceProviderConfig") },
    })
}

/// A list response of `resources`, for the discovery endpoints and user queries.
pub fn list_response(total: u64, start_index: u64, resources: Vec<Value>) -> Value {
    let mut list = json!({
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": resources.len(),
    });
    list["Resources"] = Value::Array(resources);
    list
}

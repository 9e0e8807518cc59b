//! A SCIM User as Rungs reads and writes it: the attributes it keeps (read from a directory's
//! JSON with their types checked, names matched ignoring case as SCIM does), the import row
//! they make, and the JSON a directory reads back: what it sent, with Rungs's current values
//! for the attributes that are the person's (title, department, manager, level, active).

use rungs_app::DirectoryEntry;
use rungs_core::org::{RosterRow, Status};
use rungs_store::{DirectoryLink, DirectoryUser};
use serde_json::{Map, Value, json};

use super::discovery::{ENTERPRISE_SCHEMA, RUNGS_SCHEMA, USER_SCHEMA};
use super::error::ScimError;

/// The longest text any attribute may hold.
const TEXT_MAX: usize = 1000;
/// How many email addresses a user may carry.
const EMAILS_MAX: usize = 20;

const CORE: &[&str] =
    &["userName", "externalId", "name", "displayName", "nickName", "title", "active", "emails"];
const NAME_PARTS: &[&str] = &["formatted", "familyName", "givenName"];
const EMAIL_PARTS: &[&str] = &["value", "type", "primary"];
const ENTERPRISE: &[&str] = &["employeeNumber", "department", "manager"];
const MANAGER_PARTS: &[&str] = &["value", "$ref", "displayName"];
const RUNGS: &[&str] = &["level"];

/// `key` as the schema spells it, if it is one of `known` (SCIM names ignore case).
pub fn canonical(key: &str, known: &[&'static str]) -> Option<&'static str> {
    known.iter().copied().find(|name| name.eq_ignore_ascii_case(key))
}

/// The schema URN `text` names, as Rungs spells it.
pub fn schema_urn(text: &str) -> Option<&'static str> {
    [USER_SCHEMA, ENTERPRISE_SCHEMA, RUNGS_SCHEMA]
        .into_iter()
        .find(|urn| urn.eq_ignore_ascii_case(text))
}

fn invalid(path: &str, message: impl std::fmt::Display) -> ScimError {
    ScimError::bad("invalidValue", format!("`{path}`: {message}"))
}

fn text_of(path: &str, value: &Value) -> Result<String, ScimError> {
    let Value::String(text) = value else {
        return Err(invalid(path, "must be a string"));
    };
    if text.chars().count() > TEXT_MAX {
        return Err(invalid(path, format!("is longer than {TEXT_MAX} characters")));
    }
    if text.chars().any(char::is_control) {
        return Err(invalid(path, "holds a control character"));
    }
    Ok(text.trim().to_owned())
}

/// SCIM's boolean; Entra ID sends `"False"` in some PATCH requests.
fn boolean_of(path: &str, value: &Value) -> Result<bool, ScimError> {
    match value {
        Value::Bool(flag) => Ok(*flag),
        Value::String(text) if text.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(text) if text.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(invalid(path, "must be true or false")),
    }
}

/// The known attributes of an object, each checked: `read` turns one into what is kept.
fn object_of(
    path: &str,
    value: &Value,
    known: &[&'static str],
    mut read: impl FnMut(&'static str, &Value) -> Result<Option<Value>, ScimError>,
) -> Result<Map<String, Value>, ScimError> {
    let Value::Object(object) = value else {
        return Err(invalid(path, "must be an object"));
    };
    let mut kept = Map::new();
    for (key, value) in object {
        let Some(name) = canonical(key, known) else { continue };
        if value.is_null() {
            continue;
        }
        if let Some(value) = read(name, value)? {
            kept.insert(name.to_owned(), value);
        }
    }
    Ok(kept)
}

fn strings(
    path: &str,
    value: &Value,
    known: &[&'static str],
) -> Result<Map<String, Value>, ScimError> {
    object_of(path, value, known, |name, value| {
        Ok(Some(Value::String(text_of(&format!("{path}.{name}"), value)?)))
    })
}

fn emails(value: &Value) -> Result<Vec<Value>, ScimError> {
    let items = match value {
        Value::Array(items) => items.as_slice(),
        other => std::slice::from_ref(other),
    };
    if items.len() > EMAILS_MAX {
        return Err(invalid("emails", format!("holds more than {EMAILS_MAX} addresses")));
    }
    items
        .iter()
        .map(|item| {
            object_of("emails", item, EMAIL_PARTS, |name, value| {
                Ok(Some(match name {
                    "primary" => Value::Bool(boolean_of("emails.primary", value)?),
                    _ => Value::String(text_of(&format!("emails.{name}"), value)?),
                }))
            })
            .map(Value::Object)
        })
        .collect()
}

/// The manager as an object; Entra ID sends a bare id in PATCH requests.
fn manager(value: &Value) -> Result<Option<Value>, ScimError> {
    let path = format!("{ENTERPRISE_SCHEMA}:manager");
    let object = match value {
        Value::String(id) if id.trim().is_empty() => return Ok(None),
        Value::String(_) => json!({ "value": text_of(&path, value)? }),
        _ => Value::Object(strings(&path, value, MANAGER_PARTS)?),
    };
    // The manager's name is Rungs's to say, not the directory's.
    let mut object = object;
    if let Some(object) = object.as_object_mut() {
        object.remove("displayName");
    }
    Ok(Some(object))
}

/// The attributes of `resource` that Rungs keeps, each checked, in the schema's spelling.
pub fn kept_attributes(resource: &Value) -> Result<Map<String, Value>, ScimError> {
    let Value::Object(object) = resource else {
        return Err(ScimError::bad("invalidSyntax", "the body must be a JSON object: a SCIM User"));
    };
    let mut kept = Map::new();
    for (key, value) in object {
        if value.is_null() {
            continue;
        }
        if let Some(urn) = schema_urn(key) {
            let extension = match urn {
                ENTERPRISE_SCHEMA => object_of(urn, value, ENTERPRISE, |name, value| match name {
                    "manager" => manager(value),
                    _ => Ok(Some(Value::String(text_of(&format!("{urn}:{name}"), value)?))),
                })?,
                RUNGS_SCHEMA => strings(urn, value, RUNGS)?,
                _ => continue,
            };
            kept.insert(urn.to_owned(), Value::Object(extension));
            continue;
        }
        let Some(name) = canonical(key, CORE) else { continue };
        let value = match name {
            "name" => Value::Object(strings("name", value, NAME_PARTS)?),
            "active" => Value::Bool(boolean_of("active", value)?),
            "emails" => Value::Array(emails(value)?),
            _ => Value::String(text_of(name, value)?),
        };
        kept.insert(name.to_owned(), value);
    }
    Ok(kept)
}

fn field<'a>(object: &'a Map<String, Value>, path: &[&str]) -> &'a str {
    let mut current = object;
    for (position, key) in path.iter().enumerate() {
        match current.get(*key) {
            Some(Value::Object(inner)) if position + 1 < path.len() => current = inner,
            Some(Value::String(text)) if position + 1 == path.len() => return text,
            _ => return "",
        }
    }
    ""
}

/// The address Rungs keeps: the primary one, else the first of type work, else the first;
/// else the userName when it is an address.
fn chosen_email(kept: &Map<String, Value>) -> String {
    let addresses: Vec<&Map<String, Value>> = kept
        .get("emails")
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default();
    let value = |item: &&Map<String, Value>| field(item, &["value"]).to_owned();
    addresses
        .iter()
        .find(|item| item.get("primary") == Some(&Value::Bool(true)))
        .or_else(|| {
            addresses.iter().find(|item| field(item, &["type"]).eq_ignore_ascii_case("work"))
        })
        .or_else(|| addresses.first())
        .map(value)
        .filter(|address| !address.is_empty())
        .unwrap_or_else(|| {
            let user_name = field(kept, &["userName"]);
            if user_name.contains('@') { user_name.to_owned() } else { String::new() }
        })
}

/// What Rungs keeps of a User the directory sent: the import row, and the directory's side.
pub fn entry_of(resource: &Value) -> Result<DirectoryEntry, ScimError> {
    let kept = kept_attributes(resource)?;
    let user_name = field(&kept, &["userName"]).to_owned();
    if user_name.is_empty() {
        return Err(invalid("userName", "is required"));
    }
    let email = chosen_email(&kept);
    if email.is_empty() {
        return Err(invalid(
            "emails",
            "a person needs an email address: send `emails`, or a userName that is one",
        ));
    }
    let enterprise = |name: &str| field(&kept, &[ENTERPRISE_SCHEMA, name]).to_owned();
    let level = field(&kept, &[RUNGS_SCHEMA, "level"]).to_owned();
    if level.is_empty() {
        return Err(invalid(
            &format!("{RUNGS_SCHEMA}:level"),
            "is required: map the person's level (or job code) to it in the directory",
        ));
    }
    let mut name = field(&kept, &["displayName"]).to_owned();
    if name.is_empty() {
        name = field(&kept, &["name", "formatted"]).to_owned();
    }
    let (first_name, last_name) = (
        field(&kept, &["name", "givenName"]).to_owned(),
        field(&kept, &["name", "familyName"]).to_owned(),
    );
    if name.is_empty() && first_name.is_empty() && last_name.is_empty() {
        name = user_name.clone();
    }
    let active = kept.get("active").and_then(Value::as_bool).unwrap_or(true);
    let manager = kept
        .get(ENTERPRISE_SCHEMA)
        .and_then(|extension| extension.get("manager"))
        .and_then(|manager| manager.get("value"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let row = RosterRow {
        row: 1,
        id: enterprise("employeeNumber"),
        name,
        email,
        manager_id: manager,
        title: field(&kept, &["title"]).to_owned(),
        level,
        team: enterprise("department"),
        status: if active { "active" } else { "left" }.to_owned(),
        first_name,
        last_name,
        preferred_name: field(&kept, &["nickName"]).to_owned(),
        ..RosterRow::default()
    };
    let external_id = Some(field(&kept, &["externalId"]).to_owned()).filter(|id| !id.is_empty());
    let mut stored = kept;
    stored.remove("userName");
    stored.remove("externalId");
    Ok(DirectoryEntry {
        row,
        link: DirectoryLink { user_name, external_id, resource: Value::Object(stored).to_string() },
    })
}

/// The User a directory reads back: what it sent, with the person as Rungs has them now.
pub fn user_json(user: &DirectoryUser, base: &str) -> Value {
    let person = &user.person;
    let mut object = match serde_json::from_str::<Value>(&user.link.resource) {
        Ok(Value::Object(object)) => object,
        _ => Map::new(),
    };
    let mut schemas = vec![USER_SCHEMA];
    if let Some(Value::Object(enterprise)) = object.get_mut(ENTERPRISE_SCHEMA) {
        schemas.push(ENTERPRISE_SCHEMA);
        if enterprise.contains_key("department") {
            enterprise.insert("department".into(), Value::String(person.team.clone()));
        }
        if enterprise.contains_key("manager") {
            match (&person.manager_id, enterprise.get_mut("manager")) {
                (Some(manager), Some(Value::Object(sent))) => {
                    sent.insert("value".into(), Value::String(manager.to_string()));
                }
                _ => {
                    enterprise.remove("manager");
                }
            }
        }
    }
    // Someone a mapping keeps off the ladder has no level here.
    match &person.level {
        Some(level) => {
            schemas.push(RUNGS_SCHEMA);
            object.insert(RUNGS_SCHEMA.into(), json!({ "level": level.as_str() }));
        }
        None => {
            object.remove(RUNGS_SCHEMA);
        }
    }
    if object.contains_key("title") {
        object.insert("title".into(), Value::String(person.title.clone()));
    }
    if object.contains_key("active") || person.status == Status::Left {
        object.insert("active".into(), Value::Bool(person.status == Status::Active));
    }
    object.insert("schemas".into(), json!(schemas));
    object.insert("id".into(), Value::String(person.id.to_string()));
    if let Some(external_id) = &user.link.external_id {
        object.insert("externalId".into(), Value::String(external_id.clone()));
    }
    object.insert("userName".into(), Value::String(user.link.user_name.clone()));
    object.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": user.created_at.to_string(),
            "lastModified": user.updated_at.to_string(),
            "location": format!("{base}/Users/{}", person.id),
        }),
    );
    Value::Object(object)
}

/// An attribute path of `attributes` or `excludedAttributes`: the schema it is in (`None` for
/// the core schema), the attribute, and a sub-attribute.
pub fn attribute_path(text: &str) -> (Option<&'static str>, String, Option<String>) {
    let text = text.trim();
    for urn in [ENTERPRISE_SCHEMA, RUNGS_SCHEMA, USER_SCHEMA] {
        if text.len() >= urn.len() && text[..urn.len()].eq_ignore_ascii_case(urn) {
            let rest = text[urn.len()..].trim_start_matches(':');
            let (attribute, sub) = match rest.split_once('.') {
                Some((attribute, sub)) => (attribute.to_owned(), Some(sub.to_owned())),
                None => (rest.to_owned(), None),
            };
            let schema = if urn == USER_SCHEMA { None } else { Some(urn) };
            return (schema, attribute, sub);
        }
    }
    match text.split_once('.') {
        Some((attribute, sub)) => (None, attribute.to_owned(), Some(sub.to_owned())),
        None => (None, text.to_owned(), None),
    }
}

/// The user with only the attributes asked for (`attributes`) or without those excluded
/// (`excludedAttributes`), comma-separated; `id` and `schemas` are always returned.
pub fn projected(user: Value, attributes: Option<&str>, excluded: Option<&str>) -> Value {
    let Value::Object(mut object) = user else { return user };
    let paths = |list: &str| -> Vec<(Option<&'static str>, String, Option<String>)> {
        list.split(',').filter(|item| !item.trim().is_empty()).map(attribute_path).collect()
    };
    if let Some(list) = attributes.filter(|list| !list.trim().is_empty()) {
        let mut kept = Map::new();
        for key in ["schemas", "id"] {
            if let Some(value) = object.get(key) {
                kept.insert(key.to_owned(), value.clone());
            }
        }
        for (schema, attribute, sub) in paths(list) {
            let source = match schema {
                Some(urn) => object.get(urn).and_then(Value::as_object),
                None => Some(&object),
            };
            let Some(source) = source else { continue };
            let found = if attribute.is_empty() {
                schema.and_then(|urn| object.get(urn)).cloned().map(|value| (None, value))
            } else {
                source
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(&attribute))
                    .map(|(key, value)| (Some(key.clone()), value.clone()))
            };
            let Some((key, mut value)) = found else { continue };
            if let (Some(sub), Value::Object(inner)) = (&sub, &value) {
                value = Value::Object(
                    inner
                        .iter()
                        .filter(|(key, _)| key.eq_ignore_ascii_case(sub))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                );
            }
            match (schema, key) {
                (Some(urn), Some(key)) => {
                    let extension = kept.entry(urn.to_owned()).or_insert_with(|| json!({}));
                    if let Some(extension) = extension.as_object_mut() {
                        extension.insert(key, value);
                    }
                }
                (Some(urn), None) => {
                    kept.insert(urn.to_owned(), value);
                }
                (None, Some(key)) => {
                    kept.insert(key, value);
                }
                (None, None) => {}
            }
        }
        return Value::Object(kept);
    }
    if let Some(list) = excluded {
        for (schema, attribute, sub) in paths(list) {
            if matches!(attribute.as_str(), "id" | "schemas") && schema.is_none() {
                continue;
            }
            let target = match schema {
                Some(urn) if attribute.is_empty() => {
                    object.remove(urn);
                    continue;
                }
                Some(urn) => object.get_mut(urn).and_then(Value::as_object_mut),
                None => Some(&mut object),
            };
            let Some(target) = target else { continue };
            let Some(key) = target.keys().find(|key| key.eq_ignore_ascii_case(&attribute)).cloned()
            else {
                continue;
            };
            match sub {
                Some(sub) => {
                    if let Some(Value::Object(inner)) = target.get_mut(&key) {
                        inner.retain(|name, _| !name.eq_ignore_ascii_case(&sub));
                    }
                }
                None => {
                    target.remove(&key);
                }
            }
        }
    }
    Value::Object(object)
}

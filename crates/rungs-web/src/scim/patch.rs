//! SCIM PATCH (RFC 7644, section 3.5.2) applied to the User a directory reads, as Okta and
//! Entra ID send it: `add`, `replace` and `remove` in any case; paths with or without their
//! schema's URN, sub-attributes (`name.givenName`), value filters
//! (`emails[type eq "work"].value`); operations without a path whose value holds attributes
//! (`{"active": false}`, or an extension's URN-qualified attribute).
//!
//! The result is checked as a PUT body would be: PATCH only says how to get there.

use serde_json::{Map, Value};

use super::discovery::PATCH_SCHEMA;
use super::error::ScimError;
use super::user::schema_urn;

/// The most operations one request may carry.
const OPERATIONS_MAX: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Replace,
    Remove,
}

/// A parsed path: the schema it is in (`None`: the core one), the attribute, a value filter
/// (`type eq "work"`), and a sub-attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Path {
    schema: Option<&'static str>,
    attribute: String,
    filter: Option<(String, String)>,
    sub: Option<String>,
}

fn invalid_path(path: &str) -> ScimError {
    ScimError::bad(
        "invalidPath",
        format!("the path `{}` is not one Rungs reads", rungs_core::text::excerpt(path)),
    )
}

fn parse_path(text: &str) -> Result<Path, ScimError> {
    let text = text.trim();
    let mut schema = None;
    let mut rest = text;
    for urn in [
        super::discovery::ENTERPRISE_SCHEMA,
        super::discovery::RUNGS_SCHEMA,
        super::discovery::USER_SCHEMA,
    ] {
        if text.len() >= urn.len() && text[..urn.len()].eq_ignore_ascii_case(urn) {
            if urn != super::discovery::USER_SCHEMA {
                schema = Some(urn);
            }
            rest = text[urn.len()..].trim_start_matches(':');
            break;
        }
    }
    let (head, sub) = match rest.find('[') {
        Some(open) => {
            let close =
                rest.find(']').filter(|&close| close > open).ok_or_else(|| invalid_path(text))?;
            let after = &rest[close + 1..];
            let sub = match after.strip_prefix('.') {
                Some(sub) => Some(sub.to_owned()),
                None if after.is_empty() => None,
                None => return Err(invalid_path(text)),
            };
            (&rest[..close + 1], sub)
        }
        None => match rest.split_once('.') {
            Some((attribute, sub)) => (attribute, Some(sub.to_owned())),
            None => (rest, None),
        },
    };
    let (attribute, filter) = match head.split_once('[') {
        Some((attribute, filter)) => {
            let filter = filter.trim_end_matches(']');
            let mut words = filter.splitn(3, char::is_whitespace);
            let (Some(name), Some(operator), Some(value)) =
                (words.next(), words.next(), words.next())
            else {
                return Err(invalid_path(text));
            };
            if !operator.eq_ignore_ascii_case("eq") {
                return Err(invalid_path(text));
            }
            let value =
                serde_json::from_str::<Value>(value.trim()).map_err(|_| invalid_path(text))?;
            let value = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
            (attribute, Some((name.to_owned(), value)))
        }
        None => (head, None),
    };
    if attribute.is_empty() && schema.is_none() {
        return Err(invalid_path(text));
    }
    Ok(Path { schema, attribute: attribute.to_owned(), filter, sub })
}

/// The key in `object` that matches `name` ignoring case, or `name` itself.
fn key_in(object: &Map<String, Value>, name: &str) -> String {
    object
        .keys()
        .find(|key| key.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_owned())
}

/// Sets `key` of `object` to `value`: an object is merged into an object, an `add` to a list
/// appends what it does not hold yet, anything else replaces.
fn put(object: &mut Map<String, Value>, name: &str, value: Value, op: Op) {
    let key = key_in(object, name);
    match (object.get_mut(&key), value) {
        (Some(Value::Object(existing)), Value::Object(new)) => {
            for (name, value) in new {
                put(existing, &name, value, op);
            }
        }
        (Some(Value::Array(existing)), Value::Array(new)) if op == Op::Add => {
            for item in new {
                if !existing.contains(&item) {
                    existing.push(item);
                }
            }
        }
        (Some(Value::Array(existing)), single) if op == Op::Add && !single.is_array() => {
            if !existing.contains(&single) {
                existing.push(single);
            }
        }
        (_, value) => {
            object.insert(key, value);
        }
    }
}

fn matches(item: &Value, filter: &(String, String)) -> bool {
    let Some(object) = item.as_object() else { return false };
    let key = key_in(object, &filter.0);
    match object.get(&key) {
        Some(Value::String(text)) => text.eq_ignore_ascii_case(&filter.1),
        Some(other) => other.to_string().eq_ignore_ascii_case(&filter.1),
        None => false,
    }
}

/// An operation without a path: its value's attributes, each as if it were the path.
fn apply_without_path(
    user: &mut Map<String, Value>,
    op: Op,
    value: Value,
) -> Result<(), ScimError> {
    if op == Op::Remove {
        return Err(ScimError::bad("noTarget", "a `remove` needs a `path`"));
    }
    let Value::Object(attributes) = value else {
        return Err(ScimError::bad(
            "invalidValue",
            "an operation without a `path` needs an object as its `value`",
        ));
    };
    for (key, value) in attributes {
        if schema_urn(&key).is_some() {
            let urn = schema_urn(&key).unwrap_or_default();
            let extension = user.entry(urn.to_owned()).or_insert_with(|| Value::Object(Map::new()));
            if let (Value::Object(extension), Value::Object(values)) = (extension, value) {
                for (name, value) in values {
                    put(extension, &name, value, op);
                }
            }
            continue;
        }
        apply_at(user, op, &parse_path(&key)?, Some(value))?;
    }
    Ok(())
}

/// An operation at `path`.
fn apply_at(
    user: &mut Map<String, Value>,
    op: Op,
    path: &Path,
    value: Option<Value>,
) -> Result<(), ScimError> {
    let container = match path.schema {
        Some(urn) => {
            if op == Op::Remove && !user.contains_key(urn) {
                return Ok(());
            }
            let extension = user.entry(urn.to_owned()).or_insert_with(|| Value::Object(Map::new()));
            if path.attribute.is_empty() {
                // The whole extension.
                match (op, value) {
                    (Op::Remove, _) => {
                        user.remove(urn);
                    }
                    (_, Some(value)) => put(user, urn, value, op),
                    (_, None) => {
                        return Err(ScimError::bad(
                            "invalidValue",
                            "the operation needs a `value`",
                        ));
                    }
                }
                return Ok(());
            }
            match extension {
                Value::Object(extension) => extension,
                _ => return Err(invalid_path(urn)),
            }
        }
        None => user,
    };
    let key = key_in(container, &path.attribute);
    match (&path.filter, op) {
        (None, Op::Remove) => match &path.sub {
            Some(sub) => {
                if let Some(Value::Object(inner)) = container.get_mut(&key) {
                    let sub_key = key_in(inner, sub);
                    inner.remove(&sub_key);
                    if inner.is_empty() {
                        container.remove(&key);
                    }
                }
            }
            None => {
                container.remove(&key);
            }
        },
        (None, _) => {
            let value = value
                .ok_or_else(|| ScimError::bad("invalidValue", "the operation needs a `value`"))?;
            match &path.sub {
                Some(sub) => {
                    let inner = container.entry(key).or_insert_with(|| Value::Object(Map::new()));
                    match inner {
                        Value::Object(inner) => put(inner, sub, value, op),
                        _ => return Err(invalid_path(&path.attribute)),
                    }
                }
                None => put(container, &key, value, op),
            }
        }
        (Some(filter), Op::Remove) => {
            if let Some(Value::Array(items)) = container.get_mut(&key) {
                match &path.sub {
                    Some(sub) => {
                        for item in items.iter_mut().filter(|item| matches(item, filter)) {
                            if let Value::Object(item) = item {
                                let sub_key = key_in(item, sub);
                                item.remove(&sub_key);
                            }
                        }
                    }
                    None => items.retain(|item| !matches(item, filter)),
                }
                if items.is_empty() {
                    container.remove(&key);
                }
            }
        }
        (Some(filter), _) => {
            let value = value
                .ok_or_else(|| ScimError::bad("invalidValue", "the operation needs a `value`"))?;
            let items = container.entry(key).or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(items) = items else { return Err(invalid_path(&path.attribute)) };
            let mut found = false;
            for item in items.iter_mut().filter(|item| matches(item, filter)) {
                found = true;
                if let Value::Object(item) = item {
                    match &path.sub {
                        Some(sub) => put(item, sub, value.clone(), Op::Replace),
                        None => {
                            if let Value::Object(values) = &value {
                                for (name, value) in values {
                                    put(item, name, value.clone(), Op::Replace);
                                }
                            }
                        }
                    }
                }
            }
            if !found {
                // Entra ID sets `emails[type eq "work"].value` on a user without one.
                let mut item = Map::new();
                item.insert(filter.0.clone(), Value::String(filter.1.clone()));
                match (&path.sub, value) {
                    (Some(sub), value) => {
                        item.insert(sub.clone(), value);
                    }
                    (None, Value::Object(values)) => item.extend(values),
                    (None, _) => return Err(invalid_path(&path.attribute)),
                }
                items.push(Value::Object(item));
            }
        }
    }
    Ok(())
}

/// `user` (the JSON a GET returns) with the PATCH request `body` applied.
pub fn apply_patch(user: Value, body: &Value) -> Result<Value, ScimError> {
    let Value::Object(mut user) = user else { return Ok(user) };
    let Some(body) = body.as_object() else {
        return Err(ScimError::bad("invalidSyntax", "the body must be a PatchOp object"));
    };
    let schemas = body.iter().find(|(key, _)| key.eq_ignore_ascii_case("schemas")).map(|(_, v)| v);
    if let Some(schemas) = schemas
        && !schemas
            .as_array()
            .is_some_and(|schemas| schemas.iter().any(|schema| schema == PATCH_SCHEMA))
    {
        return Err(ScimError::bad(
            "invalidSyntax",
            format!("a PATCH request's schema is {PATCH_SCHEMA}"),
        ));
    }
    let operations = body
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("Operations"))
        .and_then(|(_, value)| value.as_array())
        .ok_or_else(|| ScimError::bad("invalidSyntax", "the body needs `Operations`, a list"))?;
    if operations.len() > OPERATIONS_MAX {
        return Err(ScimError::bad(
            "invalidValue",
            format!("a PATCH carries at most {OPERATIONS_MAX} operations"),
        ));
    }
    for (position, operation) in operations.iter().enumerate() {
        let Some(operation) = operation.as_object() else {
            return Err(ScimError::bad(
                "invalidSyntax",
                format!("operation {} is not an object", position + 1),
            ));
        };
        let get = |name: &str| {
            operation.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, v)| v)
        };
        let op = match get("op").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
            Some("add") => Op::Add,
            Some("replace") => Op::Replace,
            Some("remove") => Op::Remove,
            _ => {
                return Err(ScimError::bad(
                    "invalidSyntax",
                    format!("operation {}: `op` must be add, replace or remove", position + 1),
                ));
            }
        };
        let value = get("value").cloned();
        match get("path").and_then(Value::as_str).filter(|path| !path.trim().is_empty()) {
            Some(path) => apply_at(&mut user, op, &parse_path(path)?, value)?,
            None => apply_without_path(&mut user, op, value.unwrap_or(Value::Null))?,
        }
    }
    Ok(Value::Object(user))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::scim::discovery::ENTERPRISE_SCHEMA;

    fn patched(user: Value, operations: Value) -> Value {
        let mut body = json!({ "schemas": [PATCH_SCHEMA] });
        body["Operations"] = operations;
        apply_patch(user, &body).unwrap()
    }

    #[test]
    fn okta_deactivates_with_a_value_object_and_no_path() {
        let user = patched(
            json!({ "userName": "a", "active": true }),
            json!([{ "op": "replace", "value": { "active": false } }]),
        );
        assert_eq!(user["active"], json!(false));
    }

    #[test]
    fn entra_sets_a_work_email_by_filter_and_a_manager_by_urn() {
        let user = patched(
            json!({ "userName": "a", "emails": [{ "type": "work", "value": "old@example.com" }] }),
            json!([
                { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "new@example.com" },
                { "op": "Add", "path": format!("{ENTERPRISE_SCHEMA}:manager"), "value": "E2" },
                { "op": "Replace", "path": "name.givenName", "value": "Ada" },
                { "op": "Replace", "path": "active", "value": "False" },
            ]),
        );
        assert_eq!(user["emails"], json!([{ "type": "work", "value": "new@example.com" }]));
        assert_eq!(user[ENTERPRISE_SCHEMA]["manager"], json!("E2"));
        assert_eq!(user["name"], json!({ "givenName": "Ada" }));
        assert_eq!(user["active"], json!("False"));
    }

    #[test]
    fn a_filter_that_matches_nothing_adds_the_value() {
        let user = patched(
            json!({ "userName": "a" }),
            json!([{ "op": "Add", "path": "emails[type eq \"work\"].value", "value": "a@example.com" }]),
        );
        assert_eq!(user["emails"], json!([{ "type": "work", "value": "a@example.com" }]));
    }

    #[test]
    fn remove_takes_attributes_sub_attributes_and_filtered_values() {
        let user = json!({
            "userName": "a", "title": "Lead", "name": { "givenName": "A", "familyName": "B" },
            "emails": [{ "type": "work", "value": "w@example.com" }, { "type": "home", "value": "h@example.com" }],
            ENTERPRISE_SCHEMA: { "manager": { "value": "E2" }, "department": "Core" },
        });
        let user = patched(
            user,
            json!([
                { "op": "remove", "path": "title" },
                { "op": "remove", "path": "name.familyName" },
                { "op": "remove", "path": "emails[type eq \"home\"]" },
                { "op": "Remove", "path": format!("{ENTERPRISE_SCHEMA}:manager") },
            ]),
        );
        assert!(user.get("title").is_none());
        assert_eq!(user["name"], json!({ "givenName": "A" }));
        assert_eq!(user["emails"], json!([{ "type": "work", "value": "w@example.com" }]));
        assert_eq!(user[ENTERPRISE_SCHEMA], json!({ "department": "Core" }));
    }

    #[test]
    fn bad_operations_are_refused_with_their_scim_type() {
        let refuse = |operations: Value| {
            apply_patch(json!({}), &json!({ "Operations": operations })).unwrap_err().scim_type
        };
        assert_eq!(refuse(json!([{ "op": "move", "path": "title" }])), Some("invalidSyntax"));
        assert_eq!(refuse(json!([{ "op": "remove" }])), Some("noTarget"));
        assert_eq!(
            refuse(json!([{ "op": "add", "path": "emails[type co \"w\"]", "value": 1 }])),
            Some("invalidPath")
        );
        assert_eq!(
            apply_patch(json!({}), &json!({ "ops": [] })).unwrap_err().scim_type,
            Some("invalidSyntax")
        );
    }
}

//! JSON exports: an array of objects whose keys match like CSV headers. `row` is the object's
//! position in the array, counting from 1.

use rungs_core::org::{RosterError, RosterRow};

use crate::columns::{ColumnMap, resolve};
use crate::{ReadError, Roster};

/// The export's array of people, and every key its objects use, in first-seen order.
pub(crate) fn items_and_keys(
    bytes: &[u8],
) -> Result<(Vec<serde_json::Value>, Vec<String>), ReadError> {
    let bytes = bytes.strip_prefix(crate::BOM).unwrap_or(bytes);
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|error| ReadError::Structure(format!("not valid JSON: {error}")))?;
    let serde_json::Value::Array(items) = value else {
        return Err(ReadError::Structure("expected a JSON array of people objects".to_owned()));
    };
    let mut keys: Vec<String> = Vec::new();
    for item in &items {
        if let serde_json::Value::Object(object) = item {
            for key in object.keys() {
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
    }
    Ok((items, keys))
}

pub fn read_json(bytes: &[u8], map: &ColumnMap) -> Result<Roster, ReadError> {
    let (items, keys) = items_and_keys(bytes)?;
    let columns = resolve(&keys, map).map_err(ReadError::Structure)?;
    let mut rows = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (position, item) in items.iter().enumerate() {
        let row_number = position + 1;
        let serde_json::Value::Object(object) = item else {
            errors.push(RosterError {
                row: row_number,
                column: None,
                message: "is not a JSON object".to_owned(),
            });
            continue;
        };
        let mut row = RosterRow { row: row_number, ..RosterRow::default() };
        for (key, field) in keys.iter().zip(&columns.fields) {
            let Some(field) = field else { continue };
            let text = match object.get(key) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(text)) => text.trim().to_owned(),
                Some(serde_json::Value::Number(number)) => number.to_string(),
                Some(_) => {
                    errors.push(RosterError {
                        row: row_number,
                        column: Some(*field),
                        message: format!("`{key}` must be a string or a number"),
                    });
                    continue;
                }
            };
            *row.field_mut(*field) = text;
        }
        rows.push(row);
    }
    if errors.is_empty() {
        Ok(Roster { rows, warnings: columns.warnings })
    } else {
        Err(ReadError::Rows(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_array_of_objects() {
        let text = br#"[{"ID": "E1", "Name": " Ada ", "email": "a@b.co", "level": "vp", "manager_id": null, "Badge": 7},
                        {"ID": 2, "Name": "Bo", "email": "bo@b.co", "level": "em", "manager_id": "E1"}]"#;
        let roster = read_json(text, &ColumnMap::default()).unwrap();
        assert_eq!(roster.rows[0].name, "Ada");
        assert_eq!(roster.rows[1].id, "2");
        assert_eq!(roster.rows[1].manager_id, "E1");
        assert_eq!(roster.warnings, ["ignoring 1 column(s) Rungs does not use: `Badge`"]);
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text = b"\xEF\xBB\xBF[{\"id\": \"E1\", \"name\": \"Ada\", \"email\": \"a@b.co\", \"level\": \"vp\"}]";
        assert_eq!(read_json(text, &ColumnMap::default()).unwrap().rows[0].id, "E1");
    }

    #[test]
    fn wrong_types_are_reported_by_row_and_column() {
        let text = br#"[{"id": "E1", "name": ["Ada"], "email": "a@b.co", "level": "vp"}]"#;
        let ReadError::Rows(errors) = read_json(text, &ColumnMap::default()).unwrap_err() else {
            panic!()
        };
        assert_eq!(
            errors[0].to_string(),
            "row 1, column `name`: `name` must be a string or a number"
        );
    }
}

//! The JSON Schema of the framework file, generated from the types that parse it.

use crate::doc::FrameworkDoc;

/// The schema as pretty-printed JSON, for editors (for example Taplo or VS Code's Even Better
/// TOML) to validate and autocomplete framework files.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(FrameworkDoc);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

//! Exports of a whole framework: JSON (data), TOML (the file format, round-trips through lint),
//! Markdown and HTML (documents a company can publish as its ladder).

mod html;
mod markdown;
mod toml_file;

pub use html::to_html;
pub use markdown::to_markdown;
pub use toml_file::to_toml;

use rungs_core::Framework;

/// The framework as pretty-printed JSON.
pub fn to_json(framework: &Framework) -> String {
    serde_json::to_string_pretty(framework).unwrap_or_default()
}

//! Exports of a whole framework: JSON (data), TOML (the file format, round-trips through lint),
//! Markdown and HTML (documents a company can publish as its ladder).

mod html;
mod markdown;
mod toml_file;

pub use html::to_html;
pub use markdown::to_markdown;
pub use toml_file::to_toml;

use rungs_core::{Framework, GrowthArea, Level};

/// The framework as pretty-printed JSON.
pub fn to_json(framework: &Framework) -> String {
    serde_json::to_string_pretty(framework).unwrap_or_default()
}

/// One level as JSON: the level, its neighbours and equivalents, and its growth statements.
pub fn level_view(framework: &Framework, level: &Level) -> serde_json::Value {
    let ids =
        |levels: Vec<&Level>| levels.iter().map(|level| level.id.to_string()).collect::<Vec<_>>();
    let growth: Vec<serde_json::Value> = framework
        .growth_areas()
        .iter()
        .filter_map(|area| {
            area.statement_for(&level.id)
                .map(|statement| serde_json::json!({"growth_area": area.id, "name": area.name, "text": statement.text}))
        })
        .collect();
    serde_json::json!({
        "level": level,
        "peers": ids(framework.peers(level)),
        "previous": framework.previous_level(level).map(|level| &level.id),
        "next": framework.next_level(level).map(|level| &level.id),
        "growth_areas": growth,
    })
}

/// One growth area as JSON, with the titles of the levels of each statement.
pub fn growth_area_view(framework: &Framework, area: &GrowthArea) -> serde_json::Value {
    let statements: Vec<serde_json::Value> = area
        .statements
        .iter()
        .map(|statement| {
            serde_json::json!({
                "levels": statement.levels,
                "titles": statement.levels.iter().filter_map(|id| framework.level(id.as_str())).map(|level| &level.title).collect::<Vec<_>>(),
                "text": statement.text,
            })
        })
        .collect();
    serde_json::json!({ "id": area.id, "name": area.name, "description": area.description, "track": area.track, "statements": statements })
}

//! `framework growth-area NAME`: one growth area across all levels.

use std::fmt::Write as _;

use rungs_core::{Framework, GrowthArea};

fn level_labels(framework: &Framework, ids: &[rungs_core::LevelId]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            framework.level(id.as_str()).map_or_else(|| id.to_string(), |level| level.label())
        })
        .collect()
}

pub fn growth_area(framework: &Framework, area: &GrowthArea) -> String {
    let mut out = String::new();
    let _ = write!(out, "{} ({})", area.name, area.id);
    if let Some(track) = area.track.as_ref().and_then(|track| framework.track(track.as_str())) {
        let _ = write!(out, ", {} track", track.name);
    }
    out.push('\n');
    if let Some(description) = &area.description {
        let _ = writeln!(out, "{description}");
    }
    for statement in &area.statements {
        let _ = writeln!(
            out,
            "\n  {}\n    {}",
            level_labels(framework, &statement.levels).join(" / "),
            statement.text
        );
    }
    out
}

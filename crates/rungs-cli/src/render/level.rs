//! `framework show LEVEL`: one level in full.

use std::fmt::Write as _;

use rungs_core::{Framework, Level};

fn labels(levels: &[&Level]) -> String {
    if levels.is_empty() {
        return "-".to_owned();
    }
    levels.iter().map(|level| level.label()).collect::<Vec<_>>().join(", ")
}

pub fn level(framework: &Framework, level: &Level) -> String {
    let mut out = String::new();
    let _ = write!(out, "{}", level.label());
    if let Some(also) = &level.also_known_as {
        let _ = write!(out, ", also known as {also}");
    }
    out.push('\n');
    let track = framework
        .track(level.track.as_str())
        .map_or(level.track.as_str(), |track| track.name.as_str());
    let band = framework.band(level.band.as_str());
    let band_name = band
        .and_then(|band| band.name.as_deref())
        .map(|name| format!(" ({name})"))
        .unwrap_or_default();
    let _ = writeln!(out, "Track: {track}, rank {}. Band: {}{band_name}.", level.rank, level.band);
    let _ = writeln!(out, "Equivalent on other tracks: {}", labels(&framework.peers(level)));
    let previous: Vec<&Level> = framework.previous_level(level).into_iter().collect();
    let next: Vec<&Level> = framework.next_level(level).into_iter().collect();
    let _ = writeln!(out, "Previous: {}. Next: {}.", labels(&previous), labels(&next));
    if let Some(summary) = &level.summary {
        let _ = writeln!(out, "\n{summary}");
    }
    let scope = level.scope.facts();
    if !scope.is_empty() {
        let _ = writeln!(out, "\nScope");
        for (name, phrase) in scope {
            let _ = writeln!(out, "  {name}: {phrase}");
        }
    }
    for dimension in framework.dimensions() {
        let _ = writeln!(out, "\n{}", dimension.name);
        for expectation in level.expectations_in(&dimension.id) {
            let _ = writeln!(out, "  - {} [{}]", expectation.text, expectation.id);
        }
    }
    let areas: Vec<_> = framework
        .growth_areas()
        .iter()
        .filter_map(|area| area.statement_for(&level.id).map(|statement| (area, statement)))
        .collect();
    if !areas.is_empty() {
        let _ = writeln!(out, "\nGrowth areas");
        for (area, statement) in areas {
            let _ = writeln!(out, "  {}: {}", area.name, statement.text);
        }
    }
    let transitions: Vec<_> = framework
        .transitions()
        .iter()
        .filter(|transition| transition.to == level.id || transition.from.contains(&level.id))
        .collect();
    if !transitions.is_empty() {
        let _ = writeln!(out, "\nTransitions");
        for transition in transitions {
            let from: Vec<&str> = transition.from.iter().map(|id| id.as_str()).collect();
            let title = transition
                .title
                .clone()
                .unwrap_or_else(|| format!("{} to {}", from.join("/"), transition.to));
            let _ = writeln!(out, "  {title} ({} -> {})", from.join(", "), transition.to);
            let _ = writeln!(out, "    {}", transition.narrative);
        }
    }
    out
}

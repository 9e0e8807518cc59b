//! The framework as a Markdown document a company can publish as its ladder.

use std::fmt::Write as _;

use rungs_core::{Framework, Level};

/// Escapes the characters that would break a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn anchor(level: &Level) -> String {
    format!("level-{}", level.id.as_str().replace('.', "-"))
}

fn scope_lines(level: &Level) -> Vec<String> {
    level
        .scope
        .facts()
        .into_iter()
        .map(|(label, phrase)| format!("**{label}:** {phrase}"))
        .collect()
}

pub fn to_markdown(framework: &Framework) -> String {
    let meta = framework.meta();
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", meta.name);
    let _ = writeln!(out, "Version {} (`{}`).\n", meta.version, meta.id);
    if let Some(description) = &meta.description {
        let _ = writeln!(out, "{description}\n");
    }

    let _ = writeln!(out, "## The ladder\n");
    let _ = writeln!(
        out,
        "Levels in the same band are equivalent in compensation and status across tracks.\n"
    );
    let mut header = vec!["Band".to_owned()];
    header.extend(framework.tracks().iter().map(|track| cell(&track.name)));
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(header.len()));
    for (band, per_track) in framework.ladder() {
        let mut row = vec![match &band.name {
            Some(name) => format!("{} ({})", band.id, cell(name)),
            None => band.id.to_string(),
        }];
        for levels in per_track {
            let links: Vec<String> = levels
                .iter()
                .map(|level| format!("[{}](#{})", cell(&level.title), anchor(level)))
                .collect();
            row.push(if links.is_empty() { "-".to_owned() } else { links.join("<br>") });
        }
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');

    let _ = writeln!(out, "## Rating scale and readiness\n");
    let scale = framework.rating_scale();
    let labels: Vec<String> = scale.labels.iter().map(|label| format!("`{label}`")).collect();
    let _ = writeln!(
        out,
        "Ratings, lowest first: {}. An expectation is met at `{}` or above.\n",
        labels.join(", "),
        scale.meets
    );
    let _ = writeln!(out, "{}\n", framework.readiness().describe());

    for track in framework.tracks() {
        let _ = writeln!(out, "## {}\n", track.name);
        if let Some(description) = &track.description {
            let _ = writeln!(out, "{description}\n");
        }
        if !track.core_responsibilities.is_empty() {
            let _ = writeln!(out, "### Core responsibilities\n");
            for responsibility in &track.core_responsibilities {
                let _ = writeln!(out, "- {responsibility}");
            }
            out.push('\n');
        }
        for level in framework.levels_in_track(&track.id) {
            let _ = writeln!(out, "<a id=\"{}\"></a>\n", anchor(level));
            match &level.also_known_as {
                Some(also) => {
                    let _ = writeln!(out, "### {} ({also})\n", level.title);
                }
                None => {
                    let _ = writeln!(out, "### {}\n", level.title);
                }
            }
            let band = framework
                .band(level.band.as_str())
                .and_then(|band| band.name.clone())
                .unwrap_or_default();
            let peers: Vec<String> =
                framework.peers(level).iter().map(|peer| peer.title.clone()).collect();
            let mut facts = vec![format!("Level `{}`, band {} {band}", level.id, level.band)];
            if !peers.is_empty() {
                facts.push(format!("equivalent to {}", peers.join(", ")));
            }
            let _ = writeln!(out, "{}.\n", facts.join("; ").trim_end());
            if let Some(summary) = &level.summary {
                let _ = writeln!(out, "{summary}\n");
            }
            let scope = scope_lines(level);
            if !scope.is_empty() {
                let _ = writeln!(out, "{}\n", scope.join("  \n"));
            }
            for dimension in framework.dimensions() {
                let _ = writeln!(out, "#### {}\n", dimension.name);
                for expectation in level.expectations_in(&dimension.id) {
                    let _ = writeln!(out, "- {} <sub>`{}`</sub>", expectation.text, expectation.id);
                }
                out.push('\n');
            }
        }
    }

    if !framework.growth_areas().is_empty() {
        let _ = writeln!(out, "## Growth areas\n");
        for area in framework.growth_areas() {
            let _ = writeln!(out, "### {}\n", area.name);
            if let Some(description) = &area.description {
                let _ = writeln!(out, "{description}\n");
            }
            let _ = writeln!(out, "| Level | What it looks like |\n| --- | --- |");
            for statement in &area.statements {
                let titles = framework.titles_of(&statement.levels);
                let _ = writeln!(out, "| {} | {} |", cell(&titles), cell(&statement.text));
            }
            out.push('\n');
        }
    }

    if !framework.transitions().is_empty() {
        let _ = writeln!(out, "## Transitions between levels\n");
        for transition in framework.transitions() {
            let from: Vec<&str> = transition.from.iter().map(|id| id.as_str()).collect();
            let title = transition
                .title
                .clone()
                .unwrap_or_else(|| format!("{} to {}", from.join(", "), transition.to));
            let _ = writeln!(out, "### {title}\n");
            let _ = writeln!(out, "{}\n", transition.narrative);
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

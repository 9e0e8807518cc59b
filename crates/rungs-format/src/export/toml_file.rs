//! Writes a framework back in the house layout of the file format, so that an export reads like a
//! hand-written file and lints clean.

use std::fmt::Write as _;

use rungs_core::{Framework, Level};

/// A TOML string literal for `text`, escaped as needed.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn quote_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = items.into_iter().map(quote).collect();
    format!("[{}]", quoted.join(", "))
}

fn optional(out: &mut String, key: &str, value: Option<&String>) {
    if let Some(value) = value {
        let _ = writeln!(out, "{key} = {}", quote(value));
    }
}

fn level(out: &mut String, framework: &Framework, level: &Level) {
    let _ = writeln!(out, "[[levels]]");
    let _ = writeln!(out, "id = {}", quote(level.id.as_str()));
    let _ = writeln!(out, "track = {}", quote(level.track.as_str()));
    let _ = writeln!(out, "rank = {}", level.rank);
    let _ = writeln!(out, "band = {}", quote(level.band.as_str()));
    let _ = writeln!(out, "title = {}", quote(&level.title));
    optional(out, "also_known_as", level.also_known_as.as_ref());
    optional(out, "summary", level.summary.as_ref());
    if !level.scope.is_empty() {
        let mut parts = Vec::new();
        if let Some(org_size) = level.scope.org_size {
            parts.push(format!("org_size = {}", quote(&org_size.to_string())));
        }
        if let Some(horizon) = level.scope.horizon_months {
            parts.push(format!("horizon_months = {}", quote(&horizon.to_string())));
        }
        if let Some(budget) = level.scope.budget {
            parts.push(format!("budget = {}", quote(budget.as_str())));
        }
        let _ = writeln!(out, "scope = {{ {} }}", parts.join(", "));
    }
    for dimension in framework.dimensions() {
        let items: Vec<_> = level.expectations_in(&dimension.id).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n[[levels.expectations]]");
        let _ = writeln!(out, "dimension = {}", quote(dimension.id.as_str()));
        let _ = writeln!(out, "items = [");
        for item in items {
            let builds_on = item
                .builds_on
                .as_ref()
                .map(|base| format!(", builds_on = {}", quote(base.as_str())))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {{ id = {}, text = {}{builds_on} }},",
                quote(item.id.as_str()),
                quote(&item.text)
            );
        }
        let _ = writeln!(out, "]");
    }
    out.push('\n');
}

/// The framework in the file format.
pub fn to_toml(framework: &Framework) -> String {
    let mut out = String::new();
    let meta = framework.meta();
    let _ = writeln!(out, "# Rungs framework file: see docs/framework-format.md\n");
    let _ = writeln!(out, "[framework]");
    let _ = writeln!(out, "id = {}", quote(&meta.id));
    let _ = writeln!(out, "name = {}", quote(&meta.name));
    let _ = writeln!(out, "version = {}", quote(&meta.version));
    optional(&mut out, "description", meta.description.as_ref());

    let scale = framework.rating_scale();
    let _ = writeln!(out, "\n[rating_scale]");
    let _ = writeln!(out, "labels = {}", quote_list(scale.labels.iter().map(String::as_str)));
    let _ = writeln!(out, "meets = {}", quote(&scale.meets));

    let policy = framework.readiness();
    let _ = writeln!(out, "\n[readiness]");
    let _ = writeln!(out, "required_share = {:?}", policy.required_share);
    let _ = writeln!(out, "close_share = {:?}", policy.close_share);
    let _ = writeln!(out, "evidence_required = {}", policy.evidence_required);
    let _ = writeln!(out, "consecutive_cycles = {}", policy.consecutive_cycles);
    // Anonymous is the default; a file that says nothing keeps it.
    if framework.peer_feedback() != rungs_core::assess::PeerFeedbackPolicy::default() {
        let _ = writeln!(out, "\n[feedback]");
        let _ = writeln!(out, "peers = {}", quote(framework.peer_feedback().as_str()));
    }

    for track in framework.tracks() {
        let _ = writeln!(out, "\n[[tracks]]");
        let _ = writeln!(out, "id = {}", quote(track.id.as_str()));
        let _ = writeln!(out, "name = {}", quote(&track.name));
        optional(&mut out, "description", track.description.as_ref());
        if !track.core_responsibilities.is_empty() {
            let _ = writeln!(out, "core_responsibilities = [");
            for responsibility in &track.core_responsibilities {
                let _ = writeln!(out, "  {},", quote(responsibility));
            }
            let _ = writeln!(out, "]");
        }
    }

    for band in framework.bands() {
        let _ = writeln!(out, "\n[[bands]]");
        let _ = writeln!(out, "id = {}", quote(band.id.as_str()));
        let _ = writeln!(out, "rank = {}", band.rank);
        optional(&mut out, "name", band.name.as_ref());
        if band.single_track {
            let _ = writeln!(out, "single_track = true");
        }
    }

    for dimension in framework.dimensions() {
        let _ = writeln!(out, "\n[[dimensions]]");
        let _ = writeln!(out, "id = {}", quote(dimension.id.as_str()));
        let _ = writeln!(out, "name = {}", quote(&dimension.name));
        optional(&mut out, "description", dimension.description.as_ref());
    }
    out.push('\n');

    for track in framework.tracks() {
        for item in framework.levels_in_track(&track.id) {
            level(&mut out, framework, item);
        }
    }

    for area in framework.growth_areas() {
        let _ = writeln!(out, "[[growth_areas]]");
        let _ = writeln!(out, "id = {}", quote(area.id.as_str()));
        let _ = writeln!(out, "name = {}", quote(&area.name));
        optional(&mut out, "description", area.description.as_ref());
        if let Some(track) = &area.track {
            let _ = writeln!(out, "track = {}", quote(track.as_str()));
        }
        let _ = writeln!(out, "statements = [");
        for statement in &area.statements {
            let levels = quote_list(statement.levels.iter().map(|level| level.as_str()));
            let _ = writeln!(out, "  {{ levels = {levels}, text = {} }},", quote(&statement.text));
        }
        let _ = writeln!(out, "]\n");
    }

    for transition in framework.transitions() {
        let _ = writeln!(out, "[[transitions]]");
        match transition.from.as_slice() {
            [only] => {
                let _ = writeln!(out, "from = {}", quote(only.as_str()));
            }
            many => {
                let _ =
                    writeln!(out, "from = {}", quote_list(many.iter().map(|level| level.as_str())));
            }
        }
        let _ = writeln!(out, "to = {}", quote(transition.to.as_str()));
        optional(&mut out, "title", transition.title.as_ref());
        let _ = writeln!(out, "narrative = {}\n", quote(&transition.narrative));
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

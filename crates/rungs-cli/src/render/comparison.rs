//! `framework compare A B`: what B adds, drops and changes relative to A.

use std::fmt::Write as _;

use rungs_core::{Framework, LevelComparison, ScopeRange};

fn range_change(
    out: &mut String,
    name: &str,
    (from, to): (Option<ScopeRange>, Option<ScopeRange>),
    describe: fn(&ScopeRange) -> String,
) {
    if from.is_none() && to.is_none() {
        return;
    }
    let text = |range: Option<ScopeRange>| {
        range.as_ref().map_or_else(|| "not stated".to_owned(), describe)
    };
    let marker = if from == to { "unchanged: " } else { "" };
    let _ = writeln!(out, "  {name}: {marker}{} -> {}", text(from), text(to));
}

pub fn comparison(framework: &Framework, comparison: &LevelComparison<'_>) -> String {
    let (from, to) = (comparison.from, comparison.to);
    let mut out = String::new();
    let _ = writeln!(out, "{} -> {}", from.label(), to.label());
    let track_phrase = if comparison.same_track {
        "same track".to_owned()
    } else {
        let name = |id: &str| framework.track(id).map_or(id.to_owned(), |track| track.name.clone());
        format!("track switch: {} -> {}", name(from.track.as_str()), name(to.track.as_str()))
    };
    let step = match comparison.band_step {
        0 => "same band".to_owned(),
        1 => "one band up".to_owned(),
        -1 => "one band down".to_owned(),
        step if step > 0 => format!("{step} bands up"),
        step => format!("{} bands down", -step),
    };
    let _ = writeln!(out, "{track_phrase}, {step} ({} -> {}).", from.band, to.band);

    let scope = &comparison.scope;
    let mut scope_lines = String::new();
    range_change(&mut scope_lines, "Org size", scope.org_size, |range| {
        format!("{} engineers", range.describe())
    });
    range_change(&mut scope_lines, "Horizon", scope.horizon_months, ScopeRange::describe_months);
    if scope.budget.0.is_some() || scope.budget.1.is_some() {
        let text = |budget: Option<rungs_core::Budget>| {
            budget.map_or("not stated", |budget| budget.describe())
        };
        let marker = if scope.budget.0 == scope.budget.1 { "unchanged: " } else { "" };
        let _ = writeln!(
            scope_lines,
            "  Budget: {marker}{} -> {}",
            text(scope.budget.0),
            text(scope.budget.1)
        );
    }
    if !scope_lines.is_empty() {
        let _ = write!(out, "\nScope\n{scope_lines}");
    }

    for dimension in &comparison.dimensions {
        let _ = writeln!(out, "\n{}", dimension.dimension.name);
        if dimension.changed.is_empty()
            && dimension.added.is_empty()
            && dimension.dropped.is_empty()
        {
            let _ = writeln!(out, "  (no expectations at either level)");
        }
        if !dimension.changed.is_empty() {
            let _ = writeln!(out, "  changes:");
            for pair in &dimension.changed {
                let _ = writeln!(out, "    - {} [{}]", pair.from.text, pair.from.id);
                let _ = writeln!(out, "    + {} [{}]", pair.to.text, pair.to.id);
            }
        }
        if !dimension.added.is_empty() {
            let _ = writeln!(out, "  adds:");
            for expectation in &dimension.added {
                let _ = writeln!(out, "    + {} [{}]", expectation.text, expectation.id);
            }
        }
        if !dimension.dropped.is_empty() {
            let _ = writeln!(out, "  drops:");
            for expectation in &dimension.dropped {
                let _ = writeln!(out, "    - {} [{}]", expectation.text, expectation.id);
            }
        }
    }
    if let Some(transition) = comparison.transition {
        let title = transition.title.as_deref().unwrap_or("Transition");
        let _ = writeln!(out, "\nTransition: {title}\n  {}", transition.narrative);
    }
    out
}

//! `framework diff OLD NEW`: the semantic difference, laid out for review.

use std::fmt::Write as _;

use rungs_core::{FieldChange, FrameworkDiff, NamedItem};

fn named(out: &mut String, title: &str, items: &[NamedItem]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}");
    for item in items {
        if item.name.is_empty() {
            let _ = writeln!(out, "  {}", item.id);
        } else {
            let _ = writeln!(out, "  {} ({})", item.id, item.name);
        }
    }
}

fn fields(out: &mut String, title: &str, changes: &[FieldChange]) {
    if changes.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}");
    let shown =
        |value: &str| if value.is_empty() { "(not set)".to_owned() } else { value.to_owned() };
    for change in changes {
        let _ = writeln!(out, "  {} {}", change.subject, change.field);
        let _ = writeln!(out, "    - {}", shown(&change.old));
        let _ = writeln!(out, "    + {}", shown(&change.new));
    }
}

pub fn diff(diff: &FrameworkDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Framework {} -> {}", diff.old_version, diff.new_version);
    if diff.is_empty() {
        let _ = writeln!(out, "No differences in meaning.");
        return out;
    }
    let metadata: Vec<FieldChange> =
        diff.metadata.iter().filter(|change| change.field != "version").cloned().collect();
    fields(&mut out, "Settings changed", &metadata);
    named(&mut out, "Tracks added", &diff.tracks_added);
    named(&mut out, "Tracks removed", &diff.tracks_removed);
    named(&mut out, "Bands added", &diff.bands_added);
    named(&mut out, "Bands removed", &diff.bands_removed);
    fields(&mut out, "Bands changed", &diff.bands_changed);
    named(&mut out, "Dimensions added", &diff.dimensions_added);
    named(&mut out, "Dimensions removed", &diff.dimensions_removed);
    fields(&mut out, "Dimensions changed", &diff.dimensions_changed);
    named(&mut out, "Levels added", &diff.levels_added);
    named(&mut out, "Levels removed", &diff.levels_removed);
    for level in &diff.levels_changed {
        fields(&mut out, &format!("Level {} changed", level.id), &level.changes);
    }
    let expectation_list =
        |out: &mut String, title: &str, items: &[rungs_core::ExpectationChange], sign: char| {
            if items.is_empty() {
                return;
            }
            let _ = writeln!(out, "\n{title}");
            for item in items {
                let _ = writeln!(
                    out,
                    "  {sign} {} ({} / {}): {}",
                    item.id, item.level, item.dimension, item.text
                );
            }
        };
    expectation_list(&mut out, "Expectations added", &diff.expectations_added, '+');
    expectation_list(&mut out, "Expectations removed", &diff.expectations_removed, '-');
    if !diff.expectations_reworded.is_empty() {
        let _ = writeln!(out, "\nExpectations reworded");
        for change in &diff.expectations_reworded {
            let _ = writeln!(out, "  {}\n    - {}\n    + {}", change.id, change.old, change.new);
        }
    }
    if !diff.expectations_moved.is_empty() {
        let _ = writeln!(out, "\nExpectations moved");
        for moved in &diff.expectations_moved {
            let _ = writeln!(
                out,
                "  {}: {} / {} -> {} / {}",
                moved.id,
                moved.from_level,
                moved.from_dimension,
                moved.to_level,
                moved.to_dimension
            );
        }
    }
    named(&mut out, "Growth areas added", &diff.growth_areas_added);
    named(&mut out, "Growth areas removed", &diff.growth_areas_removed);
    fields(&mut out, "Growth statements changed", &diff.growth_statements_changed);
    named(&mut out, "Transitions added", &diff.transitions_added);
    named(&mut out, "Transitions removed", &diff.transitions_removed);
    fields(&mut out, "Transitions changed", &diff.transitions_changed);
    out
}

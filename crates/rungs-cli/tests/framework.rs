//! `rungs framework …` end to end through the real binary: snapshots of what people read, the
//! specification carried verbatim, round trips, exit statuses and error messages.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::collections::BTreeSet;

use support::Test;

#[test]
fn show_the_ladder() {
    insta::assert_snapshot!(Test::new().args(["framework", "show"]).stdout());
}

#[test]
fn show_one_level() {
    insta::assert_snapshot!(Test::new().args(["framework", "show", "em"]).stdout());
}

#[test]
fn compare_up_the_management_track() {
    insta::assert_snapshot!(Test::new().args(["framework", "compare", "em", "sem"]).stdout());
}

#[test]
fn compare_across_tracks_is_a_track_switch() {
    insta::assert_snapshot!(Test::new().args(["framework", "compare", "ic5", "sem"]).stdout());
}

#[test]
fn compare_down_the_track_reverses_the_changes() {
    let output = Test::new().args(["framework", "compare", "sem", "em"]).stdout();
    assert!(output.starts_with(
        "Senior Engineering Manager (sem) -> Engineering Manager (em)\nsame track, one band down"
    ));
    assert!(output.contains(
        "    - Ability to lead multiple teams or a larger team (8-15 engineers) [sem.leadership.lead-multiple-teams]\n    + Ability to lead a small team of engineers (typically 5-8) [em.leadership.lead-small-team]"
    ));
    assert!(!output.contains("Transition:"), "no narrative is written for stepping down");
}

#[test]
fn compare_shows_the_individual_contributor_to_manager_transition() {
    let output = Test::new().args(["framework", "compare", "ic4", "em"]).stdout();
    assert!(output.contains("Transition: Individual Contributor to Engineering Manager\n  This fundamental transition requires shifting from personal technical contribution to enabling others."));
}

#[test]
fn growth_area_by_name_or_id() {
    let by_name = Test::new().args(["framework", "growth-area", "People Development"]).stdout();
    let by_id = Test::new().args(["framework", "growth-area", "people-development"]).stdout();
    assert_eq!(by_name, by_id);
    insta::assert_snapshot!(by_name);
}

#[test]
fn diff_two_versions() {
    insta::assert_snapshot!(
        Test::new().args(["framework", "diff", "ladder-v1.toml", "ladder-v2.toml"]).stdout()
    );
}

#[test]
fn diff_as_json() {
    let output = Test::new()
        .args(["framework", "diff", "ladder-v1.toml", "ladder-v2.toml", "--json"])
        .stdout();
    let diff: serde_json::Value = serde_json::from_str(&output).expect("JSON");
    assert_eq!(diff["old_version"], "1");
    assert_eq!(diff["new_version"], "2");
    assert_eq!(diff["levels_added"][0]["id"], "ic3");
    assert_eq!(diff["expectations_reworded"][0]["id"], "ic2.craft.tests");
    assert_eq!(diff["expectations_removed"][0]["id"], "m1.people.coaches");
}

#[test]
fn diff_of_a_file_with_itself_is_empty() {
    let output =
        Test::new().args(["framework", "diff", "ladder-v1.toml", "ladder-v1.toml"]).stdout();
    assert_eq!(output, "Framework 1 -> 1\nNo differences in meaning.\n");
}

#[test]
fn export_markdown() {
    insta::assert_snapshot!(Test::new().args(["framework", "export", "--format", "md"]).stdout());
}

#[test]
fn export_html_is_a_complete_escaped_document() {
    let html = Test::new().args(["framework", "export", "--format", "html"]).stdout();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<h3>Engineering Manager (First-Level Manager)</h3>"));
    assert!(html.contains("Growth in team’s technical capabilities and output"));
    assert!(html.contains("Builds leadership teams and succession planning for the organization"));
    // Text is escaped, never injected.
    assert!(html.contains("Team &#38; Project Scope") || html.contains("Team &amp; Project Scope"));
    assert!(html.trim_end().ends_with("</html>"));
}

/// Every statement of the specification: each bullet, growth-area cell and transition paragraph.
fn specification_statements() -> Vec<String> {
    let spec = include_str!("../../rungs-format/tests/fixtures/management-ladder.txt");
    let lines: Vec<&str> = spec.lines().collect();
    let mut statements = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if let Some(bullet) = line.strip_prefix("- ") {
            // Growth-area cells read `Level: statement`; the statement is what the ladder carries.
            let cell =
                ["Engineering Manager: ", "Senior Engineering Manager: ", "Director: ", "VP/CTO: "]
                    .iter()
                    .find_map(|label| bullet.strip_prefix(label));
            statements.push(cell.unwrap_or(bullet).to_owned());
        }
        let transition_heading = index
            > lines
                .iter()
                .position(|line| *line == "Key Transitions Between Levels")
                .unwrap_or(usize::MAX)
            && index
                < lines
                    .iter()
                    .position(|line| line.starts_with("Management-Specific Growth Areas"))
                    .unwrap_or(0);
        if transition_heading && lines.get(index + 1).is_some_and(|next| next.len() > 120) {
            statements.push(lines[index + 1].to_owned());
        }
    }
    statements.push(lines[1].to_owned());
    statements
}

#[test]
fn json_export_carries_every_statement_of_the_specification_verbatim() {
    let exported = Test::new().args(["framework", "export", "--format", "json"]).stdout();
    let framework: serde_json::Value = serde_json::from_str(&exported).expect("JSON");
    let mut strings = BTreeSet::new();
    collect_strings(&framework, &mut strings);
    let statements = specification_statements();
    assert!(
        statements.len() > 150,
        "parsed {} statements from the specification",
        statements.len()
    );
    let missing: Vec<&String> =
        statements.iter().filter(|statement| !strings.contains(*statement)).collect();
    assert!(missing.is_empty(), "missing from the export: {missing:#?}");
    assert_eq!(framework["levels"].as_array().map(Vec::len), Some(12));
    let ids: Vec<&str> = framework["levels"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|level| level["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        ["em", "sem", "director", "vp", "cto", "ic1", "ic2", "ic3", "ic4", "ic5", "ic6", "ic7"]
    );
}

fn collect_strings(value: &serde_json::Value, into: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::String(text) => {
            into.insert(text.clone());
        }
        serde_json::Value::Array(items) => {
            items.iter().for_each(|item| collect_strings(item, into))
        }
        serde_json::Value::Object(fields) => {
            fields.values().for_each(|item| collect_strings(item, into))
        }
        _ => {}
    }
}

#[test]
fn dual_ladder_bands_pair_ic_and_management_levels() {
    let ladder = Test::new().args(["framework", "show", "--json"]).stdout();
    let ladder: serde_json::Value = serde_json::from_str(&ladder).expect("JSON");
    let pairs: Vec<(String, String)> = ladder["bands"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|band| (band["levels"]["management"].to_string(), band["levels"]["ic"].to_string()))
        .collect();
    let expected = [
        ("[\"cto\"]", "[]"),
        ("[\"vp\"]", "[\"ic7\"]"),
        ("[\"director\"]", "[\"ic6\"]"),
        ("[\"sem\"]", "[\"ic5\"]"),
        ("[\"em\"]", "[\"ic4\"]"),
        ("[]", "[\"ic3\"]"),
        ("[]", "[\"ic2\"]"),
        ("[]", "[\"ic1\"]"),
    ];
    let expected: Vec<(String, String)> =
        expected.iter().map(|(left, right)| (left.to_string(), right.to_string())).collect();
    assert_eq!(pairs, expected);
}

#[test]
fn toml_export_round_trips_through_lint() {
    let folder = tempfolder("round-trip");
    let exported = Test::new().args(["framework", "export", "--format", "toml"]).stdout();
    let path = folder.join("exported.toml");
    std::fs::write(&path, &exported).expect("write");
    let lint =
        Test::new().args(["framework", "lint"]).arg(path.display().to_string()).run().status(0);
    assert_eq!(lint.stdout, format!("{}: 0 error(s), 0 warning(s)\n", path.display()));
    let from_file = Test::new()
        .args(["framework", "export", "--format", "json", "--file"])
        .arg(path.display().to_string())
        .stdout();
    let builtin = Test::new().args(["framework", "export", "--format", "json"]).stdout();
    assert_eq!(from_file, builtin, "the exported TOML means exactly the built-in framework");
    let again = Test::new()
        .args(["framework", "export", "--format", "toml", "--file"])
        .arg(path.display().to_string())
        .stdout();
    assert_eq!(again, exported, "exporting is stable");
}

fn tempfolder(name: &str) -> std::path::PathBuf {
    let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&folder).expect("temp folder");
    folder
}

#[test]
fn lint_reports_errors_and_exits_1() {
    let run = Test::new().args(["framework", "lint", "broken.toml"]).run().status(1);
    assert_eq!(
        run.stdout,
        "broken.toml:8:9: error: `meets` names `meet`, which is not one of the rating labels (did you mean `meets`?)\n\
         broken.toml:24:6: warning: band `b2` is used by track `ic` only: give it a level on another track, or set `single_track = true` if that is intended\n\
         broken.toml:71:8: error: unknown band `b9` (did you mean `b1`?)\n\
         broken.toml: 2 error(s), 1 warning(s)\n"
    );
}

#[test]
fn lint_as_json() {
    let run = Test::new().args(["framework", "lint", "broken.toml", "--json"]).run().status(1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["errors"], 2);
    assert_eq!(report["warnings"], 1);
    assert_eq!(report["diagnostics"][2]["line"], 71);
    assert_eq!(report["diagnostics"][2]["column"], 8);
    assert_eq!(report["diagnostics"][2]["severity"], "error");
    assert_eq!(report["diagnostics"][2]["message"], "unknown band `b9` (did you mean `b1`?)");
}

#[test]
fn lint_of_a_clean_file_exits_0() {
    let run = Test::new().args(["framework", "lint", "ladder-v1.toml"]).run().status(0);
    assert_eq!(run.stdout, "ladder-v1.toml: 0 error(s), 0 warning(s)\n");
}

#[test]
fn a_missing_file_is_named_with_a_suggestion_and_exits_2() {
    let run = Test::new().args(["framework", "lint", "ladder-v3.toml"]).run().status(2);
    assert_eq!(
        run.stderr,
        "error: cannot read `ladder-v3.toml`: no such file (did you mean `./ladder-v1.toml`?)\n"
    );
}

#[test]
fn an_unknown_level_is_named_with_a_suggestion_and_exits_2() {
    let run = Test::new().args(["framework", "show", "directr"]).run().status(2);
    assert_eq!(
        run.stderr,
        "error: unknown level `directr` (did you mean `director`?); levels are: em, sem, director, vp, cto, ic1, ic2, ic3, ic4, ic5, ic6, ic7\n"
    );
    let run = Test::new().args(["framework", "compare", "em", "semm"]).run().status(2);
    assert!(run.stderr.starts_with("error: unknown level `semm` (did you mean `sem`?)"));
}

#[test]
fn an_unknown_growth_area_is_named_with_a_suggestion() {
    let run = Test::new().args(["framework", "growth-area", "people developmnt"]).run().status(2);
    assert!(
        run.stderr.starts_with(
            "error: unknown growth area `people developmnt` (did you mean `People Development`?)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn commands_refuse_an_invalid_framework_file_with_its_diagnostics() {
    let run = Test::new().args(["framework", "show", "--file", "broken.toml"]).run().status(2);
    assert!(
        run.stderr
            .starts_with("error: `broken.toml` is not a valid framework:\nbroken.toml:8:9: error:"),
        "{}",
        run.stderr
    );
}

#[test]
fn schema_describes_the_file_format() {
    let schema = Test::new().args(["framework", "schema"]).stdout();
    let schema: serde_json::Value = serde_json::from_str(&schema).expect("JSON");
    assert_eq!(schema["title"], "Rungs framework");
    assert!(
        schema["required"]
            .as_array()
            .is_some_and(|required| required.contains(&"framework".into()))
    );
    let level = &schema["$defs"]["LevelDoc"]["properties"];
    for field in ["id", "track", "rank", "band", "title", "scope", "expectations"] {
        assert!(level.get(field).is_some(), "schema lacks levels.{field}");
    }
}

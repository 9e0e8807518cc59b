//! Every validation the linter performs, each with the exact message and location a user sees.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

use rungs_format::{SourceFile, lint};

const SMALL: &str = include_str!("fixtures/small.toml");

/// Lints the small fixture after replacing `from` (which must occur exactly once) with `to`.
fn lint_edited(edits: &[(&str, &str)]) -> Vec<String> {
    let mut text = SMALL.to_owned();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "fixture must contain `{from}` exactly once");
        text = text.replacen(from, to, 1);
    }
    let source = SourceFile::new("ladder.toml", text);
    let linted = lint(&source);
    let errors = linted.diagnostics.iter().any(|diagnostic| diagnostic.is_error());
    assert_eq!(
        linted.framework.is_none(),
        errors,
        "a framework is built exactly when there are no errors"
    );
    linted.diagnostics.iter().map(|diagnostic| diagnostic.render(&source)).collect()
}

#[test]
fn the_fixture_is_clean() {
    assert_eq!(lint_edited(&[]), Vec::<String>::new());
}

#[test]
fn syntax_error() {
    assert_eq!(
        lint_edited(&[("title = \"Engineer\"", "title = \"Engineer")]),
        ["ladder.toml:40:18: error: invalid basic string, expected `\"`"]
    );
}

#[test]
fn unknown_field() {
    assert_eq!(
        lint_edited(&[("title = \"Manager\"", "titel = \"Manager\"")]),
        [
            "ladder.toml:72:1: error: unknown field `titel`, expected one of `id`, `track`, `rank`, `band`, `title`, `also_known_as`, `summary`, `scope`, `expectations`"
        ]
    );
}

#[test]
fn wrong_type() {
    assert_eq!(
        lint_edited(&[("rank = 1\nband = \"b2\"", "rank = \"first\"\nband = \"b2\"")]),
        ["ladder.toml:70:8: error: invalid type: string \"first\", expected u32"]
    );
}

#[test]
fn duplicate_level_id() {
    assert_eq!(
        lint_edited(&[("id = \"m1\"", "id = \"ic2\"")]),
        [
            "ladder.toml:68:6: error: duplicate level id `ic2` (first defined at line 52, column 6)",
            "ladder.toml:94:6: error: unknown level `m1`",
        ]
    );
}

#[test]
fn duplicate_expectation_id() {
    assert_eq!(
        lint_edited(&[("id = \"m1.craft.quality\"", "id = \"ic1.craft.tests\"")]),
        [
            "ladder.toml:77:17: error: duplicate expectation id `ic1.craft.tests` (first defined at line 45, column 17)"
        ]
    );
}

#[test]
fn invalid_id() {
    assert_eq!(
        lint_edited(&[("id = \"m1\"", "id = \"Manager 1\"")]),
        [
            "ladder.toml:68:6: error: invalid level id: `Manager 1` is not a valid id: use lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit",
            "ladder.toml:94:6: error: unknown level `m1`",
        ]
    );
}

#[test]
fn unknown_track_with_suggestion() {
    assert_eq!(
        lint_edited(&[("track = \"mgmt\"", "track = \"mgnt\"")]),
        // `m1` still counts as on a second track for band `b2`, so no band warning follows.
        ["ladder.toml:69:9: error: unknown track `mgnt` (did you mean `mgmt`?)"]
    );
}

#[test]
fn unknown_band() {
    assert_eq!(
        lint_edited(&[(
            "band = \"b2\"\ntitle = \"Manager\"",
            "band = \"b3\"\ntitle = \"Manager\""
        )]),
        [
            "ladder.toml:24:6: warning: band `b2` is used by track `ic` only: give it a level on another track, or set `single_track = true` if that is intended",
            "ladder.toml:71:8: error: unknown band `b3` (did you mean `b1`?)",
        ]
    );
}

#[test]
fn unknown_dimension_and_the_dimension_left_without_expectations() {
    assert_eq!(
        lint_edited(&[(
            "dimension = \"people\"\nitems = [{ id = \"m1",
            "dimension = \"peple\"\nitems = [{ id = \"m1"
        )]),
        [
            "ladder.toml:68:6: error: level `m1` has no expectations in dimension `people`",
            "ladder.toml:80:13: error: unknown dimension `peple` (did you mean `people`?)",
        ]
    );
}

#[test]
fn level_without_expectations_in_a_dimension() {
    assert_eq!(
        lint_edited(&[(
            "\n[[levels.expectations]]\ndimension = \"people\"\nitems = [{ id = \"m1.people.coaches\", text = \"Coaches each engineer\" }]\n",
            ""
        )]),
        ["ladder.toml:68:6: error: level `m1` has no expectations in dimension `people`"]
    );
}

#[test]
fn rank_gap() {
    assert_eq!(
        lint_edited(&[("rank = 2\nband", "rank = 3\nband")]),
        [
            "ladder.toml:54:8: error: rank gap in track `ic`: level `ic2` has rank 3 but no level has rank 2"
        ]
    );
}

#[test]
fn duplicate_rank() {
    assert_eq!(
        lint_edited(&[("rank = 2\nband", "rank = 1\nband")]),
        [
            "ladder.toml:54:8: error: levels `ic1` and `ic2` both have rank 1 in track `ic`",
            "ladder.toml:61:91: warning: expectation `ic2.craft.tests` of level `ic2` builds on `ic1.craft.tests` of level `ic1`, which is not below it",
            "ladder.toml:65:79: warning: expectation `ic2.people.mentors` of level `ic2` builds on `ic1.people.reviews` of level `ic1`, which is not below it",
        ]
    );
}

#[test]
fn inverted_range() {
    assert_eq!(
        lint_edited(&[("\"3..=6\"", "\"6..=3\"")]),
        ["ladder.toml:57:28: error: `6..=3` is inverted: its start 6 is greater than its end 3"]
    );
}

#[test]
fn exclusive_range() {
    assert_eq!(
        lint_edited(&[("\"4..=8\"", "\"4..8\"")]),
        [
            "ladder.toml:73:22: error: `4..8` is an exclusive range: ranges are inclusive, write `4..=7`"
        ]
    );
}

#[test]
fn overlapping_ranges_of_consecutive_levels() {
    assert_eq!(
        lint_edited(&[("\"3..=6\"", "\"2..=6\"")]),
        [
            "ladder.toml:57:28: error: `horizon_months` 2..=6 of level `ic2` overlaps 1..=3 of `ic1`, the level below: ranges of consecutive levels may share an endpoint but must not overlap or go down"
        ]
    );
}

#[test]
fn unknown_budget() {
    assert_eq!(
        lint_edited(&[("budget = \"team\"", "budget = \"teams\"")]),
        [
            "ladder.toml:73:40: error: unknown budget `teams` (did you mean `team`?); expected one of: none, team, multi-team, department, engineering, company"
        ]
    );
}

#[test]
fn transitions_between_unknown_levels() {
    assert_eq!(
        lint_edited(&[("from = \"ic2\"\nto = \"m1\"", "from = \"ic9\"\nto = \"m2\"")]),
        [
            "ladder.toml:93:8: error: transition from unknown level `ic9` (did you mean `ic1`?)",
            "ladder.toml:94:6: error: unknown level `m2` (did you mean `m1`?)",
        ]
    );
}

#[test]
fn band_used_by_one_track_only_is_a_warning() {
    let diagnostics = lint_edited(&[("rank = 1\nsingle_track = true\n", "rank = 1\n")]);
    assert_eq!(
        diagnostics,
        [
            "ladder.toml:19:6: warning: band `b1` is used by track `ic` only: give it a level on another track, or set `single_track = true` if that is intended"
        ]
    );
}

#[test]
fn meets_must_be_a_label() {
    assert_eq!(
        lint_edited(&[("meets = \"meets\"", "meets = \"meet\"")]),
        [
            "ladder.toml:8:9: error: `meets` names `meet`, which is not one of the rating labels (did you mean `meets`?)"
        ]
    );
}

#[test]
fn not_observed_is_no_label_of_a_scale() {
    assert_eq!(
        lint_edited(&[("\"above\"]", "\"above\", \"not-observed\"]")]),
        [
            "ladder.toml:7:38: error: `not-observed` is kept for expectations the assessor could not observe; name the label otherwise"
        ]
    );
}

#[test]
fn builds_on_unknown_expectation() {
    assert_eq!(
        lint_edited(&[("builds_on = \"ic1.craft.tests\"", "builds_on = \"ic1.craft.test\"")]),
        [
            "ladder.toml:61:91: error: unknown expectation `ic1.craft.test` (did you mean `ic1.craft.tests`?)"
        ]
    );
}

#[test]
fn growth_area_problems() {
    assert_eq!(
        lint_edited(&[(
            "{ levels = [\"ic2\"], text = \"Mentors engineers\" }",
            "{ levels = [\"ic1\", \"ic7\"], text = \"Mentors engineers\" }"
        )]),
        [
            "ladder.toml:84:6: warning: growth area `mentoring` has no statement for level `ic2`",
            "ladder.toml:89:15: error: growth area `mentoring` has two statements for level `ic1`",
            "ladder.toml:89:22: error: unknown level `ic7` (did you mean `ic1`?)",
        ]
    );
}

#[test]
fn every_problem_is_reported_at_once_in_file_order() {
    let diagnostics = lint_edited(&[
        ("meets = \"meets\"", "meets = \"great\""),
        ("rank = 2\nband", "rank = 3\nband"),
        ("track = \"mgmt\"", "track = \"mgnt\""),
    ]);
    assert_eq!(
        diagnostics,
        [
            "ladder.toml:8:9: error: `meets` names `great`, which is not one of the rating labels",
            "ladder.toml:54:8: error: rank gap in track `ic`: level `ic2` has rank 3 but no level has rank 2",
            "ladder.toml:69:9: error: unknown track `mgnt` (did you mean `mgmt`?)",
        ]
    );
}

#[test]
fn readiness_defaults_follow_a_lowered_required_share() {
    let policy = "meets = \"meets\"\n\n[readiness]\nrequired_share = 0.5";
    assert_eq!(lint_edited(&[("meets = \"meets\"", policy)]), Vec::<String>::new());
}

#[test]
fn readiness_close_share_above_required_share() {
    let policy = "meets = \"meets\"\n\n[readiness]\nrequired_share = 0.5\nclose_share = 0.7";
    assert_eq!(
        lint_edited(&[("meets = \"meets\"", policy)]),
        ["ladder.toml:12:15: error: `close_share` (0.7) cannot be above `required_share` (0.5)"]
    );
}

#[test]
fn readiness_shares_outside_zero_to_one() {
    let policy = "meets = \"meets\"\n\n[readiness]\nrequired_share = 1.5\nclose_share = 0.9\nconsecutive_cycles = 0";
    assert_eq!(
        lint_edited(&[("meets = \"meets\"", policy)]),
        [
            "ladder.toml:11:18: error: `required_share` must be between 0 and 1 (a share of expectations); found 1.5",
            "ladder.toml:13:22: error: `consecutive_cycles` must be at least 1",
        ]
    );
}

#[test]
fn peer_feedback_is_anonymous_or_named() {
    let named = "meets = \"meets\"\n\n[feedback]\npeers = \"named\"";
    assert_eq!(lint_edited(&[("meets = \"meets\"", named)]), Vec::<String>::new());
    let source = SourceFile::new("ladder.toml", SMALL.replacen("meets = \"meets\"", named, 1));
    let framework = lint(&source).framework.unwrap();
    assert_eq!(framework.peer_feedback(), rungs_core::assess::PeerFeedbackPolicy::Named);
    // The export writes it, and reads back the same.
    let exported = rungs_format::export::to_toml(&framework);
    assert!(exported.contains("[feedback]\npeers = \"named\""), "{exported}");
    // A diff, and so the activation page, says so.
    let anonymous = lint(&SourceFile::new("ladder.toml", SMALL.to_owned())).framework.unwrap();
    let diff = rungs_core::FrameworkDiff::between(&anonymous, &framework);
    let peers = diff.metadata.iter().find(|change| change.subject == "feedback").unwrap();
    assert_eq!(
        (peers.field.as_str(), peers.old.as_str(), peers.new.as_str()),
        ("peers", "anonymous", "named")
    );
    let unknown = "meets = \"meets\"\n\n[feedback]\npeers = \"public\"";
    assert_eq!(
        lint_edited(&[("meets = \"meets\"", unknown)]),
        ["ladder.toml:11:9: error: `peers` is `anonymous` or `named`; found `public`"]
    );
}

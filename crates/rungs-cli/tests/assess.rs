//! Cycles, assessments, readiness, growth plans, history, team views and assessment files end
//! to end, through the real `rungs` binary on real databases: every refused change shows the
//! message a user sees and that nothing was written.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{Test, postgres_database, temp_folder};

/// The org of these tests: a director, a manager and three others, as an HR export.
const ORG: &str = support::FIVE_PEOPLE;

/// A folder with its own database and the small org imported, for one test.
struct Instance {
    folder: PathBuf,
    url: String,
}

impl Instance {
    fn new(name: &str) -> Instance {
        let folder = temp_folder(name);
        let url = format!("sqlite://{}", folder.join("rungs.db").display());
        Instance::at(folder, url)
    }

    fn at(folder: PathBuf, url: String) -> Instance {
        let instance = Instance { folder, url };
        let org = instance.write("org.csv", ORG);
        instance.rungs().args(["org", "import", &org]).stdout();
        instance
    }

    fn write(&self, name: &str, contents: &str) -> String {
        let path = self.folder.join(name);
        std::fs::write(&path, contents).unwrap();
        path.display().to_string()
    }

    fn rungs(&self) -> Test {
        Test::new().db(&self.url)
    }

    fn json(&self, arguments: &[&str]) -> Value {
        let mut all: Vec<&str> = arguments.to_vec();
        all.push("--json");
        serde_json::from_str(&self.rungs().args(all).stdout()).unwrap()
    }

    /// Runs a command that must fail with exit status 2; returns what it printed on stderr.
    fn refused(&self, arguments: &[&str]) -> String {
        let run = self.rungs().args(arguments.iter().copied()).run().status(2);
        run.stderr.trim_end().to_owned()
    }

    /// Creates an assessment in cycle 2026-H2 and returns its id.
    fn create(&self, subject: &str, assessor: &str, kind: &str) -> String {
        self.create_in("2026-H2", subject, assessor, kind)
    }

    fn create_in(&self, cycle: &str, subject: &str, assessor: &str, kind: &str) -> String {
        let created = self.json(&[
            "assess",
            "create",
            "--cycle",
            cycle,
            "--subject",
            subject,
            "--assessor",
            assessor,
            "--kind",
            kind,
        ]);
        created["id"].as_i64().unwrap().to_string()
    }

    fn assessment(&self, id: &str) -> Value {
        self.json(&["assess", "show", id])
    }
}

/// The ids of a level's expectations in the active (here: built-in) framework.
fn expectations(instance: &Instance, level: &str) -> Vec<String> {
    let shown = instance.json(&["framework", "show", level]);
    shown["level"]["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|expectation| expectation["id"].as_str().unwrap().to_owned())
        .collect()
}

fn ratings(ids: &[String], rating: &str) -> Vec<String> {
    ids.iter().map(|id| format!("{id}={rating}")).collect()
}

/// Rated rows of an assessment, as (expectation, rating), leaving out those marked not
/// observed.
fn rated(view: &Value) -> Vec<(String, String)> {
    view["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| {
            Some((row["expectation"].as_str()?.to_owned(), row["rating"].as_str()?.to_owned()))
        })
        .filter(|(_, rating)| rating != "not-observed")
        .collect()
}

#[test]
fn a_cycle_from_self_assessment_to_agreed_ratings_and_readiness() {
    let instance = Instance::new("assess-cycle");
    assert_eq!(
        instance.rungs().args(["cycle", "open", "2026-H2"]).stdout(),
        "Opened cycle 2026-H2.\n"
    );
    let ic4 = expectations(&instance, "ic4");
    assert_eq!(ic4.len(), 25);

    let own = instance.create("E3", "E3", "self");
    instance.rungs().args(["assess", "rate", &own]).args(ratings(&ic4, "exceeds")).stdout();
    instance.rungs().args(["assess", "submit", &own, "--unrated-not-observed"]).stdout();

    let manager = instance.create("E3", "E2", "manager");
    let view = instance.assessment(&manager);
    assert_eq!(view["assessment"]["current_level"], "ic3");
    assert_eq!(view["assessment"]["target_level"], "ic4");
    assert_eq!(view["assessment"]["framework"]["framework_id"], "rungs-engineering");
    assert_eq!(view["rows"].as_array().unwrap().len(), 50, "every expectation of ic3 and ic4");
    // Four of the five expectations of every dimension meet; the fifth is developing.
    let strong: Vec<String> = ic4
        .iter()
        .enumerate()
        .filter(|(index, _)| index % 5 != 4)
        .map(|(_, id)| id.clone())
        .collect();
    let weak: Vec<String> = ic4
        .iter()
        .enumerate()
        .filter(|(index, _)| index % 5 == 4)
        .map(|(_, id)| id.clone())
        .collect();
    instance.rungs().args(["assess", "rate", &manager]).args(ratings(&strong, "meets")).stdout();
    instance.rungs().args(["assess", "rate", &manager]).args(ratings(&weak, "developing")).stdout();
    for expectation in &strong {
        instance
            .rungs()
            .args([
                "assess",
                "evidence",
                &manager,
                expectation,
                "Led the compiler rewrite design review",
            ])
            .args(["--link", "https://wiki.example.com/compilers/rewrite", "--date", "2026-09-14"])
            .stdout();
    }
    instance.rungs().args(["assess", "submit", &manager, "--unrated-not-observed"]).stdout();

    // Before anything is agreed, nothing counts: the level is not assessed, not "not yet".
    let before = instance.json(&["readiness", "E3"]);
    assert_eq!(before["readiness"]["verdict"], "not-assessed");
    assert_eq!(before["readiness"]["met"], 0);
    let text = instance.rungs().args(["readiness", "E3"]).stdout();
    assert!(text.contains("NOT ASSESSED (0 of 25 expectations met)"), "{text}");

    // Tables and headlines name people, with ids where they help, and expectations by text.
    let shown = instance.rungs().args(["assess", "show", &manager]).stdout();
    assert!(
        shown.starts_with(&format!(
            "Assessment {manager} (manager, submitted, revision 1) of Alan Turing (E3) by Grace Hopper (E2) in 2026-H2"
        )),
        "{shown}"
    );
    let listed = instance.rungs().args(["assess", "list", "--subject", "E3"]).stdout();
    assert!(
        listed.contains("Alan Turing (E3)") && listed.contains("Grace Hopper (E2)"),
        "{listed}"
    );
    let compared =
        instance.rungs().args(["assess", "compare", "E3", "--cycle", "2026-H2"]).stdout();
    assert!(compared.starts_with("Alan Turing (E3) in 2026-H2: self"), "{compared}");
    let text = instance.assessment(&manager)["rows"][25]["text"].as_str().unwrap().to_owned();
    assert!(compared.contains(&text[..20]), "the expectation's text: {compared}");

    // Self and manager side by side: the manager rated every expectation lower.
    let compared = instance.json(&["assess", "compare", "E3", "--cycle", "2026-H2"]);
    assert_eq!(compared["differences"], 25);
    let row = &compared["rows"].as_array().unwrap()[25];
    assert_eq!(
        (row["self_rating"].as_str(), row["manager_rating"].as_str()),
        (Some("exceeds"), Some("meets"))
    );
    assert_eq!(row["gap"], -1);

    assert_eq!(
        instance.rungs().args(["assess", "agree", &manager]).stdout(),
        "Recorded 50 agreed ratings.\n",
        "the 25 rated and the 25 of ic3 marked not observed"
    );
    let after = instance.json(&["readiness", "E3"]);
    let readiness = &after["readiness"];
    assert_eq!(readiness["target"], "ic4");
    assert_eq!(readiness["verdict"], "ready", "20 of 25, 4 of 5 in every dimension");
    assert_eq!((readiness["met"].as_u64(), readiness["total"].as_u64()), (Some(20), Some(25)));
    let first = &readiness["dimensions"][0]["expectations"][0];
    assert_eq!(first["status"], "met");
    assert_eq!(first["reason"], "agreed “meets” in 2026-H2 with 1 piece of evidence");
    let cycle = &first["cycles"][0];
    assert_eq!(cycle["cycle"], "2026-H2");
    assert_eq!(cycle["given"].as_array().unwrap().len(), 2, "self and manager ratings");
    assert_eq!(cycle["given"][0]["not_yet_agreed"], false);
    assert_eq!(cycle["evidence"][0]["by"], "E2");
    assert_eq!(cycle["evidence"][0]["link"], "https://wiki.example.com/compilers/rewrite");

    // A manager changes one agreed rating: leadership drops to 3 of 5, close.
    // Changing an agreed rating is refused unless asked for, and says what it would change.
    let changed = format!("{}=developing", ic4[0]);
    let refused = instance.refused(&["assess", "agree", &manager, &changed]);
    assert_eq!(
        refused,
        format!(
            "error: this would change 1 agreed rating: {} from “meets” to “developing”; nothing was changed. Pass --replace to change it",
            ic4[0]
        )
    );
    assert_eq!(instance.json(&["readiness", "E3"])["readiness"]["met"], 20, "nothing changed");
    // A rating agreed differently from the manager's needs a rationale, and nothing is
    // written without one.
    let refused = instance.refused(&["assess", "agree", &manager, &changed, "--replace"]);
    assert_eq!(
        refused,
        format!(
            "error: {} is agreed as “developing” but the manager rated it “meets”; say why in a rationale",
            ic4[0]
        )
    );
    assert_eq!(instance.json(&["readiness", "E3"])["readiness"]["met"], 20, "nothing changed");
    let typo = format!("{}x=Not yet leading alone", ic4[0]);
    let refused = instance.refused(&[
        "assess",
        "agree",
        &manager,
        &changed,
        "--replace",
        "--rationale",
        &typo,
    ]);
    assert_eq!(
        refused,
        format!(
            "error: there is a rationale for `{}x`, which this agreement does not rate",
            ic4[0]
        )
    );
    let rationale = format!("{}=Not yet leading the team alone", ic4[0]);
    instance
        .rungs()
        .args(["assess", "agree", &manager, &changed, "--replace", "--rationale", &rationale])
        .stdout();
    // Agreeing with all of the manager's ratings again would set it back: refused too.
    let refused = instance.refused(&["assess", "agree", &manager]);
    assert!(refused.contains("from “developing” to “meets”"), "{refused}");
    let text = instance.rungs().args(["readiness", "E3"]).stdout();
    assert!(
        text.contains("Readiness for Staff Engineer (ic4): CLOSE (19 of 25 expectations met)"),
        "{text}"
    );
    assert!(text.contains("Leadership Skills: 3 of 5 met (60%), close"), "{text}");
    assert!(
        text.contains("agreed “developing” in 2026-H2, below “meets”, agreed by Grace Hopper (E2)"),
        "{text}"
    );
    assert!(
        text.contains("why it differs from the manager's rating: Not yet leading the team alone"),
        "{text}"
    );
    assert!(text.contains("evidence (manager Grace Hopper (E2), 2026-09-14): Led the compiler rewrite design review <https://wiki.example.com/compilers/rewrite>"), "{text}");

    // Another target on the other track works too; nobody rated its expectations, so it is
    // not assessed.
    let other = instance.json(&["readiness", "E3", "--target", "em"]);
    assert_eq!(other["readiness"]["target"], "em");
    assert_eq!(other["readiness"]["verdict"], "not-assessed");
}

#[test]
fn refused_changes_say_why_and_write_nothing() {
    let instance = Instance::new("assess-refused");
    instance.rungs().args(["cycle", "open", "2026-H2"]).stdout();
    let ic4 = expectations(&instance, "ic4");
    let manager = instance.create("E3", "E2", "manager");
    let valid = format!("{}=meets", ic4[0]);

    assert_eq!(
        instance.refused(&[
            "assess",
            "rate",
            &manager,
            &valid,
            "ic4.leadership.runs-crosss-team-reviews=meets"
        ]),
        format!(
            "error: expectation `ic4.leadership.runs-crosss-team-reviews` is not one of the expectations that assessment {manager} rates (Senior Software Engineer (ic3) and Staff Engineer (ic4) in framework rungs-engineering 1.0.0) (did you mean `ic4.leadership.runs-cross-team-reviews`?)"
        )
    );
    assert_eq!(
        instance.refused(&[
            "assess",
            "rate",
            &manager,
            &valid,
            "em.leadership.lead-small-team=meets"
        ]),
        format!(
            "error: expectation `em.leadership.lead-small-team` is not one of the expectations that assessment {manager} rates (Senior Software Engineer (ic3) and Staff Engineer (ic4) in framework rungs-engineering 1.0.0) (did you mean `ic3.leadership.leads-team-technical-design`?)"
        )
    );
    assert_eq!(
        instance.refused(&["assess", "rate", &manager, &valid, &format!("{}=great", ic4[1])]),
        "error: `great` is not on the rating scale; use one of: not-yet, developing, meets, exceeds, or not-observed"
    );
    assert_eq!(
        instance.refused(&["assess", "rate", &manager, "meets"]),
        "error: `meets` is not EXPECTATION=RATING, such as em.leadership.lead-small-team=meets"
    );
    assert!(rated(&instance.assessment(&manager)).is_empty(), "all or none: nothing was rated");

    assert_eq!(
        instance.refused(&[
            "assess",
            "evidence",
            &manager,
            &ic4[0],
            "Shipped",
            "--link",
            "wiki/page"
        ]),
        "error: evidence: `wiki/page` is not a link: it must start with https:// or http://"
    );
    assert_eq!(
        instance.refused(&["assess", "evidence", &manager, &ic4[0], "   "]),
        "error: evidence: evidence needs a text saying what happened"
    );
    assert_eq!(
        instance.refused(&["assess", "submit", &manager]),
        format!(
            "error: assessment {manager} rates nothing yet; rate at least one expectation before submitting"
        )
    );

    instance.rungs().args(["assess", "rate", &manager, &valid]).stdout();
    let listed = rated(&instance.assessment(&manager));
    assert_eq!(
        instance.refused(&["assess", "submit", &manager]),
        format!(
            "error: assessment {manager} leaves 49 expectations unrated: `ic3.leadership.sets-review-standard`, `ic3.leadership.mentors-junior-engineers`, `ic3.leadership.leads-team-technical-design`, and 46 more; rate each, or mark it not observed\n`rungs assess submit {manager} --unrated-not-observed` marks them not observed and submits"
        ),
        "a submission that leaves expectations unrated says which, and how to go on"
    );
    assert_eq!(rated(&instance.assessment(&manager)), listed, "the refusal wrote nothing");
    assert_eq!(
        instance.rungs().args(["assess", "submit", &manager, "--unrated-not-observed"]).stdout(),
        format!(
            "Marked 49 unrated expectations not observed. Submitted; this assessment can no longer change.\nAssessment {manager} (manager, submitted, revision 1) of Alan Turing (E3) by Grace Hopper (E2) in 2026-H2\n"
        )
    );
    let submitted = instance.assessment(&manager);
    let ratings: Vec<&str> = submitted["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| row["rating"].as_str())
        .collect();
    assert_eq!(ratings.len(), 50, "every expectation has a rating now");
    assert_eq!(
        ratings.iter().filter(|rating| **rating == "not-observed").count(),
        49,
        "the unrated ones are not observed, the rated one keeps its rating"
    );
    let edit = format!("{}=exceeds", ic4[0]);
    let immutable = format!(
        "error: assessment {manager} is submitted and cannot change; `rungs assess revise {manager}` starts a correction that keeps it"
    );
    assert_eq!(instance.refused(&["assess", "rate", &manager, &edit]), immutable);
    assert_eq!(
        instance.refused(&["assess", "evidence", &manager, &ic4[0], "Late evidence"]),
        immutable
    );
    assert_eq!(instance.refused(&["assess", "submit", &manager]), immutable);
    assert_eq!(instance.assessment(&manager), submitted, "the submitted assessment is unchanged");

    let before = instance.json(&["assess", "list"]);
    assert_eq!(
        instance.refused(&[
            "assess",
            "create",
            "--cycle",
            "2026-H2",
            "--subject",
            "E2",
            "--assessor",
            "E2",
            "--kind",
            "manager"
        ]),
        "error: `E2` cannot assess themselves as `manager`; an assessment of yourself has kind `self`"
    );
    assert_eq!(
        instance.refused(&[
            "assess",
            "create",
            "--cycle",
            "2026-H2",
            "--subject",
            "E3",
            "--assessor",
            "E2",
            "--kind",
            "self"
        ]),
        "error: a self assessment of `E3` is written by `E3`, not by `E2`"
    );
    assert_eq!(
        instance.refused(&[
            "assess",
            "create",
            "--cycle",
            "2026-H2",
            "--subject",
            "E3",
            "--assessor",
            "E5",
            "--kind",
            "manager"
        ]),
        "error: `E5` is not in `E3`'s management chain, so cannot write their manager assessment"
    );
    assert_eq!(
        instance.refused(&[
            "assess",
            "create",
            "--cycle",
            "2026-H2",
            "--subject",
            "E3",
            "--assessor",
            "E3",
            "--kind",
            "self",
            "--target",
            "ic44"
        ]),
        "error: there is no level `ic44` in framework rungs-engineering 1.0.0 (did you mean `ic4`?)"
    );
    assert_eq!(
        instance.refused(&[
            "assess",
            "create",
            "--cycle",
            "2026-H3",
            "--subject",
            "E3",
            "--assessor",
            "E3",
            "--kind",
            "self"
        ]),
        "error: there is no cycle `2026-H3` (did you mean `2026-H2`?)"
    );
    assert_eq!(
        instance.refused(&[
            "assess",
            "create",
            "--cycle",
            "2026-H2",
            "--subject",
            "E99",
            "--assessor",
            "E3",
            "--kind",
            "peer"
        ]),
        "error: there is no person `E99`"
    );
    assert_eq!(
        instance.refused(&["assess", "show", "abc"]),
        "error: `abc` is not an assessment id (a number such as 42)"
    );
    assert_eq!(instance.refused(&["assess", "show", "999"]), "error: there is no assessment `999`");
    assert_eq!(instance.json(&["assess", "list"]), before, "no assessment was created");

    assert_eq!(
        instance.refused(&["assess", "agree", &instance.create("E3", "E3", "self")]),
        "error: assessment 2 is a `self` assessment; agreed ratings are recorded on the manager assessment"
    );
    assert_eq!(
        instance.refused(&["assess", "agree", &manager, &format!("{}=superb", ic4[0])]),
        "error: `superb` is not on the rating scale; use one of: not-yet, developing, meets, exceeds, or not-observed"
    );
    assert_eq!(
        instance.refused(&["assess", "agree", &manager, "em.leadership.lead-small-team=meets"]),
        format!(
            "error: expectation `em.leadership.lead-small-team` is not one of the expectations that assessment {manager} rates (Senior Software Engineer (ic3) and Staff Engineer (ic4) in framework rungs-engineering 1.0.0) (did you mean `ic3.leadership.leads-team-technical-design`?)"
        )
    );
    let unchanged: Value = instance.json(&["readiness", "E3"]);
    assert_eq!(unchanged["readiness"]["window"].as_array().unwrap().len(), 0, "nothing was agreed");
    let draft = instance.create("E4", "E4", "self");
    assert_eq!(
        instance.refused(&["cycle", "open", "2026-H2"]),
        "error: cycle `2026-H2` already exists"
    );
    assert_eq!(
        instance.refused(&["cycle", "open", "2026 H2"]),
        "error: cycle: `2026 H2` is not a valid cycle name: use letters, digits, `-`, `_` and `.`, such as `2026-H2`"
    );
    // One cycle open at a time, unless meant.
    assert_eq!(
        instance.refused(&["cycle", "open", "2027-H1"]),
        "error: cycle `2026-H2` is still open; close it first, or open `2027-H1` alongside it on purpose, and new assessments go to `2027-H1`"
    );
    // Closing names the drafts left, and closes only when told to abandon them.
    assert_eq!(
        instance.refused(&["cycle", "close", "2026-H2"]),
        "error: cycle `2026-H2` has 2 drafts not submitted: Self assessment of Alan Turing by Alan Turing, Self assessment of Edsger Dijkstra by Edsger Dijkstra; have them submitted, or close it with them abandoned (they stay readable and never count)\n`rungs cycle close 2026-H2 --abandon-drafts` closes it with them abandoned"
    );
    assert_eq!(instance.json(&["cycle", "list"])[0]["state"], "open", "still open");
    instance.rungs().args(["cycle", "close", "2026-H2", "--abandon-drafts"]).stdout();
    assert_eq!(
        instance.assessment(&draft)["assessment"]["status"],
        "draft",
        "an abandoned draft stays readable as it was"
    );
    assert_eq!(
        instance.refused(&["cycle", "close", "2026-H2"]),
        "error: cycle `2026-H2` is already closed"
    );
    instance.rungs().args(["cycle", "open", "2027-H1"]).stdout();
    assert_eq!(
        instance.refused(&[
            "assess",
            "create",
            "--cycle",
            "2026-H2",
            "--subject",
            "E4",
            "--assessor",
            "E4",
            "--kind",
            "self"
        ]),
        "error: cycle `2026-H2` is closed and read-only"
    );
    assert_eq!(
        instance.refused(&["assess", "agree", &manager]),
        "error: cycle `2026-H2` is closed and read-only"
    );
    let ic3 = expectations(&instance, "ic3");
    assert_eq!(
        instance.refused(&["assess", "rate", &draft, &format!("{}=meets", ic3[0])]),
        "error: cycle `2026-H2` is closed and read-only"
    );
    assert_eq!(
        instance.refused(&["assess", "evidence", &draft, &ic3[0], "Late"]),
        "error: cycle `2026-H2` is closed and read-only"
    );
    assert!(rated(&instance.assessment(&draft)).is_empty());
}

#[test]
fn a_correction_is_a_new_revision_and_the_old_one_is_kept() {
    let instance = Instance::new("assess-revise");
    instance.rungs().args(["cycle", "open", "2026-H2"]).stdout();
    let ic4 = expectations(&instance, "ic4");
    let first = instance.create("E3", "E2", "manager");
    instance.rungs().args(["assess", "rate", &first, &format!("{}=developing", ic4[0])]).stdout();
    instance.rungs().args(["assess", "evidence", &first, &ic4[0], "Design doc"]).stdout();
    instance.rungs().args(["assess", "submit", &first, "--unrated-not-observed"]).stdout();
    let revised = instance.json(&["assess", "revise", &first]);
    let second = revised["id"].as_i64().unwrap().to_string();
    assert_eq!(
        (revised["revision"].as_u64(), revised["status"].as_str()),
        (Some(2), Some("draft"))
    );
    assert_eq!(revised["revises"].as_i64().unwrap().to_string(), first);
    instance.rungs().args(["assess", "rate", &second, &format!("{}=meets", ic4[0])]).stdout();
    // While the correction is a draft, what was submitted still counts.
    let pending = instance.json(&["assess", "compare", "E3", "--cycle", "2026-H2"]);
    assert_eq!(pending["manager_assessment"].as_i64().unwrap().to_string(), first);
    assert_eq!(pending["rows"][25]["manager_rating"], "developing");
    instance.rungs().args(["assess", "submit", &second, "--unrated-not-observed"]).stdout();
    let corrected = instance.json(&["assess", "compare", "E3", "--cycle", "2026-H2"]);
    assert_eq!(corrected["rows"][25]["manager_rating"], "meets");

    let old = instance.assessment(&first);
    assert_eq!(rated(&old), [(ic4[0].clone(), "developing".to_owned())]);
    assert_eq!(old["assessment"]["superseded_by"].as_i64().unwrap().to_string(), second);
    let new = instance.assessment(&second);
    assert_eq!(rated(&new), [(ic4[0].clone(), "meets".to_owned())]);
    assert_eq!(new["rows"][25]["evidence"][0]["text"], "Design doc", "evidence is carried over");
    assert_eq!(
        instance.refused(&["assess", "revise", &first]),
        format!(
            "error: assessment {first} was already revised by assessment {second}; work on the latest revision"
        )
    );
    assert_eq!(
        instance.refused(&["assess", "agree", &first]),
        format!(
            "error: assessment {first} was already revised by assessment {second}; work on the latest revision"
        )
    );
    let list = instance.rungs().args(["assess", "list", "--subject", "E3"]).stdout();
    assert!(list.contains(&format!("1 (corrected by {second})")), "{list}");
}

/// The built-in framework as version 1.1.0, with one ic4 expectation reworded and one removed.
fn next_version(instance: &Instance) -> String {
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../rungs-format/ladders/default.toml"),
    )
    .unwrap();
    let mut next = builtin.replacen("version = \"1.0.0\"", "version = \"1.1.0\"", 1);
    for (old, new) in [
        (
            "text = \"Runs design reviews for cross-team work and raises the quality of technical decisions\"",
            "text = \"Runs design reviews for cross-team and cross-org work\"",
        ),
        (
            "  { id = \"ic4.leadership.raises-engineering-bar\", text = \"Raises the engineering bar across teams by defining and championing shared quality practices\", builds_on = \"ic3.leadership.drives-operational-practices\" },\n",
            "",
        ),
        (", builds_on = \"ic4.leadership.raises-engineering-bar\"", ""),
    ] {
        assert!(next.contains(old), "the built-in framework changed: update this test");
        next = next.replacen(old, new, 1);
    }
    instance.write("next.toml", &next)
}

#[test]
fn old_assessments_show_against_their_version_with_changes_flagged() {
    let instance = Instance::new("assess-versions");
    instance.rungs().args(["cycle", "open", "2026-H2"]).stdout();
    let ic4 = expectations(&instance, "ic4");
    let manager = instance.create("E3", "E2", "manager");
    instance.rungs().args(["assess", "rate", &manager]).args(ratings(&ic4, "meets")).stdout();
    for expectation in &ic4 {
        instance.rungs().args(["assess", "evidence", &manager, expectation, "Shipped"]).stdout();
    }
    instance.rungs().args(["assess", "submit", &manager, "--unrated-not-observed"]).stdout();
    instance.rungs().args(["assess", "agree", &manager]).stdout();

    let file = next_version(&instance);
    instance.rungs().args(["framework", "use", &file]).stdout();

    let view = instance.assessment(&manager);
    assert_eq!(
        view["assessment"]["framework"]["version"], "1.0.0",
        "pinned to the version it was made with"
    );
    assert_eq!(view["current_framework"], "rungs-engineering 1.1.0");
    assert_eq!(view["flagged"], 2);
    let row = |id: &str| {
        view["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["expectation"] == id)
            .unwrap()
            .clone()
    };
    let reworded = row("ic4.leadership.runs-cross-team-reviews");
    assert_eq!(
        reworded["text"],
        "Runs design reviews for cross-team work and raises the quality of technical decisions"
    );
    assert_eq!(reworded["flag"]["change"], "reworded");
    assert_eq!(reworded["flag"]["now"], "Runs design reviews for cross-team and cross-org work");
    let removed = row("ic4.leadership.raises-engineering-bar");
    assert_eq!(
        (removed["flag"]["change"].as_str(), removed["rating"].as_str()),
        (Some("removed"), Some("meets"))
    );
    let text = instance.rungs().args(["assess", "show", &manager]).stdout();
    assert!(
        text.contains("2 expectations changed in the framework since; they are marked `!`"),
        "{text}"
    );
    assert!(
        text.contains(
            "! reworded since; now: Runs design reviews for cross-team and cross-org work"
        ),
        "{text}"
    );
    assert!(text.contains("! no longer in the framework"), "{text}");

    // Readiness uses the current framework: 24 expectations, the reworded one flagged.
    let readiness = instance.json(&["readiness", "E3"]);
    assert_eq!(readiness["readiness"]["total"], 24);
    assert_eq!(readiness["readiness"]["verdict"], "ready");
    assert_eq!(
        readiness["readiness"]["dimensions"][0]["expectations"][0]["reworded_since_rated"],
        true
    );
}

#[test]
fn growth_plans_history_and_team_views() {
    let instance = Instance::new("assess-plans");
    instance.rungs().args(["cycle", "open", "2026-H2"]).stdout();
    let ic4 = expectations(&instance, "ic4");
    let manager = instance.create("E3", "E2", "manager");
    instance
        .rungs()
        .args(["assess", "rate", &manager])
        .args(ratings(&ic4[..5], "developing"))
        .stdout();
    instance.rungs().args(["assess", "rate", &manager]).args(ratings(&ic4[5..], "meets")).stdout();
    instance.rungs().args(["assess", "submit", &manager, "--unrated-not-observed"]).stdout();
    instance.rungs().args(["assess", "agree", &manager]).stdout();

    let created = instance.json(&["plan", "create", "E3", "--gaps", "2"]);
    let focus: Vec<&str> =
        created["plan"]["focus"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(focus, [ic4[0].as_str(), ic4[1].as_str()], "the weakest dimension's gaps first");
    assert_eq!(created["progress"]["focus_met"], 0);
    let action = instance.json(&[
        "plan",
        "action",
        "E3",
        "--expectation",
        &ic4[0],
        "--text",
        "Run the next two design reviews",
        "--owner",
        "E3",
        "--due",
        "2026-12-15",
    ]);
    let action_id = action["id"].as_i64().unwrap().to_string();
    assert_eq!(
        instance.refused(&[
            "plan",
            "action",
            "E3",
            "--expectation",
            &ic4[7],
            "--text",
            "x",
            "--owner",
            "E3",
            "--due",
            "2026-12-15"
        ]),
        format!(
            "error: `{}` is not a focus of plan 1; add it with `rungs plan focus` first",
            ic4[7]
        )
    );
    assert_eq!(
        instance.refused(&["plan", "create", "E3", "--focus", "ic4.nope"]),
        "error: `ic4.nope` is not an expectation of Staff Engineer (ic4), the plan's target"
    );
    let focused = instance.json(&["plan", "focus", "E3", &ic4[7]]);
    assert_eq!(focused["plan"]["focus"].as_array().unwrap().len(), 3);
    instance
        .rungs()
        .args([
            "plan",
            "action",
            "E3",
            "--expectation",
            &ic4[7],
            "--text",
            "Pair on the roadmap",
            "--owner",
            "E2",
            "--due",
            "2027-01-31",
        ])
        .stdout();
    let status = instance.json(&["plan", "status", &action_id, "done"]);
    assert_eq!(status["status"], "done");
    let shown = instance.json(&["plan", "show", "E3"]);
    assert_eq!(
        (shown["progress"]["actions_done"].as_u64(), shown["progress"]["actions_total"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(shown["progress"]["focus"][0]["status"], "not-met");
    assert_eq!(
        instance.refused(&["plan", "show", "E4"]),
        "error: `E4` has no growth plan; start one with `rungs plan create E4`"
    );

    let history = instance.json(&["history", "E3"]);
    let cycle = &history["cycles"][0];
    assert_eq!(cycle["cycle"], "2026-H2");
    assert_eq!(cycle["dimensions"][0]["rated"], 5);
    assert_eq!(cycle["dimensions"][0]["met"], 0);

    // E3 is promoted by the next HR import: history records the change.
    let promoted = ORG.replace("E2,,ic,ic3,", "E2,,ic,ic4,");
    let file = instance.write("promoted.csv", &promoted);
    instance.rungs().args(["org", "import", &file]).stdout();
    let history = instance.json(&["history", "E3"]);
    assert_eq!(history["level_changes"][0]["from"], "ic3");
    assert_eq!(history["level_changes"][0]["to"], "ic4");

    let team = instance.json(&["team", "E1"]);
    assert_eq!((team["members"].as_u64(), team["assessed"].as_u64()), (Some(4), Some(1)));
    let weakest: Vec<&str> = team["weakest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|weak| weak["expectation"].as_str().unwrap())
        .collect();
    assert_eq!(weakest.len(), 5, "the five rated below meets");
    assert!(weakest.iter().all(|id| ic4[..5].iter().any(|weak| weak == id)), "{weakest:?}");
    let text = team["weakest"][0]["text"].as_str().unwrap().to_owned();
    let table = instance.rungs().args(["team", "E1"]).stdout();
    let words: String = text.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    assert!(table.contains(&words), "the table shows the expectation's text: {table}");
}

#[test]
fn cycles_move_between_instances_as_json() {
    let from = Instance::new("assess-export-from");
    from.rungs().args(["cycle", "open", "2026-H2"]).stdout();
    let ic4 = expectations(&from, "ic4");
    let own = from.create("E3", "E3", "self");
    from.rungs().args(["assess", "rate", &own]).args(ratings(&ic4, "meets")).stdout();
    let manager = from.create("E3", "E2", "manager");
    from.rungs().args(["assess", "rate", &manager]).args(ratings(&ic4, "meets")).stdout();
    for expectation in &ic4[..22] {
        from.rungs()
            .args([
                "assess",
                "evidence",
                &manager,
                expectation,
                "Shipped it",
                "--date",
                "2026-10-01",
            ])
            .stdout();
    }
    from.rungs().args(["assess", "submit", &manager, "--unrated-not-observed"]).stdout();
    from.rungs().args(["assess", "agree", &manager]).stdout();
    // One agreed rating overrules the manager's, with its reason: the file carries it.
    let overruled = format!("{}=exceeds", ic4[0]);
    let why = format!("{}=Led the compiler rewrite", ic4[0]);
    from.rungs()
        .args(["assess", "agree", &manager, &overruled, "--replace", "--rationale", &why])
        .stdout();
    from.rungs().args(["cycle", "close", "2026-H2", "--abandon-drafts"]).stdout();
    let file = from.folder.join("backup.json");
    from.rungs().args(["assess", "export", "--out", &file.display().to_string()]).stdout();

    let to = Instance::new("assess-export-to");
    let imported = to.rungs().args(["assess", "import", &file.display().to_string()]).stdout();
    assert_eq!(
        imported,
        "Imported 1 cycles, 2 assessments, 75 ratings, 22 pieces of evidence and 50 agreed ratings (1 framework versions added).\n"
    );
    assert_eq!(to.json(&["readiness", "E3"]), from.json(&["readiness", "E3"]));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("\"rationale\": \"Led the compiler rewrite\""),
        "the file carries the rationale"
    );
    assert_eq!(to.json(&["cycle", "list"]), from.json(&["cycle", "list"]));
    let exported_again = to.rungs().args(["assess", "export"]).stdout();
    assert_eq!(
        exported_again.trim_end(),
        std::fs::read_to_string(&file).unwrap().trim_end(),
        "a round trip changes nothing"
    );
    // The draft self assessment came along, still a draft.
    assert_eq!(to.assessment(&own)["assessment"]["status"], "draft");

    let again = to.rungs().args(["assess", "import", &file.display().to_string()]).run().status(2);
    assert_eq!(
        again.stderr.trim_end(),
        format!(
            "error: {} is not a valid assessment file:\ncycles[0].name: cycle `2026-H2` already exists here",
            file.display()
        )
    );

    // A rationale in a file is held to the text rules, and a bad one writes nothing.
    let third = Instance::new("assess-export-bad-rationale");
    let bad = third.write(
        "bad.json",
        &std::fs::read_to_string(&file)
            .unwrap()
            .replace("Led the compiler rewrite", "Led\\u0007 the compiler rewrite"),
    );
    let refused = third.refused(&["assess", "import", &bad]);
    assert!(refused.contains("].rationale: rationale contains the control character U+0007 at character 4; rationale is plain text"), "{refused}");
    assert!(third.json(&["cycle", "list"]).as_array().unwrap().is_empty(), "nothing was written");
}

#[test]
fn a_bad_assessment_file_names_every_problem_and_writes_nothing() {
    let instance = Instance::new("assess-import-bad");
    let syntax = instance
        .write("syntax.json", "{\n  \"format\": \"rungs-assessments\",\n  \"version\": 1,,\n}");
    assert_eq!(
        instance.refused(&["assess", "import", &syntax]),
        format!(
            "error: {syntax} is not a valid assessment file:\n{syntax}:3:16: key must be a string"
        )
    );
    let bad = instance.write(
        "bad.json",
        r#"{
  "format": "rungs-assessments", "version": 1, "frameworks": [],
  "cycles": [{
    "name": "2026-H2", "state": "closed", "opened_at": "2026-07-01T00:00:00Z",
    "assessments": [
      {"id": 1, "subject": "E3", "assessor": "E9", "kind": "boss", "current_level": "ic3", "target_level": "ic4",
       "framework": {"framework_id": "rungs-engineering", "version": "1.0.0"}, "status": "draft", "revision": 1,
       "created_at": "2026-07-02T00:00:00Z", "ratings": []},
      {"id": 2, "subject": "E3", "assessor": "E3", "kind": "manager", "current_level": "ic3", "target_level": "ic4",
       "framework": {"framework_id": "rungs-engineering", "version": "9"}, "status": "submitted", "revision": 1,
       "created_at": "2026-07-02T00:00:00Z", "ratings": []},
      {"id": 3, "subject": "E3", "assessor": "E2", "kind": "manager", "current_level": "ic3", "target_level": "ic4",
       "framework": {"framework_id": "rungs-engineering", "version": "1.0.0"}, "status": "submitted", "revision": 1,
       "created_at": "2026-07-02T00:00:00Z", "submitted_at": "2026-08-01T00:00:00Z",
       "ratings": [{"expectation": "ic4.leadership.nope", "rating": "meets"},
                   {"expectation": "ic4.leadership.runs-cross-team-reviews", "rating": "superb",
                    "evidence": [{"text": "Did it", "date": "2026-13-01"}]}]}
    ],
    "agreements": [{"subject": "E3", "expectation": "ic4.leadership.runs-cross-team-reviews", "rating": "meets", "assessment": 7, "agreed_at": "2026-08-02T00:00:00Z"}]
  }]
}"#,
    );
    let problems = instance.refused(&["assess", "import", &bad]);
    let expected = [
        format!("error: {bad} is not a valid assessment file:"),
        "cycles[0].closed_at: a closed cycle needs the time it was closed".to_owned(),
        "cycles[0].assessments[0].assessor: there is no person `E9` here".to_owned(),
        "cycles[0].assessments[0].kind: `boss` is not `self`, `manager` or `peer`".to_owned(),
        "cycles[0].assessments[0].framework: framework rungs-engineering version 1.0.0 is neither stored here nor in the file".to_owned(),
        "cycles[0].assessments[1].framework: framework rungs-engineering version 9 is neither stored here nor in the file".to_owned(),
        "cycles[0].assessments[1].submitted_at: a submitted assessment needs the time it was submitted".to_owned(),
        "cycles[0].assessments[1].assessor: `E3` cannot assess themselves as `manager`; an assessment of yourself has kind `self`".to_owned(),
        "cycles[0].assessments[1].ratings: a submitted assessment rates at least one expectation".to_owned(),
        "cycles[0].assessments[2].framework: framework rungs-engineering version 1.0.0 is neither stored here nor in the file".to_owned(),
        "cycles[0].agreements[0].assessment: there is no assessment 7 in this cycle of the file".to_owned(),
    ];
    assert_eq!(problems, expected.join("\n"));

    // With the framework stored here, the ratings themselves are checked.
    instance.rungs().args(["cycle", "open", "2026-H1"]).stdout();
    instance
        .rungs()
        .args([
            "assess",
            "create",
            "--cycle",
            "2026-H1",
            "--subject",
            "E3",
            "--assessor",
            "E3",
            "--kind",
            "self",
        ])
        .stdout();
    let only_third = bad.replace(".json", "-3.json");
    let text = std::fs::read_to_string(&bad).unwrap();
    let start = text.find("      {\"id\": 3").unwrap();
    let end = text.find("    ],\n    \"agreements\"").unwrap();
    let third = format!(
        "{}{}{}",
        &text[..text.find("      {\"id\": 1").unwrap()],
        &text[start..end],
        "    ],\n    \"agreements\": []\n  }]\n}"
    )
    .replace("\"state\": \"closed\"", "\"state\": \"open\"");
    std::fs::write(&only_third, third).unwrap();
    assert_eq!(
        instance.refused(&["assess", "import", &only_third]),
        [
            format!("error: {only_third} is not a valid assessment file:"),
            "cycles[0].assessments[0].ratings[0].expectation: expectation `ic4.leadership.nope` is not one of the expectations that assessment 3 rates (Senior Software Engineer (ic3) and Staff Engineer (ic4) in framework rungs-engineering 1.0.0) (did you mean `ic4.leadership.runs-cross-team-reviews`?)".to_owned(),
            "cycles[0].assessments[0].ratings[1].rating: `superb` is not on the rating scale; use one of: not-yet, developing, meets, exceeds, or not-observed".to_owned(),
            "cycles[0].assessments[0].ratings[1].evidence[0].date: `2026-13-01` is not a date such as 2026-11-27".to_owned(),
        ]
        .join("\n")
    );
    let cycles = instance.json(&["cycle", "list"]);
    assert_eq!(cycles.as_array().unwrap().len(), 1, "nothing of either file was written");
    assert_eq!(instance.json(&["assess", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn demo_assessments_are_deterministic_and_show_every_verdict() {
    let folder = temp_folder("assess-demo");
    let generate = |name: &str| {
        let org = folder.join(format!("{name}.csv")).display().to_string();
        let assessments = folder.join(format!("{name}.json")).display().to_string();
        Test::new()
            .db(&format!("sqlite://{}", folder.join("unused.db").display()))
            .args([
                "demo",
                "generate",
                "--people",
                "120",
                "--seed",
                "7",
                "--out",
                &org,
                "--assessments",
                &assessments,
            ])
            .stdout();
        (std::fs::read_to_string(&org).unwrap(), std::fs::read_to_string(&assessments).unwrap())
    };
    assert_eq!(generate("first"), generate("second"));

    let url = format!("sqlite://{}", folder.join("demo.db").display());
    let loaded =
        Test::new().db(&url).args(["demo", "load", "--people", "120", "--seed", "7"]).stdout();
    assert!(loaded.starts_with("<demo org>.csv: imported 120 people"), "{loaded}");
    assert!(loaded.contains("Loaded 2 cycles with"), "{loaded}");
    let team: Value =
        serde_json::from_str(&Test::new().db(&url).args(["team", "E00001", "--json"]).stdout())
            .unwrap();
    let verdicts: Vec<&str> = team["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert!(verdicts.contains(&"ready") && verdicts.contains(&"close"), "{verdicts:?}");
    assert!(team["assessed"].as_u64().unwrap() > 100);
    let refused = Test::new().db(&url).args(["demo", "load"]).run().status(2);
    assert_eq!(
        refused.stderr.trim_end(),
        "error: `demo load` fills an empty database (no people, no accounts); this one already has people or accounts"
    );
}

#[test]
fn postgresql_gives_the_same_answers_as_sqlite() {
    let Some(postgres) = postgres_database("assess") else { return };
    let folder = temp_folder("assess-postgres");
    let sqlite = format!("sqlite://{}", folder.join("rungs.db").display());
    let mut answers = Vec::new();
    for url in [&sqlite, &postgres] {
        Test::new().db(url).args(["demo", "load", "--people", "60", "--seed", "3"]).stdout();
        let instance = Instance { folder: folder.clone(), url: url.clone() };
        let manager = instance.json(&["assess", "list", "--subject", "E00010"]);
        let last = manager.as_array().unwrap().last().unwrap()["id"].as_i64().unwrap().to_string();
        answers.push((
            instance.json(&["readiness", "E00010"]),
            instance.json(&["history", "E00010"]),
            instance.json(&["team", "E00001"]),
            instance.json(&["assess", "show", &last]),
            instance.rungs().args(["assess", "export"]).stdout(),
        ));
    }
    assert_eq!(answers[0].0, answers[1].0, "readiness");
    assert_eq!(answers[0].1, answers[1].1, "history");
    assert_eq!(answers[0].2, answers[1].2, "team");
    assert_eq!(answers[0].3, answers[1].3, "an assessment");
    assert_eq!(answers[0].4, answers[1].4, "the export");
    assert_eq!(answers[0].0["readiness"]["window"][0], "2026-H2");
}

#[test]
fn an_assessment_file_with_broken_revisions_is_refused_whole() {
    let instance = Instance::new("assess-import-revisions");
    instance.rungs().args(["cycle", "open", "2026-H1"]).stdout();
    instance.create_in("2026-H1", "E3", "E3", "self");
    let assessment = |id: i64, status: &str, revision: u32, revises: Option<i64>, rated: bool| {
        serde_json::json!({
            "id": id, "subject": "E3", "assessor": "E2", "kind": "manager",
            "current_level": "ic3", "target_level": "ic4",
            "framework": {"framework_id": "rungs-engineering", "version": "1.0.0"},
            "status": status, "revision": revision, "revises": revises,
            "created_at": "2026-07-02T00:00:00Z",
            "submitted_at": if status == "submitted" { Some("2026-08-01T00:00:00Z") } else { None },
            "ratings": if rated { serde_json::json!([{"expectation": "ic4.leadership.runs-cross-team-reviews", "rating": "meets"}]) } else { serde_json::json!([]) },
        })
    };
    let file = serde_json::json!({
        "format": "rungs-assessments", "version": 1, "frameworks": [],
        "cycles": [{
            "name": "2026-H2", "state": "open", "opened_at": "2026-07-01T00:00:00Z",
            "assessments": [
                assessment(1, "draft", 1, None, true),
                assessment(2, "submitted", 2, Some(1), true),
                assessment(3, "submitted", 1, None, false),
                assessment(4, "submitted", 1, None, true),
                assessment(5, "submitted", 2, Some(4), true),
                assessment(6, "submitted", 2, Some(4), true),
                assessment(7, "submitted", 5, Some(5), true),
                assessment(7, "submitted", 1, None, true),
            ],
            "agreements": []
        }]
    });
    let path = instance.write("revisions.json", &serde_json::to_string_pretty(&file).unwrap());
    assert_eq!(
        instance.refused(&["assess", "import", &path]),
        [
            format!("error: {path} is not a valid assessment file:"),
            "cycles[0].assessments[1].revises: assessment 1 is a draft; only a submitted assessment is corrected by a revision".to_owned(),
            "cycles[0].assessments[2].ratings: a submitted assessment rates at least one expectation".to_owned(),
            "cycles[0].assessments[5].revises: assessment 4 is already corrected by another revision in the file".to_owned(),
            "cycles[0].assessments[6].revision: revision 5 should be 3: 1 for a first version, one more than the assessment it corrects".to_owned(),
            "cycles[0].assessments[7].id: assessment id 7 is in the file twice".to_owned(),
        ]
        .join("\n")
    );
    assert_eq!(
        instance.json(&["cycle", "list"]).as_array().unwrap().len(),
        1,
        "nothing was written"
    );
    assert_eq!(instance.json(&["assess", "list"]).as_array().unwrap().len(), 1);
}

/// Evidence refuses control characters at input, naming the field; evidence stored with them
/// (by an older version, or another tool) is shown with them made visible by `assess show`.
#[test]
fn evidence_with_control_characters_is_refused_and_never_reaches_the_terminal_raw() {
    let instance = Instance::new("assess-control-characters");
    instance.rungs().args(["cycle", "open", "2026-H2"]).stdout();
    let manager = instance.create("E3", "E2", "manager");
    let expectation = expectations(&instance, "ic4")[0].clone();
    assert_eq!(
        instance.refused(&["assess", "evidence", &manager, &expectation, "Ran it\u{1b}]0;x\u{7}"]),
        "error: evidence: evidence text contains the control character U+001B at character 7; evidence text is plain text"
    );
    assert_eq!(
        instance.refused(&[
            "assess",
            "evidence",
            &manager,
            &expectation,
            "Ran it",
            "--link",
            "https://example.com/\u{9b}2K"
        ]),
        "error: evidence: link contains the control character U+009B at character 21; link is plain text"
    );
    assert!(!instance.assessment(&manager).to_string().contains("Ran it"), "nothing written");

    instance
        .rungs()
        .args(["assess", "evidence", &manager, &expectation, "Ran the review"])
        .stdout();
    let database = rusqlite::Connection::open(instance.folder.join("rungs.db")).unwrap();
    database.execute("UPDATE evidence SET text = 'Ran\u{1b}]52;c;eA==\u{7} it'", []).unwrap();
    drop(database);
    let shown = instance.rungs().args(["assess", "show", &manager]).stdout();
    assert!(!shown.contains('\u{1b}'), "{shown:?}");
    assert!(shown.contains("Ran\u{241b}]52;c;eA==\u{2407} it"), "{shown}");
}

/// A second manager assessment of a person in a cycle is refused and names the first, and so
/// is a second peer assessment by the same colleague; another colleague may still write one.
#[test]
fn a_second_assessment_of_a_kind_is_refused_and_names_the_first() {
    let instance = Instance::new("assess-one-per-kind");
    instance.rungs().args(["cycle", "open", "2026-H2"]).stdout();
    let first = instance.create("E3", "E2", "manager");
    let create = |assessor: &str, kind: &str| {
        vec![
            "assess".to_owned(),
            "create".to_owned(),
            "--cycle".to_owned(),
            "2026-H2".to_owned(),
            "--subject".to_owned(),
            "E3".to_owned(),
            "--assessor".to_owned(),
            assessor.to_owned(),
            "--kind".to_owned(),
            kind.to_owned(),
        ]
    };
    let refused = instance.rungs().args(create("E1", "manager")).run().status(2);
    assert_eq!(
        refused.stderr.trim_end(),
        format!(
            "error: `E3` already has a manager assessment in 2026-H2: assessment {first}; open it, or correct it with a revision once it is submitted"
        )
    );
    let peer = instance.create("E3", "E4", "peer");
    let refused = instance.rungs().args(create("E4", "peer")).run().status(2);
    assert!(
        refused.stderr.contains(&format!(
            "already has a peer assessment in 2026-H2 by `E4`: assessment {peer}"
        )),
        "{}",
        refused.stderr
    );
    instance.create("E3", "E5", "peer");
}

#[test]
fn the_subject_acknowledges_an_agreed_outcome_and_sees_when_it_changed() {
    let instance = Instance::new("assess-acknowledge");
    instance.rungs().args(["cycle", "open", "2026-H2"]).stdout();
    let ic4 = expectations(&instance, "ic4");
    let manager = instance.create("E3", "E2", "manager");
    let rated = format!("{}=meets", ic4[0]);
    instance.rungs().args(["assess", "rate", &manager, &rated]).stdout();
    instance.rungs().args(["assess", "submit", &manager, "--unrated-not-observed"]).stdout();

    let acknowledge = ["assess", "acknowledge", "E3", "--cycle", "2026-H2"];
    assert_eq!(
        instance.refused(&acknowledge),
        "error: nothing has been agreed for Alan Turing in cycle `2026-H2` yet; there is no outcome to acknowledge"
    );
    assert_eq!(
        instance.rungs().args(["assess", "outcomes", "E3"]).stdout(),
        "Nothing has been agreed for Alan Turing (E3) yet; a manager agrees with `rungs assess agree`.\n"
    );
    instance.rungs().args(["assess", "agree", &manager, &rated]).stdout();

    let mut controlled = acknowledge.to_vec();
    controlled.extend(["--comment", "fine\u{1b}[2J"]);
    assert_eq!(
        instance.refused(&controlled),
        "error: comment contains the control character U+001B at character 5; comment is plain text"
    );
    assert!(instance.json(&["assess", "outcomes", "E3"])[0]["acknowledgement"].is_null());
    let mut unknown = acknowledge.to_vec();
    unknown[4] = "2031-H1";
    assert!(instance.refused(&unknown).contains("cycle `2031-H1`"));

    let mut commented = acknowledge.to_vec();
    commented.extend(["--comment", "Fair; I want more design work next half."]);
    assert_eq!(
        instance.rungs().args(commented).stdout(),
        "Recorded that Alan Turing (E3) acknowledged the outcome of 2026-H2.\n"
    );
    let outcomes = instance.json(&["assess", "outcomes", "E3"]);
    assert_eq!(outcomes[0]["cycle"], "2026-H2");
    assert_eq!(outcomes[0]["agreed"], 1, "the one rating agreed");
    assert_eq!(
        outcomes[0]["acknowledgement"]["comment"],
        "Fair; I want more design work next half."
    );
    assert_eq!(outcomes[0]["changed_since_acknowledged"], false);
    let table = instance.rungs().args(["assess", "outcomes", "E3"]).stdout();
    assert!(table.contains("Grace Hopper (E2)"), "{table}");
    assert!(table.contains("Fair; I want more design work next half."), "{table}");

    // An agreement changed afterwards shows that the acknowledgement was of an earlier one.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let changed = format!("{}=exceeds", ic4[0]);
    let why = format!("{}=Led the design review for two teams", ic4[0]);
    instance
        .rungs()
        .args(["assess", "agree", &manager, &changed, "--replace", "--rationale", &why])
        .stdout();
    let outcomes = instance.json(&["assess", "outcomes", "E3"]);
    assert_eq!(outcomes[0]["changed_since_acknowledged"], true);
    let table = instance.rungs().args(["assess", "outcomes", "E3"]).stdout();
    assert!(table.contains("(the agreement changed since)"), "{table}");
}

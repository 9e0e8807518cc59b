//! `rungs org …` and `rungs demo generate` end to end on a real SQLite file: imports as HR
//! systems export them, every import error with its exact message, nothing written on error,
//! and the org views, checks and plan.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::path::PathBuf;

use support::{Test, postgres_database, temp_folder};

const HEADER: &str = "id,name,email,manager_id,title,track,level,team\n";

const BASE: &str = "id,name,email,manager_id,title,track,level,team
E1,Ada Lovelace,ada@example.com,,,management,director,Platform
E2,Grace Hopper,grace@example.com,E1,,management,em,Platform Compilers
E3,Alan Turing,alan@example.com,E2,,ic,ic3,Platform Compilers
E4,Edsger Dijkstra,edsger@example.com,E2,,ic,ic2,Platform Compilers
E5,Barbara Liskov,barbara@example.com,E2,,ic,ic2,Platform Compilers
E6,Ken Thompson,ken@example.com,E2,,ic,ic1,Platform Compilers
E7,Margaret Hamilton,margaret@example.com,E2,,ic,ic4,Platform Compilers
E8,Dennis Ritchie,dennis@example.com,E1,,ic,ic5,Platform
";

/// A folder with its own database, for one test.
struct Org {
    folder: PathBuf,
    url: String,
}

impl Org {
    fn new(name: &str) -> Org {
        let folder = temp_folder(name);
        let url = format!("sqlite://{}", folder.join("rungs.db").display());
        Org { folder, url }
    }

    fn write(&self, name: &str, contents: &[u8]) -> String {
        let path = self.folder.join(name);
        std::fs::write(&path, contents).expect("write fixture");
        path.display().to_string()
    }

    fn rungs(&self) -> Test {
        Test::new().db(&self.url)
    }

    fn import(&self, name: &str, contents: &str) -> support::Run {
        let path = self.write(name, contents.as_bytes());
        self.rungs().args(["org", "import", &path]).run()
    }

    fn stats(&self) -> serde_json::Value {
        serde_json::from_str(&self.rungs().args(["org", "stats", "--json"]).stdout()).expect("JSON")
    }

    fn person(&self, id: &str) -> serde_json::Value {
        serde_json::from_str(&self.rungs().args(["org", "show", id, "--json"]).stdout())
            .expect("JSON")
    }
}

#[test]
fn import_then_reimport_updates_by_id_and_marks_the_missing_as_left() {
    let org = Org::new("org-reimport");
    let run = org.import("people.csv", BASE).status(0);
    assert!(
        run.stdout
            .ends_with("people.csv: imported 8 people: 8 added, 0 updated, 0 unchanged, 0 left\n"),
        "{}",
        run.stdout
    );
    let next = BASE
        .replace("E4,Edsger Dijkstra,edsger@example.com,E2,,ic,ic2,Platform Compilers\n", "")
        .replace(
            "E5,Barbara Liskov,barbara@example.com,E2,,ic,ic2",
            "E5,Barbara Liskov,barbara@example.com,E2,,ic,ic3",
        )
        + "E9,John Backus,john@example.com,E2,,ic,ic2,Platform Compilers\n";
    // One of eight leaving is more than the 10% an import may make without being told: the
    // import is refused, says how to accept it, and writes nothing.
    let refused = org.import("people.csv", &next).status(1);
    assert!(
        refused.stdout.contains(
            "people.csv: error: this import would mark 1 of the 8 active people as left (12%, more than the 10% an import may without confirmation); nothing was imported\n"
        ),
        "{}",
        refused.stdout
    );
    assert!(
        refused
            .stdout
            .ends_with("people.csv: --dry-run names them; if they did leave, import it with --allow-leavers 1\n"),
        "{}",
        refused.stdout
    );
    assert_eq!(org.person("E4")["person"]["status"], "active", "nothing was written");
    let path = org.write("people.csv", next.as_bytes());
    let dry = org.rungs().args(["org", "import", "--dry-run", &path]).run().status(0);
    assert!(
        dry.stdout
            .contains("people.csv: joining (new, or back after leaving): John Backus (E9), ic2\n"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("people.csv: level changes: Barbara Liskov (E5): ic2 → ic3\n"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("people.csv: marked as left: Edsger Dijkstra (E4)\n"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.ends_with("the import would be refused: 1 of the 8 active people would be marked as left, more than 10%; --allow-leavers 1 accepts it\n"),
        "{}",
        dry.stdout
    );
    let run = org.rungs().args(["org", "import", "--allow-leavers", "1", &path]).run().status(0);
    assert!(
        run.stdout.ends_with("imported 8 people: 1 added, 1 updated, 6 unchanged, 1 left\n"),
        "{}",
        run.stdout
    );
    assert_eq!(org.person("E4")["person"]["status"], "left");
    assert_eq!(org.person("E5")["person"]["level"], "ic3");
    assert_eq!(org.stats()["people"], 8);
}

#[test]
fn a_dry_run_reports_and_writes_nothing() {
    let org = Org::new("org-dry-run");
    org.import("people.csv", BASE).status(0);
    let path = org.write("next.csv", BASE.replace("ic,ic1", "ic,ic2").as_bytes());
    let run = org.rungs().args(["org", "import", "--dry-run", &path]).run().status(0);
    assert!(
        run.stdout.contains("dry run, nothing was written; the import would make: 0 added, 1 updated, 7 unchanged, 0 left\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("next.csv: level changes: Ken Thompson (E6): ic1 → ic2\n"),
        "{}",
        run.stdout
    );
    assert_eq!(org.person("E6")["person"]["level"], "ic1");
}

#[test]
fn reads_csv_as_hr_systems_export_it() {
    let org = Org::new("org-hr-csv");
    // BOM, CRLF, headers in another case and spacing, quoted commas, quotes and newlines (in a
    // column Rungs ignores: a title is one line), blanks around values, an extra column, and a
    // column named through --map.
    let csv = "\u{feff}Employee Number,Name,E-Mail,Manager ID,Title,Track,Level,Team,Cost Center\r\n\
        E1 , Ada Lovelace ,ada@example.com,,\"Director, Platform\",management,director,Platform,100\r\n\
        E2,\"Grace \"\"Amazing\"\" Hopper\",GRACE@example.com,E1,Engineering Manager,management,em,Platform,\"100\r\n200\"\r\n";
    let path = org.write("export.csv", csv.as_bytes());
    let run =
        org.rungs().args(["org", "import", &path, "--map", "Employee Number=id"]).run().status(0);
    assert!(
        run.stderr.contains(
            "export.csv: warning: ignoring 1 column(s) Rungs does not use: `Cost Center`"
        ),
        "{}",
        run.stderr
    );
    let ada = org.person("E1");
    assert_eq!(ada["person"]["name"], "Ada Lovelace");
    assert_eq!(ada["person"]["title"], "Director, Platform");
    let grace = org.person("E2");
    assert_eq!(grace["person"]["name"], "Grace \"Amazing\" Hopper");
    assert_eq!(grace["person"]["email"], "grace@example.com");
    assert_eq!(grace["person"]["title"], "Engineering Manager");
}

#[test]
fn reads_json_exports() {
    let org = Org::new("org-json");
    let json = r#"[
        {"id": "E1", "name": "Ada Lovelace", "email": "ada@example.com", "level": "director"},
        {"id": "E2", "name": "Grace Hopper", "email": "grace@example.com", "level": "em", "manager_id": "E1"}
    ]"#;
    let path = org.write("people.json", json.as_bytes());
    org.rungs().args(["org", "import", &path]).run().status(0);
    assert_eq!(org.person("E2")["person"]["track"], "management");
    assert_eq!(org.person("E2")["person"]["title"], "Engineering Manager");
}

/// Imports `rows` (after the header) into a database holding BASE, expects exit status 1 with
/// exactly `expected` on standard output, and checks that nothing changed.
fn refused(name: &str, rows: &str, expected: &[&str]) {
    let org = Org::new(name);
    org.import("people.csv", BASE).status(0);
    let before = (org.stats(), org.person("E3"));
    let run = org.import("bad.csv", &format!("{HEADER}{rows}")).status(1);
    let path = org.folder.join("bad.csv").display().to_string();
    let mut lines: Vec<String> = expected.iter().map(|line| format!("{path}: {line}")).collect();
    if expected.iter().all(|line| !line.starts_with("error:")) {
        lines.push(format!("{path}: {} error(s); nothing was imported", expected.len()));
    }
    assert_eq!(run.stdout, lines.join("\n") + "\n");
    assert_eq!((org.stats(), org.person("E3")), before, "a refused import must write nothing");
}

#[test]
fn unknown_level() {
    refused(
        "import-unknown-level",
        "E1,Ada,ada@example.com,,,management,directr,X\nE3,Alan,alan@example.com,E1,,ic,ic9,X\n",
        &[
            "row 2, column `level`: unknown level `directr` (did you mean `director`?)",
            "row 3, column `level`: unknown level `ic9` (did you mean `ic1`?)",
        ],
    );
}

#[test]
fn unknown_track() {
    refused(
        "import-unknown-track",
        "E1,Ada,ada@example.com,,,managment,director,X\n",
        &["row 2, column `track`: unknown track `managment` (did you mean `management`?)"],
    );
}

#[test]
fn level_not_in_the_persons_track() {
    refused(
        "import-level-track",
        "E1,Ada,ada@example.com,,,ic,director,X\n",
        &["row 2, column `level`: level `director` is on track `management`, not on track `ic`"],
    );
}

#[test]
fn dangling_manager() {
    refused(
        "import-dangling",
        "E1,Ada,ada@example.com,,,management,director,X\nE3,Alan,alan@example.com,E7,,ic,ic3,X\n",
        &["row 3, column `manager_id`: manager `E7` is not in this file"],
    );
}

#[test]
fn self_management() {
    refused(
        "import-self",
        "E1,Ada,ada@example.com,E1,,management,director,X\n",
        &["row 2, column `manager_id`: `E1` cannot be their own manager"],
    );
}

#[test]
fn manager_cycles_name_every_person_on_the_cycle() {
    refused(
        "import-cycle",
        "E0,Top,top@example.com,,,management,vp,X\n\
         E1,Ada,ada@example.com,E3,,management,director,X\n\
         E2,Grace,grace@example.com,E1,,management,em,X\n\
         E3,Alan,alan@example.com,E2,,ic,ic3,X\n\
         E4,Ken,ken@example.com,E0,,ic,ic3,X\n",
        &[
            "row 3, column `manager_id`: reporting cycle: E1 -> E3 -> E2 -> E1",
            "row 4, column `manager_id`: reporting cycle: E1 -> E3 -> E2 -> E1",
            "row 5, column `manager_id`: reporting cycle: E1 -> E3 -> E2 -> E1",
        ],
    );
}

#[test]
fn a_missing_manager_names_the_row_it_may_mean() {
    refused(
        "import-manager-hint",
        "001007,Top,top@example.com,,,management,vp,X\n\
         E1,Ada,ada@example.com,1007,,management,director,X\n\
         E2,Grace,grace@example.com,ada@example.com,,management,em,X\n",
        &[
            "row 3, column `manager_id`: manager `1007` is not in this file; row 2 has the id `001007` (did you mean it?)",
            "row 4, column `manager_id`: manager `ada@example.com` is the email of row 3, whose id is `E1`: `manager_id` takes ids, unless an import mapping says [managers] given_by = \"id-or-email\"",
        ],
    );
}

#[test]
fn duplicate_ids_and_emails() {
    refused(
        "import-duplicates",
        "E1,Ada,ada@example.com,,,management,director,X\n\
         E1,Ada Again,ada2@example.com,,,management,director,X\n\
         E2,Grace,ADA@example.com,E1,,management,em,X\n",
        &[
            "row 3, column `id`: duplicate id `E1`, also on row 2",
            "row 4, column `email`: duplicate email `ADA@example.com`, also on row 2",
        ],
    );
}

#[test]
fn empty_required_fields() {
    refused(
        "import-empty",
        "E1,,ada@example.com,,,management,director,X\n,Grace,grace@example.com,,,management,em,X\nE3,Alan,,,,ic,,X\n",
        &[
            "row 2, column `name`: `name` is required but empty",
            "row 3, column `id`: `id` is required but empty",
            "row 4, column `email`: `email` is required but empty",
            "row 4, column `level`: `level` is required but empty",
        ],
    );
}

#[test]
fn malformed_emails_and_statuses() {
    let org = Org::new("import-email-status");
    let csv = "id,name,email,level,status\nE1,Ada,ada.example.com,director,active\nE2,Grace,grace@example.com,em,gone\n";
    let run = org.import("bad.csv", csv).status(1);
    let path = org.folder.join("bad.csv").display().to_string();
    assert_eq!(
        run.stdout,
        format!(
            "{path}: row 2, column `email`: `ada.example.com` is not an email address\n\
             {path}: row 3, column `status`: unknown status `gone`: use `active` or `left`\n\
             {path}: 2 error(s); nothing was imported\n"
        )
    );
}

#[test]
fn a_row_with_the_wrong_number_of_fields() {
    refused(
        "import-short-row",
        "E1,Ada,ada@example.com\n",
        &["row 2: has 3 fields, but the header has 8"],
    );
}

#[test]
fn a_missing_required_column_is_named() {
    let org = Org::new("import-missing-column");
    let run =
        org.import("bad.csv", "id,name,mail,level\nE1,Ada,ada@example.com,director\n").status(1);
    let path = org.folder.join("bad.csv").display().to_string();
    assert_eq!(
        run.stdout,
        format!(
            "{path}: error: no column for `email`; the columns are `id`, `name`, `mail`, `level`. Map a column to email in an import mapping's [columns] (or with --map \"Header=email\" on the command line)\n\
             {path}: nothing was imported\n"
        )
    );
}

#[test]
fn a_bad_mapping_is_refused_before_reading() {
    let org = Org::new("import-bad-map");
    let path = org.write("people.csv", BASE.as_bytes());
    let run = org.rungs().args(["org", "import", &path, "--map", "Grade=levle"]).run().status(2);
    assert_eq!(
        run.stderr,
        "error: `levle` is not a roster field (did you mean `level`?); fields are: id, name, email, manager_id, title, track, level, team, status, first_name, last_name, preferred_name, hire_date, level_since\n"
    );
}

#[test]
fn every_error_of_a_file_is_reported_at_once() {
    refused(
        "import-all-at-once",
        "E1,Ada,ada@example.com,E1,,management,director,X\nE2,Grace,grace@example.com,E9,,management,emm,X\n",
        &[
            "row 2, column `manager_id`: `E1` cannot be their own manager",
            "row 3, column `manager_id`: manager `E9` is not in this file",
            "row 3, column `level`: unknown level `emm` (did you mean `em`?)",
        ],
    );
}

#[test]
fn show_tree_stats_check_and_plan() {
    let org = Org::new("org-views");
    org.import("people.csv", BASE).status(0);
    let shown = org.person("E3");
    let managers: Vec<&str> =
        shown["managers"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(managers, ["E2", "E1"]);
    let grace = org.person("E2");
    assert_eq!(grace["direct_reports"].as_array().unwrap().len(), 5);

    let tree = org.rungs().args(["org", "tree"]).stdout();
    assert!(tree.starts_with("Ada Lovelace (E1), Director of Engineering [span 2, org 7]\n├─ Dennis Ritchie (E8), Principal Engineer\n└─ Grace Hopper (E2), Engineering Manager [span 5, org 5]\n   ├─ Alan Turing (E3), Senior Software Engineer\n"), "{tree}");

    let stats = org.stats();
    assert_eq!(
        (stats["people"].as_u64(), stats["managers"].as_u64(), stats["layers"].as_u64()),
        (Some(8), Some(2), Some(3))
    );
    assert_eq!(stats["ic_to_manager_ratio"], 3.0);
    let em =
        stats["levels"].as_array().unwrap().iter().find(|level| level["level"] == "em").unwrap();
    assert_eq!(em["count"], 1);

    let check = org.rungs().args(["org", "check", "--json"]).run().status(0);
    let findings: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let rules: Vec<(&str, &str)> = findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| (finding["person_id"].as_str().unwrap(), finding["rule"].as_str().unwrap()))
        .collect();
    // Ada's org of 7 is below a Director's 15; Margaret (Staff, b4) is fine under an EM (b4).
    assert_eq!(rules, [("E1", "org-size-out-of-range")]);
    let first = &findings["findings"][0];
    assert_eq!(first["observed"], 7);
    assert_eq!(first["expected"], "15..=50");
    assert_eq!(first["severity"], "warning");
    assert_eq!(
        first["message"],
        "Ada Lovelace (E1) leads 7 people; a Director of Engineering leads 15-50"
    );

    let plan = org.rungs().args(["org", "plan", "--engineers", "40", "--json"]).stdout();
    let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
    let counts: Vec<(&str, u64)> = plan["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| (role["level"].as_str().unwrap(), role["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, [("em", 5), ("sem", 3), ("director", 1), ("vp", 0), ("cto", 0)]);
}

#[test]
fn check_exits_1_on_errors_such_as_levels_the_framework_lacks() {
    let org = Org::new("org-check-error");
    org.import("people.csv", BASE).status(0);
    // A new framework version without `ic5`: Dennis's level no longer exists.
    let framework = Test::new().args(["framework", "export", "--format", "toml"]).stdout();
    let without_ic5 = framework
        .replace("id = \"ic5\"", "id = \"ic5-principal\"")
        .replace("\"ic5\"", "\"ic5-principal\"");
    let path = org.write("ladder.toml", without_ic5.as_bytes());
    let used = org.rungs().args(["framework", "use", &path]).stdout();
    assert_eq!(used, "Active framework: Rungs Engineering Ladder 1.0.0 (rungs-engineering)\n");
    let run = org.rungs().args(["org", "check"]).run().status(1);
    assert!(
        run.stdout
            .contains("Dennis Ritchie (E8) is at level `ic5`, which the framework does not define"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("8 people checked: 1 error(s), 1 warning(s), 0 info\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn framework_use_refuses_an_invalid_file_and_keeps_the_active_one() {
    let org = Org::new("framework-use-invalid");
    let path = org.write("broken.toml", b"[framework]\nid = \"x\"\n");
    let run = org.rungs().args(["framework", "use", &path]).run().status(1);
    assert!(
        run.stdout.ends_with("broken.toml: not activated; the active framework is unchanged\n"),
        "{}",
        run.stdout
    );
    let shown = org.rungs().args(["framework", "show"]).stdout();
    assert!(shown.starts_with("Rungs Engineering Ladder 1.0.0"));
}

#[test]
fn unknown_people_are_named_with_a_suggestion() {
    let org = Org::new("org-unknown-person");
    org.import("people.csv", BASE).status(0);
    let run = org.rungs().args(["org", "show", "E33"]).run().status(2);
    assert_eq!(run.stderr, "error: no person with id `E33` (did you mean `E3`?)\n");
}

#[test]
fn demo_generate_is_deterministic_and_imports_cleanly() {
    let org = Org::new("demo-generate");
    let first = Test::new().args(["demo", "generate", "--people", "300", "--seed", "9"]).stdout();
    let again = Test::new().args(["demo", "generate", "--people", "300", "--seed", "9"]).stdout();
    let other = Test::new().args(["demo", "generate", "--people", "300", "--seed", "10"]).stdout();
    assert_eq!(first, again, "the same seed gives the same org");
    assert_ne!(first, other);
    assert!(first.starts_with("id,name,email,manager_id,title,track,level,team\n"));
    assert_eq!(first.lines().count(), 301);
    let run = org.import("demo.csv", &first).status(0);
    assert!(run.stdout.ends_with("300 added, 0 updated, 0 unchanged, 0 left\n"));
    let stats = org.stats();
    assert_eq!(stats["people"], 300);
    assert!(stats["layers"].as_u64().unwrap() >= 5, "a pyramid, not a flat list");
    let check = org.rungs().args(["org", "check", "--json"]).run().status(0);
    let findings: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let rules: std::collections::BTreeSet<&str> = findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["rule"].as_str().unwrap())
        .collect();
    for planted in ["org-size-out-of-range", "single-direct-report", "managed-by-lower-band"] {
        assert!(rules.contains(planted), "the demo plants a `{planted}` problem: {rules:?}");
    }
}

#[test]
fn an_export_with_no_people_is_refused_rather_than_marking_everyone_as_left() {
    let org = Org::new("import-no-people");
    org.import("people.csv", BASE).status(0);
    let run = org.import("empty.csv", HEADER).status(1);
    let path = org.folder.join("empty.csv").display().to_string();
    assert_eq!(
        run.stdout,
        format!(
            "{path}: error: the file has no people, only a header; importing it would mark everyone as left\n\
             {path}: nothing was imported\n"
        )
    );
    assert_eq!(org.stats()["people"], 8);
}

#[test]
fn a_dry_run_against_a_missing_database_creates_nothing() {
    let org = Org::new("import-dry-run-no-database");
    let path = org.write("people.csv", BASE.as_bytes());
    let run = org.rungs().args(["org", "import", "--dry-run", &path]).run().status(0);
    assert!(
        run.stdout.ends_with("the import would make: 8 added, 0 updated, 0 unchanged, 0 left\n"),
        "{}",
        run.stdout
    );
    assert!(!org.folder.join("rungs.db").exists(), "a dry run must not create the database");
}

#[test]
fn row_numbers_count_blank_lines_as_a_spreadsheet_does() {
    refused(
        "import-blank-lines",
        "E1,Ada,ada@example.com,,,management,director,X\n\n\nE2,Grace,grace@example.com,E1,,management,emm,X\n",
        &["row 5, column `level`: unknown level `emm` (did you mean `em`?)"],
    );
}

#[test]
fn a_closed_pipe_keeps_the_exit_status() {
    let org = Org::new("org-closed-pipe");
    org.import("people.csv", BASE.replace("management,director", "management,dir3ctor").as_str())
        .status(1);
    org.import("people.csv", BASE).status(0);
    let framework = Test::new().args(["framework", "export", "--format", "toml"]).stdout();
    let without_ic5 = framework.replace("\"ic5\"", "\"ic5-principal\"");
    let ladder = org.write("ladder.toml", without_ic5.as_bytes());
    org.rungs().args(["framework", "use", &ladder]).run().status(0);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rungs"))
        .args(["--db", &org.url, "org", "check"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(1),
        "the error finding decides the exit status, not the closed pipe"
    );
}

#[test]
fn import_check_and_stats_on_postgresql() {
    let Some(url) = postgres_database("import_check") else { return };
    let folder = temp_folder("org-postgres");
    let path = folder.join("people.csv");
    std::fs::write(&path, BASE).unwrap();
    let path = path.display().to_string();
    let run = Test::new().db(&url).args(["org", "import", &path]).run().status(0);
    assert!(
        run.stdout.ends_with("imported 8 people: 8 added, 0 updated, 0 unchanged, 0 left\n"),
        "{}",
        run.stdout
    );
    let bad = folder.join("bad.csv");
    std::fs::write(&bad, format!("{HEADER}E1,Ada,ada@example.com,E1,,management,director,X\n"))
        .unwrap();
    Test::new().db(&url).args(["org", "import"]).arg(bad.display().to_string()).run().status(1);
    let stats: serde_json::Value =
        serde_json::from_str(&Test::new().db(&url).args(["org", "stats", "--json"]).stdout())
            .unwrap();
    assert_eq!((stats["people"].as_u64(), stats["managers"].as_u64()), (Some(8), Some(2)));
    let check = Test::new().db(&url).args(["org", "check", "--json"]).run().status(0);
    let findings: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(findings["findings"][0]["rule"], "org-size-out-of-range");
}

/// Text fields refuse control characters (a terminal would act on them: ESC starts a title
/// change or a clipboard write) and have limits; emails are checked by a real parser. Each
/// error names its row and column, the message shows the character, and nothing is written.
#[test]
fn control_characters_over_long_texts_and_odd_emails_are_refused() {
    let long_name = "A".repeat(5_000_000);
    let rows = format!(
        "E9,Eve\u{1b}]0;owned\u{7},eve@example.com,,,ic,ic2,Platform\n\
         E10,{long_name},ten@example.com,,,ic,ic2,Platform\n\
         E11,Nul,nul@example.com,,Staff\u{0}Engineer,ic,ic2,Platform\n\
         E12,Quote,\"\"\">\u{2039}x\u{2026}>\"\"@example.com\",,,ic,ic2,Core\u{9b}2K\n\
         E13,Tab,tab@example.com,,,ic,ic2,Plat\tform\n"
    );
    refused(
        "import-control-characters",
        &rows,
        &[
            "row 2, column `name`: name contains the control character U+001B at character 4; name is plain text",
            "row 3, column `name`: name is at most 200 characters; this one has 5000000",
            "row 4, column `title`: title contains the control character U+0000 at character 6; title is plain text",
            "row 5, column `email`: `\">\u{2039}x\u{2026}>\"@example.com` is not an email address",
            "row 5, column `team`: team contains the control character U+009B at character 5; team is plain text",
            "row 6, column `team`: team contains the control character U+0009 at character 5; team is plain text",
        ],
    );
}

/// Text written before these rules, or by another tool, still cannot act on a terminal: every
/// CLI view shows its control characters as visible pictures.
#[test]
fn stored_control_characters_are_shown_not_sent_to_the_terminal() {
    let org = Org::new("output-control-characters");
    org.import("people.csv", BASE).status(0);
    let database = rusqlite::Connection::open(org.folder.join("rungs.db")).unwrap();
    database
        .execute(
            "UPDATE people SET name = 'Grace\u{1b}]52;c;b3duZWQ=\u{7}', title = 'Boss\u{1b}[2K' WHERE id = 'E2'",
            [],
        )
        .unwrap();
    drop(database);
    for view in [
        vec!["org", "show", "E2"],
        vec!["org", "show", "E3"],
        vec!["org", "tree"],
        vec!["team", "E2"],
    ] {
        let out = org.rungs().args(view.clone()).stdout();
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{view:?} printed raw: {out:?}");
        assert!(out.contains("Grace\u{241b}]52;c;b3duZWQ=\u{2407}"), "{view:?}: {out}");
    }
}

//! A BambooHR-style export, made here, imports with one mapping file and no hand editing:
//! headers of its own, level codes, statuses such as `Terminated` and `Leave of Absence`,
//! zero-padded ids, supervisors given by id or by email, names in parts, people off the ladder
//! (skipped, their reports moved up to the nearest kept manager; or kept, with no level),
//! leavers whose manager is gone, and a rehire whose old record shares the new one's email. Then the mapping is saved
//! by name, suggested from the export, and refused with its line when it is wrong.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::path::PathBuf;

use serde_json::Value;
use support::{Test, temp_folder};

const HEADER: &str = "Employee Number,First Name,Last Name,Preferred Name,Work Email,Supervisor ID,Job Level,Department,Job Title,Hire Date,Level Start,Employment Status\n";

/// One row: number, first, last, preferred, supervisor (id, unpadded id or email), level
/// code, department, status. Emails are first.last@example.com.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const ROWS: &[Row] = &[
    ("000001", "Pat", "Chief", "", "", "CEO", "Exec", "Active"),
    ("000002", "Ada", "Lovelace", "", "pat.chief@example.com", "E1", "Engineering", "Active"),
    ("000003", "Sam", "Seller", "", "000001", "S2", "Sales", "Active"),
    ("000004", "Hana", "Resources", "", "1", "HR1", "People", "Active"),
    ("000005", "Grace", "Hopper", "", "2", "M4", "Engineering", "Active"),
    ("000006", "Olga", "Staff", "", "000002", "S1", "Exec", "Active"),
    ("000007", "Edsger", "Dijkstra", "", "000005", "M3", "Platform", "Active"),
    ("000008", "Barbara", "Liskov", "", "grace.hopper@example.com", "M2", "Platform", "Active"),
    ("000009", "Ken", "Iverson", "", "000008", "m1", "Platform", "Active"),
    ("000010", "Frances", "Allen", "", "7", "M1", "Compilers", "Active"),
    ("000011", "Alan", "Turing", "Al", "000009", "IC3", "Platform", "Active"),
    (
        "000012",
        "John",
        "Backus",
        "",
        "ken.iverson@example.com",
        "IC2",
        "Platform",
        "Leave of Absence",
    ),
    ("000013", "Dennis", "Ritchie", "", "9", "ic5", "Platform", "Active"),
    ("000014", "Margaret", "Hamilton", "", "000010", "IC4", "Compilers", "Active"),
    ("000015", "Donald", "Knuth", "", "frances.allen@example.com", "IC7", "Compilers", "Active"),
    ("000016", "Leslie", "Lamport", "", "000010", "IC6", "Compilers", "Active"),
    ("000017", "Radia", "Perlman", "", "000006", "IC4", "Exec", "Active"),
    ("000018", "Tony", "Hoare", "", "000999", "IC3", "Compilers", "Terminated"),
    ("000019", "Ken", "Thompson", "", "000009", "IC2", "Platform", "Terminated"),
    ("000020", "Ken", "Thompson", "Kenneth", "000009", "IC4", "Platform", "Active"),
    ("000021", "Niklaus", "Wirth", "", "000003", "IC1", "Sales", "Active"),
];

const MAPPING: &str = r#"# BambooHR, as this company exports it.
[columns]
id = "Employee Number"
first_name = "First Name"
last_name = "Last Name"
preferred_name = "Preferred Name"
email = "Work Email"
manager_id = "Supervisor ID"
level = "Job Level"
team = "Department"
title = "Job Title"
status = "Employment Status"
hire_date = "Hire Date"
level_since = "Level Start"

[ids]
leading_zeros = "strip"

[managers]
given_by = "id-or-email"

[levels]
E1 = "cto"
M4 = "vp"
M3 = "director"
M2 = "sem"
M1 = "em"

[statuses]
Terminated = "left"
"Leave of Absence" = "active"

[off_ladder]
levels = ["CEO", "S1", "S2", "HR1"]
teams = ["Sales"]

[leavers]
missing_manager = "none"

[dates]
order = "month-first"
"#;

fn export() -> String {
    let hire_dates = ["2019-03-04", "03/04/2019", "4 Mar 2019"];
    let mut csv = HEADER.to_owned();
    for (position, (number, first, last, preferred, supervisor, level, team, status)) in
        ROWS.iter().enumerate()
    {
        // The rehire's old record keeps the email the new one has.
        let email = format!("{}.{}@example.com", first.to_lowercase(), last.to_lowercase());
        let hired = hire_dates[position % hire_dates.len()];
        let since = if *status == "Active" { "2025-10-01" } else { "" };
        csv.push_str(&format!(
            "{number},{first},{last},{preferred},{email},{supervisor},{level},{team},,\"{hired}\",{since},{status}\n"
        ));
    }
    csv
}

struct Company {
    folder: PathBuf,
    url: String,
}

impl Company {
    fn new(name: &str) -> Company {
        let folder = temp_folder(name);
        let url = format!("sqlite://{}", folder.join("rungs.db").display());
        Company { folder, url }
    }

    fn write(&self, name: &str, contents: &str) -> String {
        let path = self.folder.join(name);
        std::fs::write(&path, contents).unwrap();
        path.display().to_string()
    }

    fn rungs(&self) -> Test {
        Test::new().db(&self.url)
    }

    fn person(&self, id: &str) -> Value {
        serde_json::from_str(&self.rungs().args(["org", "show", id, "--json"]).stdout()).unwrap()
    }
}

#[test]
fn an_hr_export_imports_with_one_mapping_file_and_no_hand_editing() {
    let company = Company::new("hr-export-mapping");
    let file = company.write("bamboo.csv", &export());
    let mapping = company.write("bamboo.toml", MAPPING);

    // Without a mapping the export is refused, and says how to map it.
    let bare = company.rungs().args(["org", "import", &file, "--dry-run"]).run().status(1);
    assert!(bare.stdout.contains("no column for `id`, `email`, `level`"), "{}", bare.stdout);
    assert!(bare.stdout.contains("in an import mapping's [columns]"), "{}", bare.stdout);

    let dry = company
        .rungs()
        .args(["org", "import", &file, "--mapping", &mapping, "--dry-run"])
        .run()
        .status(0);
    assert!(
        dry.stdout.contains(
            "skipped as off the ladder: Pat Chief (1), CEO, Sam Seller (3), S2, Hana Resources (4), HR1, Olga Staff (6), S1, Niklaus Wirth (21), IC1"
        ),
        "{}",
        dry.stdout
    );
    assert!(!dry.stderr.contains("warning"), "every column is used: {}", dry.stderr);

    let imported = company.rungs().args(["org", "import", &file, "--mapping", &mapping]).stdout();
    assert!(imported.contains("imported 16 people"), "{imported}");
    let stats: Value =
        serde_json::from_str(&company.rungs().args(["org", "stats", "--json"]).stdout()).unwrap();
    assert_eq!(stats["people"], 14, "16 imported, 2 of them leavers: {stats}");

    // Ids lose their padding; names are composed, the preferred name first.
    let alan = company.person("11");
    assert_eq!(alan["person"]["name"], "Al Turing");
    // Hire dates come in several formats: ISO, month first, and in words.
    assert_eq!(alan["person"]["hire_date"], "2019-03-04");
    assert_eq!(company.person("12")["person"]["hire_date"], "2019-03-04");
    assert_eq!(company.person("13")["person"]["hire_date"], "2019-03-04");
    // The time at the level shows in readiness.
    let readiness = company.rungs().args(["readiness", "11"]).stdout();
    assert!(readiness.contains("At ic3 for "), "{readiness}");
    assert!(readiness.contains(", since 2025-10-01; joined 2019-03-04."), "{readiness}");
    assert_eq!(alan["person"]["level"], "ic3");
    assert_eq!(alan["person"]["manager_id"], "9");
    // The CTO reported to the CEO, who is off the ladder: she reports to nobody now.
    let ada = company.person("2");
    assert_eq!(
        (ada["person"]["level"].as_str(), &ada["person"]["manager_id"]),
        (Some("cto"), &Value::Null)
    );
    // A supervisor given by email is that person's id; a report of someone skipped reports to
    // the nearest kept manager above.
    assert_eq!(company.person("8")["person"]["manager_id"], "5");
    assert_eq!(company.person("17")["person"]["manager_id"], "2");
    assert_eq!(company.person("12")["person"]["status"], "active", "leave of absence");
    // A leaver whose manager is not in the file keeps no manager.
    let tony = company.person("18");
    assert_eq!(
        (tony["person"]["status"].as_str(), &tony["person"]["manager_id"]),
        (Some("left"), &Value::Null)
    );
    // The rehire's old record left; the new one is active with the same email.
    assert_eq!(company.person("19")["person"]["status"], "left");
    assert_eq!(company.person("20")["person"]["email"], "ken.thompson@example.com");

    // Saved by name, the mapping imports the same export again with nothing to change.
    let saved = company.rungs().args(["org", "mapping", "save", "bamboo", &mapping]).stdout();
    assert!(saved.contains("saved the import mapping `bamboo`"), "{saved}");
    let again = company.rungs().args(["org", "import", &file, "--mapping", "bamboo"]).stdout();
    assert!(again.contains("0 added, 0 updated, 16 unchanged, 0 left"), "{again}");
    let listed: Value =
        serde_json::from_str(&company.rungs().args(["org", "mapping", "list", "--json"]).stdout())
            .unwrap();
    assert_eq!(listed["mappings"][0]["name"], "bamboo");
    assert_eq!(
        company.rungs().args(["org", "mapping", "show", "bamboo"]).stdout().trim_end(),
        MAPPING.trim_end()
    );
    let unknown =
        company.rungs().args(["org", "import", &file, "--mapping", "bambo"]).run().status(2);
    assert!(
        unknown.stderr.contains(
            "there is no import mapping `bambo` (did you mean `bamboo`?); saved ones are: bamboo"
        ),
        "{}",
        unknown.stderr
    );
    let kept = company.rungs().args(["org", "mapping", "remove", "bamboo"]).run().status(2);
    assert!(kept.stderr.contains("pass --yes to confirm"), "{}", kept.stderr);
    company.rungs().args(["org", "mapping", "remove", "bamboo", "--yes"]).stdout();
    assert!(
        company
            .rungs()
            .args(["org", "mapping", "list"])
            .stdout()
            .starts_with("no import mapping is saved")
    );
}

#[test]
fn a_mapping_is_suggested_from_the_export_and_refused_with_its_line_when_wrong() {
    let company = Company::new("hr-export-suggest");
    let file = company.write("bamboo.csv", &export());
    let suggested = company.folder.join("suggested.toml");
    let run = company
        .rungs()
        .args(["org", "mapping", "suggest", &file, "--out", &suggested.display().to_string()])
        .run()
        .status(0);
    assert!(run.stderr.contains("check the TODO lines"), "{}", run.stderr);
    let text = std::fs::read_to_string(&suggested).unwrap();
    for line in [
        "id = \"Employee Number\"",
        "manager_id = \"Supervisor ID\"",
        "preferred_name = \"Preferred Name\"",
        "leading_zeros = \"strip\"",
        "given_by = \"id-or-email\"",
        "\"M4\" = \"vp\"  # guessed: check it",
        "\"Terminated\" = \"left\"",
        "\"Leave of Absence\" = \"active\"",
        "missing_manager = \"none\"",
        "# TODO: \"E1\" = \"\"",
        "hire_date = \"Hire Date\"",
        "# TODO: order = \"month-first\" or \"day-first\"",
    ] {
        assert!(text.contains(line), "`{line}` in:\n{text}");
    }
    // As suggested, it reads the export: only the codes it could not place are left to decide,
    // each row of them named (nobody is skipped without being asked for).
    let dry = company
        .rungs()
        .args(["org", "import", &file, "--mapping", &suggested.display().to_string(), "--dry-run"])
        .run()
        .status(1);
    for refusal in [
        "row 3, column `level`: unknown level `E1` (did you mean `em`?)",
        "row 3, column `hire_date`: `03/04/2019` could be day first or month first",
    ] {
        assert!(dry.stdout.contains(refusal), "{refusal} in:\n{}", dry.stdout);
    }

    // A wrong mapping is refused before the export is read, with the mapping's line.
    let syntax = company.write(
        "syntax.toml",
        &MAPPING.replace("leading_zeros = \"strip\"", "leading_zeros = \"yes\""),
    );
    let refused =
        company.rungs().args(["org", "import", &file, "--mapping", &syntax]).run().status(2);
    assert!(
        refused.stderr.contains(&format!(
            "{syntax} line 17: `leading_zeros` is `yes`; it takes `keep` or `strip`"
        )),
        "{}",
        refused.stderr
    );
    let level = company.write("level.toml", &MAPPING.replace("M2 = \"sem\"", "M2 = \"semm\""));
    let refused =
        company.rungs().args(["org", "import", &file, "--mapping", &level]).run().status(2);
    assert!(
        refused.stderr.contains(&format!(
            "{level} line 26: `semm` is not a level of the ladder (did you mean `sem`?)"
        )),
        "{}",
        refused.stderr
    );
    let stats: Value =
        serde_json::from_str(&company.rungs().args(["org", "stats", "--json"]).stdout()).unwrap();
    assert_eq!(stats["people"], 0, "nothing was imported");
}

#[test]
fn people_off_the_ladder_are_kept_in_the_chart_when_the_mapping_says_so() {
    let company = Company::new("hr-export-keep");
    let file = company.write("bamboo.csv", &export());
    let keep = MAPPING.replace("teams = [\"Sales\"]\n", "teams = [\"Sales\"]\npeople = \"keep\"\n");
    let mapping = company.write("keep.toml", &keep);
    let imported = company.rungs().args(["org", "import", &file, "--mapping", &mapping]).stdout();
    assert!(imported.contains("imported 21 people"), "nobody is skipped: {imported}");

    // The CEO is in the chart with no level, and the CTO reports to them.
    let pat = company.person("1");
    assert_eq!((&pat["person"]["level"], &pat["person"]["track"]), (&Value::Null, &Value::Null));
    assert_eq!(company.person("2")["person"]["manager_id"], "1");
    assert_eq!(company.person("17")["person"]["manager_id"], "6", "under a kept member");
    let shown = company.rungs().args(["org", "show", "1"]).stdout();
    assert!(shown.contains("Level: off the ladder"), "{shown}");

    // Never checked against a level, never assessed, no readiness.
    let check: Value =
        serde_json::from_str(&company.rungs().args(["org", "check", "--json"]).run().stdout)
            .unwrap();
    assert!(check["findings"].is_array(), "{check}");
    let about_pat: Vec<&Value> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["person_id"] == "1")
        .collect();
    assert!(about_pat.is_empty(), "{about_pat:?}");
    let readiness = company.rungs().args(["readiness", "1"]).run();
    assert_ne!(readiness.status, 0);
    assert!(
        readiness.stderr.contains("`1` is off the ladder (an import mapping keeps them so)"),
        "{}",
        readiness.stderr
    );
    company.rungs().args(["cycle", "open", "2027-H1"]).stdout();
    let assess = company
        .rungs()
        .args(["assess", "create", "--cycle", "2027-H1", "--subject", "1", "--assessor", "1"])
        .args(["--kind", "self"])
        .run();
    assert_ne!(assess.status, 0, "{}", assess.stdout);
    assert!(assess.stderr.contains("nobody assesses them"), "{}", assess.stderr);
    let stats: Value =
        serde_json::from_str(&company.rungs().args(["org", "stats", "--json"]).stdout()).unwrap();
    assert_eq!(stats["people"], 19, "21 imported, 2 of them leavers: {stats}");
}

#[test]
fn a_mapping_that_strips_zeros_from_an_org_imported_padded_says_it_re_keys_people() {
    let company = Company::new("hr-export-rekeyed");
    let padded = company.write(
        "padded.csv",
        "id,name,email,manager_id,level\n000001,Ada,ada@example.com,,cto\n000002,Grace,grace@example.com,000001,vp\n",
    );
    company.rungs().args(["org", "import", &padded]).stdout();
    let strip = company.write("strip.toml", "[ids]\nleading_zeros = \"strip\"\n");
    let dry = company
        .rungs()
        .args(["org", "import", &padded, "--mapping", &strip, "--dry-run"])
        .run()
        .status(0);
    assert!(
        dry.stdout.contains(
            "padded.csv: 2 of those joining are in the chart with their id padded, which the mapping's [ids] leading_zeros = \"strip\" changes: they would join as new people and their old records be marked as left (import without stripping to keep their ids): `000001` is `1` in this file, `000002` is `2` in this file"
        ),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("the import would be refused: 2 of the 2 active people"),
        "{}",
        dry.stdout
    );
}

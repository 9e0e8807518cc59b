//! Cycles with a schedule and participants, and people's tasks, through the real `rungs`
//! binary on a real database: dates around today, so that stages and late steps are those a
//! user would see; every refusal shows its message and writes nothing.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::path::PathBuf;

use jiff::ToSpan;
use jiff::civil::Date;
use serde_json::Value;
use support::{Test, temp_folder};

/// The org of these tests: a director, a manager and three others, as an HR export.
const ORG: &str = support::FIVE_PEOPLE;

struct Instance {
    folder: PathBuf,
    url: String,
}

impl Instance {
    fn new(name: &str) -> Instance {
        let folder = temp_folder(name);
        let url = format!("sqlite://{}", folder.join("rungs.db").display());
        let instance = Instance { folder, url };
        let org = instance.folder.join("org.csv");
        std::fs::write(&org, ORG).unwrap();
        instance.rungs().args(["org", "import", org.to_str().unwrap()]).stdout();
        instance
    }

    fn rungs(&self) -> Test {
        Test::new().db(&self.url)
    }

    fn json(&self, arguments: &[&str]) -> Value {
        let mut all: Vec<&str> = arguments.to_vec();
        all.push("--json");
        serde_json::from_str(&self.rungs().args(all).stdout()).unwrap()
    }

    fn refused(&self, arguments: &[&str]) -> String {
        let run = self.rungs().args(arguments.iter().copied()).run().status(2);
        run.stderr.trim_end().to_owned()
    }

    fn task_texts(&self, person: &str) -> Vec<(String, bool)> {
        let tasks = self.json(&["tasks", person]);
        tasks
            .as_array()
            .unwrap()
            .iter()
            .map(|task| {
                (task["text"].as_str().unwrap().to_owned(), task["overdue"].as_bool().unwrap())
            })
            .collect()
    }
}

/// A day relative to today in UTC (the time zone these cycles use).
fn day(offset: i32) -> String {
    let today: Date = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    today.checked_add(offset.days()).unwrap().to_string()
}

#[test]
fn a_scheduled_cycle_gives_the_people_in_it_their_tasks() {
    let instance = Instance::new("cycle-tasks");
    let (opens, self_due) = (day(-3), day(-1));
    let created = instance.json(&[
        "cycle",
        "create",
        "2027-H1",
        "--opens",
        &opens,
        "--self-due",
        &self_due,
        "--time-zone",
        "UTC",
        "--within",
        "Grace Hopper",
    ]);
    assert_eq!(created["name"], "2027-H1");
    assert_eq!(created["participant_count"], 3, "{created}");
    assert_eq!(created["stage"]["stage"], "due");
    assert_eq!(created["stage"]["step"], "peer-feedback");
    assert_eq!(created["plan"]["schedule"]["self_due"], self_due.as_str());
    // The rest follow: a week each.
    assert_eq!(created["plan"]["schedule"]["peer_due"], day(6).as_str());
    let shown = instance.rungs().args(["cycle", "show", "2027-H1"]).stdout();
    assert!(shown.contains("Peer feedback is due by"), "{shown}");
    assert!(shown.contains("everyone active in the line of Grace Hopper (3 people)"), "{shown}");

    // Alan's self-assessment is late; Grace owes her own and one per report.
    assert_eq!(
        instance.task_texts("Alan Turing"),
        [("Write your self-assessment in 2027-H1".to_owned(), true)]
    );
    let grace: Vec<String> =
        instance.task_texts("grace@example.com").into_iter().map(|(text, _)| text).collect();
    assert_eq!(
        grace,
        [
            "Write your self-assessment in 2027-H1",
            "Assess Alan Turing in 2027-H1",
            "Assess Edsger Dijkstra in 2027-H1",
        ]
    );
    let table = instance.rungs().args(["tasks", "Alan Turing"]).stdout();
    assert!(table.contains("overdue"), "{table}");

    // Barbara is outside the line: nothing is asked of her, and her assessments are refused.
    assert_eq!(
        instance.rungs().args(["tasks", "Barbara Liskov"]).stdout(),
        "Barbara Liskov has nothing to do right now.\n"
    );
    let refused = instance.refused(&[
        "assess",
        "create",
        "--cycle",
        "2027-H1",
        "--subject",
        "E5",
        "--assessor",
        "E5",
        "--kind",
        "self",
    ]);
    assert_eq!(
        refused,
        "error: Barbara Liskov does not take part in cycle `2027-H1`; an admin can add them on the cycle's page"
    );

    // Starting the draft marks the task started; submitting it would take it away.
    let draft = instance.json(&[
        "assess",
        "create",
        "--cycle",
        "2027-H1",
        "--subject",
        "E3",
        "--assessor",
        "E3",
        "--kind",
        "self",
    ]);
    let tasks = instance.json(&["tasks", "E3"]);
    assert_eq!(tasks[0]["started"], true);
    assert_eq!(tasks[0]["assessment"], draft["id"]);

    // Adding Barbara and excluding Edsger changes who takes part and who is asked.
    let planned = instance.json(&[
        "cycle",
        "plan",
        "2027-H1",
        "--add",
        "barbara@example.com",
        "--exclude",
        "Edsger Dijkstra",
    ]);
    assert_eq!(planned["participant_count"], 3);
    assert_eq!(instance.task_texts("Barbara Liskov").len(), 1);
    let grace: Vec<String> =
        instance.task_texts("Grace Hopper").into_iter().map(|(text, _)| text).collect();
    assert!(!grace.iter().any(|text| text.contains("Edsger")), "{grace:?}");
    let listed = instance.rungs().args(["cycle", "participants", "2027-H1"]).stdout();
    assert!(listed.contains("Barbara Liskov") && !listed.contains("Edsger"), "{listed}");
    assert!(listed.contains("1-3 of 3"), "{listed}");

    // Progress: the steps reached, the late under their manager, every participant in CSV.
    let progress = instance.json(&["cycle", "progress", "2027-H1"]);
    assert_eq!(progress["participants"], 3);
    assert_eq!(progress["late"], 3, "{progress}");
    assert_eq!(progress["late_by_manager"][0]["name"], "Ada Lovelace", "{progress}");
    assert_eq!(progress["late_by_manager"][0]["late"], 2, "{progress}");
    let shown = instance.rungs().args(["cycle", "progress", "2027-H1"]).stdout();
    assert!(shown.contains("3 taking part, 3 late"), "{shown}");
    let csv = instance.rungs().args(["cycle", "progress", "2027-H1", "--csv"]).stdout();
    assert_eq!(
        csv,
        "name,id,level,team,manager,step,late\n\
         Grace Hopper,E2,em,Platform Compilers,Ada Lovelace,not started,self-assessments\n\
         Alan Turing,E3,ic3,Platform Compilers,Grace Hopper,started,self-assessments\n\
         Barbara Liskov,E5,ic5,Platform,Ada Lovelace,not started,self-assessments\n"
    );

    // Moving the self-assessment date takes the lateness away.
    instance.rungs().args(["cycle", "plan", "2027-H1", "--self-due", &day(2)]).stdout();
    assert!(!instance.task_texts("Alan Turing")[0].1);
}

#[test]
fn nothing_is_written_before_a_cycle_opens() {
    let instance = Instance::new("cycle-not-open");
    instance.rungs().args(["cycle", "create", "2027-H1", "--opens", &day(5)]).stdout();
    let refused = instance.refused(&[
        "assess",
        "create",
        "--cycle",
        "2027-H1",
        "--subject",
        "E3",
        "--assessor",
        "E3",
        "--kind",
        "self",
    ]);
    assert_eq!(
        refused,
        format!(
            "error: cycle `2027-H1` opens on {} (UTC); nothing can be written in it before then",
            day(5)
        )
    );
    assert!(instance.task_texts("Alan Turing").is_empty());
    assert!(instance.json(&["assess", "list"]).as_array().unwrap().is_empty());
}

#[test]
fn after_a_cycle_closes_nothing_but_acknowledgements_is_written() {
    let instance = Instance::new("cycle-ended");
    instance.rungs().args(["cycle", "create", "2027-H1", "--opens", &day(-3)]).stdout();
    let created = instance.json(&[
        "assess",
        "create",
        "--cycle",
        "2027-H1",
        "--subject",
        "E3",
        "--assessor",
        "E3",
        "--kind",
        "self",
    ]);
    let id = created["id"].to_string();
    let level = instance.json(&["framework", "show", "ic3"]);
    let first = level["level"]["expectations"][0]["id"].as_str().unwrap().to_owned();
    instance.rungs().args(["assess", "rate", &id, &format!("{first}=meets")]).stdout();
    instance.rungs().args(["assess", "submit", &id, "--unrated-not-observed"]).stdout();
    let (closed_on, ended) = (day(-1), [day(-3), day(-3), day(-3), day(-2), day(-1)]);
    instance
        .rungs()
        .args([
            "cycle",
            "plan",
            "2027-H1",
            "--self-due",
            &ended[0],
            "--peer-due",
            &ended[1],
            "--manager-due",
            &ended[2],
            "--agreement-due",
            &ended[3],
            "--closes",
            &ended[4],
        ])
        .stdout();
    let message = format!(
        "error: cycle `2027-H1` closed on {closed_on} (UTC); only acknowledgements can be written now, unless an admin moves its close date"
    );
    assert_eq!(instance.refused(&["assess", "revise", &id]), message);
    let manager = instance.refused(&[
        "assess",
        "create",
        "--cycle",
        "2027-H1",
        "--subject",
        "E3",
        "--assessor",
        "E2",
        "--kind",
        "manager",
    ]);
    assert_eq!(manager, message);
    // No step of an ended cycle is a task any more.
    assert!(instance.task_texts("Grace Hopper").is_empty());
}

#[test]
fn a_plan_that_is_wrong_is_refused_naming_the_field_and_nothing_is_created() {
    let instance = Instance::new("cycle-refused");
    let cases: [(&[&str], &str); 6] = [
        (
            &["--opens", "2027-13-01"],
            "error: opens: `2027-13-01` is not a date: write it as 2027-01-11",
        ),
        (
            &["--opens", "2027-01-11", "--self-due", "2027-01-04"],
            "error: self_due: self-assessments due (2027-01-04) is before opens (2027-01-11); the dates go opens, self-assessments, peer feedback, manager assessments, agreements, closes",
        ),
        (
            &["--opens", "2027-01-11", "--time-zone", "Mars/Olympus"],
            "error: time_zone: `Mars/Olympus` is not a time zone: write an IANA name such as Europe/Berlin or UTC",
        ),
        (
            &["--opens", "2027-01-11", "--level", "ic99"],
            "error: levels: the framework has no level `ic99`",
        ),
        (
            &["--opens", "2027-01-11", "--track", "sales"],
            "error: tracks: the framework has no track `sales`",
        ),
        (&["--self-due", "2027-01-11"], "error: opens: a schedule needs the day the cycle opens"),
    ];
    for (flags, message) in cases {
        let mut arguments = vec!["cycle", "create", "2027-H1"];
        arguments.extend_from_slice(flags);
        assert_eq!(instance.refused(&arguments), message, "{flags:?}");
    }
    let nobody = instance.refused(&[
        "cycle",
        "create",
        "2027-H1",
        "--opens",
        "2027-01-11",
        "--within",
        "Nobody Atall",
    ]);
    assert!(nobody.starts_with("error: within: "), "{nobody}");
    assert!(instance.json(&["cycle", "list"]).as_array().unwrap().is_empty());

    // A change that is wrong leaves the plan as it was.
    instance.rungs().args(["cycle", "create", "2027-H1", "--opens", "2027-01-11"]).stdout();
    let before = instance.json(&["cycle", "show", "2027-H1"]);
    let refused = instance.refused(&["cycle", "plan", "2027-H1", "--closes", "2027-01-12"]);
    assert!(
        refused.starts_with("error: closes: closes (2027-01-12) is before agreements due"),
        "{refused}"
    );
    assert_eq!(instance.json(&["cycle", "show", "2027-H1"]), before);
}

#[test]
fn peers_are_asked_listed_and_declined_by_name_and_a_refusal_asks_nobody() {
    let instance = Instance::new("cli-peers");
    instance.rungs().args(["cycle", "create", "2027-H1", "--opens", &day(-3)]).stdout();
    let empty = instance.rungs().args(["peers", "list", "Alan Turing"]).stdout();
    assert!(
        empty.starts_with("Nobody is nominated for feedback on Alan Turing in 2027-H1"),
        "{empty}"
    );

    // One peer refused refuses them all.
    let refused =
        instance.refused(&["peers", "nominate", "Alan Turing", "Edsger Dijkstra", "Grace Hopper"]);
    assert_eq!(
        refused,
        "error: Grace Hopper is in Alan Turing's management chain, so writes their manager assessment, not peer feedback"
    );
    let listed = instance.json(&["peers", "list", "alan@example.com"]);
    assert_eq!(listed["nominations"], Value::Array(vec![]));

    // By name and by email; the command line asks at once.
    let listed = instance.json(&[
        "peers",
        "nominate",
        "Alan Turing",
        "Edsger Dijkstra",
        "barbara@example.com",
    ]);
    let states: Vec<(&str, &str)> = listed["nominations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|one| (one["peer_name"].as_str().unwrap(), one["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states, [("Edsger Dijkstra", "approved"), ("Barbara Liskov", "approved")]);
    assert_eq!(listed["policy"], "anonymous");
    assert!(
        instance
            .task_texts("Edsger Dijkstra")
            .iter()
            .any(|(text, _)| text == "Give peer feedback on Alan Turing in 2027-H1")
    );
    assert_eq!(
        instance.refused(&["peers", "approve", "Alan Turing", "Barbara Liskov"]),
        "error: the nomination of Barbara Liskov is approved, so there is nothing to approve"
    );

    // Declining asks first; without a terminal it needs --yes, and a reason.
    let asked = instance.refused(&[
        "peers",
        "decline",
        "Alan Turing",
        "Edsger Dijkstra",
        "--reason",
        "On leave",
    ]);
    assert!(
        asked.contains("pass --yes to confirm") && asked.ends_with("nothing was declined"),
        "{asked}"
    );
    assert_eq!(
        instance.refused(&[
            "peers",
            "decline",
            "Alan Turing",
            "Edsger Dijkstra",
            "--reason",
            " ",
            "--yes"
        ]),
        "error: say why you decline, in a sentence: the manager who asked reads it"
    );
    let table = instance
        .rungs()
        .args([
            "peers",
            "decline",
            "Alan Turing",
            "Edsger Dijkstra",
            "--reason",
            "On leave",
            "--yes",
        ])
        .stdout();
    assert!(
        table.contains("Edsger Dijkstra")
            && table.contains("declined")
            && table.contains("On leave"),
        "{table}"
    );
    assert!(
        !instance
            .task_texts("Edsger Dijkstra")
            .iter()
            .any(|(text, _)| text.contains("Alan Turing"))
    );

    // Withdrawing asks first too; then Barbara is no longer asked, and may be asked again.
    let asked = instance.refused(&["peers", "withdraw", "Alan Turing", "Barbara Liskov"]);
    assert!(asked.ends_with("nothing was withdrawn"), "{asked}");
    let listed = instance.json(&["peers", "withdraw", "Alan Turing", "Barbara Liskov", "--yes"]);
    let peers: Vec<&str> = listed["nominations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|one| one["peer_name"].as_str().unwrap())
        .collect();
    assert_eq!(peers, ["Edsger Dijkstra"]);
    assert!(
        !instance.task_texts("Barbara Liskov").iter().any(|(text, _)| text.contains("Alan Turing"))
    );
    instance.rungs().args(["peers", "nominate", "Alan Turing", "Barbara Liskov"]).stdout();
}

//! Cycles with a schedule and participants over the API and the admin pages, and the task
//! home page everyone lands on: dates around today, a manager's line taking part, refusals
//! that name the field and change nothing, and the audit of every change of plan.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use jiff::ToSpan;
use serde_json::{Value, json};
use support::{TestApp, spawn_app};

/// A day relative to today in UTC, the time zone these cycles use.
fn day(offset: i32) -> String {
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    today.checked_add(offset.days()).unwrap().to_string()
}

/// A manager of the demo whose direct reports are all on the ladder, with those reports.
async fn a_manager(hr: &TestApp) -> (String, Vec<String>) {
    let org = hr.app.current_org().await.unwrap();
    let chart = &org.chart;
    (0..chart.len())
        .filter(|&position| chart.depth(position) >= 3 && chart.member(position).level.is_some())
        .map(|position| {
            let reports: Vec<String> = chart
                .direct_reports(position)
                .map(|report| chart.member(report).id.to_string())
                .collect();
            (chart.member(position).id.to_string(), reports, position)
        })
        .find(|(_, reports, position)| {
            reports.len() >= 2
                && chart.direct_reports(*position).all(|report| {
                    chart.member(report).level.is_some() && chart.direct_reports(report).len() == 0
                })
        })
        .map(|(manager, reports, _)| (manager, reports))
        .unwrap()
}

async fn patch_json(app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    let response = app
        .client
        .patch(app.url(path))
        .header("x-csrf-token", &app.csrf)
        .json(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// The audit entries of `action` on cycle 2027-H1 (the demo schedules its own open cycle).
async fn audited(app: &TestApp, action: &str) -> Vec<rungs_store::AuditRecord> {
    let entries = app.app.audit(&rungs_store::AuditFilter::default()).await.unwrap();
    entries
        .into_iter()
        .filter(|record| record.entry.action == action && record.entry.target == "cycle 2027-H1")
        .collect()
}

#[tokio::test]
async fn hr_schedules_a_cycle_for_a_line_and_its_people_see_their_tasks() {
    let hr = spawn_app("cycle-plan-api").await;
    let (manager, reports) = a_manager(&hr).await;
    let body = json!({
        "name": "2027-H1",
        "alongside": true,
        "plan": {
            "opens": day(-3), "self_due": day(-1), "time_zone": "UTC",
            "filter": { "within": manager }
        }
    });
    let (status, created) = hr.post_json("/api/v1/cycles", &body).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["name"], "2027-H1");
    assert_eq!(created["state"], "open");
    assert_eq!(created["participant_count"], reports.len() + 1);
    assert_eq!(created["stage"], json!({"stage": "due", "step": "peer-feedback"}));

    // The manager lands on their tasks: their own late self-assessment, then one assessment
    // per report; each links to the page that does it.
    let managing = hr.as_person(&manager).await;
    let (status, tasks) = managing.get_json("/api/v1/me/tasks").await;
    assert_eq!(status, 200);
    assert_eq!(tasks["person"]["id"], manager.as_str());
    // The demo's own open cycle, without a schedule, asks things too: this one's are these.
    let tasks: Vec<&Value> = tasks["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|task| task["cycle"] == "2027-H1")
        .collect();
    assert_eq!(tasks.len(), reports.len() + 1, "{tasks:?}");
    assert_eq!(tasks[0]["kind"], "self-assessment");
    assert_eq!(tasks[0]["overdue"], true);
    assert_eq!(tasks[0]["due"], day(-1).as_str());
    let assessing: Vec<&str> = tasks
        .iter()
        .filter(|task| task["kind"] == "manager-assessment")
        .map(|task| task["subject"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(assessing.len(), reports.len());
    let home = managing.get("/").await.text().await.unwrap();
    assert!(home.contains("<h1>What to do</h1>"), "{home}");
    assert!(home.contains("Write your self-assessment in 2027-H1"), "{home}");
    assert!(home.contains("Overdue"), "{home}");
    assert!(home.contains(&format!("href=\"/people/{manager}#assessments\"")), "{home}");
    assert!(home.contains("2027-H1</strong>: Peer feedback is due by"), "{home}");

    // A report starts their self-assessment: the task goes on, started, to the draft.
    let report = hr.as_person(&reports[0]).await;
    let (status, draft) = report
        .post_json(
            &format!("/api/v1/people/{}/assessments", reports[0]),
            &json!({"kind": "self", "cycle": "2027-H1"}),
        )
        .await;
    assert_eq!(status, 201, "{draft}");
    let (_, mine) = report.get_json("/api/v1/me/tasks").await;
    let own = mine["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|task| task["kind"] == "self-assessment")
        .unwrap();
    assert_eq!(own["started"], true);
    assert_eq!(own["assessment"], draft["id"]);
    let home = report.get("/").await.text().await.unwrap();
    assert!(home.contains(&format!("href=\"/assessments/{}\"", draft["id"])), "{home}");

    // Someone outside the line is not asked, and cannot be assessed in it.
    let org = hr.app.current_org().await.unwrap();
    let chart = &org.chart;
    let managing_position = org.find(&manager).unwrap();
    let outsider = (0..chart.len())
        .find(|&position| {
            position != managing_position
                && chart.depth(position) >= 3
                && chart.member(position).level.is_some()
                && !chart.chain(position).contains(&managing_position)
        })
        .map(|position| chart.member(position).id.to_string())
        .unwrap();
    let (status, refused) = hr
        .as_person(&outsider)
        .await
        .post_json(
            &format!("/api/v1/people/{outsider}/assessments"),
            &json!({"kind": "self", "cycle": "2027-H1"}),
        )
        .await;
    assert_eq!(status, 409, "{refused}");
    assert!(
        refused["error"]["message"].as_str().unwrap().ends_with(
            "does not take part in cycle `2027-H1`; an admin can add them on the cycle's page"
        ),
        "{refused}"
    );

    // Moving a date is audited with the plan before and after; the late step is no longer.
    let (status, moved) =
        patch_json(&hr, "/api/v1/cycles/2027-H1/plan", &json!({"self_due": day(2)})).await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["plan"]["schedule"]["self_due"], day(2).as_str());
    let entries = audited(&hr, "cycle.plan").await;
    assert_eq!(entries.len(), 1);
    let entry = &entries[0].entry;
    let before: Value = serde_json::from_str(entry.before.as_deref().unwrap()).unwrap();
    let after: Value = serde_json::from_str(entry.after.as_deref().unwrap()).unwrap();
    assert_eq!(before["plan"]["schedule"]["self_due"], day(-1).as_str());
    assert_eq!(after["plan"]["schedule"]["self_due"], day(2).as_str());
    let (_, tasks) = managing.get_json("/api/v1/me/tasks").await;
    assert_eq!(tasks["tasks"][0]["overdue"], false);

    // HR's progress: everyone taking part at a step, the late under their manager; the CSV
    // lists each; the manager's dashboard shows each report's step.
    let (status, progress) = hr.get_json("/api/v1/cycles/2027-H1/progress").await;
    assert_eq!(status, 200, "{progress}");
    assert_eq!(progress["participants"], reports.len() + 1);
    let steps: u64 = progress["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| step["people"].as_u64().unwrap())
        .sum();
    assert_eq!(steps, reports.len() as u64 + 1);
    assert_eq!(progress["steps"][1]["label"], "started");
    assert_eq!(progress["steps"][1]["people"], 1, "the report's draft");
    let csv = hr.get("/admin/cycles/2027-H1/progress.csv").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "name,id,level,team,manager,step,late");
    assert_eq!(lines.len(), reports.len() + 2, "{csv}");
    assert!(
        lines
            .iter()
            .any(|line| line.contains(&format!(",{},", reports[0])) && line.contains(",started,")),
        "{csv}"
    );
    let page = hr.get("/admin/cycles/2027-H1").await.text().await.unwrap();
    assert!(page.contains("Download everyone's step (CSV)"), "{page}");
    let team = managing.get(&format!("/team/{manager}")).await.text().await.unwrap();
    assert!(team.contains("Direct reports in 2027-H1"), "{team}");
    assert!(team.contains("<td>started</td>"), "{team}");

    // Who takes part, a page at a time.
    let (status, page) = hr.get_json("/api/v1/cycles/2027-H1/participants").await;
    assert_eq!(status, 200);
    assert_eq!(page["total"], reports.len() + 1);
    let (status, error) = hr.get_json("/api/v1/cycles/2027-H1/participants?skip=-1").await;
    assert_eq!((status, &error["error"]["field"]), (400, &json!("skip")));
}

#[tokio::test]
async fn a_wrong_plan_is_refused_naming_its_field_and_changes_nothing() {
    let hr = spawn_app("cycle-plan-refused").await;
    let cases = [
        (
            json!({"opens": "2027-02-30"}),
            "opens",
            "`2027-02-30` is not a date: write it as 2027-01-11",
        ),
        (
            json!({"opens": "2027-01-11", "self_due": "2027-01-10"}),
            "self_due",
            "self-assessments due (2027-01-10) is before opens (2027-01-11); the dates go opens, self-assessments, peer feedback, manager assessments, agreements, closes",
        ),
        (
            json!({"opens": "2027-01-11", "time_zone": "Mars/Olympus"}),
            "time_zone",
            "`Mars/Olympus` is not a time zone: write an IANA name such as Europe/Berlin or UTC",
        ),
        (
            json!({"opens": "2027-01-11", "filter": {"levels": ["ic99"]}}),
            "levels",
            "the framework has no level `ic99`",
        ),
        (
            json!({"opens": "2027-01-11", "filter": {"teams": ["a\u{7}"]}}),
            "teams",
            "team contains the control character U+0007 at character 2; team is plain text",
        ),
        (json!({"self_due": "2027-01-11"}), "opens", "a schedule needs the day the cycle opens"),
    ];
    for (plan, field, message) in cases {
        let body = json!({"name": "2027-H1", "alongside": true, "plan": plan});
        let (status, error) = hr.post_json("/api/v1/cycles", &body).await;
        assert_eq!(status, 422, "{plan}: {error}");
        assert_eq!(error["error"]["field"], field, "{plan}: {error}");
        assert_eq!(error["error"]["message"], message, "{plan}");
    }
    let (_, cycles) = hr.get_json("/api/v1/cycles").await;
    assert!(!cycles.as_array().unwrap().iter().any(|cycle| cycle["name"] == "2027-H1"));

    let body = json!({"name": "2027-H1", "alongside": true, "plan": {"opens": "2027-01-11"}});
    assert_eq!(hr.post_json("/api/v1/cycles", &body).await.0, 201);
    let (_, before) = hr.get_json("/api/v1/cycles/2027-H1").await;
    let (status, error) =
        patch_json(&hr, "/api/v1/cycles/2027-H1/plan", &json!({"closes": "2027-01-12"})).await;
    assert_eq!((status, &error["error"]["field"]), (422, &json!("closes")), "{error}");
    let (status, unchanged) = patch_json(&hr, "/api/v1/cycles/2027-H1/plan", &json!({})).await;
    assert_eq!((status, &unchanged), (200, &before), "a body that changes nothing");
    let (status, error) =
        patch_json(&hr, "/api/v1/cycles/2027-H1/plan", &json!({"add": ["Nobody At All"]})).await;
    assert_eq!((status, &error["error"]["field"]), (422, &json!("add")), "{error}");
    assert_eq!(hr.get_json("/api/v1/cycles/2027-H1").await.1, before);
    assert!(audited(&hr, "cycle.plan").await.is_empty());
}

#[tokio::test]
async fn the_admin_pages_create_a_cycle_and_keep_a_refused_form() {
    let hr = spawn_app("cycle-plan-pages").await;
    let (manager, _) = a_manager(&hr).await;
    let names = hr.app.names([&rungs_core::org::PersonId::parse(&manager).unwrap()]).await.unwrap();
    let manager_name = names.of(&rungs_core::org::PersonId::parse(&manager).unwrap()).to_owned();
    let opens = day(-3);
    let refused = hr
        .post_form(
            "/admin/cycles",
            &[
                ("name", "2027-H1"),
                ("alongside", "yes"),
                ("opens", &opens),
                ("time_zone", "Mars/Olympus"),
                ("within", &manager_name),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("time zone: `Mars/Olympus` is not a time zone"), "{html}");
    assert!(html.contains("value=\"Mars/Olympus\""), "the zone is typed back");
    assert!(html.contains(&format!("value=\"{opens}\"")), "the date is typed back");
    assert!(html.contains("value=\"2027-H1\""), "the name is typed back");

    // A filter without an opening day would be dropped: it is refused instead.
    let refused = hr
        .post_form(
            "/admin/cycles",
            &[("name", "2027-H1"), ("alongside", "yes"), ("within", &manager_name)],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("opens: give the day the cycle opens"), "{html}");
    assert!(html.contains(&format!("value=\"{manager_name}\"")), "the filter is typed back");

    let created = hr
        .post_form(
            "/admin/cycles",
            &[
                ("name", "2027-H1"),
                ("alongside", "yes"),
                ("opens", &opens),
                ("time_zone", "UTC"),
                ("within", &manager_name),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    assert_eq!(created.headers()["location"], "/admin/cycles/2027-H1?notice=created");
    let page = hr.get("/admin/cycles/2027-H1").await.text().await.unwrap();
    assert!(page.contains(&format!("everyone active in the line of {manager_name}")), "{page}");
    assert!(page.contains("Self-assessments are due by"), "{page}");

    // The add/exclude form refuses someone unknown, keeping what was typed.
    let refused = hr
        .post_form(
            "/admin/cycles/2027-H1/participants",
            &[("person", "Nobody At All"), ("change", "add")],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("value=\"Nobody At All\""), "{html}");
    assert!(html.contains("aria-invalid=\"true\""), "{html}");

    // An account that is nobody in the org lands on a page that says what to do.
    let admin = hr.signed_in_as(rungs_demo::DEMO_ADMIN).await;
    let home = admin.get("/").await.text().await.unwrap();
    assert!(home.contains("is not anyone in the org chart"), "{home}");
    assert!(home.contains("/admin/cycles/2027-H1"), "{home}");
}

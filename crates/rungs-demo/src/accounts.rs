//! The demo instance's accounts: everyone in the demo org, an `hr` and an `admin` account,
//! all with one password that `rungs serve --demo` prints at start-up.

use rungs_app::{App, AppError};
use rungs_core::access::Role;

pub const DEMO_ADMIN: &str = "admin@rungs.demo";
pub const DEMO_HR: &str = "hr@rungs.demo";

/// What the demo's sign-in needs: the password, and accounts worth trying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccounts {
    /// The password of the accounts created now.
    pub password: String,
    /// Accounts created now; those that existed kept their own password.
    pub created: i64,
    /// Emails to try, with who they are.
    pub examples: Vec<(String, String)>,
}

/// Gives everyone in the org who has no account yet, and [`DEMO_HR`] and [`DEMO_ADMIN`] when
/// they are missing, an account with `password`. An account that exists is never changed: its
/// password stays what it was (see [`DemoAccounts::created`]). Every account created is audited.
pub async fn accounts(app: &App, password: &str) -> Result<DemoAccounts, AppError> {
    let app = app.acting_as(crate::DEMO_ACTOR);
    let mut created = app.create_demo_accounts(password).await?;
    let mut examples = Vec::new();
    for (email, role) in [(DEMO_ADMIN, Role::Admin), (DEMO_HR, Role::Hr)] {
        if app.account(email).await?.is_none() {
            app.add_account_with_password(email, role, password).await?;
            created += 1;
        }
        let does = if role == Role::Admin {
            "sees everyone; accounts, imports, frameworks"
        } else {
            "sees everyone; schedules cycles and who takes part on /admin"
        };
        examples.push((email.to_owned(), format!("{role}: {does}")));
    }
    let org = app.current_org().await?;
    let chart = &org.chart;
    let show = |position: usize, what: &str| {
        let member = chart.member(position);
        (member.id.to_string(), format!("{} ({what})", member.name))
    };
    let mut picks = Vec::new();
    let (root, manager, report) = example_positions(chart);
    if let Some(root) = root {
        picks.push(show(root, "the top of the org: sees everyone below"));
    }
    if let Some(manager) = manager {
        picks.push(show(manager, "a manager: sees their reporting line"));
    }
    if let Some(report) = report {
        picks.push(show(report, "an employee: sees their own data"));
    }
    for (id, who) in picks {
        let person = app.person(&id).await?;
        let tasks = app.tasks_of(&person.id).await?.tasks;
        let overdue = tasks.iter().filter(|task| task.overdue).count();
        let to_do = match (tasks.len(), overdue) {
            (0, _) => "nothing to do".to_owned(),
            (count, 0) => format!("{count} to do"),
            (count, overdue) => format!("{count} to do, {overdue} overdue"),
        };
        examples.push((person.email.to_string(), format!("{who}; {to_do}")));
    }
    Ok(DemoAccounts { password: password.to_owned(), created, examples })
}

/// Where the example accounts are in the chart: the top of the org, a manager two levels
/// below with reports, and that manager's first report.
pub(crate) fn example_positions(
    chart: &rungs_core::org::OrgChart,
) -> (Option<usize>, Option<usize>, Option<usize>) {
    let Some(root) = chart.roots().next() else { return (None, None, None) };
    let manager = chart
        .direct_reports(root)
        .flat_map(|report| chart.direct_reports(report).collect::<Vec<_>>())
        .find(|&member| chart.direct_report_count(member) > 0);
    let report = manager.and_then(|manager| chart.direct_reports(manager).next());
    (Some(root), manager, report)
}

//! `rungs backup` and `rungs restore`: an online copy of the SQLite database, and putting one
//! back after checking it.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use rungs_app::{replaced_json, restore_audit, summary_json};
use rungs_store::{DatabaseSummary, Replaced, RestorePlan};

use crate::Outcome;
use crate::output::{print, print_json};

/// "250 people, 2 cycles, 1,000 assessments, 3 accounts, 4,000 audit entries".
fn figures(summary: &DatabaseSummary) -> String {
    let plural = |count: u64, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    format!(
        "{}, {}, {}, {}, {}",
        plural(summary.people, "person", "people"),
        plural(summary.cycles, "cycle", "cycles"),
        plural(summary.assessments, "assessment", "assessments"),
        plural(summary.accounts, "account", "accounts"),
        plural(summary.audit_entries, "audit entry", "audit entries"),
    )
}

fn replaced_figures(replaced: &Replaced) -> String {
    match replaced {
        Replaced::Nothing => "no database yet".to_owned(),
        Replaced::Database(summary) => figures(summary),
        Replaced::Unreadable(reason) => format!("a database that cannot be read: {reason}"),
    }
}

pub async fn backup(database_url: &str, file: &Path, json: bool) -> anyhow::Result<Outcome> {
    let report = rungs_store::backup(database_url, file).await?;
    if json {
        print_json(&serde_json::json!({
            "database": report.database.display().to_string(),
            "file": report.file.display().to_string(),
            "bytes": report.bytes,
            "contents": summary_json(&report.summary),
        }))?;
    } else {
        print(&format!(
            "Backed up `{}` to `{}` ({} bytes, schema version {}): {}.",
            report.database.display(),
            report.file.display(),
            report.bytes,
            report.summary.schema_version,
            figures(&report.summary)
        ))?;
    }
    Ok(Outcome::Clean)
}

/// Asks on the terminal whether to go on; `false` unless the answer is yes.
fn confirmed(plan: &RestorePlan) -> anyhow::Result<bool> {
    let mut stderr = std::io::stderr();
    let question = format!(
        "Replace `{}` ({}) with `{}` ({})? Type yes to go on: ",
        plan.database().display(),
        replaced_figures(&plan.replaced),
        plan.file().display(),
        figures(&plan.backup)
    );
    write!(stderr, "{}", crate::output::visible(&question))?;
    stderr.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

pub async fn restore(
    database_url: &str,
    file: &Path,
    yes: bool,
    json: bool,
) -> anyhow::Result<Outcome> {
    let plan = RestorePlan::check(database_url, file).await?;
    if !yes {
        anyhow::ensure!(
            std::io::stdin().is_terminal(),
            "a restore replaces `{}`: pass --yes to confirm (standard input is not a terminal); nothing was replaced",
            plan.database().display()
        );
        anyhow::ensure!(confirmed(&plan)?, "not confirmed; nothing was replaced");
    }
    let audit = restore_audit(
        jiff::Timestamp::now(),
        "cli",
        &file.display().to_string(),
        &plan.replaced,
        &plan.backup,
    );
    let report = plan.replace(audit).await?;
    if json {
        print_json(&serde_json::json!({
            "database": report.database.display().to_string(),
            "file": report.file.display().to_string(),
            "file_schema_version": report.file_schema_version,
            "restored": summary_json(&report.restored),
            "replaced": replaced_json(&report.replaced),
        }))?;
    } else {
        let migrated = if report.file_schema_version < report.restored.schema_version {
            format!(
                ", its schema brought from version {} to {}",
                report.file_schema_version, report.restored.schema_version
            )
        } else {
            String::new()
        };
        let before = match &report.replaced {
            Replaced::Nothing => "There was no database there before".to_owned(),
            Replaced::Database(summary) => {
                format!("It replaced a database of {}", figures(summary))
            }
            Replaced::Unreadable(reason) => {
                format!("It replaced a database that could not be read ({reason})")
            }
        };
        print(&format!(
            "Restored `{}` into `{}`{migrated}: {}. {before}. The restore is in the audit log.",
            report.file.display(),
            report.database.display(),
            figures(&report.restored),
        ))?;
    }
    Ok(Outcome::Clean)
}

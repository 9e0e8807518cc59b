//! What a restore of a SQLite database records: its audit entry, written into the database it
//! restores (the audit log lives there), and the figures it shows of both databases.

use jiff::Timestamp;
use rungs_store::{AuditEntry, DatabaseSummary, Replaced};
use serde_json::{Value, json};

use crate::Audit;

/// A database's figures as JSON, as the CLI prints them and the audit entry keeps them.
pub fn summary_json(summary: &DatabaseSummary) -> Value {
    json!({
        "schema_version": summary.schema_version,
        "people": summary.people,
        "cycles": summary.cycles,
        "assessments": summary.assessments,
        "accounts": summary.accounts,
        "audit_entries": summary.audit_entries,
    })
}

/// What a restore replaced, as JSON: `null` when there was no database.
pub fn replaced_json(replaced: &Replaced) -> Value {
    match replaced {
        Replaced::Nothing => Value::Null,
        Replaced::Database(summary) => summary_json(summary),
        Replaced::Unreadable(reason) => json!({ "unreadable": reason }),
    }
}

/// The audit entry of a restore of `file` by `actor` at `at`: before, the database replaced;
/// after, the file and what it holds (the entry itself not counted).
pub fn restore_audit(
    at: Timestamp,
    actor: &str,
    file: &str,
    replaced: &Replaced,
    restored: &DatabaseSummary,
) -> AuditEntry {
    let mut audit = Audit::new("database.restore", "database")
        .after(json!({ "file": file, "database": summary_json(restored) }));
    if *replaced != Replaced::Nothing {
        audit = audit.before(replaced_json(replaced));
    }
    // Whole seconds, as every other entry.
    audit.entry(Timestamp::from_second(at.as_second()).unwrap_or(at), actor)
}

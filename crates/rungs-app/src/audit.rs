//! The audit trail: every write of a use case goes through [`App::write`], which appends a
//! line saying who did what to which record, with the state before and after, in the same
//! transaction as the write itself.

use jiff::Timestamp;
use rungs_core::org::PersonId;
use rungs_store::{Accounts, AuditEntry, AuditFilter, AuditRecord, Change, Records};
use serde_json::Value;

use crate::{App, AppError};

/// What a write does, for the audit log.
#[derive(Debug, Clone)]
pub struct Audit {
    action: &'static str,
    target: String,
    person: Option<PersonId>,
    before: Option<Value>,
    after: Option<Value>,
}

impl Audit {
    /// `action` such as `assessment.rate`; `target` such as `assessment 12`.
    pub fn new(action: &'static str, target: impl Into<String>) -> Audit {
        Audit { action, target: target.into(), person: None, before: None, after: None }
    }

    /// The person whose data the write changes.
    pub fn person(self, person: &PersonId) -> Audit {
        Audit { person: Some(person.clone()), ..self }
    }

    pub fn before(self, before: Value) -> Audit {
        Audit { before: Some(before), ..self }
    }

    pub fn after(self, after: Value) -> Audit {
        Audit { after: Some(after), ..self }
    }

    pub(crate) fn entry(self, at: Timestamp, actor: &str) -> AuditEntry {
        AuditEntry {
            at,
            actor: actor.to_owned(),
            action: self.action.to_owned(),
            target: self.target,
            person: self.person,
            before: self.before.map(|value| value.to_string()),
            after: self.after.map(|value| value.to_string()),
        }
    }
}

/// An audit entry as JSON, its before and after parsed (as the CLI and the API show it).
pub fn audit_json(record: &AuditRecord) -> Value {
    let parse = |text: &Option<String>| {
        text.as_ref().map(|text| {
            serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::String(text.clone()))
        })
    };
    serde_json::json!({
        "id": record.id,
        "at": record.entry.at.to_string(),
        "actor": record.entry.actor,
        "action": record.entry.action,
        "target": record.entry.target,
        "person": record.entry.person.as_ref().map(PersonId::as_str),
        "before": parse(&record.entry.before),
        "after": parse(&record.entry.after),
    })
}

impl App {
    /// Applies `changes` and the audit line in one transaction; returns each change's key.
    pub(crate) async fn write(
        &self,
        changes: Vec<Change>,
        audit: Audit,
    ) -> Result<Vec<Option<i64>>, AppError> {
        self.write_audited(changes, vec![audit]).await
    }

    /// Applies `changes` and their audit lines (at least one) in one transaction: a batch that
    /// does several kinds of change (a form that rates, adds evidence and submits) records
    /// each kind as its own command would. Returns each change's key.
    pub(crate) async fn write_audited(
        &self,
        mut changes: Vec<Change>,
        audits: Vec<Audit>,
    ) -> Result<Vec<Option<i64>>, AppError> {
        debug_assert!(!audits.is_empty(), "every write is audited");
        let (at, count) = (self.now(), changes.len());
        changes
            .extend(audits.into_iter().map(|audit| Change::Audit(audit.entry(at, self.actor()))));
        let mut keys = self.store.apply(&changes).await?;
        keys.truncate(count);
        Ok(keys)
    }

    /// The audit log, newest first.
    pub async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, AppError> {
        Ok(self.store.audit(filter).await?)
    }
}

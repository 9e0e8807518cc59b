//! What an org import writes besides its people, decided once the store knows what the import
//! did: its audit entry, and the changes that belong in the same transaction (a confirmed
//! preview claims its pending upload there, so that two confirmations import once).

use crate::accounts::AuditEntry;
use crate::changes::Change;
use crate::people::ImportSummary;
use crate::sql::Statement;

/// An import's audit entry and the changes committed with it.
#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub audit: AuditEntry,
    /// Written before the audit entry; one that is refused rolls the whole import back with
    /// its message ([`crate::StoreError::Conflict`]).
    pub changes: Vec<Change>,
}

impl ImportRecord {
    pub(crate) fn statements(&self) -> Vec<Vec<Statement>> {
        let mut statements: Vec<Vec<Statement>> =
            self.changes.iter().map(Change::statements).collect();
        statements.push(self.audit.statements());
        statements
    }
}

/// Builds an import's record from how many people it read and what it did, or refuses the
/// import (`None`: the store rolls it back and answers [`crate::StoreError::ImportRefused`]).
/// The store writes the record inside the import's own transaction, so that an import is never
/// kept without its audit entry (nor the entry without the import); a dry run writes none and
/// refuses nothing.
pub type ImportAudit = Box<dyn FnOnce(u64, &ImportSummary) -> Option<ImportRecord> + Send>;

/// An upload a preview kept until it is confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingImport {
    pub source_name: String,
    /// The file as it was uploaded.
    pub content: Vec<u8>,
    /// The org version the preview was computed against.
    pub org_version: i64,
    /// The import mapping the preview used, as TOML.
    pub mapping_source: Option<String>,
}

/// An import mapping kept by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMapping {
    pub name: String,
    /// The TOML as saved (empty in a listing).
    pub source: String,
    pub saved_by: String,
    pub saved_at: jiff::Timestamp,
}

pub(crate) fn stored_mapping(row: &crate::sql::Row) -> Result<StoredMapping, crate::StoreError> {
    use crate::cells::Cells;
    Ok(StoredMapping {
        name: row.text(0)?,
        source: row.text(1)?,
        saved_by: row.text(2)?,
        saved_at: crate::decode::timestamp(&row.str(3)?)?,
    })
}

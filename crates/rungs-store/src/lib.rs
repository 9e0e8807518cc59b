//! Rungs storage: one [`Storage`] interface with two real implementations, embedded SQLite (the
//! default: a file, WAL, foreign keys on) and PostgreSQL (pooled, for deployments that outgrow
//! one machine). Each has its own migrations, run at open. Only this crate knows SQL.

mod accounts;
mod backup;
mod change_marker;
mod changes;
mod error;
mod feed;
mod members;
mod parsed;
mod people;
mod pooled;
mod postgres;
mod reads;
mod remembered;
mod server_lock;
mod sql;
mod sqlite;
mod store;

pub use accounts::{
    AccountChange, Accounts, AuditEntry, AuditFilter, AuditRecord, ImportAudit, SignInFailures,
    StoredAccount, StoredSession, StoredToken,
};
pub use backup::{
    BackupError, BackupReport, DatabaseSummary, Replaced, RestorePlan, RestoreReport, backup,
};
pub use changes::{Change, Key, NewAssessment};
pub use error::{StoreError, redact};
pub use feed::{FeedSender, ImportFeed, import_feed};
pub use people::{ImportSummary, NewFramework, StoredFramework};
pub use postgres::PostgresStore;
pub use reads::{
    AgreementFilter, AssessmentFilter, PersonRecords, Records, RecordsAt, StoredAgreement,
    StoredAssessment,
};
pub use server_lock::ServerLock;
pub use sql::{Query, Row, Value};
pub use sqlite::SqliteStore;
pub use sqlx::postgres::PgConnectOptions;
pub use store::{Progress, Storage, Store};

/// The database used when none is given: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://rungs.db";

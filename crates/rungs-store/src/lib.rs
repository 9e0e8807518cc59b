//! Rungs storage: one [`Storage`] interface with two real implementations, embedded SQLite (the
//! default: a file, WAL, foreign keys on) and PostgreSQL (pooled, for deployments that outgrow
//! one machine). Each has its own migrations, run at open. Only this crate knows SQL.

mod accounts;
mod assessment_rows;
mod backup;
mod cells;
mod change_marker;
mod changes;
mod connection_pool;
mod cycle_plans;
mod cycle_progress;
mod decode;
mod directory;
mod error;
mod feed;
mod import_record;
mod line_reads;
mod mail_queue;
mod members;
mod nominations;
mod notice_marks;
mod parsed;
mod people;
mod person_read;
mod postgres;
mod reads;
mod record_rows;
mod remembered;
mod server_lock;
mod sql;
mod sqlite;
mod sqlite_file;
mod standings;
mod storage;
mod store;
mod task_reads;

pub use accounts::{
    AccountChange, Accounts, AuditEntry, AuditFilter, AuditRecord, SignInFailures, StoredAccount,
    StoredSession, StoredToken,
};
pub use backup::{
    BackupError, BackupReport, DatabaseSummary, Replaced, RestorePlan, RestoreReport, backup,
};
#[doc(hidden)]
pub use cells::{BatchDecoder, Cells};
pub use changes::{Change, Key, NewAssessment, UNCLAIMED_IMPORT};
pub use cycle_plans::CyclePlans;
pub use cycle_progress::{CycleProgressReads, StepSink};
pub use directory::{
    DIRECTORY_RACE, DirectoryFilter, DirectoryLink, DirectoryPage, DirectoryReads, DirectoryUser,
    DirectoryWrite, user_name_key,
};
pub use error::{StoreError, redact};
pub use feed::{FeedSender, ImportFeed, import_feed};
pub use import_record::{ImportAudit, ImportRecord, PendingImport, StoredMapping};
pub use line_reads::{LatestAgreed, LineChunk, STANDINGS_CHUNK, StandingInputs, Standings};
pub use mail_queue::{
    MailCounts, MailQueue, MailRecipient, MailState, NewMail, QueuedNotice, StoredMail,
    WaitingNotice,
};
pub use nominations::Nominations;
pub use notice_marks::{
    MarkOwner, MarkSink, MarkedNotices, NewNotice, NoticeMarks, SweptNomination,
};
pub use people::{ImportSummary, NewFramework, StoredFramework};
pub use postgres::PostgresStore;
pub use reads::{
    AgreementFilter, AssessmentFilter, DraftHead, PersonRecords, Records, RecordsAt,
    StoredAgreement, StoredAssessment,
};
pub use server_lock::ServerLock;
pub use sql::{Query, Row, Value};
pub use sqlite::SqliteStore;
pub use sqlx::postgres::PgConnectOptions;
pub use standings::{ComputedStanding, StandingWrite, StoredStanding};
pub use storage::{Progress, Storage};
pub use store::Store;
pub use task_reads::{TaskReads, TaskRecords};

/// The database used when none is given: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://rungs.db";

#[cfg(test)]
mod placeholder_tests {
    /// The invariant of `sql`: `$N` placeholders first appear in order 1, 2, 3, ...
    #[test]
    fn placeholders_first_appear_in_order() {
        for sql in crate::changes::ALL
            .iter()
            .chain(crate::reads::ALL)
            .chain(crate::accounts::ALL)
            .chain(crate::standings::ALL)
            .chain(crate::directory::ALL)
            .chain(crate::cycle_plans::ALL)
            .chain(crate::nominations::ALL)
            .chain(crate::notice_marks::ALL)
            .chain(crate::mail_queue::ALL)
            .chain(crate::cycle_progress::ALL)
            .chain(crate::task_reads::ALL)
        {
            let mut next = 1;
            let mut rest = *sql;
            while let Some(position) = rest.find('$') {
                rest = &rest[position + 1..];
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let Ok(number) = digits.parse::<usize>() else { continue };
                assert!(number <= next, "`${number}` appears before `${next}` in {sql}");
                if number == next {
                    next += 1;
                }
            }
        }
    }
}

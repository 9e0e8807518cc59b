//! The storage interface that both backends implement and one contract suite tests.

use std::future::Future;

use rungs_core::org::{Email, OrgMember, Person};

use crate::cells::BatchDecoder;
use crate::error::StoreError;
use crate::feed::ImportFeed;
use crate::import_record::ImportAudit;
use crate::people::{ImportSummary, NewFramework, StoredFramework};
use crate::sql::{Query, Row, Statement};

/// Reports progress of long writes: the number of rows written so far.
pub type Progress = Box<dyn FnMut(u64) + Send>;

/// Everything Rungs keeps. Both backends pass the same contract test suite.
pub trait Storage {
    /// Stores a framework and makes it the active one.
    fn activate_framework(
        &self,
        framework: &NewFramework,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The active framework, when one was stored.
    fn active_framework(
        &self,
    ) -> impl Future<Output = Result<Option<StoredFramework>, StoreError>> + Send;

    /// Replaces the org with a full HR export in one transaction: people are added or updated by
    /// id as they arrive on the feed, and active people missing from the export are marked as
    /// left. The feed's end decides: keep it, or roll back and fail with
    /// [`StoreError::Abandoned`]. With `dry_run` nothing is kept either way, but the summary is
    /// what the import would do. `audit`, when given, builds the audit entry that is written in
    /// the same transaction as the import.
    fn import_people(
        &self,
        source_name: &str,
        people: ImportFeed,
        dry_run: bool,
        audit: Option<ImportAudit>,
        progress: Progress,
    ) -> impl Future<Output = Result<ImportSummary, StoreError>> + Send;

    /// One person, active or left.
    fn person(&self, id: &str) -> impl Future<Output = Result<Option<Person>, StoreError>> + Send;

    /// The active people with `email` (as stored: lowercase), by name: usually one, but HR
    /// exports may give a shared mailbox to several.
    fn people_with_email(
        &self,
        email: &Email,
    ) -> impl Future<Output = Result<Vec<Person>, StoreError>> + Send;

    /// A person's active direct reports, by name.
    fn direct_reports(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<Vec<Person>, StoreError>> + Send;

    /// Every active person, with what the org computations need.
    fn org_members(&self) -> impl Future<Output = Result<Vec<OrgMember>, StoreError>> + Send;

    /// Active and left head counts.
    fn head_counts(&self) -> impl Future<Output = Result<(u64, u64), StoreError>> + Send;

    /// Rows of a portable read; see [`crate::Records`] for the typed reads built on it.
    #[doc(hidden)]
    fn fetch(&self, query: Query) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send;

    /// Rows of a portable read that every request makes alike (a session, an API token), which a
    /// store may answer from memory while no write was committed since, by any process. SQLite
    /// learns of writes from its change marker; PostgreSQL reads every time.
    #[doc(hidden)]
    fn fetch_remembered(
        &self,
        query: Query,
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send;

    /// Rows of several portable reads, in one round trip where the backend allows.
    #[doc(hidden)]
    fn fetch_many(
        &self,
        queries: Vec<Query>,
    ) -> impl Future<Output = Result<Vec<Vec<Row>>, StoreError>> + Send;

    /// Several portable reads in one round trip, as [`Self::fetch_many`], each row handed to
    /// `decoder` as it is read: SQLite's rows are decoded where they lie, never copied.
    #[doc(hidden)]
    fn fetch_decoded<D: BatchDecoder>(
        &self,
        queries: Vec<Query>,
        decoder: D,
    ) -> impl Future<Output = Result<D::Output, StoreError>> + Send;

    /// Runs planned changes in one transaction; see [`crate::Records::apply`].
    #[doc(hidden)]
    #[allow(private_interfaces)]
    fn run(
        &self,
        changes: Vec<Vec<Statement>>,
    ) -> impl Future<Output = Result<Vec<Option<i64>>, StoreError>> + Send;
}

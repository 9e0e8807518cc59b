//! `Store`, which picks the backend from the database URL and hands every call to it.

use rungs_core::org::{Email, OrgMember, Person};

use crate::cells::BatchDecoder;
use crate::error::StoreError;
use crate::feed::ImportFeed;
use crate::import_record::ImportAudit;
use crate::people::{ImportSummary, NewFramework, StoredFramework};
use crate::postgres::PostgresStore;
use crate::sql::{Query, Row, Statement};
use crate::sqlite::SqliteStore;
use crate::storage::{Progress, Storage};

/// A store on either backend, chosen by URL.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Store {
    /// Opens `sqlite://FILE` (created if missing) or `postgres://…`, and runs the migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Store::Sqlite(SqliteStore::open(url).await?))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Store::Postgres(PostgresStore::open(url).await?))
        } else {
            Err(StoreError::UnsupportedUrl(crate::error::redact(url)))
        }
    }

    /// Whether `url` names a database that already exists, without creating it. PostgreSQL
    /// databases are created by their administrators, so they always count as existing.
    pub fn exists(url: &str) -> bool {
        if !url.starts_with("sqlite:") {
            return true;
        }
        crate::sqlite_file::path_of(url).is_ok_and(|path| path.exists())
    }
}

macro_rules! delegate {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            Store::Sqlite($store) => $call.await,
            Store::Postgres($store) => $call.await,
        }
    };
}

impl Storage for Store {
    async fn activate_framework(&self, framework: &NewFramework) -> Result<(), StoreError> {
        delegate!(self, store => store.activate_framework(framework))
    }

    async fn active_framework(&self) -> Result<Option<StoredFramework>, StoreError> {
        delegate!(self, store => store.active_framework())
    }

    async fn import_people(
        &self,
        source_name: &str,
        people: ImportFeed,
        dry_run: bool,
        audit: Option<ImportAudit>,
        progress: Progress,
    ) -> Result<ImportSummary, StoreError> {
        delegate!(self, store => store.import_people(source_name, people, dry_run, audit, progress))
    }

    async fn person(&self, id: &str) -> Result<Option<Person>, StoreError> {
        delegate!(self, store => store.person(id))
    }

    async fn people_with_email(&self, email: &Email) -> Result<Vec<Person>, StoreError> {
        delegate!(self, store => store.people_with_email(email))
    }

    async fn direct_reports(&self, id: &str) -> Result<Vec<Person>, StoreError> {
        delegate!(self, store => store.direct_reports(id))
    }

    async fn org_members(&self) -> Result<Vec<OrgMember>, StoreError> {
        delegate!(self, store => store.org_members())
    }

    async fn head_counts(&self) -> Result<(u64, u64), StoreError> {
        delegate!(self, store => store.head_counts())
    }

    async fn fetch(&self, query: Query) -> Result<Vec<Row>, StoreError> {
        delegate!(self, store => store.fetch(query))
    }

    async fn fetch_remembered(&self, query: Query) -> Result<Vec<Row>, StoreError> {
        delegate!(self, store => store.fetch_remembered(query))
    }

    async fn fetch_many(&self, queries: Vec<Query>) -> Result<Vec<Vec<Row>>, StoreError> {
        delegate!(self, store => store.fetch_many(queries))
    }

    async fn fetch_decoded<D: BatchDecoder>(
        &self,
        queries: Vec<Query>,
        decoder: D,
    ) -> Result<D::Output, StoreError> {
        delegate!(self, store => store.fetch_decoded(queries, decoder))
    }

    #[allow(private_interfaces)]
    async fn run(&self, changes: Vec<Vec<Statement>>) -> Result<Vec<Option<i64>>, StoreError> {
        delegate!(self, store => store.run(changes))
    }
}

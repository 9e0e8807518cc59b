//! Backups and restores of a SQLite database: `rungs backup` and `rungs restore`.
//!
//! A backup is `VACUUM INTO` a temporary file beside the one asked for, renamed to it once
//! complete: one read transaction, so a consistent copy of everything committed before it
//! began, taken while servers and commands go on writing. The copy leaves WAL mode, so that it
//! is one self-contained file.
//!
//! A restore never touches the file it is given. It copies it beside the database
//! (`FILE-rungs-restore`), and checks the copy: SQLite's integrity check, that it is a Rungs
//! database, and that its schema is not newer than this binary knows (an older one is migrated,
//! in the copy). Only then, holding the server lock exclusively (see `server_lock`), it writes
//! the restore's audit entry into the copy and copies the copy into the database with SQLite's
//! online backup API: one write transaction on the database, so other connections see the old
//! database or the new one, never a mix, and SQLite itself keeps its WAL and shared memory
//! right (a file renamed over a database that any process has open, or a stale `-wal` left
//! beside it, corrupts it). Last, it writes the change marker, so that every process that keeps
//! reads in memory learns of it.

use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};

use rusqlite::{Connection, OpenFlags, OptionalExtension, ffi};

use crate::accounts::AuditEntry;
use crate::change_marker::ChangeMarker;
use crate::error::StoreError;
use crate::server_lock::{Held, ServerLock};
use crate::sqlite::run_changes;
use crate::sqlite_file::{BUSY_TIMEOUT, SCHEMA_VERSION, migrate, open_connection, path_of};

/// Why a backup or a restore did not happen. Every refusal of a restore says that nothing was
/// replaced.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "`rungs {0}` copies SQLite databases; a PostgreSQL database is backed up with pg_dump and restored with pg_restore (for example `pg_dump --format=custom --file rungs.dump DATABASE_URL`, then `pg_restore --clean --dbname DATABASE_URL rungs.dump`)"
    )]
    Postgres(&'static str),
    #[error("there is no database at `{0}`: nothing to back up")]
    NoDatabase(PathBuf),
    #[error("`{0}` already exists; a backup never overwrites a file: choose a new name")]
    Exists(PathBuf),
    #[error("`{0}` is the database itself; restore from a copy of it")]
    SameFile(PathBuf),
    #[error("cannot read `{file}`: {reason}; nothing was replaced")]
    Unreadable { file: PathBuf, reason: std::io::Error },
    #[error("`{0}` is not a SQLite database; nothing was replaced")]
    NotSqlite(PathBuf),
    #[error("`{file}` is damaged: SQLite's integrity check found {problem}; nothing was replaced")]
    Damaged { file: PathBuf, problem: String },
    #[error("`{0}` is a SQLite database, but not a Rungs database; nothing was replaced")]
    NotRungs(PathBuf),
    #[error(
        "`{file}` has schema version {found}, newer than this Rungs knows ({SCHEMA_VERSION}); restore it with a newer Rungs; nothing was replaced"
    )]
    Newer { file: PathBuf, found: usize },
    #[error(
        "a server has `{database}` open ({holder}); stop it before restoring; nothing was replaced"
    )]
    ServerRunning { database: PathBuf, holder: String },
    #[error(
        "cannot open `{database}` to restore into it ({reason}); move it away and restore again; nothing was replaced"
    )]
    Target { database: PathBuf, reason: String },
    #[error("cannot {doing} `{path}`: {reason}")]
    Io { doing: &'static str, path: PathBuf, reason: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for BackupError {
    fn from(error: rusqlite::Error) -> BackupError {
        BackupError::Store(StoreError::from(error))
    }
}

fn io<'path>(
    doing: &'static str,
    path: &'path Path,
) -> impl FnOnce(std::io::Error) -> BackupError + 'path {
    move |reason| BackupError::Io { doing, path: path.to_owned(), reason }
}

/// What a Rungs database holds, in round figures a person can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatabaseSummary {
    /// `PRAGMA user_version`: the migrations it has had.
    pub schema_version: usize,
    /// Active people.
    pub people: u64,
    pub cycles: u64,
    pub assessments: u64,
    pub accounts: u64,
    pub audit_entries: u64,
}

/// A backup written.
#[derive(Debug, Clone)]
pub struct BackupReport {
    pub database: PathBuf,
    pub file: PathBuf,
    pub bytes: u64,
    pub summary: DatabaseSummary,
}

/// What a restore replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replaced {
    /// There was no database yet.
    Nothing,
    Database(DatabaseSummary),
    /// A database that could not be read (the reason); a restore is how it is mended.
    Unreadable(String),
}

fn sqlite_path(url: &str, command: &'static str) -> Result<PathBuf, BackupError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Err(BackupError::Postgres(command));
    }
    Ok(path_of(url)?)
}

/// A file beside `path`, named `path` and `suffix`.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Removes a SQLite file with its journal, WAL and shared memory; missing ones are fine.
fn remove_with_sidecars(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm", "-rungs-changes"] {
        let _missing_is_fine = std::fs::remove_file(beside(path, suffix));
    }
}

fn count(connection: &Connection, sql: &str) -> Result<u64, rusqlite::Error> {
    let value: i64 = connection.query_row(sql, [], |row| row.get(0))?;
    Ok(u64::try_from(value).unwrap_or(0))
}

/// Rows of `table` that match `filter`; 0 when an older schema has no such table yet.
fn rows_of(connection: &Connection, table: &str, filter: &str) -> Result<u64, rusqlite::Error> {
    let exists = count(
        connection,
        &format!("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"),
    )?;
    if exists == 0 {
        return Ok(0);
    }
    count(connection, &format!("SELECT count(*) FROM {table} {filter}"))
}

/// The figures of a Rungs database, at any schema version.
fn summarise(connection: &Connection) -> Result<DatabaseSummary, rusqlite::Error> {
    Ok(DatabaseSummary {
        schema_version: connection.pragma_query_value(None, "user_version", |row| row.get(0))?,
        people: rows_of(connection, "people", "WHERE status = 'active'")?,
        cycles: rows_of(connection, "cycles", "")?,
        assessments: rows_of(connection, "assessments", "")?,
        accounts: rows_of(connection, "accounts", "")?,
        audit_entries: rows_of(connection, "audit_log", "")?,
    })
}

/// Copies the database `url` names to `file`, online: see the module's description.
pub async fn backup(url: &str, file: &Path) -> Result<BackupReport, BackupError> {
    let database = sqlite_path(url, "backup")?;
    let file = file.to_owned();
    tokio::task::spawn_blocking(move || backup_blocking(&database, &file))
        .await
        .map_err(|error| StoreError::Task(error.to_string()))?
}

fn backup_blocking(database: &Path, file: &Path) -> Result<BackupReport, BackupError> {
    if !database.exists() {
        return Err(BackupError::NoDatabase(database.to_owned()));
    }
    if file.exists() {
        return Err(BackupError::Exists(file.to_owned()));
    }
    let partial = beside(file, "-rungs-partial");
    remove_with_sidecars(&partial);
    let written = write_backup(database, file, &partial);
    if written.is_err() {
        remove_with_sidecars(&partial);
    }
    written
}

fn write_backup(database: &Path, file: &Path, partial: &Path) -> Result<BackupReport, BackupError> {
    let partial_name = partial.to_str().ok_or_else(|| BackupError::Io {
        doing: "name",
        path: partial.to_owned(),
        reason: std::io::Error::other("the path is not UTF-8"),
    })?;
    {
        let connection = open_connection(database)?;
        connection.execute("VACUUM INTO ?1", [partial_name]).map_err(|error| BackupError::Io {
            doing: "write",
            path: file.to_owned(),
            reason: std::io::Error::other(error.to_string()),
        })?;
    }
    let summary = {
        // The figures are the copy's own; one self-contained file, out of WAL.
        let copy = Connection::open_with_flags(partial, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        let _mode: String =
            copy.pragma_update_and_check(None, "journal_mode", "DELETE", |row| row.get(0))?;
        summarise(&copy)?
    };
    std::fs::File::open(partial).and_then(|copy| copy.sync_all()).map_err(io("sync", partial))?;
    // A link, unlike a rename, never replaces a file that appeared meanwhile.
    match std::fs::hard_link(partial, file) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(BackupError::Exists(file.to_owned()));
        }
        // No rename in its place: it would replace a file that appeared meanwhile. The caller
        // removes the partial copy.
        Err(error) => return Err(io("write", file)(error)),
    }
    let _linked_or_renamed = std::fs::remove_file(partial);
    let bytes = std::fs::metadata(file).map_or(0, |metadata| metadata.len());
    Ok(BackupReport { database: database.to_owned(), file: file.to_owned(), bytes, summary })
}

/// A restore checked and ready: the copy of the backup beside the database, migrated, and
/// the server lock held. Dropping it replaces nothing and removes the copy.
#[derive(Debug)]
pub struct RestorePlan {
    database: PathBuf,
    file: PathBuf,
    staged: PathBuf,
    /// The schema version of the file as given.
    pub file_schema_version: usize,
    /// What the backup holds, at this binary's schema version.
    pub backup: DatabaseSummary,
    pub replaced: Replaced,
    _lock: ServerLock,
}

/// A restore done.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub database: PathBuf,
    pub file: PathBuf,
    pub file_schema_version: usize,
    pub restored: DatabaseSummary,
    pub replaced: Replaced,
}

impl Drop for RestorePlan {
    fn drop(&mut self) {
        remove_with_sidecars(&self.staged);
    }
}

impl RestorePlan {
    /// Checks `file` for a restore into the database `url` names, and takes the server lock:
    /// refused while a server runs, or when the file is not a sound Rungs database this
    /// binary can read. Nothing is replaced yet.
    pub async fn check(url: &str, file: &Path) -> Result<RestorePlan, BackupError> {
        let database = sqlite_path(url, "restore")?;
        let file = file.to_owned();
        tokio::task::spawn_blocking(move || RestorePlan::check_blocking(database, file))
            .await
            .map_err(|error| StoreError::Task(error.to_string()))?
    }

    fn check_blocking(database: PathBuf, file: PathBuf) -> Result<RestorePlan, BackupError> {
        let unreadable = |reason| BackupError::Unreadable { file: file.clone(), reason };
        std::fs::metadata(&file).map_err(unreadable)?;
        if database.exists()
            && std::fs::canonicalize(&file).ok() == std::fs::canonicalize(&database).ok()
        {
            return Err(BackupError::SameFile(file));
        }
        let lock = ServerLock::for_restore(&database).map_err(|held| match held {
            Held::ByServer(note) => BackupError::ServerRunning {
                database: database.clone(),
                holder: if note.is_empty() { "rungs serve".to_owned() } else { note },
            },
            Held::Unavailable(reason) => BackupError::Io {
                doing: "lock",
                path: crate::server_lock::lock_path(&database),
                reason,
            },
        })?;
        let staged = beside(&database, "-rungs-restore");
        remove_with_sidecars(&staged);
        // From here on, dropping the plan removes the copy.
        let mut plan = RestorePlan {
            database,
            file,
            staged,
            file_schema_version: 0,
            backup: DatabaseSummary {
                schema_version: 0,
                people: 0,
                cycles: 0,
                assessments: 0,
                accounts: 0,
                audit_entries: 0,
            },
            replaced: Replaced::Nothing,
            _lock: lock,
        };
        std::fs::copy(&plan.file, &plan.staged)
            .map_err(|reason| BackupError::Unreadable { file: plan.file.clone(), reason })?;
        let mut staged = plan.open_staged()?;
        plan.file_schema_version = check_sound(&staged, &plan.file)?;
        migrate(&mut staged)?;
        plan.backup = summarise(&staged)?;
        plan.replaced = replaced(&plan.database);
        Ok(plan)
    }

    fn open_staged(&self) -> Result<Connection, BackupError> {
        let connection =
            Connection::open_with_flags(&self.staged, OpenFlags::SQLITE_OPEN_READ_WRITE)
                .map_err(|error| self.refusal(error))?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        Ok(connection)
    }

    /// What SQLite's answer about the file means.
    fn refusal(&self, error: rusqlite::Error) -> BackupError {
        refusal(&self.file, error)
    }

    /// The database the plan replaces.
    pub fn database(&self) -> &Path {
        &self.database
    }

    /// The backup file restored.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Writes `audit` into the checked copy and copies it into the database in one write
    /// transaction, then tells other processes through the change marker.
    pub async fn replace(self, audit: AuditEntry) -> Result<RestoreReport, BackupError> {
        tokio::task::spawn_blocking(move || self.replace_blocking(&audit))
            .await
            .map_err(|error| StoreError::Task(error.to_string()))?
    }

    fn replace_blocking(self, audit: &AuditEntry) -> Result<RestoreReport, BackupError> {
        let mut staged = self.open_staged()?;
        run_changes(&mut staged, &[audit.statements()])?;
        let restored = summarise(&staged)?;
        let mut database = open_connection(&self.database).map_err(|error| {
            BackupError::Target { database: self.database.clone(), reason: error.to_string() }
        })?;
        copy_all(&staged, &mut database)?;
        drop(database);
        drop(staged);
        if let Some(marker) = ChangeMarker::open(&self.database) {
            marker.write();
        }
        Ok(RestoreReport {
            database: self.database.clone(),
            file: self.file.clone(),
            file_schema_version: self.file_schema_version,
            restored,
            replaced: self.replaced.clone(),
        })
    }
}

/// Every page of `from` into `to`, in one step: one write transaction on `to`, which waits for
/// other writers as long as the busy timeout, and then for as long again at most twice more.
fn copy_all(from: &Connection, to: &mut Connection) -> Result<(), BackupError> {
    let backup = Backup::new(from, to)?;
    for _ in 0..3 {
        // Otherwise busy or locked after the timeout (or more to copy, never with -1): again.
        if backup.step(-1)? == StepResult::Done {
            return Ok(());
        }
    }
    Err(BackupError::Store(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
        ffi::Error::new(ffi::SQLITE_BUSY),
        Some("the database stayed locked by other writers".to_owned()),
    ))))
}

/// What SQLite's failure to read `file` means to a person restoring it.
fn refusal(file: &Path, error: rusqlite::Error) -> BackupError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => BackupError::NotSqlite(file.to_owned()),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            BackupError::Damaged { file: file.to_owned(), problem: error.to_string() }
        }
        _ => BackupError::from(error),
    }
}

/// Checks a copy of `file`: SQLite, intact, Rungs, not newer. Returns its schema version.
fn check_sound(connection: &Connection, file: &Path) -> Result<usize, BackupError> {
    let version: usize = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|error| refusal(file, error))?;
    let problem: String = connection
        .query_row("PRAGMA integrity_check(1)", [], |row| row.get(0))
        .map_err(|error| refusal(file, error))?;
    if problem != "ok" {
        // "*** in database main ***" heads the problems; one file has one database.
        let problem = problem
            .lines()
            .filter(|line| !line.starts_with("*** in database"))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(BackupError::Damaged { file: file.to_owned(), problem });
    }
    let rungs_tables = count(
        connection,
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('frameworks', 'imports', 'people')",
    )?;
    if version == 0 || rungs_tables < 3 {
        return Err(BackupError::NotRungs(file.to_owned()));
    }
    if version > SCHEMA_VERSION {
        return Err(BackupError::Newer { file: file.to_owned(), found: version });
    }
    Ok(version)
}

/// The database a restore would replace, summarised.
fn replaced(database: &Path) -> Replaced {
    if !database.exists() {
        return Replaced::Nothing;
    }
    let summary = Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .and_then(|connection| {
            connection.busy_timeout(BUSY_TIMEOUT)?;
            let empty: Option<i64> = connection
                .query_row("SELECT 1 FROM sqlite_master LIMIT 1", [], |row| row.get(0))
                .optional()?;
            if empty.is_none() {
                return Ok(None);
            }
            summarise(&connection).map(Some)
        });
    match summary {
        Ok(Some(summary)) => Replaced::Database(summary),
        Ok(None) => Replaced::Nothing,
        Err(error) => Replaced::Unreadable(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;
    use crate::{Accounts, ImportFeed, Records, SqliteStore, Storage};

    async fn import_nobody(store: &SqliteStore) {
        store
            .import_people("empty.csv", ImportFeed::of(Vec::new()), false, None, Box::new(|_| {}))
            .await
            .unwrap();
    }

    /// A process that has the database open while it is restored (a command, another store)
    /// reads the restored data at its next read: the copy is one write transaction on the
    /// database it has open, and the change marker ends what it kept in memory.
    #[tokio::test]
    async fn a_store_that_has_the_database_open_reads_what_was_restored() {
        let folder =
            std::env::temp_dir().join(format!("rungs-restore-open-{}", std::process::id()));
        let _ignored = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let url = format!("sqlite://{}", folder.join("rungs.db").display());
        let open = SqliteStore::open(&url).await.unwrap();
        import_nobody(&open).await;
        assert_eq!(open.org_version().await.unwrap(), 1);
        let file = folder.join("backup.db");
        let report = backup(&url, &file).await.unwrap();
        assert_eq!(report.summary.schema_version, SCHEMA_VERSION);
        import_nobody(&open).await;
        import_nobody(&open).await;
        assert_eq!(open.org_version().await.unwrap(), 3);

        let plan = RestorePlan::check(&url, &file).await.unwrap();
        assert!(matches!(plan.replaced, Replaced::Database(_)), "{:?}", plan.replaced);
        let entry = AuditEntry {
            at: jiff::Timestamp::now(),
            actor: "cli".to_owned(),
            action: "database.restore".to_owned(),
            target: "database".to_owned(),
            person: None,
            before: None,
            after: None,
        };
        plan.replace(entry).await.unwrap();
        assert_eq!(
            open.org_version().await.unwrap(),
            1,
            "the store open all along sees the restore"
        );
        let latest = open.audit(&crate::AuditFilter::default()).await.unwrap();
        assert_eq!(latest[0].entry.action, "database.restore");
        assert!(!beside(&folder.join("rungs.db"), "-rungs-restore").exists(), "the copy is gone");
        import_nobody(&open).await;
        assert_eq!(open.org_version().await.unwrap(), 2, "and writes on");
        std::fs::remove_dir_all(&folder).unwrap();
    }
}

//! Opening a Rungs SQLite file: the URL that names it, each connection's settings, and the
//! schema migrations, all safe when several processes open a new file at once.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::error::StoreError;

/// Schema migrations, in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/sqlite/0001_org.sql"),
    include_str!("../migrations/sqlite/0002_assessments.sql"),
    include_str!("../migrations/sqlite/0003_active_framework_index.sql"),
    include_str!("../migrations/sqlite/0004_accounts.sql"),
    include_str!("../migrations/sqlite/0005_org_version.sql"),
    include_str!("../migrations/sqlite/0006_standings.sql"),
    include_str!("../migrations/sqlite/0007_rationale_acknowledgements.sql"),
    include_str!("../migrations/sqlite/0008_pending_imports.sql"),
    include_str!("../migrations/sqlite/0009_import_leavers_and_claims.sql"),
    include_str!("../migrations/sqlite/0010_import_mappings.sql"),
    include_str!("../migrations/sqlite/0011_hire_dates.sql"),
    include_str!("../migrations/sqlite/0012_directory_users.sql"),
    include_str!("../migrations/sqlite/0013_cycle_plans.sql"),
    include_str!("../migrations/sqlite/0014_peer_nominations.sql"),
    include_str!("../migrations/sqlite/0015_nomination_anonymity.sql"),
    include_str!("../migrations/sqlite/0016_mail_notices.sql"),
];

/// The file a `sqlite://FILE` (or `sqlite:FILE`) URL names.
pub(crate) fn path_of(url: &str) -> Result<PathBuf, StoreError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| StoreError::UnsupportedUrl(url.to_owned()))?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::UnsupportedUrl(format!(
            "{url} (Rungs keeps its data in a file: sqlite://FILE)"
        )));
    }
    Ok(PathBuf::from(path))
}

/// How long a connection waits for another's lock before it answers "database is locked".
/// Rungs' writes take milliseconds; a first import of a large org takes seconds.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens a connection in WAL mode with Rungs' settings.
///
/// The busy timeout comes first, before anything that takes a lock, so that most waits for
/// another process are SQLite's own. One is not: turning on WAL in a file another process is
/// writing under a rollback journal (a first import does) upgrades this connection's read lock
/// to a write lock, and SQLite refuses such an upgrade at once with `SQLITE_BUSY` rather than
/// wait, to avoid a deadlock. So a busy open is tried again, from the start, until
/// [`BUSY_TIMEOUT`] has passed.
pub(crate) fn open_connection(path: &Path) -> Result<Connection, rusqlite::Error> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(1);
    loop {
        match try_open_connection(path) {
            Err(error) if is_busy(&error) && Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            opened => return opened,
        }
    }
}

/// Whether `error` is another connection's lock, which waiting may clear.
fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(error.sqlite_error_code(), Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
}

fn try_open_connection(path: &Path) -> Result<Connection, rusqlite::Error> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags)?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
    // A person's page alone runs up to 14 distinct statements; keep them all prepared.
    connection.set_prepared_statement_cache_capacity(64);
    connection.execute_batch(
        "PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -2048;
         PRAGMA temp_store = MEMORY;",
    )?;
    Ok(connection)
}

/// The schema version this binary brings a database up to.
pub(crate) const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// The refusal of a database whose schema is newer than this binary knows.
pub(crate) fn newer_schema(found: usize) -> String {
    format!(
        "the database schema is version {found}, newer than this Rungs knows ({SCHEMA_VERSION}); upgrade Rungs"
    )
}

/// Runs the migrations this database lacks, and says how many this call ran.
///
/// Several processes may open a new file at once. Each migration runs in an immediate
/// transaction (the write lock taken up front, waiting for the busy timeout: a deferred one that
/// upgrades fails at once when another process wrote in between), and the version is read again
/// inside it, so a migration another process has just run is not run twice.
pub(crate) fn migrate(connection: &mut Connection) -> Result<usize, StoreError> {
    let version = |connection: &Connection| -> Result<usize, StoreError> {
        Ok(connection.pragma_query_value(None, "user_version", |row| row.get(0))?)
    };
    let applied = version(connection)?;
    if applied > SCHEMA_VERSION {
        return Err(StoreError::Corrupt(newer_schema(applied)));
    }
    let mut ran = 0;
    if applied == SCHEMA_VERSION {
        return Ok(ran);
    }
    loop {
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let applied = version(&transaction)?;
        if applied > SCHEMA_VERSION {
            return Err(StoreError::Corrupt(newer_schema(applied)));
        }
        let Some(migration) = MIGRATIONS.get(applied) else {
            return Ok(ran);
        };
        transaction.execute_batch(migration).map_err(|error| {
            // SQLite's message quotes the whole script; the reason is what a reader needs.
            let reason = match &error {
                rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
                rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
                other => other.to_string(),
            };
            StoreError::Corrupt(format!(
                "schema migration {} failed: {reason}; is this a Rungs database?",
                applied + 1
            ))
        })?;
        transaction.pragma_update(None, "user_version", applied + 1)?;
        transaction.commit()?;
        ran += 1;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use std::path::PathBuf;

    use rusqlite::Connection;

    use super::open_connection;

    fn scratch(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("rungs-sqlite-file-{}-{name}", std::process::id()));
        let _ignored = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        folder
    }

    /// Another process holds the lock of a new file (as one creating it does while it turns on
    /// WAL and runs the migrations): opening waits for it rather than answering "database is
    /// locked" at once. (rusqlite sets a timeout of its own at open, so this held even while
    /// WAL was turned on before Rungs set its timeout; it keeps holding should either change.)
    #[test]
    fn opening_waits_for_a_lock_that_another_connection_holds() {
        let folder = scratch("open-waits");
        let path = folder.join("rungs.db");
        let holder = Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN EXCLUSIVE; CREATE TABLE held (x INTEGER);").unwrap();
        let opening = std::thread::spawn(move || {
            open_connection(&path).map(|connection| connection.is_autocommit())
        });
        // Long enough that the other thread has surely tried; the lock is then let go.
        std::thread::sleep(std::time::Duration::from_millis(500));
        holder.execute_batch("COMMIT").unwrap();
        let opened = opening.join().unwrap();
        assert!(opened.is_ok(), "{opened:?}");
        drop(holder);
        std::fs::remove_dir_all(&folder).unwrap();
    }

    /// A first import writes under a rollback journal. Turning on WAL then needs this
    /// connection's read lock upgraded while the import holds the write lock, which SQLite
    /// refuses at once, without its busy timeout: opening tries again until the import is done.
    #[test]
    fn opening_waits_for_a_writer_under_a_rollback_journal() {
        let folder = scratch("open-waits-for-rollback-writer");
        let path = folder.join("rungs.db");
        let writer = Connection::open(&path).unwrap();
        writer.execute_batch("PRAGMA journal_mode = DELETE; CREATE TABLE t (x INTEGER);").unwrap();
        writer.execute_batch("BEGIN IMMEDIATE; INSERT INTO t VALUES (1);").unwrap();
        let opening = std::thread::spawn(move || {
            open_connection(&path).map(|connection| {
                connection.pragma_query_value(None, "journal_mode", |row| row.get::<_, String>(0))
            })
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        writer.execute_batch("COMMIT").unwrap();
        let opened = opening.join().unwrap();
        assert_eq!(opened.unwrap().unwrap(), "wal");
        drop(writer);
        std::fs::remove_dir_all(&folder).unwrap();
    }
}

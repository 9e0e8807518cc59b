//! The embedded default: a SQLite file in WAL mode with foreign keys on, through rusqlite.
//!
//! Connections come from a small pool (`connection_pool`). A short read runs on the calling
//! thread while a connection is free, since a read in WAL mode never waits for a writer;
//! writes, imports and whole-org loads run on tokio's blocking pool. rusqlite rather than an
//! async driver: whole-org loads step through a million rows, and a per-row hop between
//! threads would cost seconds.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use rungs_core::org::{Email, OrgMember, Person, PersonId};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params, params_from_iter};

use crate::cells::{BatchDecoder, Cells, WholeRows};
use crate::change_marker::ChangeMarker;
use crate::connection_pool::ConnectionPool;
use crate::error::StoreError;
use crate::feed::{FeedItem, ImportFeed};
use crate::import_record::ImportAudit;
use crate::members::{Interner, WHOLE_ORG_COLUMNS};
use crate::people::{ImportSummary, NewFramework, StoredFramework};
use crate::remembered::RememberedReads;
use crate::sql::{Expect, Query, Row, Statement, Value, constraint_message, not_a_number, resolve};
use crate::sqlite_file::{migrate, open_connection, path_of};
use crate::storage::{Progress, Storage};

#[derive(Debug)]
struct Inner {
    pool: ConnectionPool,
    /// Written after every write; `None` when it cannot be opened, and then nothing is
    /// remembered.
    marker: Option<ChangeMarker>,
    remembered: RememberedReads,
}

#[derive(Debug, Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

impl Inner {
    /// Writes the change marker: call after every write.
    fn written(&self) {
        if let Some(marker) = &self.marker {
            marker.write();
        }
    }
}

/// Runs `read` in one read transaction, so that its statements see one database.
fn in_one_snapshot<T>(
    connection: &Connection,
    read: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    connection.prepare_cached("BEGIN")?.execute([])?;
    let result = read(connection);
    connection.prepare_cached("COMMIT")?.execute([])?;
    result
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        if let rusqlite::Error::SqliteFailure(failure, Some(message)) = &error
            && failure.code == rusqlite::ErrorCode::ConstraintViolation
            && let Some(known) = constraint_message(message)
        {
            return StoreError::Conflict(known.to_owned());
        }
        StoreError::Sqlite(error)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Integer(Some(number)) => ToSqlOutput::Borrowed(ValueRef::Integer(*number)),
            Value::Text(Some(text)) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Value::Bytes(Some(bytes)) => ToSqlOutput::Borrowed(ValueRef::Blob(bytes)),
            Value::Integer(None) | Value::Text(None) | Value::Bytes(None) => {
                ToSqlOutput::Borrowed(ValueRef::Null)
            }
        })
    }
}

fn value_of(value: ValueRef<'_>) -> Result<Value, StoreError> {
    match value {
        ValueRef::Null => Ok(Value::Text(None)),
        ValueRef::Integer(number) => Ok(Value::Integer(Some(number))),
        ValueRef::Text(bytes) => std::str::from_utf8(bytes)
            .map(Value::text)
            .map_err(|_| StoreError::Corrupt("text that is not UTF-8".to_owned())),
        ValueRef::Blob(bytes) => Ok(Value::bytes(bytes)),
        ValueRef::Real(_) => {
            Err(StoreError::Corrupt("a value of a type Rungs never writes".to_owned()))
        }
    }
}

/// The rows of one portable read.
fn rows_of(connection: &Connection, query: &Query) -> Result<Vec<Row>, StoreError> {
    let mut statement = connection.prepare_cached(&query.sql)?;
    let mut rows = statement.query(params_from_iter(&query.params))?;
    let mut result = Vec::new();
    while let Some(row) = rows.next()? {
        result.push(Row::of(&SqliteCells(row))?);
    }
    Ok(result)
}

/// A SQLite row as [`Cells`]: text is borrowed from SQLite's own buffer, never copied to decode.
struct SqliteCells<'row, 'statement>(&'row rusqlite::Row<'statement>);

impl Cells for SqliteCells<'_, '_> {
    fn column_count(&self) -> usize {
        self.0.as_ref().column_count()
    }

    fn value(&self, index: usize) -> Result<Value, StoreError> {
        value_of(self.0.get_ref(index)?)
    }

    fn optional_str(&self, index: usize) -> Result<Option<Cow<'_, str>>, StoreError> {
        match self.0.get_ref(index)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(number) => Ok(Some(Cow::Owned(number.to_string()))),
            ValueRef::Text(bytes) => std::str::from_utf8(bytes)
                .map(|text| Some(Cow::Borrowed(text)))
                .map_err(|_| StoreError::Corrupt("text that is not UTF-8".to_owned())),
            other @ (ValueRef::Real(_) | ValueRef::Blob(_)) => {
                Err(StoreError::Corrupt(format!("a value of a type Rungs never writes: {other:?}")))
            }
        }
    }

    fn optional_integer(&self, index: usize) -> Result<Option<i64>, StoreError> {
        match self.0.get_ref(index)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(number) => Ok(Some(number)),
            other => Err(not_a_number(index, &other)),
        }
    }
}

/// Steps through each read of a batch, handing every row to `decoder` as it comes. Only the
/// first rows that a later read's [`Query::only_if`] consults are copied.
fn decode_batch<D: BatchDecoder>(
    connection: &Connection,
    queries: &[Query],
    mut decoder: D,
) -> Result<D::Output, StoreError> {
    let mut first_rows: Vec<Option<Row>> = Vec::with_capacity(queries.len());
    for (read, query) in queries.iter().enumerate() {
        if !query.wanted_after(|earlier| first_rows.get(earlier).and_then(Option::as_ref)) {
            first_rows.push(None);
            continue;
        }
        let consulted = Query::is_consulted(queries, read);
        let mut statement = connection.prepare_cached(&query.sql)?;
        let mut rows = statement.query(params_from_iter(&query.params))?;
        let mut first_row = None;
        while let Some(row) = rows.next()? {
            let cells = SqliteCells(row);
            if consulted && first_row.is_none() {
                first_row = Some(Row::of(&cells)?);
            }
            decoder.row(read, &cells)?;
        }
        first_rows.push(first_row);
    }
    decoder.finish()
}

/// Runs each change's statements in one immediate transaction (it takes the write lock up
/// front, so concurrent writers wait rather than fail on upgrade).
pub(crate) fn run_changes(
    connection: &mut Connection,
    changes: &[Vec<Statement>],
) -> Result<Vec<Option<i64>>, StoreError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let keys = run_in(&transaction, changes)?;
    transaction.commit()?;
    Ok(keys)
}

/// Runs each change's statements inside `transaction`, which the caller commits.
fn run_in(
    transaction: &rusqlite::Transaction<'_>,
    changes: &[Vec<Statement>],
) -> Result<Vec<Option<i64>>, StoreError> {
    let mut keys = Vec::with_capacity(changes.len());
    for statements in changes {
        let mut key = None;
        for statement in statements {
            let values = statement
                .params
                .iter()
                .map(|param| resolve(param, &keys))
                .collect::<Result<Vec<_>, _>>()?;
            let mut prepared = transaction.prepare_cached(statement.sql)?;
            match &statement.expect {
                Expect::OneRow(refusal) => {
                    if prepared.execute(params_from_iter(&values))? != 1 {
                        return Err(StoreError::Conflict(refusal.clone()));
                    }
                }
                Expect::Key(refusal) => {
                    let pk: Option<i64> = prepared
                        .query_row(params_from_iter(&values), |row| row.get(0))
                        .optional()?;
                    key = Some(pk.ok_or_else(|| StoreError::Conflict(refusal.clone()))?);
                }
                Expect::Count => {
                    let written = prepared.execute(params_from_iter(&values))?;
                    key = Some(i64::try_from(written).unwrap_or(i64::MAX));
                }
            }
        }
        keys.push(key);
    }
    Ok(keys)
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

impl SqliteStore {
    /// Opens (creating if needed) the SQLite file named by `url` and runs the migrations.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        let path = path_of(url)?;
        let marker = ChangeMarker::open(&path);
        let store = SqliteStore {
            inner: Arc::new(Inner {
                pool: ConnectionPool::new(path),
                marker,
                remembered: RememberedReads::default(),
            }),
        };
        let migrated = store.with(migrate).await.map_err(|error| match error {
            StoreError::Sqlite(source) => StoreError::Open { url: url.to_owned(), source },
            other => other,
        })?;
        if migrated > 0 {
            store.inner.written();
        }
        Ok(store)
    }

    /// Runs `work` with a pooled connection on the blocking thread pool.
    async fn with<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        // Wait for a permit here, not on a blocking thread: otherwise every request of a busy
        // server parks a thread of its own.
        let permit = self.inner.pool.permit().await?;
        let inner = Arc::clone(&self.inner);
        let task = tokio::task::spawn_blocking(move || inner.pool.run(&permit, work));
        task.await.map_err(|error| StoreError::Task(error.to_string()))?
    }

    /// Runs a short read in one read transaction with a pooled connection right here, on the
    /// calling thread, when a connection is free; otherwise on the blocking thread pool. A read
    /// in WAL mode never waits for a writer, and handing a sub-millisecond read to another
    /// thread and back costs more than the read: a busy server does most of its work this way.
    async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let Some(permit) = self.inner.pool.permit_now() else {
            return self.with(move |connection| in_one_snapshot(connection, work)).await;
        };
        self.inner.pool.run(&permit, |connection| in_one_snapshot(connection, work))
    }

    /// Runs a write, then tells every process that keeps reads in memory (this one included)
    /// through the change marker. The marker is written on the blocking thread right after the
    /// work, so that a request dropped while it waits (its client gone) still writes it. It is
    /// written whether the write committed or not: a needless new value only costs the next
    /// reads a trip to the database.
    async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        self.with(move |connection| {
            let result = work(connection);
            inner.written();
            result
        })
        .await
    }

    /// Every active person.
    async fn whole_org(&self) -> Result<Vec<OrgMember>, StoreError> {
        let path = self.inner.pool.path().to_path_buf();
        self.with(move |connection| {
            // Memory-mapped reads decode a million rows fastest; a pooled connection gives the
            // mapping back afterwards, so that a serving process stays small.
            connection.execute_batch(WHOLE_ORG_MMAP)?;
            let loaded = load_whole_org(connection, &path);
            connection.execute_batch("PRAGMA mmap_size = 0")?;
            loaded
        })
        .await
    }

    /// The journal mode in force, for tests that check WAL is on.
    pub async fn journal_mode(&self) -> Result<String, StoreError> {
        self.with(|connection| {
            Ok(connection.pragma_query_value(None, "journal_mode", |row| row.get(0))?)
        })
        .await
    }
}

/// Imports at least this large drop the secondary indexes and rebuild them afterwards, and
/// check foreign keys in one pass at the end instead of row by row.
const BULK_IMPORT: usize = 10_000;

/// People per multi-row `INSERT`: a statement stepped and reset per 64 people rather than per
/// person, well within SQLite's limit of 32,766 parameters.
const PEOPLE_PER_STATEMENT: usize = 64;

/// The fields of a person, in the order [`bind_person`] binds them.
const PERSON_FIELDS: usize = 11;

/// An `INSERT` of `people` people; `?1` is the import's run, person `p`'s fields are
/// `?(2 + 9p)` to `?(10 + 9p)`. `upsert` updates people already there, marking them changed only
/// when something differs.
fn insert_people_sql(people: usize, upsert: bool) -> String {
    let mut sql = String::from(
        "INSERT INTO people (id, name, email, title, track, level, manager_id, team, status, hire_date, level_since, import_run, changed_run) VALUES ",
    );
    for person in 0..people {
        let first = 2 + person * PERSON_FIELDS;
        let fields: Vec<String> =
            (first..first + PERSON_FIELDS).map(|index| format!("?{index}")).collect();
        if person > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("({}, ?1, ?1)", fields.join(", ")));
    }
    if upsert {
        sql.push_str(
            " ON CONFLICT (id) DO UPDATE SET \
               changed_run = CASE WHEN (people.name, people.email, people.title, people.track, people.level, \
                                        people.manager_id, people.team, people.status, people.hire_date, people.level_since) \
                                    IS NOT (excluded.name, excluded.email, excluded.title, excluded.track, excluded.level, \
                                            excluded.manager_id, excluded.team, excluded.status, excluded.hire_date, \
                                            excluded.level_since) \
                             THEN excluded.changed_run ELSE people.changed_run END, \
               left_run = CASE WHEN people.status = 'active' AND excluded.status = 'left' \
                          THEN excluded.import_run ELSE people.left_run END, \
               name = excluded.name, email = excluded.email, title = excluded.title, track = excluded.track, \
               level = excluded.level, manager_id = excluded.manager_id, team = excluded.team, \
               status = excluded.status, hire_date = excluded.hire_date, level_since = excluded.level_since, \
               import_run = excluded.import_run",
        );
    }
    sql
}

/// Binds `person`'s fields from parameter `first` on.
fn bind_person(
    statement: &mut rusqlite::Statement<'_>,
    first: usize,
    person: &Person,
) -> rusqlite::Result<()> {
    statement.raw_bind_parameter(first, person.id.as_str())?;
    statement.raw_bind_parameter(first + 1, &person.name)?;
    statement.raw_bind_parameter(first + 2, person.email.as_str())?;
    statement.raw_bind_parameter(first + 3, &person.title)?;
    statement.raw_bind_parameter(first + 4, crate::people::stored_track(person))?;
    statement.raw_bind_parameter(first + 5, crate::people::stored_level(person))?;
    statement.raw_bind_parameter(first + 6, person.manager_id.as_ref().map(PersonId::as_str))?;
    statement.raw_bind_parameter(first + 7, &person.team)?;
    statement.raw_bind_parameter(first + 8, person.status.as_str())?;
    statement.raw_bind_parameter(first + 9, person.hire_date.map(|date| date.to_string()))?;
    statement.raw_bind_parameter(first + 10, person.level_since.map(|date| date.to_string()))
}

/// Writes one batch of people: 64 at a time, then one at a time for the rest.
fn write_people(
    many: &mut rusqlite::Statement<'_>,
    one: &mut rusqlite::Statement<'_>,
    people: &[Person],
) -> rusqlite::Result<()> {
    let mut groups = people.chunks_exact(PEOPLE_PER_STATEMENT);
    for group in &mut groups {
        for (position, person) in group.iter().enumerate() {
            bind_person(many, 2 + position * PERSON_FIELDS, person)?;
        }
        many.raw_execute()?;
    }
    for person in groups.remainder() {
        bind_person(one, 2, person)?;
        one.raw_execute()?;
    }
    Ok(())
}

/// How many distinct manager ids name nobody: the one foreign key of `people`, checked in one
/// pass. Each manager is looked up once, in the order of the manager index, which is about
/// twice as fast as `pragma_foreign_key_check`'s lookup per person.
const MISSING_MANAGERS: &str = "SELECT count(*) FROM \
     (SELECT DISTINCT manager_id FROM people WHERE manager_id IS NOT NULL) AS named \
     WHERE NOT EXISTS (SELECT 1 FROM people WHERE people.id = named.manager_id)";

/// What one import is: its file, whether it is a dry run, and its audit entry.
struct ImportRun<'a> {
    source_name: &'a str,
    dry_run: bool,
    audit: Option<ImportAudit>,
}

/// `committed` is called once the import has committed and before its checkpoint: see below.
fn import(
    connection: &mut Connection,
    run: ImportRun<'_>,
    feed: &mut ImportFeed,
    progress: &mut Progress,
    committed: impl FnOnce(),
) -> Result<ImportSummary, StoreError> {
    let dry_run = run.dry_run;
    // The feed's length is unknown up front: a first import or a large org takes the bulk path.
    let before: i64 = connection.query_row("SELECT count(*) FROM people", [], |row| row.get(0))?;
    let bulk = before == 0 || before >= BULK_IMPORT as i64;
    if bulk {
        // Cannot change inside a transaction; `foreign_key_check` below stands in for it.
        connection.execute_batch("PRAGMA foreign_keys = OFF")?;
    }
    // An import wants a larger page cache than serving does, but not a huge one: 16 MB built a
    // million-person import as fast as 128 MB did, with 130 MB less memory to fault in.
    connection.execute_batch("PRAGMA cache_size = -16384")?;
    // The first import into an empty database writes every page once, straight into the file,
    // under a rollback journal (as crash-safe as WAL): through the write-ahead log every page
    // would be written twice, once to the log and once more when the log is folded back.
    // SQLite only leaves WAL when this is its one connection; otherwise the import stays in WAL.
    // Leaving it needs an exclusive lock, which SQLite tries once without waiting: another
    // process that has the file open answers "database is locked", and the import then simply
    // stays in WAL.
    let direct = before == 0
        && !dry_run
        && journal_mode(connection, "DELETE").is_ok_and(|mode| mode == "delete");
    let result = import_in_transaction(connection, run, feed, bulk, progress);
    let restored = connection.execute_batch(if bulk {
        "PRAGMA foreign_keys = ON; PRAGMA cache_size = -2048"
    } else {
        "PRAGMA cache_size = -2048"
    });
    if direct {
        // Back to WAL waits for the busy timeout like any write. Should it still fail, the
        // import has committed all the same, and the next connection opened turns WAL on
        // again: the import does not fail for it.
        let _stays_in_rollback_mode_until_the_next_open = journal_mode(connection, "WAL");
    }
    let summary = result?;
    restored?;
    if !dry_run && !direct {
        // Fold a large import's write-ahead log back into the file now, not on some later read.
        // Tell other processes of the import first (the change marker): the checkpoint can
        // take seconds, and what they remember is out of date from the commit on.
        committed();
        connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    Ok(summary)
}

/// Sets the journal mode and returns the one in force afterwards, in lower case.
fn journal_mode(connection: &Connection, mode: &str) -> Result<String, StoreError> {
    let now: String =
        connection.pragma_update_and_check(None, "journal_mode", mode, |row| row.get(0))?;
    Ok(now.to_lowercase())
}

fn import_in_transaction(
    connection: &mut Connection,
    ImportRun { source_name, dry_run, audit }: ImportRun<'_>,
    feed: &mut ImportFeed,
    bulk: bool,
    progress: &mut Progress,
) -> Result<ImportSummary, StoreError> {
    // Immediate: the write lock up front, waiting for other writers, rather than a read that
    // upgrades on the first insert and fails at once when another process wrote in between.
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    transaction.execute("INSERT INTO imports (source_name) VALUES (?1)", params![source_name])?;
    let run = transaction.last_insert_rowid();
    transaction.execute(crate::reads::RAISE_ORG_VERSION, [])?;
    let before: i64 = transaction.query_row("SELECT count(*) FROM people", [], |row| row.get(0))?;
    let active_before: i64 = if before == 0 {
        0
    } else {
        transaction.query_row(crate::people::ACTIVE_PEOPLE, [], |row| row.get(0))?
    };
    // Secondary indexes (not the ones behind constraints) are rebuilt after a bulk load, which
    // is several times faster than maintaining them row by row.
    let secondary_indexes: Vec<(String, String)> = if bulk {
        let mut statement = transaction.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people' AND sql IS NOT NULL",
        )?;
        statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    for (name, _) in &secondary_indexes {
        transaction.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    let mut received = 0usize;
    // `Some(commit)` once the reader has decided; often only after the indexes are rebuilt.
    let mut decided = None;
    {
        // Into an empty table nothing can conflict: a plain insert is enough.
        let upsert = before > 0;
        let mut many = transaction.prepare(&insert_people_sql(PEOPLE_PER_STATEMENT, upsert))?;
        let mut one = transaction.prepare(&insert_people_sql(1, upsert))?;
        many.raw_bind_parameter(1, run)?;
        one.raw_bind_parameter(1, run)?;
        loop {
            match feed.next_blocking() {
                Some(FeedItem::People(batch)) => {
                    write_people(&mut many, &mut one, &batch)?;
                    received += batch.len();
                    progress(received as u64);
                }
                Some(FeedItem::AllSent) => break,
                Some(FeedItem::End { commit }) => {
                    decided = Some(commit);
                    break;
                }
                // Dropping the transaction rolls everything back.
                None => return Err(StoreError::Abandoned),
            }
        }
    }
    for (_, sql) in &secondary_indexes {
        transaction.execute_batch(sql)?;
    }
    // Foreign keys are deferred to the commit; a dry run never commits, so it checks them here.
    if bulk || dry_run {
        let missing: i64 = transaction.query_row(MISSING_MANAGERS, [], |row| row.get(0))?;
        if missing > 0 {
            return Err(StoreError::Constraint(format!(
                "{missing} manager id(s) that people name are not in the database"
            )));
        }
    }
    let summary = if before == 0 {
        // A first import adds everyone; there is nobody to update or mark as left.
        ImportSummary { added: received as u64, ..ImportSummary::default() }
    } else {
        let left = transaction.execute(
            "UPDATE people SET status = 'left', changed_run = ?1, left_run = ?1 WHERE import_run <> ?1 AND status = 'active'",
            params![run],
        )?;
        let after: i64 =
            transaction.query_row("SELECT count(*) FROM people", [], |row| row.get(0))?;
        let (changed, left_by_status): (i64, i64) =
            transaction.query_row(crate::people::COUNT_CHANGED, params![run], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        let added = count(after - before);
        let left_by_status = count(left_by_status);
        let updated = count(changed).saturating_sub(added + left_by_status);
        ImportSummary {
            added,
            updated,
            unchanged: (received as u64).saturating_sub(added + updated + left_by_status),
            left: left as u64 + left_by_status,
            active_before: count(active_before),
        }
    };
    let commit = match decided {
        Some(commit) => commit,
        None => loop {
            match feed.next_blocking() {
                Some(FeedItem::End { commit }) => break commit,
                Some(FeedItem::AllSent) => {}
                Some(FeedItem::People(_)) => {
                    return Err(StoreError::Task(
                        "people arrived after the reader said all were sent".to_owned(),
                    ));
                }
                None => break false,
            }
        },
    };
    if !commit {
        return Err(StoreError::Abandoned);
    }
    if dry_run {
        transaction.rollback()?;
    } else {
        let accounts: bool =
            transaction
                .query_row("SELECT EXISTS (SELECT 1 FROM accounts)", [], |row| row.get(0))?;
        if accounts {
            for sql in crate::accounts::RELINK_ACCOUNTS {
                transaction.execute(sql, [])?;
            }
        }
        transaction.execute(
            "UPDATE imports SET added = ?1, updated = ?2, unchanged = ?3, left_count = ?4 WHERE pk = ?5",
            params![summary.added as i64, summary.updated as i64, summary.unchanged as i64, summary.left as i64, run],
        )?;
        if let Some(audit) = audit {
            // Dropping the transaction rolls the refused import back.
            let Some(record) = audit(received as u64, &summary) else {
                return Err(StoreError::ImportRefused(summary));
            };
            run_in(&transaction, &record.statements())?;
        }
        transaction.commit()?;
    }
    Ok(summary)
}

/// A text column of a row being stepped, borrowed.
fn column_text<'row>(row: &'row rusqlite::Row<'_>, index: usize) -> Result<&'row str, StoreError> {
    row.get_ref(index)?
        .as_str()
        .map_err(|error| StoreError::Corrupt(format!("column {index}: {error}")))
}

/// Room for the people with `pk` in `from..=to`, within reason: the range may be open-ended.
/// Growing a vector of a million members copies it, and the copy's fresh pages are most of what
/// growing costs.
fn room_for(from: i64, to: i64) -> Vec<OrgMember> {
    let people =
        usize::try_from(to.saturating_sub(from).saturating_add(1)).unwrap_or(0).min(1 << 22);
    Vec::with_capacity(people)
}

/// Active people with `pk` in `from..=to`, in `pk` order, appended to `members`.
fn load_members(
    connection: &Connection,
    from: i64,
    to: i64,
    members: &mut Vec<OrgMember>,
) -> Result<(), StoreError> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {WHOLE_ORG_COLUMNS} FROM people WHERE status = 'active' AND pk BETWEEN ?1 AND ?2 ORDER BY pk"
    ))?;
    let mut interner = Interner::default();
    let mut rows = statement.query(params![from, to])?;
    while let Some(row) = rows.next()? {
        let text = |index: usize| column_text(row, index);
        let manager_id = match row.get_ref(2)? {
            ValueRef::Null => None,
            _ => Some(text(2)?),
        };
        members.push(interner.member(
            text(0)?,
            text(1)?,
            manager_id,
            text(3)?,
            text(4)?,
            text(5)?,
        )?);
    }
    Ok(())
}

const WHOLE_ORG_MMAP: &str = "PRAGMA mmap_size = 1073741824";

/// Every active person, read in two halves on two connections and two threads. Each half reads
/// inside its own read transaction. Only imports change people, and each import records itself,
/// so two snapshots that saw the same last import saw the same org.
fn load_whole_org(connection: &mut Connection, path: &Path) -> Result<Vec<OrgMember>, StoreError> {
    let snapshot = connection.transaction()?;
    let (low, high, last_import): (Option<i64>, Option<i64>, Option<i64>) = snapshot.query_row(
        "SELECT (SELECT min(pk) FROM people), (SELECT max(pk) FROM people), (SELECT max(pk) FROM imports)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    let (Some(low), Some(high)) = (low, high) else {
        return Ok(Vec::new());
    };
    // Decoding a million rows is the whole cost of a whole-org command, and it divides cleanly.
    let middle = low + (high - low) / 2;
    std::thread::scope(|scope| {
        let upper = scope.spawn(|| -> Result<(Vec<OrgMember>, Option<i64>), StoreError> {
            let mut other = open_connection(path)?;
            other.execute_batch(WHOLE_ORG_MMAP)?;
            let other_snapshot = other.transaction()?;
            let seen =
                other_snapshot.query_row("SELECT max(pk) FROM imports", [], |row| row.get(0))?;
            let mut upper_half = room_for(middle + 1, high);
            load_members(&other_snapshot, middle + 1, high, &mut upper_half)?;
            Ok((upper_half, seen))
        });
        // Room for both halves up front.
        let mut loaded = room_for(low, high);
        load_members(&snapshot, low, middle, &mut loaded)?;
        let (rest, seen) =
            upper.join().map_err(|_| StoreError::Task("a loader thread panicked".to_owned()))??;
        if seen != last_import {
            // An import committed between the two snapshots: read the first one whole.
            loaded.clear();
            load_members(&snapshot, i64::MIN, i64::MAX, &mut loaded)?;
            return Ok(loaded);
        }
        loaded.extend(rest);
        Ok(loaded)
    })
}

impl Storage for SqliteStore {
    async fn activate_framework(&self, framework: &NewFramework) -> Result<(), StoreError> {
        let framework = framework.clone();
        self.write(move |connection| {
            connection.execute(
                "INSERT INTO frameworks (framework_id, version, source) VALUES (?1, ?2, ?3)",
                params![framework.framework_id, framework.version, framework.source],
            )?;
            Ok(())
        })
        .await
    }

    async fn active_framework(&self) -> Result<Option<StoredFramework>, StoreError> {
        self.with(|connection| {
            Ok(connection
                .query_row(
                    "SELECT framework_id, version, source, activated_at, pk FROM frameworks WHERE archived = 0 ORDER BY pk DESC LIMIT 1",
                    [],
                    |row| {
                        Ok(StoredFramework {
                            framework_id: row.get(0)?,
                            version: row.get(1)?,
                            source: row.get(2)?,
                            activated_at: row.get(3)?,
                            pk: row.get(4)?,
                        })
                    },
                )
                .optional()?)
        })
        .await
    }

    async fn import_people(
        &self,
        source_name: &str,
        mut people: ImportFeed,
        dry_run: bool,
        audit: Option<ImportAudit>,
        mut progress: Progress,
    ) -> Result<ImportSummary, StoreError> {
        let source_name = source_name.to_owned();
        let inner = Arc::clone(&self.inner);
        self.write(move |connection| {
            let run = ImportRun { source_name: &source_name, dry_run, audit };
            import(connection, run, &mut people, &mut progress, || inner.written())
        })
        .await
    }

    async fn person(&self, id: &str) -> Result<Option<Person>, StoreError> {
        crate::reads::person(self, id).await
    }

    async fn people_with_email(&self, email: &Email) -> Result<Vec<Person>, StoreError> {
        crate::reads::people_with_email(self, email).await
    }

    async fn direct_reports(&self, id: &str) -> Result<Vec<Person>, StoreError> {
        crate::reads::direct_reports(self, id).await
    }

    async fn org_members(&self) -> Result<Vec<OrgMember>, StoreError> {
        self.whole_org().await
    }

    async fn head_counts(&self) -> Result<(u64, u64), StoreError> {
        self.with(|connection| {
            let (active, left): (i64, i64) = connection.query_row(
                "SELECT count(*) FILTER (WHERE status = 'active'), count(*) FILTER (WHERE status = 'left') FROM people",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            Ok((count(active), count(left)))
        })
        .await
    }

    async fn fetch(&self, query: Query) -> Result<Vec<Row>, StoreError> {
        self.read(move |connection| rows_of(connection, &query)).await
    }

    async fn fetch_remembered(&self, query: Query) -> Result<Vec<Row>, StoreError> {
        // The marker is read before the database: see `change_marker`'s invariant.
        let Some(marker) = self.inner.marker.as_ref().and_then(ChangeMarker::read) else {
            return self.fetch(query).await;
        };
        if let Some(rows) = self.inner.remembered.get(&query, marker) {
            return Ok(rows);
        }
        let rows = self.fetch(query.clone()).await?;
        self.inner.remembered.keep(query, marker, rows.clone());
        Ok(rows)
    }

    async fn fetch_many(&self, queries: Vec<Query>) -> Result<Vec<Vec<Row>>, StoreError> {
        let whole = WholeRows::of(queries.len());
        self.fetch_decoded(queries, whole).await
    }

    async fn fetch_decoded<D: BatchDecoder>(
        &self,
        queries: Vec<Query>,
        decoder: D,
    ) -> Result<D::Output, StoreError> {
        // One snapshot (see `read`): every read sees the same database. A read that fails
        // leaves the transaction open, and the pool closes such a connection.
        self.read(move |connection| decode_batch(connection, &queries, decoder)).await
    }

    #[allow(private_interfaces)]
    async fn run(&self, changes: Vec<Vec<Statement>>) -> Result<Vec<Option<i64>>, StoreError> {
        self.write(move |connection| run_changes(connection, &changes)).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use std::path::PathBuf;

    use super::*;

    /// A fresh database file's URL, in a folder of its own.
    fn fresh_url(name: &str) -> (PathBuf, String) {
        let folder =
            std::env::temp_dir().join(format!("rungs-sqlite-{}-{name}", std::process::id()));
        let _ignored = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let url = format!("sqlite://{}", folder.join("rungs.db").display());
        (folder, url)
    }

    async fn org_version(store: &SqliteStore) -> i64 {
        let rows =
            store.fetch_many(vec![Query::new(crate::reads::ORG_VERSION, vec![])]).await.unwrap();
        rows[0][0].integer(0).unwrap()
    }

    async fn raise_org_version(store: &SqliteStore) {
        store
            .write(|connection| Ok(connection.execute(crate::reads::RAISE_ORG_VERSION, [])?))
            .await
            .unwrap();
    }

    /// Two stores on one file stand for two processes (a server and the CLI): each read sees
    /// what the other wrote, and what it wrote itself, at once.
    #[tokio::test]
    async fn a_read_sees_every_write_before_it_by_this_or_another_store() {
        let (folder, url) = fresh_url("visibility");
        let reader = SqliteStore::open(&url).await.unwrap();
        let writer = SqliteStore::open(&url).await.unwrap();
        let first = org_version(&reader).await;
        raise_org_version(&writer).await;
        assert_eq!(org_version(&reader).await, first + 1, "another process's write");
        raise_org_version(&reader).await;
        assert_eq!(org_version(&reader).await, first + 2, "its own write");
        assert_eq!(org_version(&writer).await, first + 2);
        std::fs::remove_dir_all(&folder).unwrap();
    }
}

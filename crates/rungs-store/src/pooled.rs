//! A pooled SQLite connection and the read snapshot it keeps open between reads.
//!
//! A read on SQLite in WAL mode begins a read transaction (the WAL's read lock, through `fcntl`,
//! and its shared-memory index) and ends it again: on a small page that is a fifth of SQLite's
//! time. So a connection keeps its read transaction open after a read, and the next read on it
//! runs in the same snapshot while no write has been committed since, by any process: the
//! change marker and this process's own count of writes still hold what they held before the
//! snapshot began. It is kept for at most [`KEEP_FOR`], and the store's sweeper ends idle
//! snapshots that are that old or out of date.
//!
//! A snapshot is kept only once the writes have settled: nothing written for [`KEEP_FOR`], and
//! the WAL then checkpointed in full by the sweeper (`Settled`). A reader that begins after a
//! full checkpoint reads the database file alone, so a kept snapshot never stops the WAL from
//! starting over at the next write, nor a full checkpoint (an import's) from finishing. While
//! writes keep coming, reads have a transaction of their own each, as before.
//!
//! Invariant: a snapshot is tagged with the [`Writes`] read *before* it began. Any write it
//! misses committed after that, and changed the marker or the count after committing, so the
//! tag no longer matches (see `change_marker` for the same argument).

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::StoreError;

/// How long a snapshot is kept at most, even while nothing is written (a busy server begins a
/// new one ten times a second, which costs nothing measurable), and how long writes must have
/// stopped before snapshots are kept again.
pub(crate) const KEEP_FOR: Duration = Duration::from_millis(100);

/// What had been written, as far as a reader can tell: the change marker's value and the count
/// of this process's own writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Writes {
    pub(crate) marker: u64,
    pub(crate) own: u64,
}

/// An open read transaction, and what had been written before it began.
#[derive(Debug, Clone, Copy)]
struct Snapshot {
    seen: Writes,
    begun: Instant,
}

impl Snapshot {
    fn stale(&self, keep_for: Duration) -> bool {
        self.begun.elapsed() >= keep_for
    }
}

/// Whether snapshots may be kept: since when the writes have been what they are, and whether
/// the WAL has been checkpointed in full since.
#[derive(Debug, Default)]
pub(crate) struct Settled {
    state: Mutex<Option<SettledState>>,
}

#[derive(Debug, Clone, Copy)]
struct SettledState {
    writes: Writes,
    since: Instant,
    checkpointed: bool,
}

impl Settled {
    /// Whether a snapshot begun now, after `now` was read, may be kept.
    pub(crate) fn may_keep(&self, now: Writes) -> bool {
        self.observe(now).checkpointed
    }

    /// Whether the WAL is due its checkpoint: nothing written for [`KEEP_FOR`] since `now`, and
    /// no full checkpoint since.
    pub(crate) fn due_checkpoint(&self, now: Writes) -> bool {
        let state = self.observe(now);
        !state.checkpointed && state.since.elapsed() >= KEEP_FOR
    }

    /// Records a full checkpoint made after `now` was read.
    pub(crate) fn checkpointed(&self, now: Writes) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(state) = state.as_mut().filter(|state| state.writes == now) {
            state.checkpointed = true;
        }
    }

    fn observe(&self, now: Writes) -> SettledState {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match *state {
            Some(known) if known.writes == now => known,
            _ => *state.insert(SettledState {
                writes: now,
                since: Instant::now(),
                checkpointed: false,
            }),
        }
    }
}

/// A connection of the pool, and the snapshot it holds open, if any.
#[derive(Debug)]
pub(crate) struct Pooled {
    pub(crate) connection: Connection,
    snapshot: Option<Snapshot>,
    /// How long a snapshot is kept at most: [`KEEP_FOR`], except in tests that must not depend
    /// on how fast the machine runs them.
    keep_for: Duration,
}

impl Pooled {
    pub(crate) fn new(connection: Connection) -> Pooled {
        Pooled { connection, snapshot: None, keep_for: KEEP_FOR }
    }

    /// Whether the connection can go back to the pool: it is in the state this type believes,
    /// with a transaction open exactly when a snapshot is kept.
    pub(crate) fn reusable(&self) -> bool {
        self.connection.is_autocommit() == self.snapshot.is_none()
    }

    /// Ends the snapshot kept, if any: before a write, or work that must not run inside a
    /// transaction.
    pub(crate) fn end_snapshot(&mut self) -> Result<(), StoreError> {
        if self.snapshot.take().is_some() {
            self.connection.prepare_cached("COMMIT")?.execute([])?;
        }
        Ok(())
    }

    /// Ends the snapshot if it has been kept for [`KEEP_FOR`] or was begun before writes other
    /// than `now`; says whether the connection is still usable.
    pub(crate) fn end_snapshot_if_stale(&mut self, now: Option<Writes>) -> bool {
        if self
            .snapshot
            .is_some_and(|snapshot| snapshot.stale(self.keep_for) || Some(snapshot.seen) != now)
        {
            return self.end_snapshot().is_ok();
        }
        true
    }

    /// Runs `read` in one snapshot: the one kept when nothing has been written since `now` was
    /// read, else a new one, tagged `now`, and kept afterwards when `may_keep` allows. Without
    /// `now` (the store has no change marker), or when a snapshot may not be kept, the read
    /// runs in a transaction of its own, ended after it.
    pub(crate) fn read_in_snapshot<T>(
        &mut self,
        now: Option<Writes>,
        may_keep: impl FnOnce(Writes) -> bool,
        read: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if let (Some(now), Some(kept)) = (now, self.snapshot)
            && kept.seen == now
            && !kept.stale(self.keep_for)
        {
            return read(&self.connection);
        }
        self.end_snapshot()?;
        self.connection.prepare_cached("BEGIN")?.execute([])?;
        match now.filter(|&now| may_keep(now)) {
            Some(now) => {
                self.snapshot = Some(Snapshot { seen: now, begun: Instant::now() });
                read(&self.connection)
            }
            None => {
                let result = read(&self.connection)?;
                self.connection.prepare_cached("COMMIT")?.execute([])?;
                Ok(result)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;

    fn keep(_: Writes) -> bool {
        true
    }

    fn count(connection: &Connection) -> Result<i64, StoreError> {
        Ok(connection.query_row("SELECT count(*) FROM marks", [], |row| row.get(0))?)
    }

    /// A pooled connection whose snapshots stay current for an hour: a bound no run reaches,
    /// however slow the machine, for the tests of reuse.
    fn patient(connection: Connection) -> Pooled {
        Pooled { keep_for: Duration::from_secs(3600), ..Pooled::new(connection) }
    }

    fn database(name: &str) -> (std::path::PathBuf, Connection, Connection) {
        let folder =
            std::env::temp_dir().join(format!("rungs-pooled-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join("pooled.db");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS marks (x INTEGER); DELETE FROM marks;",
            )
            .unwrap();
        let reader = Connection::open(&path).unwrap();
        (folder, writer, reader)
    }

    #[test]
    fn a_snapshot_is_reused_while_nothing_is_written_and_renewed_when_something_is() {
        let (folder, writer, reader) = database("renewed");
        let mut pooled = patient(reader);
        let before = Writes { marker: 1, own: 0 };
        assert_eq!(pooled.read_in_snapshot(Some(before), keep, count).unwrap(), 0);
        assert!(pooled.reusable(), "a kept snapshot is a known open transaction");
        assert!(!pooled.connection.is_autocommit());

        writer.execute("INSERT INTO marks VALUES (1)", []).unwrap();
        // Under the same tag the snapshot is kept (the writer here wrote no marker, on purpose:
        // this shows that the snapshot really is reused).
        assert_eq!(pooled.read_in_snapshot(Some(before), keep, count).unwrap(), 0);
        // A new marker value, or a write of this process, begins a new snapshot.
        assert_eq!(
            pooled.read_in_snapshot(Some(Writes { marker: 2, own: 0 }), keep, count).unwrap(),
            1
        );
        writer.execute("INSERT INTO marks VALUES (2)", []).unwrap();
        assert_eq!(
            pooled.read_in_snapshot(Some(Writes { marker: 2, own: 1 }), keep, count).unwrap(),
            2
        );

        pooled.end_snapshot().unwrap();
        assert!(pooled.connection.is_autocommit() && pooled.reusable());
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_snapshot_not_allowed_to_be_kept_is_ended_after_its_read() {
        let (folder, _writer, reader) = database("unsettled");
        let mut pooled = Pooled::new(reader);
        let tag = Writes { marker: 1, own: 0 };
        assert_eq!(pooled.read_in_snapshot(Some(tag), |_| false, count).unwrap(), 0);
        assert!(pooled.connection.is_autocommit() && pooled.reusable());
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn snapshots_are_kept_only_once_writes_have_settled_and_been_checkpointed() {
        let settled = Settled::default();
        let first = Writes { marker: 1, own: 0 };
        assert!(!settled.may_keep(first), "just written");
        assert!(!settled.due_checkpoint(first), "not settled yet");
        std::thread::sleep(KEEP_FOR);
        assert!(settled.due_checkpoint(first));
        assert!(!settled.may_keep(first), "settled, not yet checkpointed");
        settled.checkpointed(first);
        assert!(settled.may_keep(first) && !settled.due_checkpoint(first));
        let second = Writes { marker: 1, own: 1 };
        assert!(!settled.may_keep(second), "a new write starts over");
        settled.checkpointed(first);
        assert!(!settled.may_keep(second), "a checkpoint of older writes does not count");
    }

    #[test]
    fn without_a_marker_every_read_has_a_transaction_of_its_own() {
        let (folder, writer, reader) = database("unmarked");
        let mut pooled = Pooled::new(reader);
        assert_eq!(pooled.read_in_snapshot(None, keep, count).unwrap(), 0);
        assert!(pooled.connection.is_autocommit() && pooled.reusable());
        writer.execute("INSERT INTO marks VALUES (1)", []).unwrap();
        assert_eq!(pooled.read_in_snapshot(None, keep, count).unwrap(), 1);
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_snapshot_is_kept_no_longer_than_keep_for() {
        let (folder, writer, reader) = database("stale");
        // Kept for an hour at first, so that no slow step makes it stale before its time.
        let mut pooled = patient(reader);
        let tag = Writes { marker: 1, own: 0 };
        assert_eq!(pooled.read_in_snapshot(Some(tag), keep, count).unwrap(), 0);
        writer.execute("INSERT INTO marks VALUES (1)", []).unwrap();
        assert!(pooled.end_snapshot_if_stale(Some(tag)), "a fresh snapshot is left alone");
        assert!(!pooled.connection.is_autocommit());
        assert_eq!(pooled.read_in_snapshot(Some(tag), keep, count).unwrap(), 0, "still kept");
        pooled.keep_for = KEEP_FOR;
        std::thread::sleep(KEEP_FOR);
        // A write made without the marker (another program) shows once the snapshot is stale.
        assert_eq!(pooled.read_in_snapshot(Some(tag), keep, count).unwrap(), 1);
        std::thread::sleep(KEEP_FOR);
        assert!(pooled.end_snapshot_if_stale(Some(tag)));
        assert!(pooled.connection.is_autocommit() && pooled.reusable());
        // With no reader left in the WAL, a checkpoint can move all of it into the database.
        let (busy, _, _): (i64, i64, i64) = writer
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .unwrap();
        assert_eq!(busy, 0);
        std::fs::remove_dir_all(&folder).unwrap();
    }
}

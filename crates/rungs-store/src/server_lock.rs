//! The server lock: a file beside a SQLite database (`FILE-rungs-server`) that every
//! `rungs serve` holds a shared lock on for as long as it runs, and that `rungs restore` takes
//! exclusively while it replaces the database. A server keeps what it read in memory (the org
//! chart, by org version), which a restore would leave stale, so a restore refuses while any
//! server holds the lock, and a server that starts during a restore waits for it to finish.
//!
//! The lock is the operating system's (`flock`), so it goes with the process: a server that
//! dies, however, holds nothing. The file's text names the server that last took it, for the
//! restore's refusal; the text is only a note, the lock alone decides.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::StoreError;

/// A lock on the server lock file of one SQLite database, held until dropped.
#[derive(Debug)]
pub struct ServerLock {
    file: File,
    path: PathBuf,
}

/// Why the exclusive lock could not be had.
#[derive(Debug)]
pub(crate) enum Held {
    /// A server holds it; what its note says (empty when it wrote none).
    ByServer(String),
    Unavailable(std::io::Error),
}

/// The lock file of the database file `database`.
pub(crate) fn lock_path(database: &Path) -> PathBuf {
    // The database as the file system resolves it, so that a server reaching it through a
    // link or another relative path takes the same lock as a restore; as given when it does
    // not exist yet.
    let database = std::fs::canonicalize(database).unwrap_or_else(|_| database.to_owned());
    let mut name = database.into_os_string();
    name.push("-rungs-server");
    PathBuf::from(name)
}

fn open(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)
}

impl ServerLock {
    /// The shared lock a server holds on the database `url` names for as long as it runs;
    /// `None` for PostgreSQL, whose servers need none. While a restore holds the lock, this
    /// waits for it (calling `waiting` first) rather than serve a database being replaced.
    pub fn for_server(url: &str, waiting: impl FnOnce()) -> Result<Option<ServerLock>, StoreError> {
        if !url.starts_with("sqlite:") {
            return Ok(None);
        }
        let path = lock_path(&crate::sqlite_file::path_of(url)?);
        let cannot = |error: std::io::Error| {
            StoreError::Task(format!("cannot lock `{}`: {error}", path.display()))
        };
        let file = open(&path).map_err(cannot)?;
        match file.try_lock_shared() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                waiting();
                file.lock_shared().map_err(cannot)?;
            }
            Err(TryLockError::Error(error)) => return Err(cannot(error)),
        }
        Ok(Some(ServerLock { file, path }))
    }

    /// Writes what names this server (its process, its address) for a restore's refusal.
    /// The note is a courtesy: a failure to write it is ignored.
    pub fn note(&mut self, text: &str) {
        let _ignored = self
            .file
            .set_len(0)
            .and_then(|()| self.file.rewind())
            .and_then(|()| self.file.write_all(text.as_bytes()));
    }

    /// The exclusive lock a restore holds on the database file `database`, or why it cannot.
    pub(crate) fn for_restore(database: &Path) -> Result<ServerLock, Held> {
        let path = lock_path(database);
        let mut file = open(&path).map_err(Held::Unavailable)?;
        match file.try_lock() {
            Ok(()) => Ok(ServerLock { file, path }),
            Err(TryLockError::WouldBlock) => {
                let mut note = String::new();
                let _unreadable_note_names_nobody = file.read_to_string(&mut note);
                Err(Held::ByServer(note.trim().to_owned()))
            }
            Err(TryLockError::Error(error)) => Err(Held::Unavailable(error)),
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_share_the_lock_and_a_restore_waits_for_none_of_them() {
        let folder = std::env::temp_dir().join(format!("rungs-server-lock-{}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("a temporary folder");
        let database = folder.join("rungs.db");
        let url = format!("sqlite://{}", database.display());
        let mut first = ServerLock::for_server(&url, || {}).expect("locks").expect("SQLite");
        first.note("rungs serve, process 1");
        let second = ServerLock::for_server(&url, || {}).expect("locks").expect("SQLite");
        match ServerLock::for_restore(&database) {
            Err(Held::ByServer(note)) => assert_eq!(note, "rungs serve, process 1"),
            other => panic!("a restore took the lock from running servers: {other:?}"),
        }
        drop(first);
        assert!(ServerLock::for_restore(&database).is_err(), "one server still runs");
        drop(second);
        let restore = ServerLock::for_restore(&database).expect("no server runs");
        assert_eq!(restore.path(), lock_path(&database));
        drop(restore);
        assert!(ServerLock::for_server("postgres://db/rungs", || {}).expect("no lock").is_none());
        std::fs::remove_dir_all(&folder).expect("clean up");
    }
}

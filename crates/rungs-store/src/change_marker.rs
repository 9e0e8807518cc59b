//! The change marker: a small file beside a SQLite database that every write through a Rungs
//! store overwrites with a fresh random value after it commits, so that a process keeping reads
//! in memory learns of writes made by any process for the price of reading eight bytes.
//!
//! Invariant: a store writes the marker after each write commits, never only before. A reader
//! reads the marker, then the database, and keeps what it read under the value it saw first.
//! Any write those rows missed committed after the marker was read, so its new value was
//! written later still, and differs from the one kept. Values are random rather than counted:
//! two processes that write at once cannot both write back the value a reader holds.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// The marker of one database file.
#[derive(Debug)]
pub(crate) struct ChangeMarker {
    file: File,
}

impl ChangeMarker {
    /// The marker beside `database` (`FILE-rungs-changes`), created if missing. `None` when it
    /// cannot be opened for reading and writing: a store without a marker keeps nothing in
    /// memory.
    pub(crate) fn open(database: &Path) -> Option<ChangeMarker> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(marker_path(database))
            .ok()?;
        let marker = ChangeMarker { file };
        // A new marker holds no value yet: give it one, so that every read finds eight bytes.
        if marker.read().is_none() {
            marker.write();
        }
        Some(marker)
    }

    /// The value now, or `None` when it cannot be read (then nothing kept may be trusted).
    pub(crate) fn read(&self) -> Option<u64> {
        let mut bytes = [0_u8; 8];
        self.file.read_exact_at(&mut bytes, 0).ok()?;
        Some(u64::from_le_bytes(bytes))
    }

    /// Writes a fresh value: call after every write commits. A marker that cannot be written
    /// leaves other processes' kept reads stale until they expire (see
    /// `crate::remembered::REMEMBER_FOR`); the write itself has committed, so it does not fail
    /// for that.
    pub(crate) fn write(&self) {
        let _ignored = self.file.write_all_at(&fresh_value().to_le_bytes(), 0);
    }
}

fn marker_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-rungs-changes");
    PathBuf::from(name)
}

/// 64 random bits; should the system have no randomness, the time and process make a value no
/// earlier write of this marker had.
fn fresh_value() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        // Truncating keeps the fast-moving low bits, which is all that is needed.
        (nanos as u64) ^ (u64::from(std::process::id()) << 40)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_write_gives_a_new_value_that_other_handles_see() {
        let folder = std::env::temp_dir().join(format!("rungs-marker-{}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("a temporary folder");
        let database = folder.join("marker.db");
        let here = ChangeMarker::open(&database).expect("a marker");
        let elsewhere = ChangeMarker::open(&database).expect("the same marker");
        let first = here.read().expect("a value");
        assert_eq!(elsewhere.read(), Some(first), "opening again keeps the value");
        here.write();
        let second = elsewhere.read().expect("a value");
        assert_ne!(second, first);
        elsewhere.write();
        assert_ne!(here.read(), Some(second));
        std::fs::remove_dir_all(&folder).expect("clean up");
    }
}

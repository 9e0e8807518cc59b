//! Remembered reads: rows a SQLite store answers from memory while its change marker still
//! holds the value it held before they were read, and for at most [`REMEMBER_FOR`].
//!
//! Only reads asked for through `Storage::fetch_remembered` are kept: the session and API token
//! reads, which every signed-in request makes with the same parameters.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;

use crate::sql::{Query, Row};

/// How long rows are kept at most, even when the marker did not change: the bound on staleness
/// should a process commit a write and stop before it writes the marker.
pub(crate) const REMEMBER_FOR: Duration = Duration::from_secs(1);

/// Reads kept at most; when full, everything is dropped and read again as asked.
const MOST_KEPT: usize = 4096;

#[derive(Debug)]
struct Kept {
    marker: u64,
    read_at: Instant,
    rows: Vec<Row>,
}

/// The rows kept, by the read that returned them.
#[derive(Debug, Default)]
pub(crate) struct RememberedReads {
    kept: Mutex<FxHashMap<Query, Kept>>,
}

impl RememberedReads {
    /// The rows of `query` read while the marker was `marker`, when still fresh.
    pub(crate) fn get(&self, query: &Query, marker: u64) -> Option<Vec<Row>> {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        kept.get(query)
            .filter(|kept| kept.marker == marker && kept.read_at.elapsed() < REMEMBER_FOR)
            .map(|kept| kept.rows.clone())
    }

    /// Keeps `rows`, read after the marker was seen to be `marker`.
    pub(crate) fn keep(&self, query: Query, marker: u64, rows: Vec<Row>) {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() >= MOST_KEPT {
            kept.clear();
        }
        kept.insert(query, Kept { marker, read_at: Instant::now(), rows });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::Value;

    fn session_read(hash: &str) -> Query {
        Query::new("SELECT 1 FROM sessions WHERE token_hash = $1", vec![Value::text(hash)])
    }

    #[test]
    fn rows_are_kept_per_read_and_only_under_the_marker_they_were_read_at() {
        let remembered = RememberedReads::default();
        let rows = vec![Row(vec![Value::integer(1)])];
        remembered.keep(session_read("one"), 7, rows.clone());
        assert_eq!(remembered.get(&session_read("one"), 7), Some(rows));
        assert_eq!(remembered.get(&session_read("one"), 8), None, "a write since");
        assert_eq!(remembered.get(&session_read("two"), 7), None, "another session");
    }

    #[test]
    fn a_full_memory_starts_again() {
        let remembered = RememberedReads::default();
        for index in 0..=MOST_KEPT {
            remembered.keep(session_read(&index.to_string()), 1, Vec::new());
        }
        assert_eq!(remembered.get(&session_read("0"), 1), None);
        assert_eq!(remembered.get(&session_read(&MOST_KEPT.to_string()), 1), Some(Vec::new()));
    }
}

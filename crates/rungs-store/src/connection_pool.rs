//! The SQLite store's open connections: reused rather than opened per request, and never more
//! than [`MAX_CONNECTIONS`].
//!
//! Invariant: work takes one of [`MAX_CONNECTIONS`] permits before it takes a connection and
//! holds it until the connection is back, so a connection is always idle or free to open, and
//! nothing ever waits for one but for a permit. A connection whose work failed, or that is left
//! inside a transaction, is closed rather than given back.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::Connection;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::StoreError;
use crate::sqlite_file::open_connection;

/// Connections open at most. Work beyond this waits for a permit: opening a connection costs
/// far more than a query, so a busy server must reuse them, not churn them.
pub(crate) const MAX_CONNECTIONS: usize = 16;

#[derive(Debug)]
pub(crate) struct ConnectionPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
}

impl ConnectionPool {
    pub(crate) fn new(path: PathBuf) -> ConnectionPool {
        ConnectionPool {
            path,
            idle: Mutex::new(Vec::with_capacity(MAX_CONNECTIONS)),
            permits: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
        }
    }

    /// The database file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// A permit, waiting for one: before work that goes to the blocking thread pool, so that a
    /// busy server parks requests, not threads.
    pub(crate) async fn permit(&self) -> Result<OwnedSemaphorePermit, StoreError> {
        Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|error| StoreError::Task(error.to_string()))
    }

    /// A permit if one is free now.
    pub(crate) fn permit_now(&self) -> Option<OwnedSemaphorePermit> {
        Arc::clone(&self.permits).try_acquire_owned().ok()
    }

    /// Runs `work` on this thread with an idle connection, or a new one; the caller holds a
    /// permit. The connection goes back afterwards unless the work failed or left a
    /// transaction open, since it may then be in any state.
    pub(crate) fn run<T>(
        &self,
        _permit: &OwnedSemaphorePermit,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let mut connection = match idle {
            Some(connection) => connection,
            None => open_connection(&self.path)?,
        };
        let result = work(&mut connection);
        if result.is_ok() && connection.is_autocommit() {
            self.idle.lock().unwrap_or_else(PoisonError::into_inner).push(connection);
        }
        result
    }

    /// Connections open and idle now.
    #[cfg(test)]
    pub(crate) fn idle(&self) -> usize {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;

    #[tokio::test]
    async fn connections_are_reused_and_a_failed_one_is_closed() {
        let folder = std::env::temp_dir().join(format!("rungs-pool-{}", std::process::id()));
        let _ignored = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let pool = ConnectionPool::new(folder.join("pool.db"));
        let permits: Vec<_> = (0..MAX_CONNECTIONS).map(|_| pool.permit_now().unwrap()).collect();
        assert!(pool.permit_now().is_none(), "no more permits than connections");
        for permit in &permits {
            pool.run(permit, |connection| Ok(connection.execute_batch("SELECT 1")?)).unwrap();
        }
        assert_eq!(pool.idle(), 1, "one connection served every turn");
        let failed: Result<(), StoreError> = pool.run(&permits[0], |connection| {
            Ok(connection.execute_batch("SELECT * FROM no_such_table")?)
        });
        assert!(failed.is_err());
        assert_eq!(pool.idle(), 0, "the failed connection is closed");
        pool.run(&permits[0], |connection| Ok(connection.execute_batch("BEGIN")?)).unwrap();
        assert_eq!(pool.idle(), 0, "one left inside a transaction is closed");
        drop(permits);
        assert!(pool.permit_now().is_some());
        std::fs::remove_dir_all(&folder).unwrap();
    }
}

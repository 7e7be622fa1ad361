//! A small pool of read-only SQLite connections.
//!
//! A `rusqlite::Connection` is `Send` but not `Sync`, so each query takes one connection out
//! of the pool, runs on tokio's blocking threads, and puts it back. A semaphore bounds the
//! queries in flight to the pool size; connections are opened lazily up to that size.

use crate::ApiError;
use dyad_store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Read-only connections to one database.
pub struct StorePool {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
    permits: Arc<Semaphore>,
}

impl std::fmt::Debug for StorePool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StorePool")
            .field("path", &self.path)
            .field("available", &self.permits.available_permits())
            .finish()
    }
}

impl StorePool {
    /// Opens one connection now (so a missing or too-old database fails at start-up) and up
    /// to `size` (at least 1) on demand.
    pub fn open(path: &Path, size: usize) -> Result<StorePool, StoreError> {
        let first = Store::open_read_only(path)?;
        Ok(StorePool {
            path: path.to_path_buf(),
            idle: Mutex::new(vec![first]),
            permits: Arc::new(Semaphore::new(size.max(1))),
        })
    }

    /// The database path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` with a connection on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let store = match pool.take() {
                Some(store) => store,
                None => Store::open_read_only(&pool.path)?,
            };
            let out = f(&store);
            pool.give_back(store);
            out
        })
        .await
        .map_err(ApiError::internal)?
    }

    fn take(&self) -> Option<Store> {
        // A poisoned lock only means another query panicked; the Vec itself is intact.
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop()
    }

    fn give_back(&self, store: Store) {
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(store);
    }
}

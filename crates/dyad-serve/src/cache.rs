//! A response cache for the read-only JSON routes.
//!
//! Most questions over 100,000 events take SQLite a few milliseconds, some aggregates (the
//! actor network, broad actor filters) tens, and a dashboard asks the same few questions
//! again and again; between two ingests the answers cannot change.
//! So successful `GET /api/...` answers are kept, keyed by path and query string, and
//! stamped with the database version: the size and modification time of the database file
//! and of its write-ahead log. Any write (an ingest, here or from `dyad ingest`) changes the
//! stamp and empties the cache. The cache is bounded in bytes and drops the least recently
//! used answers first.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// Answers larger than this are not kept.
const MAX_ENTRY_BYTES: usize = 2 << 20;

type Stamp = [(u64, Option<SystemTime>); 2];

/// Kept answers, bounded in bytes.
pub(crate) struct ResponseCache {
    db: PathBuf,
    wal: PathBuf,
    max_bytes: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    stamp: Option<Stamp>,
    entries: HashMap<String, (Bytes, u64)>,
    bytes: usize,
    clock: u64,
}

fn file_stamp(path: &Path) -> (u64, Option<SystemTime>) {
    match std::fs::metadata(path) {
        Ok(m) => (m.len(), m.modified().ok()),
        Err(_) => (0, None),
    }
}

impl ResponseCache {
    /// A cache for the database at `db` holding at most `max_bytes` of answers (0 disables it).
    pub(crate) fn new(db: &Path, max_bytes: usize) -> Self {
        let mut wal = db.as_os_str().to_owned();
        wal.push("-wal");
        ResponseCache {
            db: db.to_path_buf(),
            wal: PathBuf::from(wal),
            max_bytes,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn stamp(&self) -> Stamp {
        [file_stamp(&self.db), file_stamp(&self.wal)]
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A poisoned lock only means a panic elsewhere; the map is still consistent.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, key: &str, stamp: Stamp) -> Option<Bytes> {
        let mut inner = self.lock();
        if inner.stamp != Some(stamp) {
            inner.entries.clear();
            inner.bytes = 0;
            inner.stamp = Some(stamp);
            return None;
        }
        inner.clock += 1;
        let now = inner.clock;
        let (bytes, used) = inner.entries.get_mut(key)?;
        *used = now;
        Some(bytes.clone())
    }

    fn put(&self, key: String, stamp: Stamp, bytes: Bytes) {
        if bytes.len() > MAX_ENTRY_BYTES || bytes.len() > self.max_bytes {
            return;
        }
        let mut inner = self.lock();
        if inner.stamp != Some(stamp) {
            return;
        }
        while inner.bytes + bytes.len() > self.max_bytes {
            let oldest = inner
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone());
            match oldest.and_then(|k| inner.entries.remove(&k)) {
                Some((gone, _)) => inner.bytes -= gone.len(),
                None => break,
            }
        }
        inner.clock += 1;
        let now = inner.clock;
        inner.bytes += bytes.len();
        if let Some((old, _)) = inner.entries.insert(key, (bytes, now)) {
            inner.bytes -= old.len();
        }
    }
}

/// The middleware: answers cached `GET /api/...` requests, keeps successful JSON answers.
pub(crate) async fn cached(
    State(cache): State<std::sync::Arc<ResponseCache>>,
    request: Request,
    next: Next,
) -> Response {
    let cacheable = cache.max_bytes > 0
        && request.method() == Method::GET
        && request.uri().path().starts_with("/api/");
    if !cacheable {
        return next.run(request).await;
    }
    let key = request.uri().to_string();
    let stamp = cache.stamp();
    if let Some(bytes) = cache.get(&key, stamp) {
        return (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (
                    header::HeaderName::from_static("x-dyad-cache"),
                    HeaderValue::from_static("hit"),
                ),
            ],
            bytes,
        )
            .into_response();
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_ENTRY_BYTES).await {
        Ok(bytes) => {
            cache.put(key, stamp, bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => crate::ApiError::internal(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used_and_clears_on_a_new_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        std::fs::write(&db, b"one").unwrap();
        let cache = ResponseCache::new(&db, 10);
        let stamp = cache.stamp();
        assert!(cache.get("a", stamp).is_none());
        cache.put("a".into(), stamp, Bytes::from_static(b"aaaa"));
        cache.put("b".into(), stamp, Bytes::from_static(b"bbbb"));
        assert!(cache.get("a", stamp).is_some()); // a is now the most recent
        cache.put("c".into(), stamp, Bytes::from_static(b"cccc"));
        assert!(
            cache.get("b", stamp).is_none(),
            "b was the least recently used"
        );
        assert!(cache.get("a", stamp).is_some() && cache.get("c", stamp).is_some());
        cache.put("huge".into(), stamp, Bytes::from(vec![0u8; 11]));
        assert!(cache.get("huge", stamp).is_none());
        std::fs::write(&db, b"two, longer").unwrap();
        let new_stamp = cache.stamp();
        assert_ne!(stamp, new_stamp);
        assert!(
            cache.get("a", new_stamp).is_none(),
            "a write empties the cache"
        );
    }
}

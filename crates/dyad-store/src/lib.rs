//! dyad's event store: SQLite with documents, their layers, canonical events and every mention.
//!
//! Reads: coded [`dyad_document::Document`]s. Writes: one SQLite database (WAL mode, schema
//! versioned with migrations in [`schema`]; older databases migrate when opened read-write)
//! holding
//! - `documents`: text, metadata, the layers of the JSON contract in a compact binary encoding
//!   without any copy of the text and without what one layer already says of another (by
//!   column, zstd with a dictionary the database trains on its own documents and keeps in
//!   `layer_dictionaries`), a SimHash for near-duplicate detection;
//! - `events`: canonical events, each counted across the articles that report it (GDELT's
//!   NumMentions / NumSources / NumArticles), merged when actors, root code, place and negation
//!   agree within [`MERGE_WINDOW_DAYS`] days; days are day numbers (read back as
//!   `YYYY-MM-DD`), modality and PLOVER type and mode ids into `labels`;
//! - `mentions`: every event mention linked to its document, sentence and the spans of its
//!   actors and evidence (offsets, not copies), with full-text search over the sentences
//!   that carry events (FTS5, contentless);
//! - `actors` and `places`: each actor (merge key and name) and each gazetteer place once;
//!   events refer to them by id;
//! - `event_days` (events per day, CAMEO root and QuadClass) and `actor_pairs` (events per
//!   source, target and QuadClass): what time series, totals, the actor network and the top
//!   actors are answered from without scanning the events (kept up to date on every insert);
//! - `dead_letters`: inputs that could not be read or coded.
//!
//! Every filter of [`EventQuery`] is answered from an index or from those counts; an actor
//! filter's totals and time series are counted in covering indexes without reading an event
//! ([`Store::query_plan`] shows how; `examples/query_plans.rs` times them all). Exports write
//! GDELT 2.0 (FIPS 10-4 country codes, [`fips_country_code`]), PLOVER JSON, CSV and Parquet.
//!
//! A document whose stored layers cannot be read back (a damaged blob, a missing dictionary)
//! is a [`StoreError::Layers`] naming the document, never a panic.
//!
//! Invariants: a document is stored at most once (its id is the content hash); a batch is
//! written in one transaction, so a crash loses at most the batch in flight and re-running
//! stores it again without doubling anything; near-duplicates (SimHash within 3 bits) are
//! linked to the first copy and not coded again.
//!
//! ```
//! use dyad_store::{Store, EventQuery};
//! let store = Store::open_in_memory().unwrap();
//! assert_eq!(store.count(&EventQuery::default()).unwrap(), 0);
//! ```
#![deny(missing_docs)]

pub mod aggregate;
mod days;
mod export;
mod layers;
#[cfg(feature = "parquet")]
mod parquet_export;
mod query;
pub mod schema;
pub mod simhash;
mod store;

pub use export::{ExportFormat, fips_country_code};
pub use query::{CountBy, EventQuery, EventRow, MentionRow};
pub use store::{BatchSummary, MERGE_WINDOW_DAYS, Novelty, Store};

/// A stored dead letter.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeadLetterRow {
    /// Input path.
    pub path: String,
    /// Position inside the input ('' for the whole input).
    pub position: String,
    /// Why it failed, last time.
    pub reason: String,
    /// How many times it failed.
    pub attempts: i64,
    /// When it first failed (UTC).
    pub first_seen: String,
    /// When it last failed (UTC).
    pub last_seen: String,
}

/// Totals in a store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct StoreStats {
    /// Documents stored (near-duplicates included).
    pub documents: u64,
    /// Of which near-duplicates.
    pub near_duplicates: u64,
    /// Canonical events.
    pub events: u64,
    /// Event mentions.
    pub mentions: u64,
    /// Dead letters.
    pub dead_letters: u64,
}

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened.
    #[error("cannot open the database {path}: {source}")]
    Open {
        /// Path of the database.
        path: String,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// The database does not exist (read-only open).
    #[error("no database at {path}: run `dyad ingest` first, or pass --db")]
    Missing {
        /// Path of the database.
        path: String,
    },
    /// The database was written by a newer dyad.
    #[error(
        "the database has schema version {found}, newer than this dyad supports ({supported}); upgrade dyad"
    )]
    NewerSchema {
        /// Version in the file.
        found: i64,
        /// Version this build writes.
        supported: i64,
    },
    /// The database needs a migration that a read-only open cannot do.
    #[error(
        "the database {path} has schema version {found}; open it once with `dyad ingest` to migrate it"
    )]
    NeedsMigration {
        /// Path of the database.
        path: String,
        /// Version in the file.
        found: i64,
    },
    /// A document's stored layers could not be read back.
    #[error("the stored layers of document {document} cannot be read: {reason}")]
    Layers {
        /// Document id.
        document: String,
        /// What is wrong.
        reason: String,
    },
    /// zstd refused a layer dictionary (`layer_dictionaries`).
    #[error("the layer dictionary {dictionary} cannot be used: {reason}")]
    Dictionary {
        /// Its id.
        dictionary: u32,
        /// zstd's reason.
        reason: String,
    },
    /// An SQLite error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Writing an export failed.
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    /// Writing CSV failed.
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    /// Writing JSON failed.
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing Parquet failed.
    #[cfg(feature = "parquet")]
    #[error("writing Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    /// A format needs a cargo feature this build lacks.
    #[error(
        "this build of dyad lacks the `{feature}` feature; rebuild with `--features {feature}`"
    )]
    FeatureMissing {
        /// The feature.
        feature: &'static str,
    },
}

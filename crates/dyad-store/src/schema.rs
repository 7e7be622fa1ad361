//! The database schema and its migrations.
//!
//! `PRAGMA user_version` holds the schema version. Each migration moves the schema one version
//! up inside a transaction; opening a database runs the missing ones. Old databases are kept
//! readable: a migration never drops user data.

use crate::StoreError;
use rusqlite::Connection;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 1;

const MIGRATIONS: &[&str] = &[
    // 1: documents, canonical events, mentions, dead letters, full-text search over evidence.
    r#"
    CREATE TABLE documents (
        id            TEXT PRIMARY KEY,          -- content hash (sha256:...)
        external_id   TEXT,
        source        TEXT,
        url           TEXT,
        title         TEXT,
        published     TEXT,                      -- YYYY-MM-DD
        language      TEXT,
        origin        TEXT NOT NULL,
        text          TEXT NOT NULL,
        layers        BLOB NOT NULL,             -- the JSON contract without the text copies, deflated (layers.rs)
        simhash       INTEGER NOT NULL,          -- 64-bit SimHash of word shingles
        duplicate_of  TEXT REFERENCES documents(id),
        ingested_at   TEXT NOT NULL,
        seq           INTEGER NOT NULL           -- ingest order
    );
    CREATE INDEX documents_published ON documents(published);
    CREATE INDEX documents_source ON documents(source);
    CREATE TABLE simhash_bands (
        band      INTEGER NOT NULL,              -- 0..3: which 16-bit band of the SimHash
        value     INTEGER NOT NULL,
        document  TEXT NOT NULL REFERENCES documents(id),
        PRIMARY KEY (band, value, document)
    ) WITHOUT ROWID;
    CREATE TABLE events (
        id              INTEGER PRIMARY KEY,
        day             TEXT NOT NULL,           -- YYYY-MM-DD, the event date
        source_key      TEXT NOT NULL,           -- code, or ~name when the actor has no code (merge key)
        target_key      TEXT NOT NULL,           -- likewise, '' without a target
        source_code     TEXT NOT NULL,
        source_name     TEXT NOT NULL,
        target_code     TEXT,
        target_name     TEXT,
        cameo           TEXT NOT NULL,
        root            TEXT NOT NULL,
        plover_type     TEXT,
        plover_mode     TEXT,
        quad_class      INTEGER NOT NULL,
        goldstein       REAL NOT NULL,
        negated         INTEGER NOT NULL,
        modality        TEXT NOT NULL,
        place_name      TEXT,
        geonameid       INTEGER,
        country_code    TEXT,
        admin1          TEXT,
        lat             REAL,
        lon             REAL,
        feature         TEXT,
        place_key       TEXT NOT NULL,           -- geonameid, or country, or '' — part of the merge key
        num_mentions    INTEGER NOT NULL,
        num_sources     INTEGER NOT NULL,
        num_articles    INTEGER NOT NULL,
        confidence_sum  REAL NOT NULL,
        first_seen      TEXT NOT NULL,
        last_seen       TEXT NOT NULL
    );
    CREATE INDEX events_merge ON events(source_key, target_key, root, place_key, negated, day);
    CREATE INDEX events_source ON events(source_code);
    CREATE INDEX events_target ON events(target_code);
    CREATE INDEX events_day ON events(day);
    CREATE INDEX events_cameo ON events(cameo);
    CREATE INDEX events_country ON events(country_code);
    CREATE TABLE mentions (
        document      TEXT NOT NULL REFERENCES documents(id),
        idx           INTEGER NOT NULL,          -- index of the event in the document's events
        event         INTEGER NOT NULL REFERENCES events(id),
        sentence      INTEGER NOT NULL,
        source_text   TEXT NOT NULL,
        source_start  INTEGER NOT NULL,          -- code point offsets into the document text
        target_text   TEXT,
        target_start  INTEGER,
        evidence      TEXT NOT NULL,
        evidence_start INTEGER NOT NULL,
        evidence_end  INTEGER NOT NULL,
        confidence    REAL NOT NULL,
        outlet        TEXT,
        url           TEXT,
        seen          TEXT NOT NULL,             -- publication date of the mentioning document
        PRIMARY KEY (document, idx)
    );
    CREATE INDEX mentions_event ON mentions(event);
    CREATE VIRTUAL TABLE evidence_fts USING fts5(evidence, sentence_text, content='', tokenize='unicode61');
    CREATE TABLE dead_letters (
        path       TEXT NOT NULL,
        position   TEXT NOT NULL,               -- '' when the whole input failed
        reason     TEXT NOT NULL,
        attempts   INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen  TEXT NOT NULL,
        PRIMARY KEY (path, position)
    );
    "#,
];

/// Brings the database schema up to [`SCHEMA_VERSION`].
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        tx.commit()?;
    }
    Ok(())
}

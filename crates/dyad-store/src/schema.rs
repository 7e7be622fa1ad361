//! The database schema and its migrations.
//!
//! `PRAGMA user_version` holds the schema version. Each migration moves the schema one version
//! up inside a transaction; opening a database runs the missing ones (a new database runs them
//! all, so the upgrade path is exercised on every fresh store). Old databases are kept
//! readable: a migration never drops user data.
//!
//! Schema 2 (smaller, faster to query):
//! - `documents` gets an integer key (`seq`, its rowid) that mentions and SimHash bands refer
//!   to instead of the 39-character content hash; layers carry their codec
//!   (`layers_codec`, see the `layers` module; schema 1 blobs stay readable as codec 1);
//! - `mentions` keep spans, not copies: source, target and evidence are code point offsets
//!   into the document text, outlet and URL come from the document (WITHOUT ROWID);
//! - full-text search indexes each sentence that carries an event once (`sentence_fts`,
//!   contentless, rowid = document `seq` << 20 | sentence index) instead of one copy of the
//!   sentence per mention;
//! - `actor_names` lists every (actor key, name) pair, so an actor-name filter resolves to a
//!   few keys and an index range instead of a scan of every event;
//! - `event_days` counts events per day, CAMEO root and QuadClass, kept up to date on ingest,
//!   so time series and totals over those filters never scan the events;
//! - actor indexes hold (key, name), so an actor filter is answered from the index alone; the
//!   merge index is (source key, target key, day) — the other merge conditions are checked on
//!   the few candidate rows; the documents-by-date index (never queried) is gone.
//!
//! Schema 3 (cold queries without scans, narrower rows):
//! - `actors` (id, merge key, name) replaces `actor_names`; `places` holds each distinct
//!   gazetteer place once; an event refers to both by id instead of repeating codes, names
//!   and coordinates (its root is the first two digits of its CAMEO code);
//! - covering indexes `events_by_source` (source, day, cameo, quad_class, target, place) and
//!   `events_by_target`: an actor filter with days, codes and classes is counted, split by
//!   day and by place from the index alone; the source index also finds merge candidates;
//! - `actor_pairs` counts events (and sums Goldstein values) per source, target and
//!   QuadClass, kept up to date on insert: the actor network and the top actors without
//!   filters, or with an actor or QuadClass filter, never read the events; `place_events`
//!   does the same for events per place and country;
//! - the day, merge and country indexes are gone (days come from `event_days`, countries
//!   through `events_place`);
//! - layers are stored by column (`layers` codec 3; schema 2 rows are rewritten);
//! - databases use 1 KiB pages ([`PAGE_SIZE`]) and incremental auto-vacuum.
//!
//! Schema 4 (a smaller full-text index):
//! - `sentence_fts` keeps no token positions (`detail=none`): a search finds the sentences
//!   holding every word, which is all [`crate::EventQuery::text`] asks (each word of the query
//!   is split into its tokens, all required); marks (`M*`) are token characters, so a word
//!   in a script with vowel signs is one token;
//! - its rowids are dense (1, 2, 3 ... in ingest order; `fts_sentences` maps each to the
//!   document and sentence) instead of `seq << 20 | sentence`: the index stores rowid deltas,
//!   and small deltas take one byte instead of three or four (measured on 1,000 news
//!   articles: 559 KiB with positions and packed rowids, 195 KiB without).
//!
//! Schema 5 (smaller layers):
//! - layers are written as `layers::CODEC_ZSTD`: the events by column too (each
//!   string once per document, spans as deltas, names equal to the text they cover left out),
//!   compressed with zstd and a dictionary the database trains on its own first 200
//!   documents and keeps in `layer_dictionaries`
//!   (a blob starts with the id of its dictionary, 0 for none; the documents stored before
//!   the dictionary are compressed again with it);
//! - the migration rewrites the layers of schemas 2 to 4 that way (schema 1 rows, the JSON
//!   contract, stay as they are) and trains the dictionary when there are enough documents.
//!
//! Schema 6 (smaller layers):
//! - layers are written as `layers::CODEC_COMPACT`: what another layer already says
//!   is left out (a place on an entity's span refers to the entity, a speaker's span and name
//!   to its entity, an event date to its expression; dates are day numbers, quotes are
//!   stored by column); the migration rewrites the layers of schemas 2 to 5 that way and
//!   drops the schema 5 dictionaries, trained on another encoding;
//! - `layer_dictionaries.samples` counts the documents a dictionary was trained on: the first
//!   (32 KiB) is trained on 200 documents, and once 1,000 are stored a second one (64 KiB; 128 KiB since schema 8) on
//!   1,000, every blob compressed again with it.
//!
//! Schema 7 (narrower events):
//! - days are day numbers (days since 1970-01-01, two or three bytes instead of ten) in
//!   `events` (`day`, `first_seen`, `last_seen`), `event_days` and the actor indexes; SQL shows
//!   them as `YYYY-MM-DD` (`date(day * 86400, 'unixepoch')`, the text schemas 1 to 6 stored), and
//!   a day filter becomes the range of day numbers whose text it let through (`crate::days`);
//!   an event without a date keeps day `0000-01-01`;
//! - modality, PLOVER type and PLOVER mode are ids into `labels` (each label once);
//! - `documents.origin` is kept only for a document without URL (it is only read as the URL's
//!   stand-in; the layers keep every origin).
//!
//! Schema 8 (narrower documents, actors and mentions):
//! - `documents.id` holds a document id (`sha256:` and 32 hex digits) as its 16 bytes
//!   (`store::stored_document_id`; read back by `store::DOCUMENT_ID`), any other id as text;
//!   `ingested_at` is seconds since 1970-01-01 UTC instead of ISO 8601 text;
//! - `actors` is indexed by merge key alone (`actors_key`; a key has a few names) instead of
//!   a unique (key, name) index;
//! - `mentions.confidence` holds the bits of the coder's 32-bit float (4 bytes instead of 8,
//!   the same value).
//!
//! Measured on the first 2,000 articles of `news2017.jsonl.gz` (`dyad bench ingest`):
//! layers 2.57 MB in schema 4, 1.95 MB in schema 5, 1.57 MB in schema 6; the database 3.44 MB
//! per 1,000 articles excluding article text in schema 4, 3.13 MB in schema 5, 2.97 MB in
//! schema 6 (2.82 MB with the current events coder), 2.56 MB in schema 7 (events
//! 716 KiB → 410 KiB, each actor index 225 KiB → 167 KiB), 2.43 MB in schema 8
//! (`documents` 72 KiB smaller with 16-byte ids and integer ingest times, its id index 97 KiB →
//! 50 KiB, the actor index 131 KiB → 66 KiB, `mentions` 324 KiB → 291 KiB; layers 1.55 MB →
//! 1.44 MB with a 128 KiB dictionary at zstd level 12, the dictionary 64 KiB larger). The text in a table of its own saves nothing with 1 KiB pages: the document rows,
//! about 1 KiB of metadata and layers each, leave as much space unused in their own pages as
//! they did beside the text (measured: 5.13 MB either way, 5.01 MB with 4 KiB pages and the
//! layers in a third table, the whole file then 1.3 MB larger).

use crate::StoreError;
use rusqlite::{Connection, Transaction};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 8;

/// Page size of new (and migrated) databases. Small pages waste less space at the end of each
/// article's overflow chain (measured on 1,000 news articles: 4096-byte pages 8.42 MB, 2048
/// 7.98 MB, 1024 7.86 MB); readers map the file, so more pages cost little.
pub const PAGE_SIZE: i64 = 1024;

/// Schema 2 and 3 full-text rowids packed the document `seq` and the sentence index:
/// `seq << 20 | sentence`.
pub(crate) const SENTENCE_BITS: u32 = 20;

/// The full-text table of schema 4 (see the module documentation).
const SENTENCE_FTS_V4: &str = "CREATE VIRTUAL TABLE sentence_fts USING fts5(
        sentence, content='', columnsize=0, detail=none,
        tokenize=\"unicode61 categories 'L* N* Co M*'\");";

type RustStep = fn(&Transaction<'_>) -> Result<(), StoreError>;

const MIGRATIONS: &[(&str, Option<RustStep>)] = &[
    (
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
        None,
    ),
    (
        // 2: integer document keys, spans instead of copies, sentence full-text search, actor
        // names, daily counts, fewer indexes.
        r#"
    CREATE TABLE documents_v2 (
        seq           INTEGER PRIMARY KEY,       -- ingest order; mentions and bands refer to it
        id            TEXT NOT NULL UNIQUE,      -- content hash (sha256:...)
        external_id   TEXT,
        source        TEXT,
        url           TEXT,
        title         TEXT,
        published     TEXT,                      -- YYYY-MM-DD
        language      TEXT,
        origin        TEXT NOT NULL,             -- display form; the layers keep the parts
        simhash       INTEGER NOT NULL,          -- 64-bit SimHash of word shingles
        duplicate_of  INTEGER REFERENCES documents(seq),
        ingested_at   TEXT NOT NULL,
        layers_codec  INTEGER NOT NULL,          -- layers.rs: 1 deflated JSON, 2 deflated postcard, 3 by column
        layers        BLOB NOT NULL,             -- empty for near-duplicates
        text          TEXT NOT NULL              -- last: long values go to overflow pages
    );
    INSERT INTO documents_v2(id, external_id, source, url, title, published, language, origin,
                             simhash, duplicate_of, ingested_at, layers_codec, layers, text)
        SELECT id, external_id, source, url, title, published, language, origin, simhash, NULL,
               ingested_at, 1, layers, text
        FROM documents ORDER BY seq, rowid;
    UPDATE documents_v2 SET duplicate_of = (
            SELECT n.seq FROM documents o JOIN documents_v2 n ON n.id = o.duplicate_of
            WHERE o.id = documents_v2.id)
        WHERE id IN (SELECT id FROM documents WHERE duplicate_of IS NOT NULL);
    CREATE INDEX documents_outlet ON documents_v2(lower(source));

    CREATE TABLE simhash_bands_v2 (
        band      INTEGER NOT NULL,
        value     INTEGER NOT NULL,
        document  INTEGER NOT NULL REFERENCES documents(seq),
        PRIMARY KEY (band, value, document)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO simhash_bands_v2(band, value, document)
        SELECT b.band, b.value, n.seq FROM simhash_bands b JOIN documents_v2 n ON n.id = b.document;

    CREATE TABLE mentions_v2 (
        document       INTEGER NOT NULL REFERENCES documents(seq),
        idx            INTEGER NOT NULL,         -- index of the event in the document's events
        event          INTEGER NOT NULL REFERENCES events(id),
        sentence       INTEGER NOT NULL,
        source_start   INTEGER NOT NULL,         -- code point offsets into the document text
        source_end     INTEGER NOT NULL,
        target_start   INTEGER,
        target_end     INTEGER,
        evidence_start INTEGER NOT NULL,
        evidence_end   INTEGER NOT NULL,
        confidence     REAL NOT NULL,
        seen           TEXT,                     -- event day when the document has no date
        PRIMARY KEY (document, idx)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO mentions_v2
        SELECT n.seq, m.idx, m.event, m.sentence, m.source_start,
               m.source_start + length(m.source_text), m.target_start,
               m.target_start + length(m.target_text), m.evidence_start, m.evidence_end,
               m.confidence, CASE WHEN n.published IS m.seen THEN NULL ELSE m.seen END
        FROM mentions m JOIN documents_v2 n ON n.id = m.document;

    DROP TABLE evidence_fts;
    DROP TABLE mentions;
    DROP TABLE simhash_bands;
    DROP TABLE documents;
    ALTER TABLE documents_v2 RENAME TO documents;
    ALTER TABLE simhash_bands_v2 RENAME TO simhash_bands;
    ALTER TABLE mentions_v2 RENAME TO mentions;
    CREATE INDEX mentions_event ON mentions(event);
    CREATE VIRTUAL TABLE sentence_fts USING fts5(
        sentence, content='', columnsize=0, tokenize='unicode61');

    DROP INDEX events_merge;
    DROP INDEX events_source;
    DROP INDEX events_target;
    CREATE INDEX events_merge ON events(source_key, target_key, day);
    CREATE INDEX events_source ON events(source_key, source_name);
    CREATE INDEX events_target ON events(target_key, target_name);
    CREATE TABLE actor_names (
        key   TEXT NOT NULL,                     -- events.source_key / target_key
        name  TEXT NOT NULL,
        PRIMARY KEY (key, name)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO actor_names SELECT source_key, source_name FROM events;
    INSERT OR IGNORE INTO actor_names SELECT target_key, target_name FROM events
        WHERE target_key != '' AND target_name IS NOT NULL;
    CREATE TABLE event_days (
        day         TEXT NOT NULL,
        root        TEXT NOT NULL,
        quad_class  INTEGER NOT NULL,
        events      INTEGER NOT NULL,
        PRIMARY KEY (day, root, quad_class)
    ) WITHOUT ROWID;
    INSERT INTO event_days SELECT day, root, quad_class, COUNT(*) FROM events GROUP BY 1, 2, 3;
    "#,
        Some(index_v1_sentences),
    ),
    (
        // 3: interned actors and places, covering actor indexes, actor-pair counts.
        r#"
    CREATE TABLE actors (
        id    INTEGER PRIMARY KEY,
        key   TEXT NOT NULL,                     -- code, or ~name when the actor has none (merge key)
        name  TEXT NOT NULL,
        UNIQUE (key, name)
    );
    INSERT OR IGNORE INTO actors(key, name) SELECT key, name FROM actor_names ORDER BY key, name;
    INSERT OR IGNORE INTO actors(key, name) SELECT source_key, source_name FROM events;
    INSERT OR IGNORE INTO actors(key, name) SELECT target_key, target_name FROM events
        WHERE target_name IS NOT NULL;
    DROP TABLE actor_names;

    CREATE TABLE places (
        id            INTEGER PRIMARY KEY,
        key           TEXT NOT NULL,             -- geonameid, or country, or name (merge key)
        name          TEXT NOT NULL,
        geonameid     INTEGER,
        country_code  TEXT,
        admin1        TEXT,
        lat           REAL NOT NULL,
        lon           REAL NOT NULL,
        feature       TEXT NOT NULL
    );
    INSERT INTO places(key, name, geonameid, country_code, admin1, lat, lon, feature)
        SELECT DISTINCT place_key, place_name, geonameid, country_code, admin1, COALESCE(lat, 0),
               COALESCE(lon, 0), COALESCE(feature, '')
        FROM events WHERE place_name IS NOT NULL ORDER BY 1;
    CREATE INDEX places_key ON places(key);
    CREATE INDEX places_country ON places(country_code);

    CREATE TABLE events_v3 (
        id              INTEGER PRIMARY KEY,
        day             TEXT NOT NULL,           -- YYYY-MM-DD, the event date
        source          INTEGER NOT NULL REFERENCES actors(id),
        target          INTEGER REFERENCES actors(id), -- NULL without a target
        cameo           TEXT NOT NULL,           -- its first two digits are the root
        quad_class      INTEGER NOT NULL,
        goldstein       REAL NOT NULL,
        negated         INTEGER NOT NULL,
        modality        TEXT NOT NULL,
        plover_type     TEXT,
        plover_mode     TEXT,
        place           INTEGER REFERENCES places(id),
        num_mentions    INTEGER NOT NULL,
        num_sources     INTEGER NOT NULL,
        num_articles    INTEGER NOT NULL,
        confidence_sum  REAL NOT NULL,
        first_seen      TEXT NOT NULL,
        last_seen       TEXT NOT NULL
    );
    INSERT INTO events_v3
        SELECT e.id, e.day, s.id, t.id, e.cameo, e.quad_class, e.goldstein, e.negated, e.modality,
               e.plover_type, e.plover_mode,
               (SELECT p.id FROM places p WHERE p.key = e.place_key AND p.name = e.place_name
                  AND p.geonameid IS e.geonameid AND p.country_code IS e.country_code
                  AND p.admin1 IS e.admin1 AND p.lat = COALESCE(e.lat, 0)
                  AND p.lon = COALESCE(e.lon, 0) AND p.feature = COALESCE(e.feature, '')),
               e.num_mentions, e.num_sources, e.num_articles, e.confidence_sum, e.first_seen,
               e.last_seen
        FROM events e JOIN actors s ON s.key = e.source_key AND s.name = e.source_name
        LEFT JOIN actors t ON t.key = e.target_key AND t.name = e.target_name
        ORDER BY e.id;
    DROP TABLE events;
    ALTER TABLE events_v3 RENAME TO events;
    CREATE INDEX events_by_source ON events(source, day, cameo, quad_class, target, place);
    CREATE INDEX events_by_target ON events(target, day, cameo, quad_class, source, place);
    CREATE INDEX events_cameo ON events(cameo);
    CREATE INDEX events_place ON events(place);

    CREATE TABLE actor_pairs (
        source      INTEGER NOT NULL,            -- actors.id
        target      INTEGER NOT NULL,            -- actors.id, 0 without a target
        quad_class  INTEGER NOT NULL,
        events      INTEGER NOT NULL,
        goldstein   REAL NOT NULL,               -- sum over the events
        PRIMARY KEY (source, target, quad_class)
    ) WITHOUT ROWID;
    INSERT INTO actor_pairs
        SELECT source, COALESCE(target, 0), quad_class, COUNT(*), SUM(goldstein) FROM events
        GROUP BY 1, 2, 3;
    CREATE TABLE place_events (
        place       INTEGER NOT NULL,            -- places.id
        quad_class  INTEGER NOT NULL,
        events      INTEGER NOT NULL,
        PRIMARY KEY (place, quad_class)
    ) WITHOUT ROWID;
    INSERT INTO place_events
        SELECT place, quad_class, COUNT(*) FROM events WHERE place IS NOT NULL GROUP BY 1, 2;
    "#,
        Some(repack_binary_layers),
    ),
    (
        // 4: full-text search without positions, over dense rowids (filled by the Rust step).
        r#"
    DROP TABLE sentence_fts;
    CREATE TABLE fts_sentences (
        id        INTEGER PRIMARY KEY,           -- rowid in sentence_fts
        document  INTEGER NOT NULL,              -- documents.seq
        sentence  INTEGER NOT NULL               -- index of the sentence in the document
    );
    "#,
        Some(reindex_sentences),
    ),
    (
        // 5: layers by column with events too, zstd with a dictionary the database trains
        // (filled by the Rust step).
        r#"
    CREATE TABLE layer_dictionaries (
        id          INTEGER PRIMARY KEY,         -- the varint at the start of a codec 5 blob
        dictionary  BLOB NOT NULL                -- zstd dictionary (layers.rs)
    );
    "#,
        Some(repack_layers_v5),
    ),
    (
        // 6: compact layers (filled by the Rust step), dictionaries that know how many
        // documents they were trained on.
        r#"
    ALTER TABLE layer_dictionaries ADD COLUMN samples INTEGER NOT NULL DEFAULT 0;
    "#,
        Some(repack_layers_v6),
    ),
    (
        // 7: days as day numbers, modality and PLOVER labels interned, origins only where a
        // document has no URL.
        r#"
    CREATE TABLE labels (
        id     INTEGER PRIMARY KEY,
        label  TEXT NOT NULL UNIQUE              -- a modality, PLOVER type or PLOVER mode
    );
    INSERT OR IGNORE INTO labels(label) SELECT modality FROM events ORDER BY id;
    INSERT OR IGNORE INTO labels(label)
        SELECT plover_type FROM events WHERE plover_type IS NOT NULL ORDER BY id;
    INSERT OR IGNORE INTO labels(label)
        SELECT plover_mode FROM events WHERE plover_mode IS NOT NULL ORDER BY id;

    CREATE TABLE events_v7 (
        id              INTEGER PRIMARY KEY,
        day             INTEGER NOT NULL,        -- days since 1970-01-01, the event date
        source          INTEGER NOT NULL REFERENCES actors(id),
        target          INTEGER REFERENCES actors(id), -- NULL without a target
        cameo           TEXT NOT NULL,           -- its first two digits are the root
        quad_class      INTEGER NOT NULL,
        goldstein       REAL NOT NULL,
        negated         INTEGER NOT NULL,
        modality        INTEGER NOT NULL REFERENCES labels(id),
        plover_type     INTEGER REFERENCES labels(id),
        plover_mode     INTEGER REFERENCES labels(id),
        place           INTEGER REFERENCES places(id),
        num_mentions    INTEGER NOT NULL,
        num_sources     INTEGER NOT NULL,
        num_articles    INTEGER NOT NULL,
        confidence_sum  REAL NOT NULL,
        first_seen      INTEGER NOT NULL,        -- days since 1970-01-01
        last_seen       INTEGER NOT NULL
    );
    INSERT INTO events_v7
        SELECT e.id, COALESCE(CAST(julianday(e.day) - 2440587.5 AS INTEGER), -719528), e.source,
               e.target, e.cameo, e.quad_class, e.goldstein, e.negated,
               (SELECT l.id FROM labels l WHERE l.label = e.modality),
               (SELECT l.id FROM labels l WHERE l.label = e.plover_type),
               (SELECT l.id FROM labels l WHERE l.label = e.plover_mode),
               e.place, e.num_mentions, e.num_sources, e.num_articles, e.confidence_sum,
               COALESCE(CAST(julianday(e.first_seen) - 2440587.5 AS INTEGER), -719528),
               COALESCE(CAST(julianday(e.last_seen) - 2440587.5 AS INTEGER), -719528)
        FROM events e ORDER BY e.id;
    DROP TABLE events;
    ALTER TABLE events_v7 RENAME TO events;
    CREATE INDEX events_by_source ON events(source, day, cameo, quad_class, target, place);
    CREATE INDEX events_by_target ON events(target, day, cameo, quad_class, source, place);
    CREATE INDEX events_cameo ON events(cameo);
    CREATE INDEX events_place ON events(place);

    CREATE TABLE event_days_v7 (
        day         INTEGER NOT NULL,            -- days since 1970-01-01
        root        TEXT NOT NULL,
        quad_class  INTEGER NOT NULL,
        events      INTEGER NOT NULL,
        PRIMARY KEY (day, root, quad_class)
    ) WITHOUT ROWID;
    INSERT INTO event_days_v7
        SELECT COALESCE(CAST(julianday(day) - 2440587.5 AS INTEGER), -719528), root, quad_class,
               SUM(events)
        FROM event_days GROUP BY 1, 2, 3;
    DROP TABLE event_days;
    ALTER TABLE event_days_v7 RENAME TO event_days;

    UPDATE documents SET origin = '' WHERE url IS NOT NULL;
    "#,
        None,
    ),
    (
        // 8: document ids as 16 bytes, ingest times as seconds, actors indexed by key alone,
        // mention confidences as 32-bit float bits (the Rust step).
        r#"
    CREATE TABLE documents_v8 (
        seq           INTEGER PRIMARY KEY,       -- ingest order; mentions and bands refer to it
        id            BLOB NOT NULL UNIQUE,      -- content hash: the 16 bytes of sha256:<32 hex>
        external_id   TEXT,
        source        TEXT,
        url           TEXT,
        title         TEXT,
        published     TEXT,                      -- YYYY-MM-DD
        language      TEXT,
        origin        TEXT NOT NULL,             -- display form, only without URL
        simhash       INTEGER NOT NULL,          -- 64-bit SimHash of word shingles
        duplicate_of  INTEGER REFERENCES documents(seq),
        ingested_at   INTEGER NOT NULL,          -- seconds since 1970-01-01 UTC
        layers_codec  INTEGER NOT NULL,          -- layers.rs
        layers        BLOB NOT NULL,             -- empty for near-duplicates
        text          TEXT NOT NULL              -- last: long values go to overflow pages
    );
    INSERT INTO documents_v8
        SELECT seq,
               CASE WHEN length(id) = 39 AND substr(id, 1, 7) = 'sha256:'
                         AND substr(id, 8) NOT GLOB '*[^0-9a-f]*'
                    THEN unhex(substr(id, 8)) ELSE id END,
               external_id, source, url, title, published, language, origin, simhash,
               duplicate_of, COALESCE(CAST(unixepoch(ingested_at) AS INTEGER), 0), layers_codec,
               layers, text
        FROM documents ORDER BY seq;
    DROP TABLE documents;
    ALTER TABLE documents_v8 RENAME TO documents;
    CREATE INDEX documents_outlet ON documents(lower(source));

    CREATE TABLE actors_v8 (
        id    INTEGER PRIMARY KEY,
        key   TEXT NOT NULL,                     -- code, or ~name when the actor has none (merge key)
        name  TEXT NOT NULL                      -- one row per (key, name)
    );
    INSERT INTO actors_v8 SELECT id, key, name FROM actors ORDER BY id;
    DROP TABLE actors;
    ALTER TABLE actors_v8 RENAME TO actors;
    CREATE INDEX actors_key ON actors(key);

    CREATE TABLE mentions_v8 (
        document       INTEGER NOT NULL REFERENCES documents(seq),
        idx            INTEGER NOT NULL,         -- index of the event in the document's events
        event          INTEGER NOT NULL REFERENCES events(id),
        sentence       INTEGER NOT NULL,
        source_start   INTEGER NOT NULL,         -- code point offsets into the document text
        source_end     INTEGER NOT NULL,
        target_start   INTEGER,
        target_end     INTEGER,
        evidence_start INTEGER NOT NULL,
        evidence_end   INTEGER NOT NULL,
        confidence     INTEGER NOT NULL,         -- bits of the 32-bit float (store.rs)
        seen           TEXT,                     -- event day when the document has no date
        PRIMARY KEY (document, idx)
    ) WITHOUT ROWID;
    "#,
        Some(confidence_bits_v8),
    ),
];

/// Copies the mentions into the schema 8 table, each confidence (a real number: the `f32` the
/// coder gave, widened) as the bits of that `f32` (`store::stored_confidence`).
fn confidence_bits_v8(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let confidences: Vec<f64> = tx
        .prepare("SELECT DISTINCT confidence FROM mentions")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    tx.execute_batch(
        "CREATE TEMP TABLE confidence_bits (confidence REAL PRIMARY KEY, bits INTEGER NOT NULL);",
    )?;
    let mut insert = tx.prepare("INSERT OR IGNORE INTO confidence_bits VALUES (?1, ?2)")?;
    for confidence in confidences {
        insert.execute(rusqlite::params![
            confidence,
            crate::store::stored_confidence(confidence as f32)
        ])?;
    }
    drop(insert);
    tx.execute_batch(
        "INSERT INTO mentions_v8
             SELECT m.document, m.idx, m.event, m.sentence, m.source_start, m.source_end,
                    m.target_start, m.target_end, m.evidence_start, m.evidence_end,
                    (SELECT c.bits FROM confidence_bits c WHERE c.confidence = m.confidence),
                    m.seen
             FROM mentions m ORDER BY m.document, m.idx;
         DROP TABLE confidence_bits;
         DROP TABLE mentions;
         ALTER TABLE mentions_v8 RENAME TO mentions;
         CREATE INDEX mentions_event ON mentions(event);",
    )?;
    Ok(())
}

/// Rewrites the typed layers of schemas 2 to 4 as [`crate::layers::Packer`] writes them (the
/// document they decode to is the same). Schema 1 rows (the JSON contract) stay as they are.
fn repack_layers_v5(tx: &Transaction<'_>) -> Result<(), StoreError> {
    use crate::layers::{CODEC_BINARY, CODEC_COLUMNS, CODEC_READINGS, CODEC_ZSTD};
    let seqs: Vec<i64> = tx
        .prepare(
            "SELECT seq FROM documents WHERE layers_codec IN (?1, ?2, ?3) AND length(layers) > 0
             ORDER BY seq",
        )?
        .query_map([CODEC_BINARY, CODEC_COLUMNS, CODEC_READINGS], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut read =
        tx.prepare("SELECT id, layers_codec, layers, text FROM documents WHERE seq = ?1")?;
    let mut update =
        tx.prepare("UPDATE documents SET layers_codec = ?1, layers = ?2 WHERE seq = ?3")?;
    let mut packer = crate::layers::Packer::new(0, &[])?;
    let none = |_: u32| Ok(None);
    for seq in seqs {
        let (id, codec, layers, text) = read.query_row([seq], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        // Layers that do not decode stay as they are (reading them reports the error).
        let Ok(doc) = crate::layers::unpack(codec, &id, &layers, text, Default::default(), &none)
        else {
            continue;
        };
        let (codec, packed) = packer.pack(&doc)?;
        update.execute(rusqlite::params![codec, packed, seq])?;
    }
    // Near-duplicates keep no layers: their codec is the current one.
    tx.execute(
        "UPDATE documents SET layers_codec = ?1 WHERE length(layers) = 0",
        [CODEC_ZSTD],
    )?;
    // The dictionary is trained by the schema 6 step, on the blobs it writes.
    Ok(())
}

/// Rewrites the layers of schemas 2 to 5 as `layers::CODEC_COMPACT` (the document
/// they decode to is the same), then trains a dictionary on the new blobs: the schema 5
/// dictionaries, trained on another encoding, are dropped once no blob refers to them.
fn repack_layers_v6(tx: &Transaction<'_>) -> Result<(), StoreError> {
    use crate::layers::{CODEC_BINARY, CODEC_COLUMNS, CODEC_COMPACT, CODEC_READINGS, CODEC_ZSTD};
    let rows: Vec<(i64, i64)> = tx
        .prepare(
            "SELECT seq, layers_codec FROM documents
             WHERE layers_codec IN (?1, ?2, ?3, ?4) AND length(layers) > 0 ORDER BY seq",
        )?
        .query_map(
            [CODEC_BINARY, CODEC_COLUMNS, CODEC_READINGS, CODEC_ZSTD],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .collect::<Result<_, _>>()?;
    let mut read = tx.prepare("SELECT id, layers, text FROM documents WHERE seq = ?1")?;
    let mut update =
        tx.prepare("UPDATE documents SET layers_codec = ?1, layers = ?2 WHERE seq = ?3")?;
    let mut packer = crate::layers::Packer::new(0, &[])?;
    let dictionaries = |id: u32| crate::store::dictionary(tx, id);
    let mut kept_old_dictionary = false;
    for (seq, codec) in rows {
        let (id, layers, text) = read.query_row([seq], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        // Layers that do not decode stay as they are (reading them reports the error).
        let Ok(doc) =
            crate::layers::unpack(codec, &id, &layers, text, Default::default(), &dictionaries)
        else {
            kept_old_dictionary |= codec == CODEC_ZSTD;
            continue;
        };
        // (A blob packed here uses no dictionary, whatever its codec.)
        let (codec, packed) = packer.pack(&doc)?;
        update.execute(rusqlite::params![codec, packed, seq])?;
    }
    tx.execute(
        "UPDATE documents SET layers_codec = ?1 WHERE length(layers) = 0",
        [CODEC_COMPACT],
    )?;
    if !kept_old_dictionary {
        tx.execute("DELETE FROM layer_dictionaries", [])?;
    }
    crate::store::train_layer_dictionary(tx)
}

/// Rebuilds `sentence_fts` in the schema 4 form from the sentences that carry events (a
/// contentless index cannot be read back): their texts come from each document's layers.
fn reindex_sentences(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(SENTENCE_FTS_V4)?;
    let mut documents = tx.prepare(
        "SELECT m.document, d.id, d.layers_codec, d.layers, d.text, group_concat(DISTINCT m.sentence)
         FROM mentions m JOIN documents d ON d.seq = m.document
         GROUP BY m.document ORDER BY m.document",
    )?;
    let rows = documents.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, Vec<u8>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    for row in rows {
        let (seq, id, codec, layers, text, indices) = row?;
        let mut indices: Vec<u32> = indices.split(',').filter_map(|i| i.parse().ok()).collect();
        indices.sort_unstable();
        // Layers that do not decode leave their sentences out of the index (reading the
        // document reports the error), as schema 2 did.
        // Schema 4 has no layer dictionaries.
        let none = |_: u32| Ok(None);
        let Ok(sentences) = crate::layers::sentence_texts(codec, &id, &layers, &text, &none) else {
            continue;
        };
        for index in indices {
            if let Some(sentence) = sentences.get(index as usize) {
                crate::store::index_sentence_text(tx, seq, index, sentence)?;
            }
        }
    }
    Ok(())
}

/// Fills `sentence_fts` from the sentences of schema 1 documents that carry events (schema 1
/// indexed them per mention in a contentless table, which cannot be read back).
fn index_v1_sentences(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let mut sentences = tx.prepare(
        "SELECT m.document, d.layers, group_concat(DISTINCT m.sentence) FROM mentions m
         JOIN documents d ON d.seq = m.document WHERE d.layers_codec = 1 GROUP BY m.document",
    )?;
    let mut insert = tx.prepare(
        "INSERT INTO sentence_fts(rowid, sentence)
         SELECT ?1, substr(text, ?2 + 1, ?3) FROM documents WHERE seq = ?4",
    )?;
    let rows = sentences.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Vec<u8>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (seq, layers, indices) = row?;
        let ranges = crate::layers::v1_sentences(&layers)?;
        for index in indices.split(',').filter_map(|i| i.parse::<usize>().ok()) {
            if let Some((start, end)) = ranges.get(index)
                && index < 1 << SENTENCE_BITS
            {
                insert.execute(rusqlite::params![
                    (seq << SENTENCE_BITS) | index as i64,
                    *start as i64,
                    end.saturating_sub(*start) as i64,
                    seq
                ])?;
            }
        }
    }
    Ok(())
}

/// Rewrites schema 2 layers ([`crate::layers::CODEC_BINARY`]) in the smaller column codec of
/// schema 3 (the document they decode to is the same).
fn repack_binary_layers(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let seqs: Vec<i64> = tx
        .prepare("SELECT seq FROM documents WHERE layers_codec = ?1 AND length(layers) > 0")?
        .query_map([crate::layers::CODEC_BINARY], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut read = tx.prepare("SELECT id, layers, text FROM documents WHERE seq = ?1")?;
    let mut update =
        tx.prepare("UPDATE documents SET layers_codec = ?1, layers = ?2 WHERE seq = ?3")?;
    for seq in seqs {
        let (id, layers, text) = read.query_row([seq], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        // Layers that do not decode stay as they are (reading them reports the error).
        let Ok(doc) = crate::layers::unpack_document(&id, &layers, text, Default::default()) else {
            continue;
        };
        let packed = crate::layers::pack_v4(&doc)?;
        update.execute(rusqlite::params![
            crate::layers::CODEC_READINGS,
            packed,
            seq
        ])?;
    }
    Ok(())
}

/// Brings the database schema up to [`SCHEMA_VERSION`].
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Brings the database schema up to `target` (tests make old databases with it).
pub(crate) fn migrate_to(conn: &mut Connection, target: i64) -> Result<(), StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    if current >= target {
        return Ok(());
    }
    // Tables are rebuilt and renamed; foreign keys are checked again at the end.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let steps = MIGRATIONS.iter().enumerate().take(target as usize);
    for (i, (sql, rust)) in steps.skip(current.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if let Some(step) = rust {
            step(&tx)?;
        }
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        tx.commit()?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if current > 0 {
        // Rebuilt tables leave free pages behind; give them back (in pages of PAGE_SIZE, which
        // only a VACUUM outside WAL mode can change), and gather the statistics the query
        // planner uses.
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        let wal = mode.eq_ignore_ascii_case("wal");
        if wal {
            conn.pragma_update(None, "journal_mode", "DELETE")?;
        }
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        conn.execute_batch("INSERT INTO sentence_fts(sentence_fts) VALUES ('optimize'); VACUUM;")?;
        refresh_planner_statistics(conn)?;
        if wal {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
    }
    Ok(())
}

/// Below this many events the query planner does better without statistics: figures gathered
/// on a small database (one article) make full scans look cheap, and a later bulk ingest into
/// it then scans instead of using the indexes, slowing down as the tables grow.
pub const PLANNER_STATISTICS_MIN_EVENTS: i64 = 5_000;

/// Gathers the query planner's statistics (`PRAGMA optimize`, a bounded sample per index)
/// once the database is big enough for them to help, and removes statistics gathered when it
/// was small.
pub fn refresh_planner_statistics(conn: &Connection) -> Result<(), rusqlite::Error> {
    let events: i64 = conn
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap_or(0);
    if events >= PLANNER_STATISTICS_MIN_EVENTS {
        conn.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")
    } else {
        let has_stats: bool = conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'sqlite_stat1'",
            [],
            |r| r.get(0),
        )?;
        if has_stats {
            conn.execute_batch("DELETE FROM sqlite_stat1;")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statistics_rows(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM sqlite_stat1", [], |r| r.get(0))
            .unwrap_or(0)
    }

    /// Statistics gathered on a tiny database would make a later bulk ingest scan its tables
    /// (quadratic): they are removed until the database is big enough.
    #[test]
    fn small_databases_keep_no_planner_statistics() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("small.db");
        let store = crate::Store::open(&path).unwrap();
        store
            .record_dead_letter("feed.xml", "line 3", "not XML")
            .unwrap();
        drop(store);
        // Statistics as a plain ANALYZE of the small database would gather them ...
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("ANALYZE;").unwrap();
        assert!(statistics_rows(&conn) > 0);
        drop(conn);
        // ... are gone once a store has written to it and closed.
        drop(crate::Store::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        assert_eq!(statistics_rows(&conn), 0);
    }
    use dyad_document::{
        Document, Entity, EntityLabel, JsonOptions, Metadata, Sentence, TextRange,
    };

    /// Schema 8 keeps each confidence as the bits of its `f32`, also one with no fractional
    /// part (an integer column would otherwise turn `1.0` into the integer 1).
    #[test]
    fn schema_8_keeps_every_mention_confidence() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 7).unwrap();
        // Mentions alone (no documents or events to refer to).
        conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
        for (idx, confidence) in [1.0f32, 0.55, 0.0].into_iter().enumerate() {
            conn.execute(
                "INSERT INTO mentions(document, idx, event, sentence, source_start, source_end,
                    evidence_start, evidence_end, confidence)
                 VALUES (1, ?1, 1, 0, 0, 1, 0, 1, ?2)",
                rusqlite::params![idx as i64, f64::from(confidence)],
            )
            .unwrap();
        }
        migrate(&mut conn).unwrap();
        let stored: Vec<f64> = conn
            .prepare("SELECT confidence FROM mentions ORDER BY idx")
            .unwrap()
            .query_map([], |r| r.get::<_, i64>(0))
            .unwrap()
            .map(|bits| crate::store::confidence_from_stored(bits.unwrap()))
            .collect();
        assert_eq!(stored, [1.0, f64::from(0.55f32), 0.0]);
    }

    /// Document ids in the form dyad makes are stored as 16 bytes and read back as they were;
    /// any other id is kept as text.
    #[test]
    fn document_ids_read_back_as_written() {
        let conn = Connection::open_in_memory().unwrap();
        for id in [
            "sha256:c6deb6b59d00394b128f52cbb2543d96",
            "sha256:C6DEB6B59D00394B128F52CBB2543D96",
            "sha256:c6de",
            "newsarticles-1",
        ] {
            let stored = crate::store::stored_document_id(id);
            let back: String = conn
                .query_row(
                    &format!(
                        "SELECT {} FROM (SELECT ?1 AS id)",
                        crate::store::DOCUMENT_ID
                    ),
                    [&stored],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(back, id);
        }
        assert!(matches!(
            crate::store::stored_document_id("sha256:c6deb6b59d00394b128f52cbb2543d96"),
            rusqlite::types::Value::Blob(b) if b.len() == 16
        ));
    }

    /// Schema 2 layers (postcard, codec 2) are rewritten by column (codec 3, then 6) and
    /// decode to the same document.
    #[test]
    fn schema_2_layers_are_repacked_by_column() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 2).unwrap();
        let text = "The Taliban met envoys in Doha. Taliban leaders said so.";
        let mut doc = Document::new(text.to_string(), Metadata::default());
        doc.sentences = vec![
            Sentence {
                range: TextRange::new(0, 31),
            },
            Sentence {
                range: TextRange::new(32, text.len()),
            },
        ];
        for (at, _) in text.match_indices("Taliban") {
            doc.entities.push(Entity {
                range: TextRange::new(at, at + 7),
                label: EntityLabel::Org,
                canonical: "Taliban".into(),
                referent: 0,
                actor: Some("AFGINSTAL".into()),
            });
        }
        conn.execute(
            "INSERT INTO documents(id, origin, simhash, ingested_at, layers_codec, layers, text)
             VALUES (?1, '', 0, '2024-01-01T00:00:00Z', 2, ?2, ?3)",
            rusqlite::params![doc.id(), crate::layers::pack_binary(&doc).unwrap(), text],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let codec: i64 = conn
            .query_row("SELECT layers_codec FROM documents", [], |r| r.get(0))
            .unwrap();
        assert_eq!(codec, crate::layers::CODEC_COMPACT);
        let store = crate::Store { conn };
        let json: serde_json::Value =
            serde_json::from_str(&store.document_json(doc.id()).unwrap().unwrap()).unwrap();
        assert_eq!(json, doc.to_json_value(JsonOptions::default()));
    }
}

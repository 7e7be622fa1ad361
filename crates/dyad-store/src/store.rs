//! Opening the database and writing documents, events and mentions.

use crate::StoreError;
use crate::schema::migrate;
use crate::simhash::{bands, is_near_duplicate, simhash};
use dyad_document::{CharIndex, Document, Event, TextRange};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::path::Path;

/// Days apart two mentions may be and still describe the same event.
pub const MERGE_WINDOW_DAYS: i64 = 1;

/// The event store: one SQLite database (WAL mode).
pub struct Store {
    pub(crate) conn: Connection,
}

impl Drop for Store {
    /// Refreshes the query planner's statistics for the next connections (a bounded sample
    /// per index, milliseconds); see [`crate::schema::refresh_planner_statistics`].
    fn drop(&mut self) {
        if !self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
            let _ = crate::schema::refresh_planner_statistics(&self.conn);
        }
    }
}

/// What [`Store::insert_batch`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Documents newly stored and coded.
    pub stored: usize,
    /// Documents already in the store (same content hash), skipped.
    pub already_present: usize,
    /// Documents stored as near-duplicates of an earlier article, not coded again.
    pub near_duplicates: usize,
    /// Event mentions stored.
    pub mentions: usize,
    /// Canonical events created.
    pub new_events: usize,
    /// Mentions merged into an existing canonical event.
    pub merged_mentions: usize,
}

impl std::ops::AddAssign for BatchSummary {
    fn add_assign(&mut self, o: Self) {
        self.stored += o.stored;
        self.already_present += o.already_present;
        self.near_duplicates += o.near_duplicates;
        self.mentions += o.mentions;
        self.new_events += o.new_events;
        self.merged_mentions += o.merged_mentions;
    }
}

/// How a document entering the store relates to what is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Novelty {
    /// Not seen before: code it.
    New,
    /// The same content is already stored.
    AlreadyPresent,
    /// A near-duplicate of this stored document: link it, do not code it again.
    NearDuplicateOf(String),
}

fn now_utc() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// `documents.id` read back as the document id (`sha256:` and 32 hex digits): schema 8 stores
/// such an id as its 16 bytes ([`stored_document_id`]), any other id as text.
pub(crate) const DOCUMENT_ID: &str =
    "CASE typeof(id) WHEN 'blob' THEN 'sha256:' || lower(hex(id)) ELSE id END";

/// [`DOCUMENT_ID`] for the documents table under alias `d`.
pub(crate) const DOCUMENT_ID_D: &str =
    "CASE typeof(d.id) WHEN 'blob' THEN 'sha256:' || lower(hex(d.id)) ELSE d.id END";

/// How `documents.id` stores a document id: the 16 bytes of `sha256:` and 32 lowercase hex
/// digits (the form [`Document::id`] makes; 16 bytes instead of 39), any other id as it is.
pub(crate) fn stored_document_id(id: &str) -> rusqlite::types::Value {
    let bytes = id.strip_prefix("sha256:").filter(|hex| {
        hex.len() == 32
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    match bytes {
        Some(hex) => rusqlite::types::Value::Blob(
            (0..16)
                .filter_map(|i| hex.get(2 * i..2 * i + 2))
                .filter_map(|pair| u8::from_str_radix(pair, 16).ok())
                .collect(),
        ),
        None => rusqlite::types::Value::Text(id.to_string()),
    }
}

/// A mention's confidence as `mentions.confidence` stores it: the bits of the 32-bit float
/// the coder gave (4 bytes instead of 8, the same value).
pub(crate) fn stored_confidence(confidence: f32) -> i64 {
    i64::from(confidence.to_bits())
}

/// A mention's confidence back from [`stored_confidence`].
pub(crate) fn confidence_from_stored(bits: i64) -> f64 {
    f64::from(f32::from_bits(bits as u32))
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            source: e,
        })?;
        Self::setup(conn, true)
    }

    /// Opens an existing database read-only (for `dyad query`, `dyad serve`).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.display().to_string(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            source: e,
        })?;
        // Readers map the file instead of copying pages into each connection's cache.
        conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
        // Sorts, groupings and IN lists build temporary b-trees: in memory, not in a file.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version != crate::schema::SCHEMA_VERSION {
            return Err(StoreError::NeedsMigration {
                path: path.display().to_string(),
                found: version,
            });
        }
        Ok(Store { conn })
    }

    /// An in-memory store (tests, `POST /api/code`).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::setup(Connection::open_in_memory()?, false)
    }

    fn setup(mut conn: Connection, wal: bool) -> Result<Store, StoreError> {
        // Take effect on a new database only (before its first page is written): small pages,
        // and free pages that can be given back without rewriting the file (`checkpoint`).
        conn.pragma_update(None, "page_size", crate::schema::PAGE_SIZE)?;
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        if wal {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        migrate(&mut conn)?;
        Ok(Store { conn })
    }

    /// Whether a document with this id is stored.
    pub fn contains_document(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM documents WHERE id = ?1",
                [stored_document_id(id)],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Classifies documents about to be coded, in order: already stored, near-duplicates of a
    /// stored (or earlier in this list) document, or new. Call before coding so duplicates are
    /// not coded twice.
    pub fn classify(&self, docs: &[&Document]) -> Result<Vec<Novelty>, StoreError> {
        self.classify_after(docs, &[])
    }

    /// [`Store::classify`] when an earlier batch is coded but not stored yet (an ingest that
    /// stores one batch while it codes the next): `pending` lists that batch's documents with
    /// their own novelty. They count as stored: the same document is already present, and a
    /// near-duplicate of one of its new documents is linked to it (the batches are stored in
    /// order, so the original is there when the link is written).
    pub fn classify_after(
        &self,
        docs: &[&Document],
        pending: &[(&Document, &Novelty)],
    ) -> Result<Vec<Novelty>, StoreError> {
        let pending_originals: Vec<(&str, u64)> = pending
            .iter()
            .filter(|(_, novelty)| **novelty == Novelty::New)
            .map(|(doc, _)| (doc.id(), simhash(doc.text())))
            .collect();
        let mut seen_in_batch: Vec<(String, u64)> = Vec::new();
        let mut out = Vec::with_capacity(docs.len());
        for doc in docs {
            if self.contains_document(doc.id())?
                || pending.iter().any(|(p, _)| p.id() == doc.id())
                || seen_in_batch.iter().any(|(id, _)| id == doc.id())
            {
                out.push(Novelty::AlreadyPresent);
                continue;
            }
            let hash = simhash(doc.text());
            let in_batch = seen_in_batch
                .iter()
                .find(|(_, h)| is_near_duplicate(*h, hash))
                .map(|(id, _)| id.clone());
            let found = match in_batch {
                Some(id) => Some(id),
                None => self.find_near_duplicate(hash)?.or_else(|| {
                    pending_originals
                        .iter()
                        .find(|(_, h)| is_near_duplicate(*h, hash))
                        .map(|(id, _)| id.to_string())
                }),
            };
            seen_in_batch.push((doc.id().to_string(), hash));
            out.push(match found {
                Some(original) => Novelty::NearDuplicateOf(original),
                None => Novelty::New,
            });
        }
        Ok(out)
    }

    fn find_near_duplicate(&self, hash: u64) -> Result<Option<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {DOCUMENT_ID_D}, d.simhash FROM simhash_bands b
               JOIN documents d ON d.seq = b.document
             WHERE b.band = ?1 AND b.value = ?2 AND d.duplicate_of IS NULL ORDER BY d.seq LIMIT 64"
        ))?;
        for (band, value) in bands(hash).into_iter().enumerate() {
            let rows = stmt.query_map(params![band as i64, i64::from(value)], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?;
            for row in rows {
                let (id, other) = row?;
                if is_near_duplicate(hash, other as u64) {
                    return Ok(Some(id));
                }
            }
        }
        Ok(None)
    }

    /// Stores a batch of documents in one transaction: either the whole batch is in the
    /// database afterwards or none of it is (so a crash mid-batch loses nothing and doubles
    /// nothing: the next run stores the batch again). Documents already present are skipped;
    /// `duplicates[i]` (from [`Store::classify`]) links near-duplicates without their events.
    pub fn insert_batch(
        &mut self,
        docs: &[Document],
        novelty: &[Novelty],
    ) -> Result<BatchSummary, StoreError> {
        let tx = self.conn.transaction()?;
        let mut summary = BatchSummary::default();
        let (dictionary, dictionary_bytes) = latest_dictionary(&tx)?;
        let mut packer = crate::layers::Packer::new(dictionary, &dictionary_bytes)?;
        for (i, doc) in docs.iter().enumerate() {
            let exists = tx
                .query_row(
                    "SELECT 1 FROM documents WHERE id = ?1",
                    [stored_document_id(doc.id())],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if exists {
                summary.already_present += 1;
                continue;
            }
            let duplicate_of = match novelty.get(i) {
                Some(Novelty::NearDuplicateOf(id)) => Some(id.as_str()),
                _ => None,
            };
            let seq = insert_document(&tx, &mut packer, doc, duplicate_of)?;
            if duplicate_of.is_some() {
                summary.near_duplicates += 1;
                continue;
            }
            summary.stored += 1;
            let index = CharIndex::new(doc.text());
            let mut indexed_sentences = std::collections::BTreeSet::new();
            for (idx, event) in doc.events.iter().enumerate() {
                let merged = insert_mention(&tx, doc, seq, &index, idx, event)?;
                if indexed_sentences.insert(event.sentence) {
                    index_sentence(&tx, doc, seq, event.sentence)?;
                }
                summary.mentions += 1;
                if merged {
                    summary.merged_mentions += 1;
                } else {
                    summary.new_events += 1;
                }
            }
        }
        train_layer_dictionary(&tx)?;
        tx.commit()?;
        Ok(summary)
    }

    /// Bytes of article text stored (for size accounting).
    pub fn text_bytes(&self) -> Result<u64, StoreError> {
        let n: i64 = self.conn.query_row(
            "SELECT COALESCE(SUM(length(CAST(text AS BLOB))), 0) FROM documents",
            [],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    /// Gives free pages back to the file system (databases made by schema 3 and later; cheap:
    /// pages move only to fill the holes at the end) and moves the write-ahead log into the
    /// database file, so its size on disk is final.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        // Each step of this pragma frees one page: step it to the end.
        let mut vacuum = self.conn.prepare("PRAGMA incremental_vacuum")?;
        let mut steps = vacuum.query([])?;
        while steps.next()?.is_some() {}
        drop(steps);
        drop(vacuum);
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Rewrites the whole database compactly (SQLite `VACUUM`): every b-tree page full, the
    /// indexes in order. Worth it after a bulk ingest (about 9% smaller on 1,000 news
    /// articles); it takes time in proportion to the database size and needs as much free disk
    /// space again.
    pub fn vacuum(&self) -> Result<(), StoreError> {
        // The full-text index grows in segments, one per batch: merged into one it is about a
        // quarter smaller (1,000 news articles: 255 KiB in segments, 195 KiB merged).
        self.conn
            .execute_batch("INSERT INTO sentence_fts(sentence_fts) VALUES ('optimize'); VACUUM;")?;
        self.checkpoint()
    }

    /// Records an input that could not be read or coded (`position` empty for a whole input).
    pub fn record_dead_letter(
        &self,
        path: &str,
        position: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        let now = now_utc();
        self.conn.execute(
            "INSERT INTO dead_letters(path, position, reason, attempts, first_seen, last_seen)
             VALUES (?1, ?2, ?3, 1, ?4, ?4)
             ON CONFLICT(path, position) DO UPDATE SET reason = excluded.reason,
                attempts = attempts + 1, last_seen = excluded.last_seen",
            params![path, position, reason, now],
        )?;
        Ok(())
    }

    /// Removes a dead letter (after a successful retry).
    pub fn clear_dead_letter(&self, path: &str, position: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM dead_letters WHERE path = ?1 AND position = ?2",
            params![path, position],
        )?;
        Ok(())
    }

    /// Every dead letter, oldest first.
    pub fn dead_letters(&self) -> Result<Vec<crate::DeadLetterRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT path, position, reason, attempts, first_seen, last_seen FROM dead_letters
             ORDER BY first_seen, path, position",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(crate::DeadLetterRow {
                path: r.get(0)?,
                position: r.get(1)?,
                reason: r.get(2)?,
                attempts: r.get(3)?,
                first_seen: r.get(4)?,
                last_seen: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Documents whose layers a first dictionary is trained on: once this many are stored
/// without one, a dictionary is trained on them and they are compressed again with it.
pub const DICTIONARY_MIN_DOCUMENTS: i64 = 200;

/// A dictionary trained on fewer documents than this is trained again once the database holds
/// this many, on this many (measured on 2,000 news articles: layers 1.66 MB with a 32 KiB
/// dictionary from 200 documents, 1.57 MB with a 64 KiB one from 1,000).
pub const DICTIONARY_FULL_DOCUMENTS: i64 = 1_000;

/// The newest layer dictionary: its id and bytes, `(0, [])` when there is none yet.
pub(crate) fn latest_dictionary(conn: &Connection) -> Result<(u32, Vec<u8>), StoreError> {
    Ok(conn
        .query_row(
            "SELECT id, dictionary FROM layer_dictionaries ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, u32>(0)?, r.get::<_, Vec<u8>>(1)?)),
        )
        .optional()?
        .unwrap_or_default())
}

/// The layer dictionary with this id.
pub(crate) fn dictionary(conn: &Connection, id: u32) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT dictionary FROM layer_dictionaries WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Trains the database's layer dictionary (zstd learns the field layout, codes, patterns and
/// names that recur across articles) once [`DICTIONARY_MIN_DOCUMENTS`] documents are stored
/// without one, and again on more documents once [`DICTIONARY_FULL_DOCUMENTS`] are stored;
/// then compresses every document again with it. Does nothing otherwise (the check is two
/// small queries).
pub(crate) fn train_layer_dictionary(tx: &Transaction<'_>) -> Result<(), StoreError> {
    use crate::layers::{CODEC_COMPACT, CODEC_ZSTD};
    let latest: Option<(u32, i64)> = tx
        .query_row(
            "SELECT id, samples FROM layer_dictionaries ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let zstd = "FROM documents WHERE layers_codec IN (?1, ?2) AND length(layers) > 0";
    let codecs = [CODEC_ZSTD, CODEC_COMPACT];
    let needed = match latest {
        None => DICTIONARY_MIN_DOCUMENTS,
        Some((_, samples)) if samples < DICTIONARY_FULL_DOCUMENTS => DICTIONARY_FULL_DOCUMENTS,
        Some(_) => return Ok(()),
    };
    let count: i64 = tx.query_row(&format!("SELECT count(*) {zstd}"), codecs, |r| r.get(0))?;
    if count < needed {
        return Ok(());
    }
    let seqs: Vec<i64> = tx
        .prepare(&format!("SELECT seq {zstd} ORDER BY seq"))?
        .query_map(codecs, |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut read = tx.prepare_cached(&format!(
        "SELECT {DOCUMENT_ID}, layers FROM documents WHERE seq = ?1"
    ))?;
    let dictionaries = |id: u32| dictionary(tx, id);
    // The raw layers of document `seq`; `None` for layers that do not decode (they stay as
    // they are: reading them reports the error).
    let mut raw = |seq: i64| -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let (id, packed) = read.query_row([seq], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        Ok(crate::layers::raw_v5(&id, &packed, &dictionaries)
            .ok()
            .map(|(_, raw)| (id, raw)))
    };
    // A bounded sample: a migrated database may hold many documents.
    let mut samples = Vec::new();
    for seq in seqs.iter().take(DICTIONARY_FULL_DOCUMENTS as usize) {
        if let Some((_, bytes)) = raw(*seq)? {
            samples.push(bytes);
        }
    }
    let Some(trained) = crate::layers::train_dictionary(&samples) else {
        return Ok(());
    };
    let sample_count = samples.len() as i64;
    drop(samples);
    tx.execute(
        "INSERT INTO layer_dictionaries(dictionary, samples) VALUES (?1, ?2)",
        params![&trained, sample_count],
    )?;
    let id = u32::try_from(tx.last_insert_rowid()).unwrap_or(u32::MAX);
    let mut packer = crate::layers::Packer::new(id, &trained)?;
    let mut update = tx.prepare_cached("UPDATE documents SET layers = ?1 WHERE seq = ?2")?;
    let mut every_blob_moved = true;
    for seq in seqs {
        match raw(seq)? {
            Some((document, bytes)) => {
                update.execute(params![packer.compress(&document, &bytes)?, seq])?;
            }
            None => every_blob_moved = false,
        }
    }
    if every_blob_moved {
        tx.execute("DELETE FROM layer_dictionaries WHERE id != ?1", [id])?;
    }
    Ok(())
}

/// Stores the document row (and its SimHash bands); returns its `seq`.
fn insert_document(
    tx: &Transaction<'_>,
    packer: &mut crate::layers::Packer,
    doc: &Document,
    duplicate_of: Option<&str>,
) -> Result<i64, StoreError> {
    let meta = &doc.meta;
    let hash = simhash(doc.text());
    let duplicate_of: Option<i64> = match duplicate_of {
        Some(id) => tx
            .query_row(
                "SELECT seq FROM documents WHERE id = ?1",
                [stored_document_id(id)],
                |r| r.get(0),
            )
            .optional()?,
        None => None,
    };
    // Near-duplicates keep no layers.
    let (codec, layers) = if duplicate_of.is_some() {
        (crate::layers::CODEC_COMPACT, Vec::new())
    } else {
        packer.pack(doc)?
    };
    tx.execute(
        "INSERT INTO documents(id, external_id, source, url, title, published, language, origin,
                               simhash, duplicate_of, ingested_at, layers_codec, layers, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            stored_document_id(doc.id()),
            meta.external_id,
            meta.source,
            meta.url,
            meta.title,
            meta.published.map(|d| d.to_string()),
            meta.language,
            // The layers keep the origin; the column is only read for a document without URL.
            if meta.url.is_none() {
                meta.origin.to_string()
            } else {
                String::new()
            },
            hash as i64,
            duplicate_of,
            jiff::Timestamp::now().as_second(),
            codec,
            layers,
            doc.text(),
        ],
    )?;
    let seq = tx.last_insert_rowid();
    if duplicate_of.is_none() {
        let mut stmt = tx.prepare_cached(
            "INSERT OR IGNORE INTO simhash_bands(band, value, document) VALUES (?1, ?2, ?3)",
        )?;
        for (band, value) in bands(hash).into_iter().enumerate() {
            stmt.execute(params![band as i64, i64::from(value), seq])?;
        }
    }
    Ok(seq)
}

/// The key an actor contributes to the merge key: its code, or its name when it has none.
fn actor_key(code: &str, name: &str) -> String {
    if code.is_empty() {
        format!("~{}", name.to_lowercase())
    } else {
        code.to_string()
    }
}

/// The event's day number: its date, else the article's, else [`crate::days::NO_DAY`].
fn event_day(doc: &Document, event: &Event) -> i64 {
    event
        .date
        .map(|d| d.value.start)
        .or(doc.meta.published)
        .map_or(crate::days::NO_DAY, crate::days::number)
}

/// The id of a label (modality, PLOVER type or mode), added when new.
fn label_id(tx: &Transaction<'_>, label: &str) -> Result<i64, StoreError> {
    let found: Option<i64> = tx
        .prepare_cached("SELECT id FROM labels WHERE label = ?1")?
        .query_row([label], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    tx.prepare_cached("INSERT INTO labels(label) VALUES (?1)")?
        .execute([label])?;
    Ok(tx.last_insert_rowid())
}

/// The id of the actor with this merge key and name, added when new (`actors_key` finds the
/// few names of a key).
fn actor_id(tx: &Transaction<'_>, key: &str, name: &str) -> Result<i64, StoreError> {
    let found: Option<i64> = tx
        .prepare_cached("SELECT id FROM actors WHERE key = ?1 AND name = ?2 ORDER BY id LIMIT 1")?
        .query_row(params![key, name], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    tx.prepare_cached("INSERT INTO actors(key, name) VALUES (?1, ?2)")?
        .execute(params![key, name])?;
    Ok(tx.last_insert_rowid())
}

/// The id of the place with exactly these values, added when new.
fn place_id(tx: &Transaction<'_>, key: &str, p: &dyad_document::Place) -> Result<i64, StoreError> {
    let geonameid = p.geonameid.map(|g| g as i64);
    let found: Option<i64> = tx
        .prepare_cached(
            "SELECT id FROM places WHERE key = ?1 AND name = ?2 AND geonameid IS ?3
               AND country_code IS ?4 AND admin1 IS ?5 AND lat = ?6 AND lon = ?7 AND feature = ?8",
        )?
        .query_row(
            params![
                key,
                p.name,
                geonameid,
                p.country_code,
                p.admin1,
                p.lat,
                p.lon,
                p.feature
            ],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    tx.prepare_cached(
        "INSERT INTO places(key, name, geonameid, country_code, admin1, lat, lon, feature)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        key,
        p.name,
        geonameid,
        p.country_code,
        p.admin1,
        p.lat,
        p.lon,
        p.feature
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Inserts one mention, merging it into a canonical event with the same actors, root code,
/// place and negation within [`MERGE_WINDOW_DAYS`]; returns true when it merged.
fn insert_mention(
    tx: &Transaction<'_>,
    doc: &Document,
    seq: i64,
    index: &CharIndex,
    idx: usize,
    event: &Event,
) -> Result<bool, StoreError> {
    let day = event_day(doc, event);
    let source_key = actor_key(&event.source.code, &event.source.name);
    let target_key = event.target.as_ref().map(|t| actor_key(&t.code, &t.name));
    let place = event
        .place
        .as_ref()
        .and_then(|p| doc.places.get(p.place as usize));
    let place_key = match place {
        Some(p) => match (p.geonameid, &p.country_code) {
            (Some(id), _) => id.to_string(),
            (None, Some(cc)) => cc.clone(),
            (None, None) => p.name.to_lowercase(),
        },
        None => String::new(),
    };
    // The day the article was seen: its publication day, else the event day.
    let seen = doc.meta.published.map_or(day, crate::days::number);
    // Candidates come from the source-actor index (source keys, day window, target); the
    // other merge conditions are checked on those few rows.
    let target_condition = match target_key {
        Some(_) => "e.target IN (SELECT id FROM actors WHERE key = ?2)",
        None => "e.target IS NULL AND ?2 IS NULL",
    };
    let existing: Option<i64> = tx
        .prepare_cached(&format!(
            "SELECT e.id FROM events e
             WHERE e.source IN (SELECT id FROM actors WHERE key = ?1) AND {target_condition}
               AND e.day BETWEEN ?6 AND ?7 AND substr(e.cameo, 1, 2) = ?3 AND e.negated = ?5
               AND COALESCE((SELECT p.key FROM places p WHERE p.id = e.place), '') = ?4
             ORDER BY e.id LIMIT 1"
        ))?
        .query_row(
            params![
                source_key,
                target_key,
                event.root(),
                place_key,
                event.negated,
                day - MERGE_WINDOW_DAYS,
                day + MERGE_WINDOW_DAYS
            ],
            |r| r.get(0),
        )
        .optional()?;
    let outlet = doc.meta.source.clone();
    let event_id = match existing {
        Some(id) => {
            let new_source: bool = match &outlet {
                Some(o) => tx
                    .prepare_cached(
                        "SELECT 1 FROM mentions m JOIN documents d ON d.seq = m.document
                         WHERE m.event = ?1 AND d.source = ?2 LIMIT 1",
                    )?
                    .query_row(params![id, o], |_| Ok(()))
                    .optional()?
                    .is_none(),
                None => false,
            };
            let new_article: bool = tx
                .prepare_cached(
                    "SELECT 1 FROM mentions WHERE event = ?1 AND document = ?2 LIMIT 1",
                )?
                .query_row(params![id, seq], |_| Ok(()))
                .optional()?
                .is_none();
            tx.prepare_cached(
                "UPDATE events SET num_mentions = num_mentions + 1,
                    num_sources = num_sources + ?2, num_articles = num_articles + ?3,
                    confidence_sum = confidence_sum + ?4,
                    first_seen = MIN(first_seen, ?5), last_seen = MAX(last_seen, ?5)
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                new_source as i64,
                new_article as i64,
                event.confidence,
                seen
            ])?;
            id
        }
        None => {
            let source = actor_id(tx, &source_key, &event.source.name)?;
            let target = match (&event.target, &target_key) {
                (Some(t), Some(key)) => Some(actor_id(tx, key, &t.name)?),
                _ => None,
            };
            let place = match place {
                Some(p) => Some(place_id(tx, &place_key, p)?),
                None => None,
            };
            let modality = label_id(tx, event.modality.as_str())?;
            let (plover_type, plover_mode) = match &event.plover {
                Some(p) => (
                    Some(label_id(tx, &p.event_type)?),
                    Some(label_id(tx, &p.mode)?),
                ),
                None => (None, None),
            };
            tx.prepare_cached(
                "INSERT INTO events(day, source, target, cameo, quad_class, goldstein, negated,
                    modality, plover_type, plover_mode, place, num_mentions, num_sources,
                    num_articles, confidence_sum, first_seen, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12, 1, ?13, ?14, ?14)",
            )?
            .execute(params![
                day,
                source,
                target,
                event.cameo,
                event.quad_class,
                event.goldstein,
                event.negated,
                modality,
                plover_type,
                plover_mode,
                place,
                outlet.is_some() as i64,
                event.confidence,
                seen,
            ])?;
            let id = tx.last_insert_rowid();
            tx.prepare_cached(
                "INSERT INTO event_days(day, root, quad_class, events) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT(day, root, quad_class) DO UPDATE SET events = events + 1",
            )?
            .execute(params![day, event.root(), event.quad_class])?;
            tx.prepare_cached(
                "INSERT INTO actor_pairs(source, target, quad_class, events, goldstein)
                 VALUES (?1, ?2, ?3, 1, ?4)
                 ON CONFLICT(source, target, quad_class) DO UPDATE SET events = events + 1,
                    goldstein = goldstein + excluded.goldstein",
            )?
            .execute(params![
                source,
                target.unwrap_or(0),
                event.quad_class,
                event.goldstein
            ])?;
            if let Some(place) = place {
                tx.prepare_cached(
                    "INSERT INTO place_events(place, quad_class, events) VALUES (?1, ?2, 1)
                     ON CONFLICT(place, quad_class) DO UPDATE SET events = events + 1",
                )?
                .execute(params![place, event.quad_class])?;
            }
            id
        }
    };
    let start = |r: TextRange| index.char_offset(r.start()) as i64;
    let end = |r: TextRange| index.char_offset(r.end()) as i64;
    tx.prepare_cached(
        "INSERT INTO mentions(document, idx, event, sentence, source_start, source_end, target_start,
            target_end, evidence_start, evidence_end, confidence, seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        seq,
        idx as i64,
        event_id,
        event.sentence,
        start(event.source.range),
        end(event.source.range),
        event.target.as_ref().map(|t| start(t.range)),
        event.target.as_ref().map(|t| end(t.range)),
        start(event.evidence),
        end(event.evidence),
        stored_confidence(event.confidence),
        doc.meta
            .published
            .is_none()
            .then(|| crate::days::text(seen)),
    ])?;
    Ok(existing.is_some())
}

/// Adds a sentence that carries an event to the full-text index (once per sentence).
fn index_sentence(
    tx: &Transaction<'_>,
    doc: &Document,
    seq: i64,
    sentence: u32,
) -> Result<(), StoreError> {
    let Some(s) = doc.sentences.get(sentence as usize) else {
        return Ok(());
    };
    index_sentence_text(tx, seq, sentence, doc.slice(s.range))
}

/// Adds sentence `sentence` of document `seq` with this text to the full-text index, under the
/// next dense rowid (`fts_sentences` maps it back).
pub(crate) fn index_sentence_text(
    tx: &Transaction<'_>,
    seq: i64,
    sentence: u32,
    text: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT INTO fts_sentences(document, sentence) VALUES (?1, ?2)")?
        .execute(params![seq, sentence])?;
    let rowid = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO sentence_fts(rowid, sentence) VALUES (?1, ?2)")?
        .execute(params![rowid, text])?;
    Ok(())
}

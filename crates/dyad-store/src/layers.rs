//! Compact storage of a document's layers.
//!
//! The store keeps the article text once (`documents.text`) and the layers without any copy
//! of it, in a versioned encoding (`documents.layers_codec`):
//!
//! - [`CODEC_JSON`] (schema 1): the JSON contract with every `text` field removed, deflated.
//!   Written by dyad before schema 2; still read, never written.
//! - [`CODEC_BINARY`] (schema 2): the typed layers of [`dyad_document::Document`] in postcard
//!   (a compact binary serde format), deflated: each place, date and actor once, byte offsets
//!   as small integers, where the JSON repeats a place inside every event that uses it.
//!   Still read; the schema 3 migration rewrites such rows as [`CODEC_COLUMNS`].
//! - [`CODEC_COLUMNS`] (schema 3): the same layers with sentences, entities and places laid
//!   out by column (all labels together, all offsets together ...), offsets as deltas from
//!   the previous span, each string once per document, a name equal to the text it covers
//!   not stored at all, and each distinct gazetteer entry once (an article names the same
//!   place many times): about a third smaller than [`CODEC_BINARY`] after deflate.
//!
//! - [`CODEC_READINGS`] (schema 4): [`CODEC_COLUMNS`] followed by one more column, the
//!   entities' second readings ([`dyad_document::EntityReading`]); rows written as
//!   [`CODEC_COLUMNS`] are read with no readings. Still read; the schema 5 migration rewrites
//!   such rows as [`CODEC_ZSTD`].
//! - [`CODEC_ZSTD`] (schema 5 on, written by dyad now): the layers of [`CODEC_READINGS`] with
//!   the events by column as well ([`EventColumns`]: every string once per document, evidence
//!   spans as deltas, actor spans from their evidence, a name equal to the text it covers not
//!   stored), compressed with zstd and the database's dictionary (`layer_dictionaries`,
//!   trained on its own first documents: field layouts, codes, patterns and names recur from
//!   article to article, and a dictionary lets each small blob refer to them). A blob is the
//!   varint id of its dictionary (0: none) followed by one zstd frame. On 2,000 news articles
//!   the layers take 1.95 MB instead of 2.57 MB. Still read and, for a document with a date
//!   [`CODEC_COMPACT`] cannot hold, written.
//! - [`CODEC_COMPACT`] (schema 6 on, written by dyad now): [`CODEC_ZSTD`] without what other
//!   layers already say (`compact.rs` lists it), in the same zstd framing. On 2,000 news
//!   articles 1.57 MB.
//!
//! Reading rebuilds the [`Document`] and writes its JSON contract, so
//! [`crate::Store::document_json`] returns exactly what `dyad code` writes. Postcard is not
//! self-describing: a change to the layer types of `dyad-document` must add a new codec (the
//! fixture test `binary_codec_reads_its_fixture` fails when the types change under it).

use crate::StoreError;
use dyad_document::{
    Alignment, DateExpr, Document, Entity, Event, JsonOptions, Metadata, Origin, Place, Quote,
    Sentence,
};
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::io::{Read, Write};

mod compact;
pub use compact::CODEC_COMPACT;

/// Deflated JSON without text copies (schema 1).
pub const CODEC_JSON: i64 = 1;
/// Deflated postcard of the typed layers (schema 2). Still read, no longer written.
pub const CODEC_BINARY: i64 = 2;
/// Deflated postcard of the layers by column (schema 3): see [`Columns`].
pub const CODEC_COLUMNS: i64 = 3;
/// [`CODEC_COLUMNS`] plus the entity readings column (schema 4). Still read; the schema 5
/// migration rewrites such rows as [`CODEC_ZSTD`].
pub const CODEC_READINGS: i64 = 4;
/// Events by column too, zstd with the database's dictionary (schema 5). See [`LayersV5`];
/// [`Packer`] writes it only for a document [`CODEC_COMPACT`] cannot hold.
pub const CODEC_ZSTD: i64 = 5;

/// Bytes of a layer dictionary trained on fewer than
/// [`crate::store::DICTIONARY_FULL_DOCUMENTS`] documents (`layer_dictionaries`).
pub const DICTIONARY_BYTES: usize = 32 << 10;

/// Bytes of a layer dictionary trained on more (measured on 2,000 news articles, blobs plus
/// dictionary: 1.61 MB with 64 KiB at level 9; at level 12 1.59 MB with 96 KiB, 1.57 MB with
/// 128 KiB).
pub const FULL_DICTIONARY_BYTES: usize = 128 << 10;

/// zstd level of [`CODEC_ZSTD`] blobs: with a dictionary, higher levels gain little (measured
/// on 2,000 news articles with a 128 KiB dictionary: level 9 1.3% larger than 12 at about the
/// same speed, 15 2% smaller than 12 at less than half of it, 19 much slower still).
const ZSTD_LEVEL: i32 = 12;

/// One [`dyad_document::EntityReading`] as [`CODEC_READINGS`] stores it:
/// (entity index, label, start, length, cue).
type StoredReading = (u32, dyad_document::EntityLabel, u32, u32, String);

/// What [`CODEC_BINARY`] stores: the layers of the JSON contract — everything of a document
/// but its text, its tokens (which the contract leaves out, as schema 1 did) and the metadata
/// the `documents` row holds in columns (the origin is kept here: its column is display text).
#[derive(Serialize, Deserialize)]
struct Stored {
    origin: Origin,
    alignment: Alignment,
    sentences: Vec<Sentence>,
    entities: Vec<Entity>,
    quotes: Vec<Quote>,
    dates: Vec<DateExpr>,
    places: Vec<Place>,
    events: Vec<Event>,
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// Strings of one document, each stored once and referred to by index.
#[derive(Default)]
struct Strings {
    list: Vec<String>,
    index: std::collections::HashMap<String, u32>,
}

impl Strings {
    /// `0` when `value` is the text `covered` (nothing to store), else its index plus one.
    fn covered_or(&mut self, value: &str, covered: &str) -> u32 {
        if value == covered {
            0
        } else {
            self.of(value) + 1
        }
    }

    fn of(&mut self, value: &str) -> u32 {
        if let Some(i) = self.index.get(value) {
            return *i;
        }
        let i = self.list.len() as u32;
        self.list.push(value.to_string());
        self.index.insert(value.to_string(), i);
        i
    }

    /// `0` for none, else the index plus one.
    fn optional(&mut self, value: Option<&str>) -> u32 {
        value.map_or(0, |v| self.of(v) + 1)
    }
}

/// A gazetteer entry as [`Place`] holds it, without the mention's span and confidence.
#[derive(Serialize, Deserialize, PartialEq)]
struct Gazetteer {
    /// 0: the covered text; else a string index plus one.
    name: u32,
    geonameid: Option<u64>,
    feature: u32,
    /// 0: none; else a string index plus one (likewise `admin1`).
    country_code: u32,
    admin1: u32,
    lat: f64,
    lon: f64,
}

/// What [`CODEC_COLUMNS`] stores. Spans are `(start - previous start, length)` in bytes.
#[derive(Serialize, Deserialize)]
struct Columns {
    origin: Origin,
    alignment: Alignment,
    strings: Vec<String>,
    sentences: Vec<(i64, u32)>,
    entity_spans: Vec<(i64, u32)>,
    entity_labels: Vec<dyad_document::EntityLabel>,
    /// 0: the covered text; else a string index plus one.
    entity_canonical: Vec<u32>,
    entity_referents: Vec<u32>,
    /// 0: none; else a string index plus one.
    entity_actors: Vec<u32>,
    gazetteer: Vec<Gazetteer>,
    place_spans: Vec<(i64, u32)>,
    place_entries: Vec<u32>,
    place_confidence: Vec<f32>,
    quotes: Vec<Quote>,
    dates: Vec<DateExpr>,
    events: Vec<Event>,
}

/// Spans as deltas: `(start - previous start, length)`.
fn delta_spans(ranges: impl Iterator<Item = dyad_document::TextRange>) -> Vec<(i64, u32)> {
    let mut previous = 0i64;
    ranges
        .map(|r| {
            let start = r.start() as i64;
            let delta = start - previous;
            previous = start;
            (delta, (r.end() - r.start()) as u32)
        })
        .collect()
}

/// The spans back from [`delta_spans`]; `None` when they leave the `u32` range.
fn undelta_spans(spans: &[(i64, u32)]) -> Option<Vec<dyad_document::TextRange>> {
    let mut previous = 0i64;
    spans
        .iter()
        .map(|(delta, length)| {
            let start = previous.checked_add(*delta)?;
            previous = start;
            let start = u32::try_from(start).ok()?;
            let end = start.checked_add(*length)?;
            Some(dyad_document::TextRange::new(start as usize, end as usize))
        })
        .collect()
}

/// The stored form of a document's layers ([`CODEC_READINGS`]; the schema 3 migration writes
/// it, the schema 5 migration rewrites it).
pub fn pack_v4(doc: &Document) -> Result<Vec<u8>, StoreError> {
    let mut strings = Strings::default();
    let mut columns = columns_of(doc, &mut strings);
    columns.events = doc.events.clone();
    columns.strings = strings.list;
    let bytes = postcard::to_allocvec(&(columns, stored_readings(doc))).map_err(|e| {
        StoreError::Layers {
            document: doc.id().to_string(),
            reason: e.to_string(),
        }
    })?;
    deflate(&bytes)
}

/// The readings column of [`CODEC_READINGS`] and [`CODEC_ZSTD`].
fn stored_readings(doc: &Document) -> Vec<StoredReading> {
    doc.readings
        .iter()
        .map(|r| {
            (
                r.entity,
                r.label,
                r.range.start() as u32,
                (r.range.end() - r.range.start()) as u32,
                r.cue.clone(),
            )
        })
        .collect()
}

/// Every layer but the events and readings by column, their strings in `strings` (the
/// caller stores the list once every string is in).
fn columns_of(doc: &Document, strings: &mut Strings) -> Columns {
    let mut columns = Columns {
        origin: doc.meta.origin.clone(),
        alignment: doc.alignment.clone(),
        strings: Vec::new(),
        sentences: delta_spans(doc.sentences.iter().map(|s| s.range)),
        entity_spans: delta_spans(doc.entities.iter().map(|e| e.range)),
        entity_labels: doc.entities.iter().map(|e| e.label).collect(),
        entity_canonical: Vec::with_capacity(doc.entities.len()),
        entity_referents: doc.entities.iter().map(|e| e.referent).collect(),
        entity_actors: Vec::with_capacity(doc.entities.len()),
        gazetteer: Vec::new(),
        place_spans: delta_spans(doc.places.iter().map(|p| p.range)),
        place_entries: Vec::with_capacity(doc.places.len()),
        place_confidence: doc.places.iter().map(|p| p.confidence).collect(),
        quotes: doc.quotes.clone(),
        dates: doc.dates.clone(),
        events: Vec::new(),
    };
    for e in &doc.entities {
        let canonical = strings.covered_or(&e.canonical, doc.slice(e.range));
        columns.entity_canonical.push(canonical);
        let actor = strings.optional(e.actor.as_deref());
        columns.entity_actors.push(actor);
    }
    for p in &doc.places {
        let entry = Gazetteer {
            name: strings.covered_or(&p.name, doc.slice(p.range)),
            geonameid: p.geonameid,
            feature: strings.of(&p.feature),
            country_code: strings.optional(p.country_code.as_deref()),
            admin1: strings.optional(p.admin1.as_deref()),
            lat: p.lat,
            lon: p.lon,
        };
        // Bit-equal coordinates: `==` on f64 would merge 0.0 and -0.0.
        let same = |g: &Gazetteer| {
            g.name == entry.name
                && g.geonameid == entry.geonameid
                && g.feature == entry.feature
                && g.country_code == entry.country_code
                && g.admin1 == entry.admin1
                && g.lat.to_bits() == entry.lat.to_bits()
                && g.lon.to_bits() == entry.lon.to_bits()
        };
        let index = match columns.gazetteer.iter().position(same) {
            Some(i) => i,
            None => {
                columns.gazetteer.push(entry);
                columns.gazetteer.len() - 1
            }
        };
        columns.place_entries.push(index as u32);
    }
    columns
}

/// The document back from [`CODEC_COLUMNS`] or [`CODEC_READINGS`] layers (`codec`), its
/// text and the metadata of its row.
fn unpack_columns(
    codec: i64,
    id: &str,
    packed: &[u8],
    text: String,
    meta: Metadata,
) -> Result<Document, StoreError> {
    let bad = |reason: &str| StoreError::Layers {
        document: id.to_string(),
        reason: reason.to_string(),
    };
    let mut bytes = Vec::new();
    DeflateDecoder::new(packed)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(&format!("not deflate data: {e}")))?;
    let (c, readings): (Columns, Vec<StoredReading>) = if codec == CODEC_READINGS {
        postcard::from_bytes(&bytes).map_err(|e| bad(&e.to_string()))?
    } else {
        (
            postcard::from_bytes(&bytes).map_err(|e| bad(&e.to_string()))?,
            Vec::new(),
        )
    };
    document_from_columns(id, c, readings, text, meta)
}

/// The document from its columns (events included as rows or, in [`CODEC_ZSTD`], added by
/// the caller), its text and the metadata of its row.
fn document_from_columns(
    id: &str,
    c: Columns,
    readings: Vec<StoredReading>,
    text: String,
    meta: Metadata,
) -> Result<Document, StoreError> {
    let bad = |reason: &str| StoreError::Layers {
        document: id.to_string(),
        reason: reason.to_string(),
    };
    let string = |i: u32| -> Result<String, StoreError> {
        c.strings
            .get(i as usize)
            .cloned()
            .ok_or_else(|| bad(&format!("string {i} out of range")))
    };
    let optional = |i: u32| -> Result<Option<String>, StoreError> {
        match i {
            0 => Ok(None),
            i => string(i - 1).map(Some),
        }
    };
    let mut doc = Document::new(
        text,
        Metadata {
            origin: c.origin,
            ..meta
        },
    );
    let covered_or = |doc: &Document, i: u32, range| -> Result<String, StoreError> {
        match i {
            0 => Ok(doc.slice(range).to_string()),
            i => string(i - 1),
        }
    };
    let spans = |s: &[(i64, u32)]| undelta_spans(s).ok_or_else(|| bad("span out of range"));
    doc.alignment = c.alignment;
    doc.sentences = spans(&c.sentences)?
        .into_iter()
        .map(|range| Sentence { range })
        .collect();
    let entity_spans = spans(&c.entity_spans)?;
    let n = entity_spans.len();
    if [
        c.entity_labels.len(),
        c.entity_canonical.len(),
        c.entity_referents.len(),
        c.entity_actors.len(),
    ]
    .iter()
    .any(|len| *len != n)
    {
        return Err(bad("entity columns of different lengths"));
    }
    let mut entities = Vec::with_capacity(n);
    let columns = entity_spans
        .into_iter()
        .zip(&c.entity_labels)
        .zip(&c.entity_canonical)
        .zip(&c.entity_referents)
        .zip(&c.entity_actors);
    for ((((range, label), canonical), referent), actor) in columns {
        entities.push(Entity {
            range,
            label: *label,
            canonical: covered_or(&doc, *canonical, range)?,
            referent: *referent,
            actor: optional(*actor)?,
        });
    }
    doc.entities = entities;
    let place_spans = spans(&c.place_spans)?;
    if c.place_entries.len() != place_spans.len() || c.place_confidence.len() != place_spans.len() {
        return Err(bad("place columns of different lengths"));
    }
    let mut places = Vec::with_capacity(place_spans.len());
    for ((range, entry), confidence) in place_spans
        .into_iter()
        .zip(&c.place_entries)
        .zip(&c.place_confidence)
    {
        let g = c
            .gazetteer
            .get(*entry as usize)
            .ok_or_else(|| bad("gazetteer entry out of range"))?;
        places.push(Place {
            range,
            name: covered_or(&doc, g.name, range)?,
            geonameid: g.geonameid,
            feature: string(g.feature)?,
            country_code: optional(g.country_code)?,
            admin1: optional(g.admin1)?,
            lat: g.lat,
            lon: g.lon,
            confidence: *confidence,
        });
    }
    doc.places = places;
    doc.quotes = c.quotes;
    doc.dates = c.dates;
    doc.events = c.events;
    let mut kept = Vec::with_capacity(readings.len());
    for (entity, label, start, length, cue) in readings {
        let end = start
            .checked_add(length)
            .ok_or_else(|| bad("reading span out of range"))?;
        if entity as usize >= doc.entities.len() {
            return Err(bad("reading of an entity out of range"));
        }
        kept.push(dyad_document::EntityReading {
            entity,
            label,
            range: dyad_document::TextRange::new(start as usize, end as usize),
            cue,
        });
    }
    doc.readings = kept;
    Ok(doc)
}

/// An event's target in [`EventColumns`]: span (start from the evidence start, length), name,
/// code and entity, stored as the source's are.
type StoredTarget = (i64, u32, u32, u32, Option<u32>);

/// The events of [`CODEC_ZSTD`], by column: each string once per document (an index into
/// [`Columns::strings`]), the evidence span as a delta from the previous event's, the
/// actors' spans from their event's evidence, a name equal to the text it covers not stored.
#[derive(Serialize, Deserialize, Default)]
struct EventColumns {
    sentences: Vec<u32>,
    /// `(start - previous evidence start, length)`.
    evidence: Vec<(i64, u32)>,
    /// `(start - evidence start, length)`.
    source_spans: Vec<(i64, u32)>,
    /// 0: the covered text; else a string index plus one.
    source_names: Vec<u32>,
    source_codes: Vec<u32>,
    source_entities: Vec<Option<u32>>,
    targets: Vec<Option<StoredTarget>>,
    cameo: Vec<u32>,
    /// PLOVER type and mode.
    plover: Vec<Option<(u32, u32)>>,
    quad_class: Vec<u8>,
    goldstein: Vec<f32>,
    negated: Vec<bool>,
    modality: Vec<dyad_document::Modality>,
    confidence: Vec<f32>,
    patterns: Vec<u32>,
    speakers: Vec<Option<dyad_document::Speaker>>,
    dates: Vec<Option<dyad_document::EventDate>>,
    /// Place, source place, target place: (place index, rule string).
    places: Vec<[Option<(u32, u32)>; 3]>,
}

impl EventColumns {
    fn of(doc: &Document, strings: &mut Strings) -> EventColumns {
        let mut c = EventColumns::default();
        let mut previous = 0i64;
        for e in &doc.events {
            let evidence = e.evidence.start() as i64;
            let span = |r: dyad_document::TextRange| {
                (r.start() as i64 - evidence, (r.end() - r.start()) as u32)
            };
            c.sentences.push(e.sentence);
            c.evidence.push((
                evidence - previous,
                (e.evidence.end() - e.evidence.start()) as u32,
            ));
            previous = evidence;
            c.source_spans.push(span(e.source.range));
            c.source_names
                .push(strings.covered_or(&e.source.name, doc.slice(e.source.range)));
            c.source_codes.push(strings.of(&e.source.code));
            c.source_entities.push(e.source.entity);
            c.targets.push(e.target.as_ref().map(|t| {
                let (start, length) = span(t.range);
                (
                    start,
                    length,
                    strings.covered_or(&t.name, doc.slice(t.range)),
                    strings.of(&t.code),
                    t.entity,
                )
            }));
            c.cameo.push(strings.of(&e.cameo));
            c.plover.push(
                e.plover
                    .as_ref()
                    .map(|p| (strings.of(&p.event_type), strings.of(&p.mode))),
            );
            c.quad_class.push(e.quad_class);
            c.goldstein.push(e.goldstein);
            c.negated.push(e.negated);
            c.modality.push(e.modality);
            c.confidence.push(e.confidence);
            c.patterns.push(strings.of(&e.pattern));
            c.speakers.push(e.speaker.clone());
            c.dates.push(e.date);
            let mut place = |p: &Option<dyad_document::EventPlace>| {
                p.as_ref().map(|p| (p.place, strings.of(&p.rule)))
            };
            c.places.push([
                place(&e.place),
                place(&e.source_place),
                place(&e.target_place),
            ]);
        }
        c
    }

    /// The events back; `strings` and the document text resolve names and rules.
    fn events(self, doc: &Document, strings: &[String]) -> Result<Vec<Event>, String> {
        let n = self.sentences.len();
        let lengths = [
            self.evidence.len(),
            self.source_spans.len(),
            self.source_names.len(),
            self.source_codes.len(),
            self.source_entities.len(),
            self.targets.len(),
            self.cameo.len(),
            self.plover.len(),
            self.quad_class.len(),
            self.goldstein.len(),
            self.negated.len(),
            self.modality.len(),
            self.confidence.len(),
            self.patterns.len(),
            self.speakers.len(),
            self.dates.len(),
            self.places.len(),
        ];
        if lengths.iter().any(|l| *l != n) {
            return Err("event columns of different lengths".into());
        }
        let string = |i: u32| -> Result<String, String> {
            strings
                .get(i as usize)
                .cloned()
                .ok_or_else(|| format!("string {i} out of range"))
        };
        let covered_or = |i: u32, range| match i {
            0 => Ok(doc.slice(range).to_string()),
            i => string(i - 1),
        };
        let range = |start: i64, length: u32| -> Result<dyad_document::TextRange, String> {
            let start = u32::try_from(start).map_err(|_| "span out of range".to_string())?;
            let end = start
                .checked_add(length)
                .ok_or_else(|| "span out of range".to_string())?;
            Ok(dyad_document::TextRange::new(start as usize, end as usize))
        };
        let place = |p: Option<(u32, u32)>| -> Result<Option<dyad_document::EventPlace>, String> {
            p.map(|(place, rule)| {
                Ok(dyad_document::EventPlace {
                    place,
                    rule: string(rule)?,
                })
            })
            .transpose()
        };
        let mut events = Vec::with_capacity(n);
        let mut previous = 0i64;
        for i in 0..n {
            // Every column has `n` entries (checked above).
            let (delta, length) = self.evidence[i];
            let evidence_start = previous
                .checked_add(delta)
                .ok_or_else(|| "span out of range".to_string())?;
            previous = evidence_start;
            let evidence = range(evidence_start, length)?;
            let actor_range = |(start, length): (i64, u32)| {
                range(
                    start
                        .checked_add(evidence_start)
                        .ok_or_else(|| "span out of range".to_string())?,
                    length,
                )
            };
            let source_range = actor_range(self.source_spans[i])?;
            let target = match self.targets[i] {
                Some((start, length, name, code, entity)) => {
                    let range = actor_range((start, length))?;
                    Some(dyad_document::EventActor {
                        range,
                        name: covered_or(name, range)?,
                        code: string(code)?,
                        entity,
                    })
                }
                None => None,
            };
            let [at, source_place, target_place] = self.places[i];
            events.push(Event {
                sentence: self.sentences[i],
                source: dyad_document::EventActor {
                    range: source_range,
                    name: covered_or(self.source_names[i], source_range)?,
                    code: string(self.source_codes[i])?,
                    entity: self.source_entities[i],
                },
                target,
                cameo: string(self.cameo[i])?,
                plover: self.plover[i]
                    .map(|(event_type, mode)| {
                        Ok::<_, String>(dyad_document::Plover {
                            event_type: string(event_type)?,
                            mode: string(mode)?,
                        })
                    })
                    .transpose()?,
                quad_class: self.quad_class[i],
                goldstein: self.goldstein[i],
                negated: self.negated[i],
                modality: self.modality[i],
                confidence: self.confidence[i],
                evidence,
                pattern: string(self.patterns[i])?,
                speaker: self.speakers[i].clone(),
                date: self.dates[i],
                place: place(at)?,
                source_place: place(source_place)?,
                target_place: place(target_place)?,
            });
        }
        Ok(events)
    }
}

/// What [`CODEC_ZSTD`] stores before compression: the layers by column ([`Columns`] with no
/// event rows), the events by column and the entity readings.
#[derive(Serialize, Deserialize)]
struct LayersV5 {
    columns: Columns,
    events: EventColumns,
    readings: Vec<StoredReading>,
}

/// The uncompressed [`CODEC_ZSTD`] form of a document's layers.
fn encode_v5(doc: &Document) -> Result<Vec<u8>, StoreError> {
    let mut strings = Strings::default();
    let mut columns = columns_of(doc, &mut strings);
    let events = EventColumns::of(doc, &mut strings);
    columns.strings = strings.list;
    let layers = LayersV5 {
        columns,
        events,
        readings: stored_readings(doc),
    };
    postcard::to_allocvec(&layers).map_err(|e| StoreError::Layers {
        document: doc.id().to_string(),
        reason: e.to_string(),
    })
}

/// The document back from [`encode_v5`] bytes.
fn decode_v5(id: &str, bytes: &[u8], text: String, meta: Metadata) -> Result<Document, StoreError> {
    let bad = |reason: String| StoreError::Layers {
        document: id.to_string(),
        reason,
    };
    let layers: LayersV5 = postcard::from_bytes(bytes).map_err(|e| bad(e.to_string()))?;
    let strings = layers.columns.strings.clone();
    let mut doc = document_from_columns(id, layers.columns, layers.readings, text, meta)?;
    doc.events = layers.events.events(&doc, &strings).map_err(bad)?;
    Ok(doc)
}

/// The dictionaries of a database by id (`layer_dictionaries`); `None` when there is no such
/// dictionary.
pub type Dictionaries<'a> = &'a dyn Fn(u32) -> Result<Option<Vec<u8>>, StoreError>;

/// Writes [`CODEC_ZSTD`] blobs: a varint dictionary id (0: none), then a zstd frame of
/// [`encode_v5`] compressed with that dictionary. Holds the prepared dictionary, so make one
/// per batch, not per document.
pub struct Packer {
    dictionary: u32,
    compressor: zstd::bulk::Compressor<'static>,
}

impl Packer {
    /// A packer with dictionary `id` (`0` and an empty dictionary: none).
    pub fn new(id: u32, dictionary: &[u8]) -> Result<Packer, StoreError> {
        let compressor = if id == 0 {
            zstd::bulk::Compressor::new(ZSTD_LEVEL)
        } else {
            zstd::bulk::Compressor::with_dictionary(ZSTD_LEVEL, dictionary)
        }
        .map_err(|e| StoreError::Dictionary {
            dictionary: id,
            reason: e.to_string(),
        })?;
        Ok(Packer {
            dictionary: id,
            compressor,
        })
    }

    /// The stored form of `doc`'s layers and its codec: [`CODEC_COMPACT`], or [`CODEC_ZSTD`]
    /// for the rare document with a value the compact form cannot hold (a date out of range).
    pub fn pack(&mut self, doc: &Document) -> Result<(i64, Vec<u8>), StoreError> {
        match compact::encode(doc)? {
            Some(raw) => Ok((CODEC_COMPACT, self.compress(doc.id(), &raw)?)),
            None => Ok((CODEC_ZSTD, self.compress(doc.id(), &encode_v5(doc)?)?)),
        }
    }

    /// Compresses the [`encode_v5`] bytes of document `id` (also those of [`raw_v5`]).
    pub fn compress(&mut self, id: &str, raw: &[u8]) -> Result<Vec<u8>, StoreError> {
        let mut out = Vec::with_capacity(raw.len() / 3 + 8);
        write_varint(&mut out, self.dictionary);
        let frame = self
            .compressor
            .compress(raw)
            .map_err(|e| StoreError::Layers {
                document: id.to_string(),
                reason: format!("zstd: {e}"),
            })?;
        out.extend_from_slice(&frame);
        Ok(out)
    }
}

fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// The varint at the start of `bytes` and what follows it.
fn read_varint(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let mut value = 0u32;
    for (i, byte) in bytes.iter().enumerate().take(5) {
        value |= u32::from(byte & 0x7f).checked_shl(7 * i as u32)?;
        if byte & 0x80 == 0 {
            return Some((value, bytes.get(i + 1..)?));
        }
    }
    None
}

/// Largest uncompressed layers accepted (a corrupt frame header cannot make dyad allocate
/// more).
const MAX_RAW_LAYERS: usize = 64 << 20;

/// The dictionary id of a [`CODEC_ZSTD`] blob and its [`encode_v5`] bytes.
pub fn raw_v5(
    id: &str,
    packed: &[u8],
    dictionaries: Dictionaries<'_>,
) -> Result<(u32, Vec<u8>), StoreError> {
    let bad = |reason: String| StoreError::Layers {
        document: id.to_string(),
        reason,
    };
    let (dictionary, frame) =
        read_varint(packed).ok_or_else(|| bad("no dictionary id".to_string()))?;
    let capacity = zstd::bulk::Decompressor::upper_bound(frame)
        .unwrap_or(MAX_RAW_LAYERS)
        .min(MAX_RAW_LAYERS);
    let mut decompressor = if dictionary == 0 {
        zstd::bulk::Decompressor::new()
    } else {
        let bytes = dictionaries(dictionary)?
            .ok_or_else(|| bad(format!("layer dictionary {dictionary} is missing")))?;
        zstd::bulk::Decompressor::with_dictionary(&bytes)
    }
    .map_err(|e| bad(format!("zstd: {e}")))?;
    let raw = decompressor
        .decompress(frame, capacity)
        .map_err(|e| bad(format!("not zstd data: {e}")))?;
    Ok((dictionary, raw))
}

/// A dictionary for [`CODEC_ZSTD`] blobs trained on these [`encode_v5`] samples; `None` when
/// zstd finds too little to train on.
pub fn train_dictionary(samples: &[Vec<u8>]) -> Option<Vec<u8>> {
    let bytes = if samples.len() as i64 >= crate::store::DICTIONARY_FULL_DOCUMENTS {
        FULL_DICTIONARY_BYTES
    } else {
        DICTIONARY_BYTES
    };
    zstd::dict::from_samples(samples, bytes).ok()
}

/// The [`CODEC_ZSTD`] document back from its blob.
fn unpack_v5(
    id: &str,
    packed: &[u8],
    text: String,
    meta: Metadata,
    dictionaries: Dictionaries<'_>,
) -> Result<Document, StoreError> {
    let (_, raw) = raw_v5(id, packed, dictionaries)?;
    decode_v5(id, &raw, text, meta)
}

/// The document of a blob of any codec but [`CODEC_JSON`] (which holds the JSON contract,
/// not the typed layers).
pub fn unpack(
    codec: i64,
    id: &str,
    packed: &[u8],
    text: String,
    meta: Metadata,
    dictionaries: Dictionaries<'_>,
) -> Result<Document, StoreError> {
    match codec {
        CODEC_BINARY => unpack_document(id, packed, text, meta),
        CODEC_COLUMNS | CODEC_READINGS => unpack_columns(codec, id, packed, text, meta),
        CODEC_ZSTD => unpack_v5(id, packed, text, meta, dictionaries),
        CODEC_COMPACT => {
            let (_, raw) = raw_v5(id, packed, dictionaries)?;
            compact::decode(id, &raw, text, meta)
        }
        other => Err(StoreError::Layers {
            document: id.to_string(),
            reason: format!("unknown layer codec {other}; upgrade dyad"),
        }),
    }
}

/// The [`CODEC_BINARY`] form (schema 2; tests make old rows with it).
#[cfg(test)]
pub fn pack_binary(doc: &Document) -> Result<Vec<u8>, StoreError> {
    let stored = Stored {
        origin: doc.meta.origin.clone(),
        alignment: doc.alignment.clone(),
        sentences: doc.sentences.clone(),
        entities: doc.entities.clone(),
        quotes: doc.quotes.clone(),
        dates: doc.dates.clone(),
        places: doc.places.clone(),
        events: doc.events.clone(),
    };
    let bytes = postcard::to_allocvec(&stored).map_err(|e| StoreError::Layers {
        document: doc.id().to_string(),
        reason: e.to_string(),
    })?;
    deflate(&bytes)
}

/// The document back from [`CODEC_BINARY`] layers, its text and the metadata of its row.
pub fn unpack_document(
    id: &str,
    packed: &[u8],
    text: String,
    meta: Metadata,
) -> Result<Document, StoreError> {
    let bad = |reason: String| StoreError::Layers {
        document: id.to_string(),
        reason,
    };
    let mut bytes = Vec::new();
    DeflateDecoder::new(packed)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(format!("not deflate data: {e}")))?;
    let stored: Stored = postcard::from_bytes(&bytes).map_err(|e| bad(e.to_string()))?;
    let mut doc = Document::new(
        text,
        Metadata {
            origin: stored.origin,
            ..meta
        },
    );
    doc.alignment = stored.alignment;
    doc.sentences = stored.sentences;
    doc.entities = stored.entities;
    doc.quotes = stored.quotes;
    doc.dates = stored.dates;
    doc.places = stored.places;
    doc.events = stored.events;
    Ok(doc)
}

/// The JSON contract of a document stored with `codec`.
pub fn unpack_json(
    codec: i64,
    id: &str,
    packed: &[u8],
    text: String,
    meta: Metadata,
    dictionaries: Dictionaries<'_>,
) -> Result<String, StoreError> {
    match codec {
        CODEC_JSON => unpack_v1(packed, &text),
        _ => Ok(unpack(codec, id, packed, text, meta, dictionaries)?
            .to_json_line(JsonOptions::default())),
    }
}

/// The text of every sentence of a stored document (for rebuilding the full-text index).
pub fn sentence_texts(
    codec: i64,
    id: &str,
    packed: &[u8],
    text: &str,
    dictionaries: Dictionaries<'_>,
) -> Result<Vec<String>, StoreError> {
    let doc = match codec {
        CODEC_JSON => {
            // Code point offsets.
            let chars: Vec<char> = text.chars().collect();
            return Ok(v1_sentences(packed)?
                .into_iter()
                .map(|(start, end)| {
                    chars
                        .get(start as usize..end as usize)
                        .map(|c| c.iter().collect())
                        .unwrap_or_default()
                })
                .collect());
        }
        _ => unpack(
            codec,
            id,
            packed,
            text.to_string(),
            Metadata::default(),
            dictionaries,
        )?,
    };
    Ok(doc
        .sentences
        .iter()
        .map(|s| doc.slice(s.range).to_string())
        .collect())
}

/// Sentence ranges in code points from a [`CODEC_JSON`] blob (for the schema 2 migration).
pub fn v1_sentences(packed: &[u8]) -> Result<Vec<(u64, u64)>, StoreError> {
    let value = v1_value(packed)?;
    Ok(value
        .get("sentences")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|s| {
                    let at = |k: &str| s.get(k).and_then(Value::as_u64).unwrap_or(0);
                    (at("start"), at("end"))
                })
                .collect()
        })
        .unwrap_or_default())
}

fn v1_value(packed: &[u8]) -> Result<Value, StoreError> {
    let mut json = String::new();
    DeflateDecoder::new(packed).read_to_string(&mut json)?;
    Ok(serde_json::from_str(&json)?)
}

/// Removes `text` from the top level and from every object with integer `start` and `end`.
#[cfg(test)]
fn strip(value: &mut Value, top: bool) {
    match value {
        Value::Object(map) => {
            let is_span = map.get("start").is_some_and(|v| v.is_u64() || v.is_null())
                && map.get("end").is_some_and(|v| v.is_u64() || v.is_null());
            if top || is_span {
                map.remove("text");
            }
            for v in map.values_mut() {
                strip(v, false);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip(v, false)),
        _ => {}
    }
}

/// The schema 1 form (kept to make schema 1 fixtures in tests).
#[cfg(test)]
pub fn pack_v1(document_json: &str) -> Result<Vec<u8>, StoreError> {
    let mut value: Value = serde_json::from_str(document_json)?;
    strip(&mut value, true);
    let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    serde_json::to_writer(&mut encoder, &value)?;
    Ok(encoder.finish()?)
}

/// Puts back what the schema 1 writer removed, from the code point offsets.
fn restore(value: &mut Value, chars: &[char]) {
    match value {
        Value::Object(map) => {
            let start = map.get("start").map(|v| v.as_u64());
            let end = map.get("end").map(|v| v.as_u64());
            if let (Some(start), Some(end)) = (start, end) {
                let text = match (start, end) {
                    (Some(s), Some(e)) => chars
                        .get(s as usize..e as usize)
                        .map(|c| Value::String(c.iter().collect())),
                    _ => None,
                };
                map.insert("text".into(), text.unwrap_or(Value::Null));
            }
            for (key, v) in map.iter_mut() {
                if key != "text" {
                    restore(v, chars);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| restore(v, chars)),
        _ => {}
    }
}

/// The document JSON back from its schema 1 form and the article text.
fn unpack_v1(packed: &[u8], text: &str) -> Result<String, StoreError> {
    let mut value = v1_value(packed)?;
    let chars: Vec<char> = text.chars().collect();
    restore(&mut value, &chars);
    if let Value::Object(map) = &mut value {
        map.insert("text".into(), Value::String(text.to_string()));
    }
    Ok(serde_json::to_string(&value)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database without layer dictionaries.
    fn none(_: u32) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(None)
    }

    #[test]
    fn schema_1_round_trip_restores_every_span_text() {
        let doc = r#"{"schema_version":1,"id":"x","text":"Kabul’s fall. Taliban met.","sentences":[{"start":0,"end":13,"text":"Kabul’s fall."},{"start":14,"end":26,"text":"Taliban met."}],"quotes":[{"start":0,"end":5,"text":"Kabul","speaker":{"name":"X","entity":null,"start":null,"end":null,"text":null}}]}"#;
        let packed = pack_v1(doc).unwrap();
        let back = unpack_json(
            CODEC_JSON,
            "x",
            &packed,
            "Kabul’s fall. Taliban met.".into(),
            Metadata::default(),
            &none,
        )
        .unwrap();
        let a: Value = serde_json::from_str(doc).unwrap();
        let b: Value = serde_json::from_str(&back).unwrap();
        assert_eq!(a, b);
        assert!(!String::from_utf8_lossy(&packed).contains("Taliban"));
        assert_eq!(v1_sentences(&packed).unwrap(), vec![(0, 13), (14, 26)]);
    }

    /// A document with a sentence, an entity and a place (no tokens: they are not stored).
    fn coded(text: &str) -> Document {
        let mut doc = Document::new(text.to_string(), Metadata::default());
        doc.sentences.push(Sentence {
            range: dyad_document::TextRange::new(0, text.len()),
        });
        if let Some(at) = text.find("Taliban") {
            doc.entities.push(Entity {
                range: dyad_document::TextRange::new(at, at + 7),
                label: dyad_document::EntityLabel::Org,
                canonical: "Taliban".into(),
                referent: 0,
                actor: Some("AFGINSTAL".into()),
            });
        }
        doc
    }

    #[test]
    fn binary_round_trip_keeps_every_layer() {
        let doc = coded("Kabul’s fall. Taliban met Ünal.");
        let packed = pack_binary(&doc).unwrap();
        let back =
            unpack_document(doc.id(), &packed, doc.text().to_string(), doc.meta.clone()).unwrap();
        assert_eq!(back, doc);
        let mut raw = Vec::new();
        DeflateDecoder::new(&packed[..])
            .read_to_end(&mut raw)
            .unwrap();
        assert!(
            !String::from_utf8_lossy(&raw).contains("fall"),
            "no copy of the text"
        );
    }

    #[test]
    fn column_round_trip_keeps_every_layer() {
        let text = "Kabul’s fall. Taliban met Ünal in Kabul and Kabul.";
        let mut doc = coded(text);
        let kabul: Vec<usize> = text.match_indices("Kabul").map(|(at, _)| at).collect();
        let unal = text.find("Ünal").unwrap();
        let place = |at: usize, name: &str, lat: f64| Place {
            range: dyad_document::TextRange::new(at, at + 5),
            name: name.to_string(),
            geonameid: Some(1138958),
            feature: "P.PPLC".into(),
            country_code: Some("AF".into()),
            admin1: Some("13".into()),
            lat,
            lon: 69.17,
            confidence: 0.9,
        };
        // The same entry twice, a name other than the text, and a negative zero.
        doc.places = vec![
            place(kabul[0], "Kabul", 34.53),
            place(kabul[1], "Kabul", 34.53),
            place(kabul[2], "Kābul", -0.0),
        ];
        doc.entities.push(Entity {
            range: dyad_document::TextRange::new(unal, unal + "Ünal".len()),
            label: dyad_document::EntityLabel::Person,
            canonical: "Ünal Çevik".into(),
            referent: 1,
            actor: None,
        });
        let packed = pack_v4(&doc).unwrap();
        let back = unpack_columns(
            CODEC_READINGS,
            doc.id(),
            &packed,
            doc.text().to_string(),
            doc.meta.clone(),
        )
        .unwrap();
        assert_eq!(back, doc);
        assert!(back.places[2].lat.is_sign_negative());
        assert!(packed.len() < pack_binary(&doc).unwrap().len());
    }

    #[test]
    fn entity_readings_round_trip() {
        let mut doc = coded("Taliban met envoys.");
        assert!(!doc.entities.is_empty());
        doc.readings = vec![dyad_document::EntityReading {
            entity: 0,
            label: dyad_document::EntityLabel::Org,
            range: doc.entities[0].range,
            cue: "subject".into(),
        }];
        let packed = pack_v4(&doc).unwrap();
        let back = unpack_columns(
            CODEC_READINGS,
            doc.id(),
            &packed,
            doc.text().to_string(),
            doc.meta.clone(),
        )
        .unwrap();
        assert_eq!(back.readings, doc.readings);
        let json = unpack_json(
            CODEC_READINGS,
            doc.id(),
            &packed,
            doc.text().to_string(),
            doc.meta.clone(),
            &none,
        )
        .unwrap();
        assert!(
            json.contains(
                r#""reading":{"label":"ORG","start":0,"end":7,"text":"Taliban","cue":"subject"}"#
            ),
            "{json}"
        );
    }

    #[test]
    fn corrupt_blobs_are_errors_not_panics() {
        for codec in [
            CODEC_BINARY,
            CODEC_COLUMNS,
            CODEC_READINGS,
            CODEC_ZSTD,
            CODEC_COMPACT,
        ] {
            for blob in [&b""[..], b"\x00\x01\x02", b"garbage that is not deflate"] {
                assert!(
                    unpack_json(codec, "x", blob, "text".into(), Metadata::default(), &none)
                        .is_err()
                );
            }
        }
        let doc = coded("Taliban met envoys.");
        for (codec, packed) in [
            (CODEC_BINARY, pack_binary(&doc).unwrap()),
            (CODEC_READINGS, pack_v4(&doc).unwrap()),
            (
                CODEC_COMPACT,
                Packer::new(0, &[]).unwrap().pack(&doc).unwrap().1,
            ),
        ] {
            // The same layers over a shorter text: spans out of the text read as empty.
            let json = unpack_json(
                codec,
                "x",
                &packed,
                "Tal".into(),
                Metadata::default(),
                &none,
            );
            assert!(json.is_ok());
            assert!(unpack_json(9, "x", &packed, "t".into(), Metadata::default(), &none).is_err());
        }
    }

    /// `coded` with two events: one with a target, PLOVER, a date, places and a speaker whose
    /// names differ from the text they cover, one without any of it.
    fn with_events(text: &str) -> Document {
        let mut doc = coded(text);
        let at = |word: &str| {
            let start = text.find(word).unwrap();
            dyad_document::TextRange::new(start, start + word.len())
        };
        doc.places = vec![Place {
            range: at("Doha"),
            name: "Doha".into(),
            geonameid: Some(290030),
            feature: "P.PPLC".into(),
            country_code: Some("QA".into()),
            admin1: None,
            lat: 25.28,
            lon: 51.53,
            confidence: 0.8,
        }];
        let day: jiff::civil::Date = "2021-08-25".parse().unwrap();
        let place = |rule: &str| {
            Some(dyad_document::EventPlace {
                place: 0,
                rule: rule.into(),
            })
        };
        doc.events = vec![
            Event {
                sentence: 0,
                source: dyad_document::EventActor {
                    range: at("Taliban"),
                    name: "Taliban".into(),
                    code: "AFGINSTAL".into(),
                    entity: Some(0),
                },
                target: Some(dyad_document::EventActor {
                    range: at("envoys"),
                    name: "U.S. envoys".into(),
                    code: "USAGOV".into(),
                    entity: None,
                }),
                cameo: "040".into(),
                plover: Some(dyad_document::Plover {
                    event_type: "CONSULT".into(),
                    mode: "meet".into(),
                }),
                quad_class: 1,
                goldstein: 1.0,
                negated: false,
                modality: dyad_document::Modality::Reported,
                confidence: 0.55,
                evidence: at("met"),
                pattern: "MEET [040]".into(),
                speaker: Some(dyad_document::Speaker {
                    name: "officials".into(),
                    entity: None,
                    range: None,
                }),
                date: Some(dyad_document::EventDate {
                    value: dyad_document::DateValue {
                        start: day,
                        end: day,
                        granularity: dyad_document::Granularity::Day,
                    },
                    expression: None,
                }),
                place: place("sentence"),
                source_place: None,
                target_place: place("nearest"),
            },
            Event {
                sentence: 0,
                source: dyad_document::EventActor {
                    range: at("envoys"),
                    name: "envoys".into(),
                    code: String::new(),
                    entity: None,
                },
                target: None,
                cameo: "0231".into(),
                plover: None,
                quad_class: 2,
                goldstein: -3.4,
                negated: true,
                modality: dyad_document::Modality::Asserted,
                confidence: 0.4,
                evidence: at("Taliban"),
                pattern: "* AID".into(),
                speaker: None,
                date: None,
                place: None,
                source_place: None,
                target_place: None,
            },
        ];
        doc
    }

    #[test]
    fn zstd_round_trip_keeps_every_layer_with_and_without_a_dictionary() {
        let doc = with_events("The Taliban met U.S. envoys in Doha on Wednesday.");
        let samples: Vec<Vec<u8>> = (0..300)
            .map(|i| {
                let text = format!("Report {i}: the Taliban met U.S. envoys in Doha, {i} said.");
                encode_v5(&with_events(&text)).unwrap()
            })
            .collect();
        let dictionary = train_dictionary(&samples).expect("a dictionary");
        let lookup = |id: u32| Ok((id == 7).then(|| dictionary.clone()));
        for (id, bytes) in [(0, &[][..]), (7, &dictionary[..])] {
            let (codec, packed) = Packer::new(id, bytes).unwrap().pack(&doc).unwrap();
            assert_eq!(codec, CODEC_COMPACT);
            assert_eq!(packed[0], id as u8, "the dictionary id comes first");
            let back = unpack(
                codec,
                doc.id(),
                &packed,
                doc.text().to_string(),
                doc.meta.clone(),
                &lookup,
            )
            .unwrap();
            assert_eq!(back, doc);
        }
        // Without its dictionary a blob is an error that names the document.
        let (codec, packed) = Packer::new(7, &dictionary).unwrap().pack(&doc).unwrap();
        match unpack_json(
            codec,
            "sha256:abc",
            &packed,
            doc.text().into(),
            Metadata::default(),
            &none,
        ) {
            Err(StoreError::Layers { document, reason }) => {
                assert_eq!(document, "sha256:abc");
                assert!(reason.contains("dictionary 7"), "{reason}");
            }
            other => panic!("expected a layers error, got {other:?}"),
        }
    }

    #[test]
    fn corrupt_zstd_blobs_are_errors_that_name_the_document() {
        let doc = with_events("The Taliban met U.S. envoys in Doha on Wednesday.");
        let (codec, packed) = Packer::new(0, &[]).unwrap().pack(&doc).unwrap();
        let mut cases = vec![packed[..packed.len() / 2].to_vec(), vec![0x80; 8]];
        let mut flipped = packed.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x55;
        cases.push(flipped);
        // A valid frame of bytes that are not layers.
        let mut junk = vec![0u8];
        junk.extend(zstd::bulk::compress(&[0xff; 64], 3).unwrap());
        cases.push(junk);
        for blob in cases {
            match unpack_json(
                codec,
                "sha256:abc",
                &blob,
                doc.text().into(),
                Metadata::default(),
                &none,
            ) {
                Err(StoreError::Layers { document, .. }) => assert_eq!(document, "sha256:abc"),
                Ok(_) => {} // a flipped bit may still decode to some document
                Err(other) => panic!("expected a layers error, got {other:?}"),
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_to_an_error_or_a_document(bytes in proptest::collection::vec(0u8..=255, 0..200)) {
            let _ = unpack_json(CODEC_BINARY, "x", &bytes, "some text".into(), Metadata::default(), &none);
            let _ = unpack_json(CODEC_COLUMNS, "x", &bytes, "some text".into(), Metadata::default(), &none);
            let _ = unpack_json(CODEC_READINGS, "x", &bytes, "some text".into(), Metadata::default(), &none);
            let _ = unpack_json(CODEC_JSON, "x", &bytes, "some text".into(), Metadata::default(), &none);
            let _ = unpack_json(CODEC_ZSTD, "x", &bytes, "some text".into(), Metadata::default(), &none);
            let _ = unpack_json(CODEC_COMPACT, "x", &bytes, "some text".into(), Metadata::default(), &none);
        }
    }
}

/// Measurements on a real database, run by hand:
/// `DYAD_LAYER_STATS_DB=bench.db cargo test --release -p dyad-store --lib layer_stats -- --ignored --nocapture`
/// (`bench.db` from `dyad bench ingest` with a schema 5 build for `migration_keeps_every_document`).
#[cfg(test)]
mod layer_stats {
    use super::*;

    fn load(path: &str) -> Vec<Document> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let dict: Option<Vec<u8>> = conn
            .query_row(
                "SELECT dictionary FROM layer_dictionaries ORDER BY id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .ok();
        let lookup = move |_: u32| Ok(dict.clone());
        let mut stmt = conn
            .prepare("SELECT id, layers_codec, layers, text FROM documents WHERE length(layers) > 0 ORDER BY seq")
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .unwrap();
        rows.map(|r| {
            let (id, codec, layers, text) = r.unwrap();
            unpack(codec, &id, &layers, text, Metadata::default(), &lookup).unwrap()
        })
        .collect()
    }

    fn measure(name: &str, raws: &[Vec<u8>]) {
        let samples: usize = std::env::var("DYAD_LAYER_STATS_SAMPLES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(200);
        let size: usize = std::env::var("DYAD_LAYER_STATS_DICTIONARY_BYTES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(DICTIONARY_BYTES);
        let dict =
            zstd::dict::from_samples(&raws[..samples.min(raws.len())], size).unwrap_or_default();
        let mut c = if dict.is_empty() {
            zstd::bulk::Compressor::new(ZSTD_LEVEL).unwrap()
        } else {
            zstd::bulk::Compressor::with_dictionary(ZSTD_LEVEL, &dict).unwrap()
        };
        let raw: usize = raws.iter().map(|r| r.len()).sum();
        let packed: usize = raws.iter().map(|r| c.compress(r).unwrap().len() + 1).sum();
        eprintln!("{name:30} raw {raw:>9} packed {packed:>9}");
    }

    /// `DYAD_LAYER_STATS_DB=<schema 5 db>`: every document's JSON read from the schema 5 blobs
    /// equals the one read after the migration to schema 6; times both reads.
    #[test]
    #[ignore]
    fn migration_keeps_every_document() {
        let path = std::env::var("DYAD_LAYER_STATS_DB").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("copy.db");
        std::fs::copy(&path, &copy).unwrap();
        let conn = rusqlite::Connection::open(&copy).unwrap();
        let dictionaries = |id: u32| crate::store::dictionary(&conn, id);
        let mut before = Vec::new();
        {
            let mut stmt = conn
                .prepare("SELECT id, layers_codec, layers, text FROM documents WHERE length(layers) > 0 ORDER BY seq")
                .unwrap();
            let rows: Vec<(String, i64, Vec<u8>, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let started = std::time::Instant::now();
            for (id, codec, layers, text) in &rows {
                assert_eq!(*codec, CODEC_ZSTD);
                before.push((
                    id.clone(),
                    unpack_json(
                        *codec,
                        id,
                        layers,
                        text.clone(),
                        Metadata::default(),
                        &dictionaries,
                    )
                    .unwrap(),
                ));
            }
            eprintln!(
                "schema 5 decode: {:.1} µs per document",
                started.elapsed().as_secs_f64() * 1e6 / rows.len() as f64
            );
        }
        drop(conn);
        drop(crate::Store::open(&copy).unwrap());
        let store = crate::Store::open_read_only(&copy).unwrap();
        let started = std::time::Instant::now();
        let mut after = Vec::new();
        for (id, _) in &before {
            after.push(store.document_json(id).unwrap().unwrap());
        }
        eprintln!(
            "schema 6 document_json: {:.1} µs per document",
            started.elapsed().as_secs_f64() * 1e6 / before.len() as f64
        );
        let started = std::time::Instant::now();
        for (id, _) in &before {
            store.document_json(id).unwrap().unwrap();
        }
        eprintln!(
            "schema 6 document_json again: {:.1} µs per document",
            started.elapsed().as_secs_f64() * 1e6 / before.len() as f64
        );
        // The schema 5 reads compared with the metadata of each row: compare the layers.
        for ((id, old), new) in before.iter().zip(&after) {
            // The schema 5 read above had no row metadata (columns the migration leaves alone).
            let mut old: serde_json::Value = serde_json::from_str(old).unwrap();
            let new: serde_json::Value = serde_json::from_str(new).unwrap();
            for key in [
                "source",
                "url",
                "title",
                "published",
                "external_id",
                "language",
            ] {
                old[key] = new[key].clone();
            }
            assert!(old == new, "{id}");
        }
        eprintln!("{} documents identical", before.len());
    }

    /// Compressed bytes of the layers as schema 5 and 6 store them, and what each layer adds
    /// (the blobs without it, with a dictionary trained on them).
    #[test]
    #[ignore]
    fn stats() {
        let path = std::env::var("DYAD_LAYER_STATS_DB").unwrap();
        let docs = load(&path);
        let variant = |name: &str, f: &dyn Fn(&mut Document)| {
            let raws: Vec<Vec<u8>> = docs
                .iter()
                .map(|d| {
                    let mut d = d.clone();
                    f(&mut d);
                    encode_v5(&d).unwrap()
                })
                .collect();
            measure(name, &raws);
        };
        variant("full", &|_| {});
        let v6: Vec<Vec<u8>> = docs
            .iter()
            .map(|d| compact::encode(d).unwrap().unwrap())
            .collect();
        for (d, raw) in docs.iter().zip(&v6) {
            let back = compact::decode(d.id(), raw, d.text().to_string(), d.meta.clone()).unwrap();
            assert_eq!(&back, d);
        }
        measure("v6", &v6);
        if std::env::var_os("DYAD_LAYER_STATS_SHORT").is_some() {
            return;
        }
        variant("-sentences", &|d| d.sentences.clear());
        variant("-entities(+readings)", &|d| {
            d.entities.clear();
            d.readings.clear()
        });
        variant("-readings", &|d| d.readings.clear());
        variant("-quotes", &|d| d.quotes.clear());
        variant("-dates", &|d| d.dates.clear());
        variant("-places", &|d| d.places.clear());
        variant("-events", &|d| d.events.clear());
        variant("-origin", &|d| d.meta.origin = Default::default());
        variant("-alignment", &|d| d.alignment = Default::default());
        variant("-everything", &|d| {
            d.sentences.clear();
            d.entities.clear();
            d.readings.clear();
            d.quotes.clear();
            d.dates.clear();
            d.places.clear();
            d.events.clear();
        });
        variant("-event patterns", &|d| {
            d.events.iter_mut().for_each(|e| e.pattern.clear())
        });
        variant("-event confidence", &|d| {
            d.events.iter_mut().for_each(|e| e.confidence = 0.0)
        });
        variant("-event speakers", &|d| {
            d.events.iter_mut().for_each(|e| e.speaker = None)
        });
        variant("-event dates", &|d| {
            d.events.iter_mut().for_each(|e| e.date = None)
        });
        variant("-event places", &|d| {
            d.events.iter_mut().for_each(|e| {
                e.place = None;
                e.source_place = None;
                e.target_place = None
            })
        });
        variant("-event names", &|d| {
            let text = d.text().to_string();
            for e in &mut d.events {
                e.source.name = text[e.source.range.as_range()].to_string();
                if let Some(t) = &mut e.target {
                    t.name = text[t.range.as_range()].to_string();
                }
            }
        });
        variant("-entity canonical", &|d| {
            let t = d.text().to_string();
            d.entities
                .iter_mut()
                .for_each(|e| e.canonical = t[e.range.as_range()].to_string())
        });
        variant("-entity actors", &|d| {
            d.entities.iter_mut().for_each(|e| e.actor = None)
        });
        variant("-place coords", &|d| {
            d.places.iter_mut().for_each(|p| {
                p.lat = 0.0;
                p.lon = 0.0
            })
        });
        variant("-place confidence", &|d| {
            d.places.iter_mut().for_each(|p| p.confidence = 0.0)
        });
        variant("-quote speakers", &|d| {
            d.quotes.iter_mut().for_each(|q| q.speaker = None)
        });
        let n: usize = docs.len();
        let count = |f: &dyn Fn(&Document) -> usize| docs.iter().map(f).sum::<usize>();
        eprintln!(
            "docs {n} sentences {} entities {} readings {} quotes {} dates {} places {} events {} align {}",
            count(&|d| d.sentences.len()),
            count(&|d| d.entities.len()),
            count(&|d| d.readings.len()),
            count(&|d| d.quotes.len()),
            count(&|d| d.dates.len()),
            count(&|d| d.places.len()),
            count(&|d| d.events.len()),
            count(&|d| postcard::to_allocvec(&d.alignment).unwrap().len()),
        );
    }
}

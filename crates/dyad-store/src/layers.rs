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
//! - [`CODEC_READINGS`] (schema 4 on): [`CODEC_COLUMNS`] followed by one more column, the
//!   entities' second readings ([`dyad_document::EntityReading`]). Written by dyad now;
//!   rows written as [`CODEC_COLUMNS`] are read with no readings.
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

/// Deflated JSON without text copies (schema 1).
pub const CODEC_JSON: i64 = 1;
/// Deflated postcard of the typed layers (schema 2). Still read, no longer written.
pub const CODEC_BINARY: i64 = 2;
/// Deflated postcard of the layers by column (schema 3): see [`Columns`].
pub const CODEC_COLUMNS: i64 = 3;
/// [`CODEC_COLUMNS`] plus the entity readings column: what [`pack`] writes.
pub const CODEC_READINGS: i64 = 4;

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

/// The stored form of a document's layers ([`CODEC_COLUMNS`]).
pub fn pack(doc: &Document) -> Result<Vec<u8>, StoreError> {
    let mut strings = Strings::default();
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
        events: doc.events.clone(),
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
    columns.strings = strings.list;
    let readings: Vec<StoredReading> = doc
        .readings
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
        .collect();
    let bytes = postcard::to_allocvec(&(columns, readings)).map_err(|e| StoreError::Layers {
        document: doc.id().to_string(),
        reason: e.to_string(),
    })?;
    deflate(&bytes)
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
) -> Result<String, StoreError> {
    match codec {
        CODEC_JSON => unpack_v1(packed, &text),
        CODEC_BINARY => {
            Ok(unpack_document(id, packed, text, meta)?.to_json_line(JsonOptions::default()))
        }
        CODEC_COLUMNS | CODEC_READINGS => {
            Ok(unpack_columns(codec, id, packed, text, meta)?.to_json_line(JsonOptions::default()))
        }
        other => Err(StoreError::Layers {
            document: id.to_string(),
            reason: format!("unknown layer codec {other}; upgrade dyad"),
        }),
    }
}

/// The text of every sentence of a stored document (for rebuilding the full-text index).
pub fn sentence_texts(
    codec: i64,
    id: &str,
    packed: &[u8],
    text: &str,
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
        CODEC_BINARY => unpack_document(id, packed, text.to_string(), Metadata::default())?,
        CODEC_COLUMNS | CODEC_READINGS => {
            unpack_columns(codec, id, packed, text.to_string(), Metadata::default())?
        }
        other => {
            return Err(StoreError::Layers {
                document: id.to_string(),
                reason: format!("unknown layer codec {other}; upgrade dyad"),
            });
        }
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
        let packed = pack(&doc).unwrap();
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
        let packed = pack(&doc).unwrap();
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
        for codec in [CODEC_BINARY, CODEC_COLUMNS, CODEC_READINGS] {
            for blob in [&b""[..], b"\x00\x01\x02", b"garbage that is not deflate"] {
                assert!(unpack_json(codec, "x", blob, "text".into(), Metadata::default()).is_err());
            }
        }
        let doc = coded("Taliban met envoys.");
        for (codec, packed) in [
            (CODEC_BINARY, pack_binary(&doc).unwrap()),
            (CODEC_READINGS, pack(&doc).unwrap()),
        ] {
            // The same layers over a shorter text: spans out of the text read as empty.
            let json = unpack_json(codec, "x", &packed, "Tal".into(), Metadata::default());
            assert!(json.is_ok());
            assert!(unpack_json(9, "x", &packed, "t".into(), Metadata::default()).is_err());
        }
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_to_an_error_or_a_document(bytes in proptest::collection::vec(0u8..=255, 0..200)) {
            let _ = unpack_json(CODEC_BINARY, "x", &bytes, "some text".into(), Metadata::default());
            let _ = unpack_json(CODEC_COLUMNS, "x", &bytes, "some text".into(), Metadata::default());
            let _ = unpack_json(CODEC_READINGS, "x", &bytes, "some text".into(), Metadata::default());
            let _ = unpack_json(CODEC_JSON, "x", &bytes, "some text".into(), Metadata::default());
        }
    }
}

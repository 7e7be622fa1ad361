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
/// Deflated postcard of the typed layers, tokens by column (schema 2).
pub const CODEC_BINARY: i64 = 2;

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

/// The stored form of a document's layers ([`CODEC_BINARY`]).
pub fn pack(doc: &Document) -> Result<Vec<u8>, StoreError> {
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

/// The document back from its stored layers, its text and the metadata of its row.
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
        other => Err(StoreError::Layers {
            document: id.to_string(),
            reason: format!("unknown layer codec {other}; upgrade dyad"),
        }),
    }
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
        let packed = pack(&doc).unwrap();
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
    fn corrupt_blobs_are_errors_not_panics() {
        for blob in [&b""[..], b"\x00\x01\x02", b"garbage that is not deflate"] {
            assert!(
                unpack_json(CODEC_BINARY, "x", blob, "text".into(), Metadata::default()).is_err()
            );
        }
        let doc = coded("Taliban met envoys.");
        let packed = pack(&doc).unwrap();
        // The same layers over a shorter text: spans out of the text read as empty, no panic.
        let json = unpack_json(
            CODEC_BINARY,
            "x",
            &packed,
            "Tal".into(),
            Metadata::default(),
        );
        assert!(json.is_ok());
        assert!(unpack_json(9, "x", &packed, "t".into(), Metadata::default()).is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_to_an_error_or_a_document(bytes in proptest::collection::vec(0u8..=255, 0..200)) {
            let _ = unpack_json(CODEC_BINARY, "x", &bytes, "some text".into(), Metadata::default());
            let _ = unpack_json(CODEC_JSON, "x", &bytes, "some text".into(), Metadata::default());
        }
    }
}

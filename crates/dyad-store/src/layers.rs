//! Compact storage of a document's layers.
//!
//! The JSON contract repeats the article text and the text of every span; the store keeps the
//! text once (`documents.text`) and the layers without those copies, deflated. Reading puts
//! them back, so [`crate::Store::document_json`] returns exactly what `dyad code` writes.

use crate::StoreError;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use serde_json::Value;
use std::io::Read;

/// Removes `text` from the top level and from every object with integer `start` and `end`.
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

/// Puts back what [`strip`] removed, from the code point offsets.
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

/// The stored form of a document's JSON contract.
pub fn pack(document_json: &str) -> Result<Vec<u8>, StoreError> {
    let mut value: Value = serde_json::from_str(document_json)?;
    strip(&mut value, true);
    let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    serde_json::to_writer(&mut encoder, &value)?;
    Ok(encoder.finish()?)
}

/// The document JSON back from its stored form and the article text.
pub fn unpack(packed: &[u8], text: &str) -> Result<String, StoreError> {
    let mut json = String::new();
    DeflateDecoder::new(packed).read_to_string(&mut json)?;
    let mut value: Value = serde_json::from_str(&json)?;
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
    fn round_trip_restores_every_span_text() {
        let doc = r#"{"schema_version":1,"id":"x","text":"Kabul’s fall. Taliban met.","sentences":[{"start":0,"end":13,"text":"Kabul’s fall."},{"start":14,"end":26,"text":"Taliban met."}],"quotes":[{"start":0,"end":5,"text":"Kabul","speaker":{"name":"X","entity":null,"start":null,"end":null,"text":null}}]}"#;
        let packed = pack(doc).unwrap();
        let back = unpack(&packed, "Kabul’s fall. Taliban met.").unwrap();
        let a: Value = serde_json::from_str(doc).unwrap();
        let b: Value = serde_json::from_str(&back).unwrap();
        assert_eq!(a, b);
        assert!(!String::from_utf8_lossy(&packed).contains("Taliban"));
    }
}

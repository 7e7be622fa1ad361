//! JSON lines, streamed one line at a time with a length limit, and `.json` files.

use crate::decode::decode;
use crate::input::{Context, Item};
use crate::normalize::normalize_text;
use crate::{Found, IngestErrorKind, JsonlFields, clean_html, make_document, parse_date};
use serde_json::{Map, Value};
use std::io::BufRead;

/// What [`read_line_limited`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// End of input, nothing read.
    End,
    /// A line (without its `\n`) is in the buffer.
    Complete,
    /// The line was longer than the limit; it was read and discarded.
    TooLong,
}

/// Reads one line into `buffer` (cleared first), in chunks; a line longer than `limit`
/// is consumed and discarded without being held in memory. Returns the bytes consumed too.
pub(crate) fn read_line_limited(
    reader: &mut dyn BufRead,
    buffer: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<(Line, usize)> {
    buffer.clear();
    let mut consumed = 0;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            let line = if too_long {
                Line::TooLong
            } else if consumed == 0 {
                Line::End
            } else {
                Line::Complete
            };
            return Ok((line, consumed));
        }
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(newline) => (&available[..newline], Some(newline + 1)),
            None => (available, None),
        };
        if !too_long {
            if buffer.len() + chunk.len() > limit {
                too_long = true;
                buffer.clear();
            } else {
                buffer.extend_from_slice(chunk);
            }
        }
        let used = done.unwrap_or(available.len());
        reader.consume(used);
        consumed += used;
        if done.is_some() {
            return Ok((
                if too_long {
                    Line::TooLong
                } else {
                    Line::Complete
                },
                consumed,
            ));
        }
    }
}

/// Streams the documents of a JSONL input.
pub(crate) struct JsonlReader<R> {
    reader: R,
    context: Context,
    line: usize,
    buffer: Vec<u8>,
    done: bool,
}

impl<R: BufRead> JsonlReader<R> {
    pub(crate) fn new(reader: R, context: Context) -> Self {
        JsonlReader {
            reader,
            context,
            line: 0,
            buffer: Vec::new(),
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            self.line += 1;
            let position = || Some(format!("line {}", self.line));
            let limit = self.context.options.max_document_bytes;
            match read_line_limited(&mut self.reader, &mut self.buffer, limit) {
                Err(e) => {
                    self.done = true;
                    return Some(Err(self.context.read_error(position(), e)));
                }
                Ok((Line::End, _)) => self.done = true,
                Ok((Line::TooLong, _)) => {
                    return Some(Err(self
                        .context
                        .error(position(), IngestErrorKind::TooLarge { limit })));
                }
                Ok((Line::Complete, _)) => {
                    if self.buffer.trim_ascii().is_empty() {
                        continue;
                    }
                    return Some(
                        parse_record(&self.buffer, &self.context, position())
                            .map_err(|kind| self.context.error(position(), kind)),
                    );
                }
            }
        }
        None
    }
}

/// A `.json` file: one article object, or an array of them (`item N` positions).
pub(crate) fn read_json_file(bytes: &[u8], context: &Context) -> Vec<Item> {
    let value: Value = match parse_json(bytes) {
        Ok(value) => value,
        Err(kind) => return vec![Err(context.error(None, kind))],
    };
    match value {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let position = Some(format!("item {}", i + 1));
                record_document(item, context, position.clone())
                    .map_err(|kind| context.error(position, kind))
            })
            .collect(),
        value => {
            vec![record_document(value, context, None).map_err(|kind| context.error(None, kind))]
        }
    }
}

fn parse_json(bytes: &[u8]) -> Result<Value, IngestErrorKind> {
    match serde_json::from_slice(bytes) {
        Ok(value) => Ok(value),
        // Not UTF-8: decode (Windows-1252 fallback) and try again.
        Err(_) if std::str::from_utf8(bytes).is_err() => {
            let text = decode(bytes, None)?;
            serde_json::from_str(&text).map_err(IngestErrorKind::Json)
        }
        Err(e) => Err(IngestErrorKind::Json(e)),
    }
}

fn parse_record(
    line: &[u8],
    context: &Context,
    position: Option<String>,
) -> Result<dyad_document::Document, IngestErrorKind> {
    record_document(parse_json(line)?, context, position)
}

fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The first of `names` holding a non-empty string (numbers are written out).
fn first_string(object: &Map<String, Value>, names: &[String]) -> Option<String> {
    names.iter().find_map(|name| match object.get(name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// The metadata of a JSON object.
pub(crate) fn found_in(
    object: &Map<String, Value>,
    fields: &JsonlFields,
    language: &[&str],
) -> Found {
    let language: Vec<String> = language.iter().map(|s| s.to_string()).collect();
    Found {
        external_id: first_string(object, &fields.id),
        source: first_string(object, &fields.source),
        url: first_string(object, &fields.url),
        title: first_string(object, &fields.title),
        published: first_string(object, &fields.date).and_then(|d| parse_date(&d)),
        language: first_string(object, &language),
    }
}

/// True when a text field holds HTML markup rather than plain text.
fn looks_like_html(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(2048)];
    let lower = head.to_ascii_lowercase();
    ["<p>", "<p ", "</p>", "<br", "<div", "<html", "<body"]
        .iter()
        .any(|tag| memchr::memmem::find(&lower, tag.as_bytes()).is_some())
}

fn record_document(
    value: Value,
    context: &Context,
    position: Option<String>,
) -> Result<dyad_document::Document, IngestErrorKind> {
    let Value::Object(object) = value else {
        return Err(IngestErrorKind::NotAnObject {
            found: value_kind(&value),
        });
    };
    let fields = &context.options.jsonl_fields;
    let found = found_in(&object, fields, &["language", "lang"]);
    let text = fields
        .text
        .iter()
        .find_map(|name| object.get(name)?.as_str())
        .ok_or_else(|| IngestErrorKind::MissingText {
            tried: fields.text.clone(),
        })?;
    let (text, alignment, found) = if looks_like_html(text) {
        let clean = clean_html(text)?;
        let found = found.or(Found::from_html(&clean));
        (clean.text, clean.alignment, found)
    } else {
        let (text, alignment) = normalize_text(text);
        (text, alignment, found)
    };
    make_document(
        text,
        alignment,
        found,
        &context.name,
        position,
        &context.options,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_long_lines_are_skipped_in_chunks() {
        let input = format!("short\n{}\nnext\nlast", "x".repeat(100_000));
        let mut reader = std::io::BufReader::with_capacity(64, input.as_bytes());
        let mut buffer = Vec::new();
        let mut lines = Vec::new();
        loop {
            let (line, _) = read_line_limited(&mut reader, &mut buffer, 10).unwrap();
            if line == Line::End {
                break;
            }
            lines.push((line, String::from_utf8(buffer.clone()).unwrap()));
            assert!(buffer.capacity() < 1000);
        }
        assert_eq!(
            lines,
            vec![
                (Line::Complete, "short".to_string()),
                (Line::TooLong, String::new()),
                (Line::Complete, "next".to_string()),
                (Line::Complete, "last".to_string()),
            ]
        );
    }
}

//! Inputs: files, directories, standard input and bytes in memory; gzip; format choice.

use crate::decode::{decode, html_meta_charset};
use crate::normalize::normalize_text;
use crate::{
    Found, IngestError, IngestErrorKind, InputFormat, ReadOptions, clean_html, feed, jsonl,
    make_document, warc,
};
use dyad_document::Document;
use flate2::read::MultiGzDecoder;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// What readers yield.
pub(crate) type Item = Result<Document, IngestError>;
/// A stream of documents from one input.
pub(crate) type Documents = Box<dyn Iterator<Item = Item> + Send>;
/// A byte stream.
pub(crate) type Stream = Box<dyn BufRead + Send>;

/// Streams every document of every input (files, directories recursively, `-` = stdin), in
/// order. Directory entries are visited sorted by name; hidden entries and sidecar `.json`
/// files are skipped.
pub fn read_inputs(
    paths: &[PathBuf],
    options: &ReadOptions,
) -> impl Iterator<Item = Result<Document, IngestError>> + Send + use<> {
    Inputs {
        pending: paths.iter().cloned().collect(),
        current: None,
        options: options.clone(),
    }
}

/// Reads documents from bytes already in memory (HTTP API); `name` is used for errors, for
/// [`dyad_document::Origin`] and, with no [`ReadOptions::format`], for the format guess.
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    options: &ReadOptions,
) -> Vec<Result<Document, IngestError>> {
    let stream: Stream = Box::new(std::io::Cursor::new(bytes.to_vec()));
    open_stream(name.to_string(), stream, None, options).collect()
}

struct Inputs {
    pending: VecDeque<PathBuf>,
    current: Option<Documents>,
    options: ReadOptions,
}

impl Iterator for Inputs {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(current) = &mut self.current {
                match current.next() {
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
            }
            let path = self.pending.pop_front()?;
            let name = path.display().to_string();
            if name == "-" {
                let stdin: Stream = Box::new(BufReader::with_capacity(1 << 16, std::io::stdin()));
                self.current = Some(open_stream(name, stdin, None, &self.options));
                continue;
            }
            if path.is_dir() {
                match list_directory(&path) {
                    Ok(entries) => {
                        for entry in entries.into_iter().rev() {
                            self.pending.push_front(entry);
                        }
                        continue;
                    }
                    Err(e) => {
                        return Some(Err(IngestError::new(name, None, IngestErrorKind::Io(e))));
                    }
                }
            }
            match std::fs::File::open(&path) {
                Ok(file) => {
                    let stream: Stream = Box::new(BufReader::with_capacity(1 << 16, file));
                    self.current = Some(open_stream(name, stream, Some(&path), &self.options));
                }
                Err(e) => return Some(Err(IngestError::new(name, None, IngestErrorKind::Io(e)))),
            }
        }
    }
}

/// The entries of a directory worth reading, sorted: no hidden entries, no sidecars, no
/// symbolic links to directories (they could loop).
fn list_directory(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let file_type = entry.file_type()?;
        let path = entry.path();
        if file_type.is_symlink() && path.is_dir() {
            continue;
        }
        entries.push(path);
    }
    entries.sort();
    let is_sidecar = |path: &Path| -> bool {
        if path.extension().is_none_or(|e| e != "json") {
            return false;
        }
        let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().to_string()) else {
            return false;
        };
        // `a.txt.json` beside `a.txt`, or `a.json` beside `a.<anything>`.
        entries.iter().any(|other| {
            other != path
                && other.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    n == stem || (n.starts_with(&format!("{stem}.")) && !n.ends_with(".json"))
                })
        })
    };
    let sidecars: Vec<bool> = entries.iter().map(|p| is_sidecar(p)).collect();
    Ok(entries
        .into_iter()
        .zip(sidecars)
        .filter(|(_, sidecar)| !sidecar)
        .map(|(p, _)| p)
        .collect())
}

/// Reader context shared by the format readers.
#[derive(Clone)]
pub(crate) struct Context {
    /// Input name for errors and origins.
    pub name: String,
    /// Whether the stream was gunzipped (read errors are then gzip errors).
    pub gzip: bool,
    pub options: ReadOptions,
}

impl Context {
    pub(crate) fn error(&self, position: Option<String>, kind: IngestErrorKind) -> IngestError {
        IngestError::new(self.name.clone(), position, kind)
    }

    pub(crate) fn read_error(&self, position: Option<String>, e: std::io::Error) -> IngestError {
        let kind = if self.gzip {
            IngestErrorKind::Gzip(e)
        } else {
            IngestErrorKind::Io(e)
        };
        self.error(position, kind)
    }
}

fn one(item: Item) -> Documents {
    Box::new(std::iter::once(item))
}

/// Opens one input stream: gunzips, picks the format, returns its reader.
fn open_stream(
    name: String,
    stream: Stream,
    path: Option<&Path>,
    options: &ReadOptions,
) -> Documents {
    let mut context = Context {
        name,
        gzip: false,
        options: options.clone(),
    };
    let mut stream = stream;
    let mut file_name = path
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_else(|| context.name.to_lowercase());
    let head = match stream.fill_buf() {
        Ok(head) => head,
        Err(e) => return one(Err(context.read_error(None, e))),
    };
    if head.is_empty() {
        return one(Err(context.error(None, IngestErrorKind::Empty)));
    }
    if head.starts_with(&[0x1f, 0x8b]) || file_name.ends_with(".gz") {
        if head.starts_with(&[0x1f, 0x8b]) {
            context.gzip = true;
            stream = Box::new(BufReader::with_capacity(
                1 << 16,
                MultiGzDecoder::new(stream),
            ));
        }
        if let Some(stripped) = file_name.strip_suffix(".gz") {
            file_name = stripped.to_string();
        }
    }
    let head = match stream.fill_buf() {
        Ok(head) => head,
        Err(e) => return one(Err(context.read_error(None, e))),
    };
    if head.is_empty() {
        return one(Err(context.error(None, IngestErrorKind::Empty)));
    }
    let by_extension = format_of_extension(&file_name);
    let format = options
        .format
        .or(by_extension)
        .unwrap_or_else(|| sniff(head));
    let json_file =
        file_name.ends_with(".json") && options.format.is_none_or(|f| f == InputFormat::Jsonl);
    match format {
        InputFormat::Jsonl if !json_file => Box::new(jsonl::JsonlReader::new(stream, context)),
        InputFormat::Warc => Box::new(warc::WarcReader::new(stream, context)),
        format => {
            let limit = match format {
                InputFormat::Feed | InputFormat::Jsonl => {
                    options.max_document_bytes.saturating_mul(8)
                }
                _ => options.max_document_bytes,
            };
            let bytes = match read_limited(&mut stream, limit) {
                Ok(Some(bytes)) => bytes,
                Ok(None) => {
                    return one(Err(context.error(None, IngestErrorKind::TooLarge { limit })));
                }
                Err(e) => return one(Err(context.read_error(None, e))),
            };
            match format {
                InputFormat::Feed => Box::new(feed::read_feed(&bytes, &context).into_iter()),
                InputFormat::Jsonl => Box::new(jsonl::read_json_file(&bytes, &context).into_iter()),
                _ => {
                    let sidecar = path.map(|p| read_sidecar(p, &context));
                    one(read_single(&bytes, format, sidecar, &context))
                }
            }
        }
    }
}

/// Reads the whole stream, `None` when it is longer than `limit`.
fn read_limited(stream: &mut Stream, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    stream.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= limit).then_some(bytes))
}

/// The format an extension names (`None` for `.gz` leftovers or unknown ones).
fn format_of_extension(file_name: &str) -> Option<InputFormat> {
    let extension = file_name.rsplit_once('.')?.1;
    match extension {
        "txt" | "text" => Some(InputFormat::Text),
        "html" | "htm" | "xhtml" | "shtml" => Some(InputFormat::Html),
        "jsonl" | "ndjson" | "json" => Some(InputFormat::Jsonl),
        "rss" | "atom" | "xml" | "rdf" => Some(InputFormat::Feed),
        "warc" => Some(InputFormat::Warc),
        _ => None,
    }
}

/// Guesses the format from the first bytes.
pub(crate) fn sniff(head: &[u8]) -> InputFormat {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let head = head.trim_ascii_start();
    if head.starts_with(b"WARC/") {
        return InputFormat::Warc;
    }
    if head.starts_with(b"{") {
        return InputFormat::Jsonl;
    }
    let sample = &head[..head.len().min(4096)];
    let lower = sample.to_ascii_lowercase();
    let has = |needle: &[u8]| memchr::memmem::find(&lower, needle).is_some();
    if head.starts_with(b"<") {
        if has(b"<rss") || has(b"<feed") || has(b"<rdf:rdf") {
            return InputFormat::Feed;
        }
        return InputFormat::Html;
    }
    if has(b"<html") || has(b"<body") || has(b"<!doctype html") {
        return InputFormat::Html;
    }
    InputFormat::Text
}

/// Sidecar metadata for a text or HTML file: `a.txt.json`, else `a.json`.
fn read_sidecar(path: &Path, context: &Context) -> Result<Found, IngestError> {
    let mut candidates = Vec::new();
    let mut with_json = path.as_os_str().to_owned();
    with_json.push(".json");
    candidates.push(PathBuf::from(with_json));
    candidates.push(path.with_extension("json"));
    for candidate in candidates {
        if candidate == path || !candidate.is_file() {
            continue;
        }
        let sidecar = candidate.display().to_string();
        let fail = |reason: String| {
            context.error(
                None,
                IngestErrorKind::Sidecar {
                    sidecar: sidecar.clone(),
                    reason,
                },
            )
        };
        let bytes = std::fs::read(&candidate).map_err(|e| fail(e.to_string()))?;
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| fail(e.to_string()))?;
        let object = value
            .as_object()
            .ok_or_else(|| fail("expected a JSON object".to_string()))?;
        let mut fields = crate::JsonlFields::default();
        fields.id.push("external_id".to_string());
        fields.url.push("canonical_url".to_string());
        return Ok(jsonl::found_in(object, &fields, &["language", "lang"]));
    }
    Ok(Found::default())
}

/// A whole file holding one text or HTML article.
fn read_single(
    bytes: &[u8],
    format: InputFormat,
    sidecar: Option<Result<Found, IngestError>>,
    context: &Context,
) -> Item {
    let sidecar = match sidecar {
        Some(Ok(found)) => found,
        Some(Err(e)) => return Err(e),
        None => Found::default(),
    };
    let fail = |kind| context.error(None, kind);
    let (text, alignment, found) = match format {
        InputFormat::Html => {
            let raw = decode(bytes, html_meta_charset(bytes)).map_err(fail)?;
            let clean = clean_html(&raw).map_err(fail)?;
            let found = sidecar.or(Found::from_html(&clean));
            (clean.text, clean.alignment, found)
        }
        _ => {
            let raw = decode(bytes, None).map_err(fail)?;
            let (text, alignment) = normalize_text(&raw);
            (text, alignment, sidecar)
        }
    };
    make_document(
        text,
        alignment,
        found,
        &context.name,
        None,
        &context.options,
    )
    .map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"WARC/1.0\r\n"), InputFormat::Warc);
        assert_eq!(sniff(b"  {\"text\": 1}"), InputFormat::Jsonl);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><rss>"), InputFormat::Feed);
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><feed xmlns="),
            InputFormat::Feed
        );
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), InputFormat::Html);
        assert_eq!(sniff(b"Kabul fell on August 15."), InputFormat::Text);
    }

    #[test]
    fn extensions() {
        assert_eq!(format_of_extension("a.jsonl"), Some(InputFormat::Jsonl));
        assert_eq!(format_of_extension("crawl.warc"), Some(InputFormat::Warc));
        assert_eq!(format_of_extension("page.htm"), Some(InputFormat::Html));
        assert_eq!(format_of_extension("noext"), None);
    }
}

//! WARC files: HTML `response` records, streamed one record at a time.
//!
//! A record is a `WARC/1.x` line, header lines, a blank line, `Content-Length` bytes of
//! block and a blank line. Compressed WARCs (one gzip member per record, as crawlers write
//! them) are gunzipped upstream by `MultiGzDecoder`. Byte positions in errors count
//! uncompressed bytes from the start of the WARC stream.

use crate::decode::{charset_of_content_type, decode, html_meta_charset};
use crate::input::{Context, Item};
use crate::jsonl::{Line, read_line_limited};
use crate::{Found, IngestErrorKind, clean_html, make_document, parse_date};
use flate2::read::{MultiGzDecoder, ZlibDecoder};
use std::io::{BufRead, Read};

/// Longest WARC or HTTP header line accepted.
const MAX_HEADER_LINE: usize = 64 << 10;
/// Most header lines in one record.
const MAX_HEADER_LINES: usize = 512;

/// Streams the documents of a WARC input.
pub(crate) struct WarcReader<R> {
    reader: R,
    context: Context,
    record: usize,
    offset: u64,
    line: Vec<u8>,
    done: bool,
}

/// The WARC headers dyad uses.
#[derive(Default)]
struct WarcHeaders {
    record_type: String,
    content_type: String,
    content_length: Option<u64>,
    target_uri: Option<String>,
    date: Option<String>,
    record_id: Option<String>,
}

impl<R: BufRead> WarcReader<R> {
    pub(crate) fn new(reader: R, context: Context) -> Self {
        WarcReader {
            reader,
            context,
            record: 0,
            offset: 0,
            line: Vec::new(),
            done: false,
        }
    }

    fn record_position(&self, start: u64) -> Option<String> {
        Some(format!("record {} (byte {start})", self.record))
    }

    fn fail(&mut self, start: u64, kind: IngestErrorKind) -> Option<Item> {
        self.done = true;
        Some(Err(self.context.error(self.record_position(start), kind)))
    }

    /// Reads one header line; `None` at the end of input.
    fn read_line(&mut self) -> std::io::Result<Option<Line>> {
        let (line, consumed) =
            read_line_limited(&mut self.reader, &mut self.line, MAX_HEADER_LINE)?;
        self.offset += consumed as u64;
        Ok((line != Line::End).then_some(line))
    }

    /// The next record's item; `None` when a record was skipped or (with `done`) at the end.
    fn next_record(&mut self) -> Option<Item> {
        // The version line, after any blank lines between records.
        let start = loop {
            let start = self.offset;
            match self.read_line() {
                Err(e) => {
                    self.record += 1;
                    self.done = true;
                    return Some(Err(self.context.read_error(self.record_position(start), e)));
                }
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Ok(Some(_)) if self.line.trim_ascii().is_empty() => continue,
                Ok(Some(_)) => break start,
            }
        };
        self.record += 1;
        if !self.line.starts_with(b"WARC/") {
            let found = String::from_utf8_lossy(&self.line[..self.line.len().min(40)]).into_owned();
            return self.fail(
                start,
                IngestErrorKind::Warc(format!("expected a `WARC/1.x` line, found {found:?}")),
            );
        }
        let mut headers = WarcHeaders::default();
        let mut count = 0;
        loop {
            match self.read_line() {
                Err(e) => {
                    self.done = true;
                    return Some(Err(self.context.read_error(self.record_position(start), e)));
                }
                Ok(None) => {
                    return self.fail(
                        start,
                        IngestErrorKind::Truncated("the input ends inside the WARC headers".into()),
                    );
                }
                Ok(Some(Line::TooLong)) => {
                    return self.fail(
                        start,
                        IngestErrorKind::Warc("a header line is longer than 64 KiB".into()),
                    );
                }
                Ok(Some(_)) => {}
            }
            if self.line.trim_ascii().is_empty() {
                break;
            }
            count += 1;
            if count > MAX_HEADER_LINES {
                return self.fail(
                    start,
                    IngestErrorKind::Warc("more than 512 header lines".into()),
                );
            }
            let line = String::from_utf8_lossy(&self.line);
            if let Some((key, value)) = line.split_once(':') {
                let value = value.trim().to_string();
                match key.trim().to_ascii_lowercase().as_str() {
                    "warc-type" => headers.record_type = value.to_ascii_lowercase(),
                    "content-type" => headers.content_type = value.to_ascii_lowercase(),
                    "content-length" => headers.content_length = value.parse().ok(),
                    "warc-target-uri" => {
                        headers.target_uri = Some(value.trim_matches(['<', '>']).to_string());
                    }
                    "warc-date" => headers.date = Some(value),
                    "warc-record-id" => {
                        headers.record_id = Some(value.trim_matches(['<', '>']).to_string())
                    }
                    _ => {}
                }
            }
        }
        let Some(length) = headers.content_length else {
            return self.fail(
                start,
                IngestErrorKind::Warc("no valid Content-Length header".into()),
            );
        };
        let limit = self.context.options.max_document_bytes;
        let wanted = headers.record_type == "response"
            && (headers.content_type.is_empty()
                || headers.content_type.starts_with("application/http"));
        if !wanted || length > limit as u64 {
            // Skip the block without holding it.
            let skipped =
                match std::io::copy(&mut (&mut self.reader).take(length), &mut std::io::sink()) {
                    Ok(skipped) => skipped,
                    Err(e) => {
                        self.done = true;
                        return Some(Err(self.context.read_error(self.record_position(start), e)));
                    }
                };
            self.offset += skipped;
            if skipped < length {
                return self.fail(start, truncated(length, skipped));
            }
            if wanted {
                return Some(Err(self.context.error(
                    self.record_position(start),
                    IngestErrorKind::TooLarge { limit },
                )));
            }
            return None; // skipped quietly: not an HTML response
        }
        let mut block = Vec::with_capacity(length as usize);
        if let Err(e) = (&mut self.reader).take(length).read_to_end(&mut block) {
            self.done = true;
            return Some(Err(self.context.read_error(self.record_position(start), e)));
        }
        self.offset += block.len() as u64;
        if (block.len() as u64) < length {
            return self.fail(start, truncated(length, block.len() as u64));
        }
        let position = self.record_position(start);
        match response_document(&block, &headers, &self.context, position.clone()) {
            Ok(Some(doc)) => Some(Ok(doc)),
            Ok(None) => None, // not a successful HTML response
            Err(kind) => Some(Err(self.context.error(position, kind))),
        }
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            if let Some(item) = self.next_record() {
                return Some(item);
            }
        }
        None
    }
}

fn truncated(length: u64, got: u64) -> IngestErrorKind {
    IngestErrorKind::Truncated(format!(
        "the record block should hold {length} bytes, the input ends after {got}"
    ))
}

/// The document of an HTTP response block, `None` when it is not a successful HTML response.
fn response_document(
    block: &[u8],
    warc: &WarcHeaders,
    context: &Context,
    position: Option<String>,
) -> Result<Option<dyad_document::Document>, IngestErrorKind> {
    let Some((head, body)) = split_http(block) else {
        return Err(IngestErrorKind::Warc(
            "the HTTP response has no header/body separator".into(),
        ));
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if !(200..300).contains(&status) {
        return Ok(None);
    }
    let mut content_type = String::new();
    let mut content_encoding = String::new();
    let mut chunked = false;
    for line in lines {
        if let Some((key, value)) = line.split_once(':') {
            let value = value.trim().to_ascii_lowercase();
            match key.trim().to_ascii_lowercase().as_str() {
                "content-type" => content_type = value,
                "content-encoding" => content_encoding = value,
                "transfer-encoding" => chunked = value.contains("chunked"),
                _ => {}
            }
        }
    }
    let is_html = if content_type.is_empty() {
        crate::input::sniff(body) == crate::InputFormat::Html
    } else {
        content_type.starts_with("text/html") || content_type.starts_with("application/xhtml")
    };
    if !is_html {
        return Ok(None);
    }
    let limit = context.options.max_document_bytes;
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_vec()
    };
    let body = match content_encoding.as_str() {
        "" | "identity" => body,
        "gzip" | "x-gzip" => inflate(MultiGzDecoder::new(body.as_slice()), limit)?,
        "deflate" => inflate(ZlibDecoder::new(body.as_slice()), limit)?,
        other => return Err(IngestErrorKind::ContentEncoding(other.to_string())),
    };
    let declared = charset_of_content_type(&content_type).or_else(|| html_meta_charset(&body));
    let html = decode(&body, declared)?;
    let clean = clean_html(&html)?;
    let found = Found {
        external_id: warc.record_id.clone(),
        url: warc.target_uri.clone(),
        published: clean
            .published
            .or_else(|| warc.date.as_deref().and_then(parse_date)),
        ..Found::default()
    }
    .or(Found::from_html(&clean));
    make_document(
        clean.text,
        clean.alignment,
        found,
        &context.name,
        position,
        &context.options,
    )
    .map(Some)
}

fn split_http(block: &[u8]) -> Option<(&[u8], &[u8])> {
    if let Some(at) = memchr::memmem::find(block, b"\r\n\r\n") {
        return Some((&block[..at], &block[at + 4..]));
    }
    memchr::memmem::find(block, b"\n\n").map(|at| (&block[..at], &block[at + 2..]))
}

fn inflate(mut decoder: impl Read, limit: usize) -> Result<Vec<u8>, IngestErrorKind> {
    let mut out = Vec::new();
    (&mut decoder)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(IngestErrorKind::Gzip)?;
    if out.len() > limit {
        return Err(IngestErrorKind::TooLarge { limit });
    }
    Ok(out)
}

/// Undoes HTTP chunked transfer encoding (a malformed tail is kept as it is).
fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let Some(line_end) = memchr::memchr(b'\n', rest) else {
            out.extend_from_slice(rest);
            break;
        };
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size_text = size_text.trim().split(';').next().unwrap_or("").to_string();
        let Ok(size) = usize::from_str_radix(size_text.trim(), 16) else {
            out.extend_from_slice(rest);
            break;
        };
        rest = &rest[line_end + 1..];
        if size == 0 {
            break;
        }
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or(rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"5\r\nKabul\r\n4;x=y\r\n fel\r\n2\r\nl.\r\n0\r\n\r\n"),
            b"Kabul fell."
        );
        assert_eq!(dechunk(b"zz\r\nraw"), b"zz\r\nraw");
    }
}

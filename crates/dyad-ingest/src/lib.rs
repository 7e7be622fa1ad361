//! Readers for the formats news collections come in, producing [`Document`]s.
//!
//! **Reads**: plain text (one article a file, optional sidecar metadata `a.json` or
//! `a.txt.json`), HTML pages, JSONL (one article a line, field names configurable with
//! [`JsonlFields`]), a `.json` file holding one article object or an array of them, RSS 2.0 /
//! RSS 1.0 / Atom feeds (one document per item), WARC files (`response` records with HTML
//! payloads), gzip-compressed versions of any of these (`.gz` or by magic bytes), directories
//! (recursively, sorted, hidden files and sidecars skipped) and `-` for standard input.
//! The format comes from [`ReadOptions::format`], else the file extension, else the content.
//!
//! **Writes**: one [`Document`] per article: text decoded (BOM, declared charset, UTF-8,
//! Windows-1252 fallback), cleaned (HTML boilerplate dropped, one paragraph a line), CRLF →
//! LF, control characters dropped, NFC-normalized, trimmed; [`Metadata`] filled (title, url,
//! published, source, language, external id, origin). [`ReadOptions::published`] and
//! [`ReadOptions::source`] override what the input says.
//!
//! **Invariants**: [`Document::alignment`] maps every clean text offset back to the byte
//! offset in the *decoded* raw input: the decoded file for text and HTML, the text field's
//! string value for JSONL, the item's (unescaped) HTML content for feeds, the decoded HTTP
//! body for WARC. Documents come out in input order. Large JSONL and WARC inputs are
//! streamed; no record larger than [`ReadOptions::max_document_bytes`] is held in memory.
//!
//! **Failure**: every problem is an [`IngestError`] naming the input and the position
//! (`line 12`, `record 3 (byte 5120)`, `item 2`). A bad record yields one `Err` and reading
//! goes on with the next; a truncated stream yields an `Err` and ends that input. No input,
//! however broken, makes a reader panic or hang.
//!
//! ```
//! use dyad_ingest::{read_bytes, ReadOptions};
//!
//! let page = r#"<html><head><title>Taliban close in on Panjshir</title>
//!   <meta property="article:published_time" content="2021-08-25T09:00:00Z"></head>
//!   <body><nav><a href="/">Home</a></nav>
//!   <article><p>The Taliban said on Wednesday they had surrounded the Panjshir Valley.</p>
//!   <p>Ahmad Massoud&#8217;s fighters vowed to resist.</p></article></body></html>"#;
//! let docs = read_bytes("panjshir.html", page.as_bytes(), &ReadOptions::default());
//! let doc = docs[0].as_ref().unwrap();
//! assert_eq!(
//!     doc.text(),
//!     "The Taliban said on Wednesday they had surrounded the Panjshir Valley.\n\
//!      Ahmad Massoud’s fighters vowed to resist."
//! );
//! assert_eq!(doc.meta.title.as_deref(), Some("Taliban close in on Panjshir"));
//! assert_eq!(doc.meta.published.unwrap().to_string(), "2021-08-25");
//! // Offsets map back to the raw page.
//! let at = doc.text().find("Panjshir").unwrap();
//! assert_eq!(&page[doc.alignment.to_raw(at)..][..8], "Panjshir");
//! ```
#![deny(missing_docs)]

mod date;
mod decode;
mod error;
mod feed;
mod html;
mod input;
mod jsonl;
mod normalize;
mod warc;

pub use date::parse_date;
pub use error::{IngestError, IngestErrorKind, ParseFormatError};
pub use html::{CleanHtml, MAX_DEPTH, clean_html};
pub use input::{read_bytes, read_inputs};

use dyad_document::{Date, Document, Metadata};
use std::str::FromStr;

/// The input formats dyad reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// Plain text, one article a file.
    Text,
    /// An HTML page, one article a file.
    Html,
    /// JSON lines, one article a line (also a `.json` file with one object or an array).
    Jsonl,
    /// An RSS or Atom feed, one article an item.
    Feed,
    /// A WARC file, one article an HTML `response` record.
    Warc,
}

impl FromStr for InputFormat {
    type Err = ParseFormatError;

    /// Accepts `text`, `txt`, `html`, `jsonl`, `ndjson`, `rss`, `atom`, `feed`, `warc`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => Ok(InputFormat::Text),
            "html" | "htm" => Ok(InputFormat::Html),
            "jsonl" | "ndjson" | "json" => Ok(InputFormat::Jsonl),
            "rss" | "atom" | "feed" | "xml" => Ok(InputFormat::Feed),
            "warc" => Ok(InputFormat::Warc),
            _ => Err(ParseFormatError(s.to_string())),
        }
    }
}

impl std::fmt::Display for InputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            InputFormat::Text => "text",
            InputFormat::Html => "html",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Feed => "feed",
            InputFormat::Warc => "warc",
        })
    }
}

/// The JSON field names read for each metadata item; the first one present wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonlFields {
    /// Article text (`text`, `content`, `body`). HTML in it is cleaned.
    pub text: Vec<String>,
    /// Headline (`title`, `headline`).
    pub title: Vec<String>,
    /// URL (`url`, `link`).
    pub url: Vec<String>,
    /// Publication date (`date`, `published`, `pubdate`).
    pub date: Vec<String>,
    /// Outlet (`source`, `outlet`).
    pub source: Vec<String>,
    /// External id (`id`).
    pub id: Vec<String>,
}

impl Default for JsonlFields {
    fn default() -> Self {
        let names = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
        JsonlFields {
            text: names(&["text", "content", "body"]),
            title: names(&["title", "headline"]),
            url: names(&["url", "link"]),
            date: names(&["date", "published", "pubdate"]),
            source: names(&["source", "outlet"]),
            id: names(&["id"]),
        }
    }
}

/// How to read inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// The format of every input; `None` = by extension, else by content.
    pub format: Option<InputFormat>,
    /// JSON field names.
    pub jsonl_fields: JsonlFields,
    /// Publication date for every document, overriding the input's.
    pub published: Option<Date>,
    /// Outlet for every document, overriding the input's.
    pub source: Option<String>,
    /// Largest record (JSONL line, WARC record, file) read; larger ones are skipped with an
    /// error. Default 16 MiB.
    pub max_document_bytes: usize,
}

/// Default for [`ReadOptions::max_document_bytes`]: 16 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 16 << 20;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            jsonl_fields: JsonlFields::default(),
            published: None,
            source: None,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }
}

/// Metadata a reader found, before command-line overrides.
#[derive(Debug, Clone, Default)]
pub(crate) struct Found {
    pub external_id: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<Date>,
    pub language: Option<String>,
}

impl Found {
    /// Fills what is missing from `other`.
    pub(crate) fn or(self, other: Found) -> Found {
        Found {
            external_id: self.external_id.or(other.external_id),
            source: self.source.or(other.source),
            url: self.url.or(other.url),
            title: self.title.or(other.title),
            published: self.published.or(other.published),
            language: self.language.or(other.language),
        }
    }

    pub(crate) fn from_html(clean: &CleanHtml) -> Found {
        Found {
            external_id: None,
            source: clean.source.clone(),
            url: clean.url.clone(),
            title: clean.title.clone(),
            published: clean.published,
            language: clean.language.clone(),
        }
    }
}

/// Makes the document, applying the command-line overrides.
pub(crate) fn make_document(
    text: String,
    alignment: dyad_document::Alignment,
    found: Found,
    path: &str,
    position: Option<String>,
    options: &ReadOptions,
) -> Result<Document, IngestErrorKind> {
    if text.trim().is_empty() {
        return Err(IngestErrorKind::NoText);
    }
    let meta = Metadata {
        external_id: found.external_id,
        source: options.source.clone().or(found.source),
        url: found.url,
        title: found.title,
        published: options.published.or(found.published),
        language: found.language,
        origin: dyad_document::Origin {
            path: path.to_string(),
            position,
        },
    };
    let mut doc = Document::new(text, meta);
    doc.alignment = alignment;
    Ok(doc)
}

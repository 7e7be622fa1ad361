//! The error type of the ingest crate.

use std::fmt;

/// Reading one record (or one whole input) failed.
///
/// Displays as `{path}: {position}: {reason}`, e.g.
/// `news.jsonl: line 12: invalid JSON: expected value at column 1`.
#[derive(Debug)]
pub struct IngestError {
    /// The input path, `-` for standard input, or the name given to [`crate::read_bytes`].
    pub path: String,
    /// Where in the input: `line 12`, `record 3 (byte 5120)`, `item 2`; `None` for the whole input.
    pub position: Option<String>,
    /// What went wrong.
    pub kind: IngestErrorKind,
}

impl IngestError {
    /// An error for `path` at `position`.
    pub fn new(path: impl Into<String>, position: Option<String>, kind: IngestErrorKind) -> Self {
        IngestError {
            path: path.into(),
            position,
            kind,
        }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.position {
            Some(position) => write!(f, "{}: {}: {}", self.path, position, self.kind),
            None => write!(f, "{}: {}", self.path, self.kind),
        }
    }
}

impl std::error::Error for IngestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.kind.source()
    }
}

/// Why a record could not be read. The message says how to fix it where the user can.
#[derive(Debug, thiserror::Error)]
pub enum IngestErrorKind {
    /// The file or stream could not be read.
    #[error("cannot read: {0}")]
    Io(#[source] std::io::Error),
    /// Gzip data is truncated or corrupt.
    #[error("truncated or corrupt gzip data: {0}")]
    Gzip(#[source] std::io::Error),
    /// The input holds no bytes at all.
    #[error("the input is empty")]
    Empty,
    /// A record is larger than [`crate::ReadOptions::max_document_bytes`].
    #[error(
        "record is larger than the limit of {limit} bytes; it was skipped (raise max_document_bytes / --max-document-bytes to read it)"
    )]
    TooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// The bytes look like binary data (many control bytes), not text.
    #[error(
        "looks like binary data, not text ({control} control bytes in the first {sampled}); pass --input-format if the format guess is wrong"
    )]
    Binary {
        /// Control bytes seen.
        control: usize,
        /// Bytes looked at.
        sampled: usize,
    },
    /// The bytes could not be decoded as text.
    #[error("cannot decode the text: {0}")]
    Decode(String),
    /// Nothing but markup or whitespace was left after cleaning.
    #[error("no text left after cleaning")]
    NoText,
    /// A JSON line or file is not valid JSON.
    #[error("invalid JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// A JSON record has none of the text fields tried.
    #[error("no text field: tried {tried:?}; name the field with --text-field (JsonlFields::text)")]
    MissingText {
        /// The field names looked for.
        tried: Vec<String>,
    },
    /// A JSON line holds something other than an object.
    #[error("expected a JSON object, found {found}")]
    NotAnObject {
        /// What was found (`array`, `string` ...).
        found: &'static str,
    },
    /// A sidecar metadata file is unreadable.
    #[error("sidecar metadata {sidecar}: {reason}")]
    Sidecar {
        /// The sidecar path.
        sidecar: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An RSS or Atom feed is not well-formed XML.
    #[error("invalid feed XML: {0}")]
    Xml(String),
    /// The XML is neither RSS nor Atom.
    #[error(
        "not an RSS or Atom feed (root element <{root}>); pass --input-format if the guess is wrong"
    )]
    NotAFeed {
        /// The root element found.
        root: String,
    },
    /// A WARC record is malformed.
    #[error("malformed WARC record: {0}")]
    Warc(String),
    /// The input ends in the middle of a record.
    #[error("truncated record: {0}")]
    Truncated(String),
    /// HTML nested so deeply that parsing it would take too long.
    #[error(
        "HTML nests elements about {depth} levels deep (limit {limit}); this is not a real page, it was skipped"
    )]
    TooDeep {
        /// Estimated nesting depth.
        depth: usize,
        /// The limit.
        limit: usize,
    },
    /// An HTTP payload uses a content encoding dyad cannot undo.
    #[error("unsupported HTTP Content-Encoding `{0}`")]
    ContentEncoding(String),
}

/// An `--input-format` value was not recognised.
#[derive(Debug, thiserror::Error)]
#[error("unknown input format `{0}`: use one of text, html, jsonl, rss, atom, feed, warc")]
pub struct ParseFormatError(pub String);

//! The document model of dyad.
//!
//! A [`Document`] owns an article's text and metadata, and holds one typed layer per
//! pipeline stage: sentences, tokens, entities, quotes, dates, places, events. Every layer
//! record points into the text with a [`TextRange`] (byte offsets); nothing copies the
//! text it covers. The JSON contract ([`JsonOptions`], `docs/schema.md`) turns the byte
//! ranges into Unicode code point offsets.
//!
//! Stages implement [`Stage`], declaring the [`Layer`]s they require and produce;
//! a [`Pipeline`] checks the order once when it is built.
//!
//! Invariants:
//! - the text is valid UTF-8, NFC-normalized by the reader;
//! - every range satisfies `start <= end` and lies on character boundaries
//!   ([`Document::validate`] checks it);
//! - sentences and tokens are in text order and do not overlap;
//! - the id is the content hash of the text ([`content_id`]), so re-running is idempotent.
//!
//! ```
//! use dyad_document::{Document, Metadata, Sentence, TextRange, JsonOptions};
//!
//! let mut doc = Document::new(
//!     "Ahmad Massoud founded the NRF. The Taliban massed fighters.".to_string(),
//!     Metadata::default(),
//! );
//! doc.sentences.push(Sentence { range: TextRange::new(0, 30) });
//! assert_eq!(doc.slice(doc.sentences[0].range), "Ahmad Massoud founded the NRF.");
//! let json = doc.to_json_value(JsonOptions::default());
//! assert_eq!(json["sentences"][0]["text"], "Ahmad Massoud founded the NRF.");
//! ```
#![deny(missing_docs)]

mod document;
mod error;
mod json;
mod layers;
mod range;
mod stage;

pub use document::{Alignment, Document, Metadata, Origin, content_id};
pub use error::{DocumentError, PipelineError, StageError};
pub use jiff::civil::Date;
pub use json::{CharIndex, JsonOptions, SCHEMA_VERSION};
pub use layers::*;
pub use range::TextRange;
pub use stage::{Layer, Pipeline, Stage};

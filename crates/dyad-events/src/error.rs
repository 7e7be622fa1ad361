//! Errors of the event coder and its evaluation.

use std::path::PathBuf;

/// What went wrong, and where.
#[derive(Debug, thiserror::Error)]
pub enum EventsError {
    /// One of the crate's embedded data files has a bad line (a build problem).
    #[error("{file}:{line}: {reason}")]
    Data {
        /// The data file (`nominal_triggers.tsv`).
        file: &'static str,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A gold file could not be read.
    #[error("{path}: cannot read the gold file: {source}; check the path")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A gold file has a malformed record.
    #[error("{path}:{line}: {reason}")]
    Gold {
        /// The file.
        path: PathBuf,
        /// 1-based line (or record number for XML).
        line: usize,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// The gold file's kind could not be recognized.
    #[error(
        "{path}: not a known gold format: expected news JSONL (`events` with `cameo`), PLOVER JSONL (`events` with `plover`) or PETRARCH2 unit-test XML (`<Sentence>` with `<EventCoding>`)"
    )]
    UnknownGold {
        /// The file.
        path: PathBuf,
    },
    /// The knowledge base failed to load.
    #[error("knowledge base: {0}")]
    Kb(#[from] dyad_kb::KbError),
    /// The syntax models failed to load.
    #[error("syntax: {0}")]
    Syntax(#[from] dyad_syntax::SyntaxError),
    /// The entity model failed to load.
    #[error("entities: {0}")]
    Entities(#[from] dyad_entities::EntityError),
    /// The quote lexicons failed to load.
    #[error("quotes: {0}")]
    Quotes(#[from] dyad_quotes::QuotesError),
    /// A preparation stage (text, syntax, entities, quotes) failed on a document.
    #[error("document {document}: preparing for the coder: {reason}")]
    Prepare {
        /// Document id (empty when building the stages).
        document: String,
        /// What failed.
        reason: String,
    },
}

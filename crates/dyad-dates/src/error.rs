//! Errors of the dates crate (only the evaluation reads files; extraction cannot fail).

use std::path::PathBuf;

/// What went wrong while evaluating against a gold set.
#[derive(Debug, thiserror::Error)]
pub enum DatesError {
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line of the gold set or the corpus is not the JSON it should be.
    #[error("{path}:{line}: not a valid record: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The cause.
        source: serde_json::Error,
    },
    /// A gold record is inconsistent with its article.
    #[error("{path}:{line}: document {document}: {reason}")]
    Gold {
        /// The gold file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The document id.
        document: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
}

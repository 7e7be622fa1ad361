//! The one error type of this crate.

use std::path::PathBuf;

/// What can go wrong in dyad-entities.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EntityError {
    /// The tagger model cannot be read (a build problem for the embedded model).
    #[error("NER model {source_name}: {reason}")]
    Model {
        /// Where the model came from.
        source_name: String,
        /// What is wrong, and how to fix it.
        reason: String,
    },
    /// A line of a data file is malformed.
    #[error("{file}:{line}: {reason}")]
    Data {
        /// The data file.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A gold file cannot be read or has a bad record.
    #[error("{path}:{line}: {reason}")]
    Gold {
        /// The gold file.
        path: PathBuf,
        /// 1-based line number (0 when the file cannot be opened).
        line: usize,
        /// What is wrong, and how to fix it.
        reason: String,
    },
    /// The pipeline given to the evaluation failed on a gold document.
    #[error("{path}:{line}: the pipeline failed: {reason}")]
    Pipeline {
        /// The gold file.
        path: PathBuf,
        /// 1-based line number of the document.
        line: usize,
        /// The stage error.
        reason: String,
    },
}

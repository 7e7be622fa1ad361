//! Errors of the quotes crate.

/// What can go wrong when loading the word lists or evaluating against a gold set.
#[derive(Debug, thiserror::Error)]
pub enum QuotesError {
    /// A line of a data file (speech verbs, outlets, roles) cannot be read.
    #[error(
        "{file}:{line}: {reason} (fix the line; the format is described at the top of the file)"
    )]
    Data {
        /// The data file.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A gold or corpus file cannot be opened or read.
    #[error("{path}: {source} (check that ../shared sits beside the repository checkout)")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A gold or corpus line is not valid JSON of the expected shape.
    #[error("{path}:{line}: {reason}")]
    Record {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A gold record names a document the corpus does not have.
    #[error(
        "{path}:{line}: document `{id}` is not in the corpus (gold ids must be corpus `id`s or a `file` next to it)"
    )]
    UnknownDocument {
        /// The gold file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// The missing id.
        id: String,
    },
}

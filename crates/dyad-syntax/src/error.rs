//! The one error type of dyad-syntax.

/// What can go wrong when loading the tagger or parser model or the lemma tables.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SyntaxError {
    /// A tagger or parser model file cannot be read.
    #[error("model {source_name}: {reason}")]
    Model {
        /// Where the model came from (a path, or `embedded data/tagger.postcard.gz`).
        source_name: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// A line of a lemma data table is malformed.
    #[error("data/{file}:{line}: {reason}")]
    Data {
        /// File name under `crates/dyad-syntax/data/`.
        file: &'static str,
        /// 1-based line number.
        line: usize,
        /// What is wrong and how to fix it.
        reason: String,
    },
}

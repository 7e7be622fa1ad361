//! The one error type of the knowledge base.

use std::path::PathBuf;

/// Why the knowledge base could not be loaded, or what is wrong with one dictionary entry.
///
/// Entry-level problems ([`KbError::Malformed`]) carry `file:line`; the lenient loaders
/// collect them as diagnostics and skip the entry (as PETRARCH2 does), the strict mode
/// ([`crate::KbConfig::strict`]) turns the first one into a load failure.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum KbError {
    /// One dictionary entry (or line) cannot be read.
    #[error("{file}:{line}: {reason}")]
    Malformed {
        /// Dictionary file name (as configured, e.g. `Phoenix.agents.txt`).
        file: String,
        /// 1-based line number.
        line: u32,
        /// What is wrong, and how to fix it.
        reason: String,
    },
    /// A dictionary or overlay file could not be read.
    #[error("cannot read {path}: {reason} (check the path in the knowledge-base configuration)")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        reason: String,
    },
    /// A gzip-compressed dictionary is corrupt.
    #[error("{file}: cannot decompress: {reason}")]
    Decompress {
        /// Dictionary file name.
        file: String,
        /// The decoder error.
        reason: String,
    },
    /// A TOML overlay file does not follow the overlay format (see `data/kb/overlay.toml`).
    #[error("{file}: {reason}")]
    Overlay {
        /// Overlay file name.
        file: String,
        /// What is wrong (the TOML parser's message includes line and column).
        reason: String,
    },
    /// The compiled cache could not be written or read; callers fall back to building in memory.
    #[error("knowledge-base cache {path}: {reason}")]
    Cache {
        /// Cache file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}

impl KbError {
    /// A malformed-entry error at `file:line`.
    pub fn malformed(file: &str, line: u32, reason: impl Into<String>) -> KbError {
        KbError::Malformed {
            file: file.to_string(),
            line,
            reason: reason.into(),
        }
    }

    /// The line number, for errors about one line.
    pub fn line(&self) -> Option<u32> {
        match self {
            KbError::Malformed { line, .. } => Some(*line),
            _ => None,
        }
    }
}

//! The one error type of the crate.

use std::path::PathBuf;

/// What went wrong in the gazetteer or the geocoder.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// A gazetteer data line could not be parsed.
    #[error(
        "{file}:{line}: {reason} (fix the line or regenerate with crates/dyad-geo/scripts/build_gazetteer.py)"
    )]
    Parse {
        /// Data file name (`cities.tsv.gz`, `overlay.tsv`).
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        reason: String,
    },
    /// The embedded compressed data could not be decompressed.
    #[error("{file}: cannot decompress: {reason}")]
    Decompress {
        /// Data file name.
        file: String,
        /// Decoder message.
        reason: String,
    },
    /// The compiled index on disk is unreadable (it is rebuilt when this happens).
    #[error(
        "gazetteer cache {path}: {reason} (delete the file or set DYAD_GEO_CACHE to another place)"
    )]
    Cache {
        /// Cache file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The index could not be built.
    #[error("gazetteer index: {0}")]
    Index(String),
    /// An evaluation file could not be read.
    #[error("{path}:{line}: {reason}")]
    Gold {
        /// Gold file.
        path: PathBuf,
        /// 1-based line, 0 when the file itself failed.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

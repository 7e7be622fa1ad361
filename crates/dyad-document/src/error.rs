//! Errors of the document crate.

use crate::Layer;

/// A document's layers break an invariant.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// A range does not lie inside the text on character boundaries.
    #[error(
        "document {document}: range {start}..{end} is outside the text (length {len}) or splits a character"
    )]
    BadRange {
        /// Document id.
        document: String,
        /// Range start (bytes).
        start: usize,
        /// Range end (bytes).
        end: usize,
        /// Text length (bytes).
        len: usize,
    },
    /// A layer is inconsistent.
    #[error("document {document}: layer {layer}: {reason}")]
    Invariant {
        /// Document id.
        document: String,
        /// Layer name.
        layer: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// A pipeline was assembled in an order that cannot work.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// A stage needs a layer no earlier stage produces.
    #[error("stage `{stage}` needs the {layer} layer, which no earlier stage produces: {hint}")]
    MissingLayer {
        /// The stage that cannot run.
        stage: &'static str,
        /// The layer it needs.
        layer: Layer,
        /// How to fix the order.
        hint: String,
    },
}

/// A stage could not process a document.
#[derive(Debug, thiserror::Error)]
#[error("stage `{stage}` failed on document {document}: {reason}")]
pub struct StageError {
    /// The stage.
    pub stage: &'static str,
    /// Document id.
    pub document: String,
    /// What went wrong.
    pub reason: String,
}

impl StageError {
    /// A stage error for `doc`.
    pub fn new(stage: &'static str, doc: &crate::Document, reason: impl Into<String>) -> Self {
        StageError {
            stage,
            document: doc.id().to_string(),
            reason: reason.into(),
        }
    }
}

//! Assembles dyad's stages into the default pipeline and runs it over a stream of documents.
//!
//! Input: an iterator of `Result<Document, IngestError>` from `dyad-ingest`.
//! Output: for every input item, in input order, either a processed [`Document`] or a
//! [`DeadLetter`] saying which input (path + position) failed and why. A failure never stops
//! the other documents.
//!
//! Documents are processed in batches on a rayon pool (all cores by default); order is kept
//! and memory is bounded by the batch size, so arbitrarily large corpora stream through.
//!
//! ```
//! use dyad_pipeline::{default_pipeline, PipelineOptions};
//! use dyad_document::{Document, Metadata};
//!
//! let pipeline = default_pipeline(&PipelineOptions::default()).unwrap();
//! let mut doc = Document::new(
//!     "The Taliban has not yet attacked. Massoud appealed to the U.S. for weapons.".into(),
//!     Metadata::default(),
//! );
//! pipeline.run(&mut doc).unwrap();
//! assert_eq!(doc.sentences.len(), 2);
//! ```
#![deny(missing_docs)]

pub mod bench;
pub mod ingest;
mod runner;

pub use runner::{DeadLetter, Outcome, RunOptions, RunSummary, process_stream};

use dyad_document::{Pipeline, PipelineError, Stage};

/// Which stages to run and with what resources.
#[derive(Debug, Clone, Default)]
pub struct PipelineOptions {}

/// Errors building the pipeline.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The stages were put in an impossible order.
    #[error(transparent)]
    Order(#[from] PipelineError),
    /// The embedded part-of-speech model could not be loaded.
    #[error(transparent)]
    Syntax(#[from] dyad_syntax::SyntaxError),
    /// The gazetteer could not be loaded.
    #[error(transparent)]
    Geo(#[from] dyad_geo::GeoError),
    /// The quote lexicons could not be loaded.
    #[error(transparent)]
    Quotes(#[from] dyad_quotes::QuotesError),
}

/// The default pipeline: sentences and tokens, part-of-speech tags and lemmas, quotes, dates,
/// places.
pub fn default_pipeline(_options: &PipelineOptions) -> Result<Pipeline, BuildError> {
    let stages: Vec<Box<dyn Stage>> = vec![
        Box::new(dyad_text::TextStage::default()),
        Box::new(dyad_syntax::SyntaxStage::new()?),
        Box::new(dyad_quotes::QuotesStage::new()?),
        Box::new(dyad_dates::DatesStage::new()),
        Box::new(dyad_geo::GeoStage::without_entities(
            dyad_geo::Geocoder::new(dyad_geo::Gazetteer::shared()?),
        )),
    ];
    Ok(Pipeline::new(stages)?)
}

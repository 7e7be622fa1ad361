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

use dyad_document::{Document, Layer, Pipeline, PipelineError, Stage, StageError};
use std::sync::Arc;

/// Which stages to run and with what resources.
#[derive(Clone, Default)]
pub struct PipelineOptions {
    /// The knowledge base; `None` loads the default (embedded dictionaries and overlays).
    pub kb: Option<Arc<dyad_kb::KnowledgeBase>>,
}

impl std::fmt::Debug for PipelineOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PipelineOptions")
            .field("kb", &self.kb.as_ref().map(|_| "custom"))
            .finish()
    }
}

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
    /// The knowledge base could not be loaded.
    #[error(transparent)]
    Kb(#[from] dyad_kb::KbError),
    /// The event coder could not be built.
    #[error(transparent)]
    Events(#[from] dyad_events::EventsError),
    /// The entity model could not be loaded.
    #[error(transparent)]
    Entities(#[from] dyad_entities::EntityError),
    /// The quote lexicons could not be loaded.
    #[error(transparent)]
    Quotes(#[from] dyad_quotes::QuotesError),
}

/// The default pipeline: sentences and tokens, part-of-speech tags and lemmas, entities, quotes,
/// dates, places, events, and the dates and places of the events.
pub fn default_pipeline(options: &PipelineOptions) -> Result<Pipeline, BuildError> {
    let kb = match &options.kb {
        Some(kb) => kb.clone(),
        None => Arc::new(dyad_kb::KnowledgeBase::load_default()?),
    };
    let stages: Vec<Box<dyn Stage>> = vec![
        Box::new(dyad_text::TextStage),
        Box::new(dyad_syntax::SyntaxStage::new()?),
        Box::new(dyad_entities::EntityStage::new(Some(kb.clone()))?),
        Box::new(dyad_quotes::QuotesStage::new()?),
        Box::new(dyad_dates::DatesStage::new()),
        Box::new(dyad_geo::GeoStage::new(dyad_geo::Geocoder::new(
            dyad_geo::Gazetteer::shared()?,
        ))),
        Box::new(dyad_events::EventStage::new(kb)?),
        Box::new(EventContextStage),
    ];
    Ok(Pipeline::new(stages)?)
}

/// Attaches dates and places to coded events ([`dyad_events::attach_context`]).
struct EventContextStage;

impl Stage for EventContextStage {
    fn name(&self) -> &'static str {
        "event-context"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Events, Layer::Dates, Layer::Places]
    }
    fn produces(&self) -> &'static [Layer] {
        &[Layer::EventContext]
    }
    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        dyad_events::attach_context(doc);
        Ok(())
    }
}

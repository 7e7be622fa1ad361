//! Ordered, batched, parallel processing with dead letters.

use dyad_document::{Document, Pipeline};
use dyad_ingest::IngestError;
use rayon::prelude::*;
use serde::Serialize;

/// A document that could not be read or processed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadLetter {
    /// Input path (`-` for stdin).
    pub path: String,
    /// Position inside the input (`line 12`, `record 3`), when known.
    pub position: Option<String>,
    /// Why it failed.
    pub reason: String,
}

impl std::fmt::Display for DeadLetter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.position {
            Some(p) => write!(f, "{}: {}: {}", self.path, p, self.reason),
            None => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}

impl DeadLetter {
    /// A dead letter for a document that was read but failed in a stage.
    pub fn for_document(doc: &Document, reason: impl std::fmt::Display) -> DeadLetter {
        DeadLetter {
            path: doc.meta.origin.path.clone(),
            position: doc.meta.origin.position.clone(),
            reason: reason.to_string(),
        }
    }
}

/// What became of one input item.
#[derive(Debug)]
pub enum Outcome {
    /// Read and processed.
    Done(Box<Document>),
    /// Failed; the reason names the input.
    Failed(DeadLetter),
}

/// How to run.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Documents per parallel batch (bounds memory).
    pub batch_size: usize,
    /// Stop at the first failure.
    pub strict: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            batch_size: 256,
            strict: false,
        }
    }
}

/// Counts after a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Documents processed.
    pub documents: usize,
    /// Inputs that failed.
    pub failed: usize,
    /// Events coded.
    pub events: usize,
    /// True when `strict` stopped the run early.
    pub stopped_early: bool,
}

pub(crate) fn dead_letter_from_ingest(e: IngestError) -> DeadLetter {
    DeadLetter {
        path: e.path.clone(),
        position: e.position.clone(),
        reason: e.kind.to_string(),
    }
}

/// Runs `pipeline` over `inputs`, calling `sink` for every item in input order.
/// Processing is parallel on the current rayon pool; `sink` runs on the calling thread.
pub fn process_stream<I, F>(
    pipeline: &Pipeline,
    inputs: I,
    options: RunOptions,
    mut sink: F,
) -> RunSummary
where
    I: IntoIterator<Item = Result<Document, IngestError>>,
    F: FnMut(Outcome),
{
    let mut summary = RunSummary::default();
    let mut inputs = inputs.into_iter();
    let batch_size = options.batch_size.max(1);
    loop {
        let batch: Vec<_> = inputs.by_ref().take(batch_size).collect();
        if batch.is_empty() {
            break;
        }
        let outcomes: Vec<Outcome> = batch
            .into_par_iter()
            .map(|item| match item {
                Err(e) => Outcome::Failed(dead_letter_from_ingest(e)),
                Ok(mut doc) => match pipeline.run(&mut doc) {
                    Ok(()) => Outcome::Done(Box::new(doc)),
                    Err(e) => Outcome::Failed(DeadLetter::for_document(&doc, e)),
                },
            })
            .collect();
        for outcome in outcomes {
            match &outcome {
                Outcome::Done(doc) => {
                    summary.documents += 1;
                    summary.events += doc.events.len();
                }
                Outcome::Failed(_) => summary.failed += 1,
            }
            let failed = matches!(outcome, Outcome::Failed(_));
            sink(outcome);
            if failed && options.strict {
                summary.stopped_early = true;
                return summary;
            }
        }
    }
    summary
}

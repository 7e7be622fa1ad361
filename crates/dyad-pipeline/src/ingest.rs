//! `dyad ingest`: read, code in parallel, and store, batch by batch.
//!
//! Each batch is classified against the store and the batch before it (already stored /
//! near-duplicate / new), only new documents are coded (in parallel), and the batch is
//! written in one transaction — while the next batch is being coded, so the writer and the
//! coders overlap. Killing the process at any point loses at most the batches in flight;
//! running again skips what was stored and stores the rest, so the database ends as after an
//! uninterrupted run.

use crate::DeadLetter;
use crate::runner::dead_letter_from_ingest;
use dyad_document::{Document, Pipeline};
use dyad_ingest::IngestError;
use dyad_store::{BatchSummary, Novelty, Store, StoreError};
use rayon::prelude::*;
use std::time::Instant;

/// How to ingest.
#[derive(Debug, Clone, Copy)]
pub struct IngestOptions {
    /// Documents per batch (one transaction each).
    pub batch_size: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { batch_size: 256 }
    }
}

/// Running totals of an ingest.
#[derive(Debug, Clone, Copy, Default)]
pub struct IngestReport {
    /// Inputs read (documents and failures).
    pub read: usize,
    /// Bytes of document text read.
    pub bytes: usize,
    /// What the store did.
    pub store: BatchSummary,
    /// Inputs that went to the dead letters.
    pub failed: usize,
    /// Seconds since the start.
    pub seconds: f64,
}

impl IngestReport {
    /// Documents per second so far.
    pub fn docs_per_second(&self) -> f64 {
        self.read as f64 / self.seconds.max(1e-9)
    }
}

/// Reads `inputs`, codes new documents with `pipeline` and stores everything in `store`.
/// `progress` is called after every batch.
pub fn ingest<I, F>(
    store: &mut Store,
    pipeline: &Pipeline,
    inputs: I,
    options: IngestOptions,
    mut progress: F,
) -> Result<IngestReport, StoreError>
where
    I: IntoIterator<Item = Result<Document, IngestError>>,
    F: FnMut(&IngestReport),
{
    let start = Instant::now();
    let mut report = IngestReport::default();
    let mut inputs = inputs.into_iter();
    let batch_size = options.batch_size.max(1);
    // One batch is stored while the next is coded: the store's writer works on one core
    // while the pipeline keeps the others busy. Batches are still stored in input order, one
    // transaction each, so a kill loses at most the batches in flight and a rerun redoes them.
    let mut pending: Option<Coded> = None;
    loop {
        let batch: Vec<_> = inputs.by_ref().take(batch_size).collect();
        if batch.is_empty() {
            break;
        }
        report.read += batch.len();
        let mut letters: Vec<DeadLetter> = Vec::new();
        let docs: Vec<Document> = batch
            .into_iter()
            .filter_map(|item| match item {
                Ok(doc) => Some(doc),
                Err(e) => {
                    letters.push(dead_letter_from_ingest(e));
                    None
                }
            })
            .collect();
        report.bytes += docs.iter().map(|d| d.text().len()).sum::<usize>();
        let earlier: Vec<(&Document, &Novelty)> = pending
            .as_ref()
            .map(|p| p.docs.iter().zip(&p.novelty).collect())
            .unwrap_or_default();
        let novelty = store.classify_after(&docs.iter().collect::<Vec<_>>(), &earlier)?;
        drop(earlier);
        let previous = pending.take();
        let (coded, stored) = rayon::join(
            || code_batch(pipeline, docs, novelty, letters),
            || previous.map(|p| store_batch(store, p)),
        );
        if let Some(stored) = stored {
            let (summary, failed) = stored?;
            report.store += summary;
            report.failed += failed;
            report.seconds = start.elapsed().as_secs_f64();
            progress(&report);
        }
        pending = Some(coded);
    }
    if let Some(last) = pending.take() {
        let (summary, failed) = store_batch(store, last)?;
        report.store += summary;
        report.failed += failed;
        report.seconds = start.elapsed().as_secs_f64();
        progress(&report);
    }
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

/// A batch coded and waiting to be stored.
struct Coded {
    docs: Vec<Document>,
    novelty: Vec<Novelty>,
    letters: Vec<DeadLetter>,
}

/// Codes the new documents of a batch in parallel; failures join the batch's dead letters.
fn code_batch(
    pipeline: &Pipeline,
    docs: Vec<Document>,
    novelty: Vec<Novelty>,
    mut letters: Vec<DeadLetter>,
) -> Coded {
    let coded: Vec<Result<Document, DeadLetter>> = docs
        .into_par_iter()
        .zip(novelty.par_iter())
        .map(|(mut doc, novelty)| {
            if *novelty != Novelty::New {
                return Ok(doc);
            }
            match pipeline.run(&mut doc) {
                Ok(()) => Ok(doc),
                Err(e) => Err(DeadLetter::for_document(&doc, e)),
            }
        })
        .collect();
    let mut kept = Vec::with_capacity(coded.len());
    let mut kept_novelty = Vec::with_capacity(coded.len());
    for (result, novelty) in coded.into_iter().zip(novelty) {
        match result {
            Ok(doc) => {
                kept.push(doc);
                kept_novelty.push(novelty);
            }
            Err(letter) => letters.push(letter),
        }
    }
    Coded {
        docs: kept,
        novelty: kept_novelty,
        letters,
    }
}

/// Stores a coded batch (one transaction) and its dead letters; the number of dead letters.
fn store_batch(store: &mut Store, batch: Coded) -> Result<(BatchSummary, usize), StoreError> {
    let summary = store.insert_batch(&batch.docs, &batch.novelty)?;
    for letter in &batch.letters {
        store.record_dead_letter(
            &letter.path,
            letter.position.as_deref().unwrap_or(""),
            &letter.reason,
        )?;
    }
    Ok((summary, batch.letters.len()))
}

//! `dyad ingest`: read, code and store in the SQLite event store.

use super::args::ReadArgs;
use anyhow::{Context, Result};
use clap::Args;
use dyad_pipeline::ingest::{IngestOptions, IngestReport, ingest};
use dyad_pipeline::{PipelineOptions, default_pipeline};
use dyad_store::Store;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dyad ingest`.
#[derive(Args, Debug)]
pub struct IngestArgs {
    /// Files, directories (read recursively) or `-` for standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The database (created if missing).
    #[arg(long, default_value = "dyad.db")]
    pub db: PathBuf,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Documents per transaction.
    #[arg(long, default_value_t = 256)]
    pub batch_size: usize,
    /// Never show a progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// After ingesting, list the events in the database (the first 100), like `dyad query`.
    #[arg(long)]
    pub show: bool,
    /// Rewrite the database compactly at the end (SQLite VACUUM). Done by default when this
    /// run created the database; worth it after any large load into an existing one.
    #[arg(long)]
    pub vacuum: bool,
}

/// Prints the closing summary of an ingest.
pub fn print_summary(report: &IngestReport, db: &std::path::Path) {
    let s = report.store;
    eprintln!(
        "dyad: {} inputs in {:.1} s ({:.0} docs/s): {} stored, {} already present, {} near-duplicates linked, \
         {} failed; {} event mentions ({} new events, {} merged) -> {}",
        report.read,
        report.seconds,
        report.docs_per_second(),
        s.stored,
        s.already_present,
        s.near_duplicates,
        report.failed,
        s.mentions,
        s.new_events,
        s.merged_mentions,
        db.display()
    );
}

/// Runs `dyad ingest`.
pub fn run(args: IngestArgs) -> Result<ExitCode> {
    super::set_threads(args.threads)?;
    let fresh = !args.db.exists();
    let mut store = Store::open(&args.db)?;
    let pipeline = default_pipeline(&PipelineOptions::default())?;
    let inputs = dyad_ingest::read_inputs(&args.inputs, &args.read.options());
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });
    let report = ingest(
        &mut store,
        &pipeline,
        inputs,
        IngestOptions {
            batch_size: args.batch_size,
        },
        |r| {
            if let Some(bar) = &bar {
                bar.set_message(format!(
                    "{} docs, {} events, {:.0} docs/s, {} failed",
                    r.read,
                    r.store.mentions,
                    r.docs_per_second(),
                    r.failed
                ));
                bar.tick();
            }
        },
    )
    .with_context(|| format!("storing into {}", args.db.display()))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if args.vacuum || (fresh && report.store.stored > 0) {
        store
            .vacuum()
            .with_context(|| format!("compacting {}", args.db.display()))?;
    }
    print_summary(&report, &args.db);
    if args.show {
        let events = store.query(&dyad_store::EventQuery::default())?;
        super::query::print_table(&mut std::io::stdout().lock(), &events)?;
    }
    Ok(if report.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

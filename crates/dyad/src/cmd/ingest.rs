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

fn spinner_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(
        "{spinner} {elapsed_precise} {pos} docs, {msg} (counting inputs)",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
}

fn bar_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] {pos}/{len} docs ({percent}%), {msg}, ETA {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .progress_chars("=> ")
}

/// The number of inputs under `paths`, counted by a background reader; `None` until done.
struct InputCount(std::sync::Arc<std::sync::OnceLock<usize>>);

impl InputCount {
    fn get(&self) -> Option<usize> {
        self.0.get().copied()
    }
}

fn count_in_background(paths: &[PathBuf], options: &dyad_ingest::ReadOptions) -> InputCount {
    let cell = std::sync::Arc::new(std::sync::OnceLock::new());
    let (paths, options, out) = (paths.to_vec(), options.clone(), cell.clone());
    // Detached: if ingest ends first, the process exits and the count is simply dropped.
    let _ = std::thread::Builder::new()
        .name("dyad-count".into())
        .spawn(move || {
            let _ = out.set(dyad_ingest::read_inputs(&paths, &options).count());
        });
    InputCount(cell)
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
        bar.set_style(spinner_style());
        bar.set_message("0 events");
        bar
    });
    // The inputs are read lazily, so their number is unknown at the start: a second reader
    // counts them in the background (reading is ~100x faster than coding) and the bar gets
    // a length, a percentage and an ETA as soon as the count is in. Standard input cannot be
    // read twice, so with `-` the bar stays a spinner.
    let total = bar
        .as_ref()
        .filter(|_| args.inputs.iter().all(|p| p.as_os_str() != "-"))
        .map(|_| count_in_background(&args.inputs, &args.read.options()));
    let report = ingest(
        &mut store,
        &pipeline,
        inputs,
        IngestOptions {
            batch_size: args.batch_size,
        },
        |r| {
            if let Some(bar) = &bar {
                if bar.length().is_none()
                    && let Some(n) = total.as_ref().and_then(|t| t.get())
                {
                    bar.set_length(n as u64);
                    bar.set_style(bar_style());
                }
                bar.set_position(r.read as u64);
                bar.set_message(format!(
                    "{} events, {:.0} docs/s, {} failed",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_count_equals_what_ingest_reads() {
        let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        let options = dyad_ingest::ReadOptions::default();
        let expected = dyad_ingest::read_inputs(std::slice::from_ref(&seed), &options).count();
        assert!(expected > 5, "fixtures hold several documents");
        let count = count_in_background(&[seed], &options);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while count.get().is_none() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(count.get(), Some(expected));
    }
}

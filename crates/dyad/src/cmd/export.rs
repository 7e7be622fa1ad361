//! `dyad export`: GDELT 2.0 events/mentions, PLOVER JSON, CSV, Parquet.

use super::args::FilterArgs;
use anyhow::{Context, Result};
use clap::Args;
use dyad_store::{ExportFormat, Store};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dyad export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// gdelt-events, gdelt-mentions, plover, csv or parquet.
    #[arg(value_parser = |s: &str| s.parse::<ExportFormat>())]
    pub format: ExportFormat,
    /// The database.
    #[arg(long, default_value = "dyad.db")]
    pub db: PathBuf,
    /// Write here instead of standard output (required for parquet).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub filters: FilterArgs,
}

/// Runs `dyad export`.
pub fn run(args: ExportArgs) -> Result<ExitCode> {
    let store = Store::open_read_only(&args.db)?;
    let query = args.filters.query();
    let n = match &args.output {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut w = BufWriter::new(file);
            let n = store.export(&query, args.format, &mut w)?;
            w.flush()?;
            n
        }
        None => {
            anyhow::ensure!(
                args.format != ExportFormat::Parquet,
                "parquet is binary: give a file with --output"
            );
            let mut w = BufWriter::new(std::io::stdout());
            let n = store.export(&query, args.format, &mut w)?;
            w.flush()?;
            n
        }
    };
    eprintln!("dyad: exported {n} rows");
    Ok(ExitCode::SUCCESS)
}

//! The `dyad` command-line tool: a thin layer over the pipeline crates.
//!
//! Each subcommand lives in `cmd/<name>.rs` and only parses arguments, calls a library and
//! prints. Exit status: 0 success, 1 when some inputs failed (dead letters), 2 on usage errors.

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// dyad turns news articles into evidence-backed political event data.
#[derive(Parser)]
#[command(name = "dyad", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles and write one JSON document per line with every layer dyad extracts.
    Code(cmd::code::CodeArgs),
    /// Read, code and store articles in the event database (SQLite).
    Ingest(cmd::ingest::IngestArgs),
    /// Filter stored events: a table, CSV or JSON, or counts by day, actor, code or country.
    Query(cmd::query::QueryArgs),
    /// Export stored events: gdelt-events, gdelt-mentions, plover, csv, parquet.
    Export(cmd::export::ExportArgs),
    /// Show or retry inputs that could not be read or coded.
    #[command(subcommand)]
    DeadLetter(cmd::dead_letter::DeadLetterCommand),
    /// Compile the knowledge base and the gazetteer into their caches (optional: the first
    /// run does it otherwise) and report load times.
    Setup(cmd::setup::SetupArgs),
    /// Serve the JSON API and the web dashboard over the event store (loopback by default).
    Serve(cmd::serve::ServeArgs),
    /// Inspect the knowledge base: `lookup NAME --date D` explains a match; `stats`.
    #[command(subcommand)]
    Kb(cmd::kb::KbCommand),
    /// Precision, recall and F1 against gold sets.
    #[command(subcommand)]
    Eval(cmd::eval::EvalCommand),
    /// Measure throughput and peak memory on a corpus.
    #[command(subcommand)]
    Bench(cmd::bench::BenchCommand),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DYAD_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(args) => cmd::code::run(args),
        Command::Ingest(args) => cmd::ingest::run(args),
        Command::Query(args) => cmd::query::run(args),
        Command::Export(args) => cmd::export::run(args),
        Command::DeadLetter(args) => cmd::dead_letter::run(args),
        Command::Setup(args) => cmd::setup::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Kb(args) => cmd::kb::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Bench(args) => cmd::bench::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dyad: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

//! `dyad bench`: throughput and peak memory on a real corpus.

use anyhow::{Result, anyhow};
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

/// What to measure.
#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Read + clean HTML, then sentence splitting + tokenization, one thread.
    Text {
        /// Corpus to read (any input dyad reads).
        #[arg(long, default_value = "../shared/corpus/news2017.jsonl.gz")]
        corpus: PathBuf,
        /// Use only the first N articles.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Time of every pipeline stage on one thread (where the time goes).
    Stages {
        /// Corpus to read (any input dyad reads).
        #[arg(long, default_value = "../shared/corpus/news2017.jsonl.gz")]
        corpus: PathBuf,
        /// Use only the first N articles.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Ingest end to end (read, code, store) on all cores: articles/s, MB/s, events/s,
    /// database size per 1,000 articles and peak memory.
    Ingest {
        /// Corpus to read (any input dyad reads).
        #[arg(long, default_value = "../shared/corpus/news2017.jsonl.gz")]
        corpus: PathBuf,
        /// Use only the first N articles.
        #[arg(long)]
        limit: Option<usize>,
        /// Database to create (deleted first).
        #[arg(long, default_value = "bench.db")]
        db: PathBuf,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
}

/// Runs `dyad bench`.
pub fn run(command: BenchCommand) -> Result<ExitCode> {
    match command {
        BenchCommand::Text { corpus, limit } => {
            let report =
                dyad_pipeline::bench::bench_text(&corpus, limit).map_err(|e| anyhow!(e))?;
            print!("{report}");
        }
        BenchCommand::Stages { corpus, limit } => {
            let report =
                dyad_pipeline::bench::bench_stages(&corpus, limit).map_err(|e| anyhow!(e))?;
            print!("{report}");
        }
        BenchCommand::Ingest {
            corpus,
            limit,
            db,
            threads,
        } => {
            super::set_threads(threads)?;
            let report =
                dyad_pipeline::bench::bench_ingest(&corpus, &db, limit).map_err(|e| anyhow!(e))?;
            print!("{report}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `dyad dead-letter list|retry`: inputs that could not be read or coded.

use super::args::ReadArgs;
use anyhow::Result;
use clap::Subcommand;
use dyad_pipeline::ingest::{IngestOptions, ingest};
use dyad_pipeline::{PipelineOptions, default_pipeline};
use dyad_store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

/// What to do with the dead letters.
#[derive(Subcommand, Debug)]
pub enum DeadLetterCommand {
    /// Show every input that failed, with its reason and attempt count.
    List {
        /// The database.
        #[arg(long, default_value = "dyad.db")]
        db: PathBuf,
        /// JSON Lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Read the failed inputs again; what now succeeds is stored and leaves the list.
    Retry {
        /// The database.
        #[arg(long, default_value = "dyad.db")]
        db: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
    },
}

/// Runs `dyad dead-letter`.
pub fn run(command: DeadLetterCommand) -> Result<ExitCode> {
    match command {
        DeadLetterCommand::List { db, json } => {
            let store = Store::open_read_only(&db)?;
            let letters = store.dead_letters()?;
            for l in &letters {
                if json {
                    println!("{}", serde_json::to_string(l)?);
                } else {
                    let at = if l.position.is_empty() {
                        String::new()
                    } else {
                        format!("{}: ", l.position)
                    };
                    println!(
                        "{}: {at}{} (attempts: {}, last {})",
                        l.path, l.reason, l.attempts, l.last_seen
                    );
                }
            }
            if !json {
                eprintln!("{} dead letters", letters.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        DeadLetterCommand::Retry { db, read } => {
            let mut store = Store::open(&db)?;
            let letters = store.dead_letters()?;
            let mut paths: Vec<String> = letters.iter().map(|l| l.path.clone()).collect();
            paths.sort();
            paths.dedup();
            // Forget the old failures of these inputs; reading them again records what still fails.
            for l in &letters {
                store.clear_dead_letter(&l.path, &l.position)?;
            }
            let pipeline = default_pipeline(&PipelineOptions::default())?;
            let inputs: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
            let report = ingest(
                &mut store,
                &pipeline,
                dyad_ingest::read_inputs(&inputs, &read.options()),
                IngestOptions::default(),
                |_| {},
            )?;
            super::ingest::print_summary(&report, &db);
            Ok(if report.failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

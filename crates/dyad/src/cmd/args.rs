//! Argument groups shared by several subcommands.

use clap::Args;
use dyad_ingest::{InputFormat, ReadOptions};
use dyad_store::EventQuery;

/// How to read inputs (`dyad code`, `dyad ingest`).
#[derive(Args, Debug, Clone)]
pub struct ReadArgs {
    /// Publication date (YYYY-MM-DD) for every document; overrides the input's metadata.
    #[arg(long, value_parser = parse_date)]
    pub published: Option<jiff::civil::Date>,
    /// Source / outlet name for every document; overrides the input's metadata.
    #[arg(long)]
    pub source: Option<String>,
    /// Input format instead of guessing from the extension: text, html, jsonl, rss, atom, warc.
    #[arg(long, value_parser = parse_format)]
    pub input_format: Option<InputFormat>,
    /// JSONL field holding the article text (repeatable; default: text, content, body).
    #[arg(long = "text-field")]
    pub text_fields: Vec<String>,
}

impl ReadArgs {
    /// The reader options these arguments ask for.
    pub fn options(&self) -> ReadOptions {
        let mut options = ReadOptions {
            format: self.input_format,
            published: self.published,
            source: self.source.clone(),
            ..ReadOptions::default()
        };
        if !self.text_fields.is_empty() {
            options.jsonl_fields.text = self.text_fields.clone();
        }
        options
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    s.parse::<jiff::civil::Date>()
        .map_err(|e| format!("expected a date as YYYY-MM-DD: {e}"))
}

fn parse_format(s: &str) -> Result<InputFormat, String> {
    s.parse::<InputFormat>().map_err(|e| e.to_string())
}

fn parse_bbox(s: &str) -> Result<[f64; 4], String> {
    let parts: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("expected MIN_LON,MIN_LAT,MAX_LON,MAX_LAT: {e}"))?;
    match parts.as_slice() {
        [a, b, c, d] if a <= c && b <= d => Ok([*a, *b, *c, *d]),
        _ => Err("expected MIN_LON,MIN_LAT,MAX_LON,MAX_LAT with min <= max".into()),
    }
}

/// Event filters (`dyad query`, `dyad export`).
#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Actor code prefix (AFG, USAGOV) or name (Taliban), as source or target.
    #[arg(long)]
    pub actor: Option<String>,
    /// Source actor only.
    #[arg(long)]
    pub source_actor: Option<String>,
    /// Target actor only.
    #[arg(long)]
    pub target_actor: Option<String>,
    /// CAMEO code prefix (18, 186).
    #[arg(long)]
    pub cameo: Option<String>,
    /// PLOVER event type (ASSAULT, REQUEST ...).
    #[arg(long)]
    pub plover: Option<String>,
    /// QuadClass 1..4.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub quad_class: Option<u8>,
    /// First day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub from: Option<jiff::civil::Date>,
    /// Last day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub to: Option<jiff::civil::Date>,
    /// ISO country code of the event place (AF).
    #[arg(long)]
    pub country: Option<String>,
    /// Bounding box MIN_LON,MIN_LAT,MAX_LON,MAX_LAT.
    #[arg(long, value_parser = parse_bbox, allow_hyphen_values = true)]
    pub bbox: Option<[f64; 4]>,
    /// Outlet of at least one mention.
    #[arg(long)]
    pub outlet: Option<String>,
    /// Only negated events.
    #[arg(long, conflicts_with = "asserted")]
    pub negated: bool,
    /// Only events that are not negated.
    #[arg(long)]
    pub asserted: bool,
    /// Modality: asserted, reported, claimed, future, intended, conditional.
    #[arg(long)]
    pub modality: Option<String>,
    /// Full-text search over evidence and sentences.
    #[arg(long)]
    pub text: Option<String>,
    /// At most this many events.
    #[arg(long)]
    pub limit: Option<usize>,
}

impl FilterArgs {
    /// The store query.
    pub fn query(&self) -> EventQuery {
        EventQuery {
            actor: self.actor.clone(),
            source: self.source_actor.clone(),
            target: self.target_actor.clone(),
            cameo: self.cameo.clone(),
            plover: self.plover.clone(),
            quad_class: self.quad_class,
            from: self.from.map(|d| d.to_string()),
            to: self.to.map(|d| d.to_string()),
            country: self.country.clone(),
            bbox: self.bbox,
            outlet: self.outlet.clone(),
            negated: if self.negated {
                Some(true)
            } else if self.asserted {
                Some(false)
            } else {
                None
            },
            modality: self.modality.clone(),
            text: self.text.clone(),
            after_id: None,
            limit: self.limit,
        }
    }
}

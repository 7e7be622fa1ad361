//! Throughput of the event coder on the real corpus, one core:
//! `cargo run --release -p dyad-events --example bench_events -- [N_ARTICLES]`.
//!
//! Reads the first N articles of `../shared/corpus/news2017.jsonl.gz`, splits and tokenizes
//! them (not timed: that is `dyad-text`), times tagging, runs the entity and quote stages (not
//! timed: their own crates measure them), then times KB matching + coding.

use dyad_document::Metadata;
use dyad_document::Stage;
use dyad_events::EventStage;
use dyad_kb::KnowledgeBase;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let limit: usize = std::env::args()
        .skip(1)
        .find_map(|n| n.parse().ok())
        .unwrap_or(500);
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/news2017.jsonl.gz");
    let reader = BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(path)?));
    let mut docs = Vec::new();
    for line in reader.lines().take(limit) {
        let record: serde_json::Value = serde_json::from_str(&line?)?;
        let text = record["text"].as_str().unwrap_or("");
        let meta = Metadata {
            published: record["date"]
                .as_str()
                .and_then(|d| d.get(..10))
                .and_then(|d| d.parse().ok()),
            ..Default::default()
        };
        let mut doc = dyad_document::Document::new(text.to_string(), meta);
        dyad_text::TextStage::new().process(&mut doc)?;
        docs.push(doc);
    }
    let sentences: usize = docs.iter().map(|d| d.sentences.len()).sum();
    let syntax = dyad_syntax::SyntaxStage::new()?;
    let kb = Arc::new(KnowledgeBase::load_default()?);
    let entities = dyad_entities::EntityStage::new(Some(kb.clone()))?;
    let quotes = dyad_quotes::QuotesStage::new()?;
    let stage = EventStage::new(kb)?;
    // `--no-parser`: the chunk rules only.
    let stage = if std::env::args().any(|a| a == "--no-parser") {
        stage.without_parser()
    } else {
        stage
    };

    let started = Instant::now();
    for doc in &mut docs {
        syntax.annotate(doc);
    }
    let tagged = started.elapsed();
    for doc in &mut docs {
        entities.process(doc)?;
        quotes.process(doc)?;
    }
    let started = Instant::now();
    let mut arcs = 0;
    for doc in &docs {
        for i in 0..doc.sentences.len() {
            arcs += dyad_syntax::parse_sentence(doc, i).len();
        }
    }
    let parsed = started.elapsed();
    println!(
        "dependency parsing alone: {:>9.0} sentences/s ({arcs} tokens)",
        sentences as f64 / parsed.as_secs_f64()
    );
    let started = Instant::now();
    let mut events = 0;
    for doc in &docs {
        events += stage.code(doc).len();
    }
    let coded = started.elapsed();
    let total = tagged + coded;
    println!(
        "{} articles, {sentences} sentences, {events} events",
        docs.len()
    );
    println!(
        "tagging:                 {:>9.0} sentences/s",
        sentences as f64 / tagged.as_secs_f64()
    );
    println!(
        "KB matching + coding:    {:>9.0} sentences/s",
        sentences as f64 / coded.as_secs_f64()
    );
    println!(
        "analysis + coding total: {:>9.0} sentences/s (one core)",
        sentences as f64 / total.as_secs_f64()
    );
    Ok(())
}

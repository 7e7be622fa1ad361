//! Throughput of the event coder on the real corpus, one core:
//! `cargo run --release -p dyad-events --example bench_events -- [N_ARTICLES]`.
//!
//! Reads the first N articles of `../shared/corpus/news2017.jsonl.gz`, splits and tokenizes
//! them (not timed: that is ingest), then times tagging + chunking + KB matching + coding.

use dyad_document::Metadata;
use dyad_events::{EventStage, prepare};
use dyad_kb::KnowledgeBase;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let limit: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
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
        doc.sentences = prepare::split_sentences(text, 0)
            .into_iter()
            .map(|range| dyad_document::Sentence { range })
            .collect();
        doc.tokens = doc
            .sentences
            .iter()
            .flat_map(|s| prepare::tokenize(&text[s.range.as_range()], s.range.start()))
            .collect();
        docs.push(doc);
    }
    let sentences: usize = docs.iter().map(|d| d.sentences.len()).sum();
    let syntax = dyad_syntax::SyntaxStage::new()?;
    let stage = EventStage::new(Arc::new(KnowledgeBase::load_default()?))?;

    let started = Instant::now();
    for doc in &mut docs {
        syntax.annotate(doc);
    }
    let tagged = started.elapsed();
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

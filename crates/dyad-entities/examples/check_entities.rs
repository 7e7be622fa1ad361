//! Output check and timing for the entity stage: runs it over the first N corpus articles,
//! writes every document's entities (`format_entities`) to a file and prints a hash of them,
//! then times the stage alone (best of R rounds, one core).
//!
//! ```text
//! cargo run -p dyad-entities --release --example check_entities -- [N=300] [R=5] [--out FILE]
//! ```
//! Compare the hash (or the file) before and after a change that must not change the output.
use dyad_document::{Document, Metadata, Stage};
use dyad_entities::{EntityStage, format_entities};
use std::hash::{Hash, Hasher};
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let numbers: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let n = numbers.first().copied().unwrap_or(300);
    let rounds = numbers.get(1).copied().unwrap_or(5).max(1);
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1));
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/news2017.jsonl.gz");
    let reader =
        std::io::BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(&corpus)?));
    let mut docs = Vec::new();
    for line in reader.lines().take(n) {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let meta = Metadata {
            published: v["date"].as_str().and_then(|d| d.parse().ok()),
            ..Metadata::default()
        };
        docs.push(Document::new(
            v["text"].as_str().unwrap_or("").to_string(),
            meta,
        ));
    }
    let kb = Some(Arc::new(dyad_kb::KnowledgeBase::load_default()?));
    let text_stage = dyad_text::TextStage::new();
    let syntax = dyad_syntax::SyntaxStage::new()?;
    let entities = EntityStage::new(kb)?;
    for d in &mut docs {
        text_stage.process(d)?;
        syntax.process(d)?;
    }
    let sentences: usize = docs.iter().map(|d| d.sentences.len()).sum();

    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let started = Instant::now();
        for d in &mut docs {
            entities.process(d)?;
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    let mut text = String::new();
    for d in &docs {
        text.push_str(&format_entities(d));
        text.push_str("--\n");
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    if let Some(path) = out {
        std::fs::write(path, &text)?;
    }
    println!(
        "{} articles, {sentences} sentences, {} entity lines, output hash {:016x}",
        docs.len(),
        text.lines().count(),
        hasher.finish()
    );
    println!(
        "entity stage: {:.0} sentences/s (best of {rounds}: {best:.3} s)",
        sentences as f64 / best
    );
    Ok(())
}

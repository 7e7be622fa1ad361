//! Throughput of the entity stage on the real corpus, one core.
//!
//! ```text
//! cargo run -p dyad-entities --release --example bench_entities -- [N articles, default 500] [--no-kb]
//! ```
//! Reads the first N articles of `../shared/corpus/news2017.jsonl.gz`, runs text + syntax
//! once (untimed), then times the entity stage alone and the whole text → entities pipeline.
use dyad_document::{Document, Metadata, Stage};
use dyad_entities::EntityStage;
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(500);
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/news2017.jsonl.gz");
    let reader =
        std::io::BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(&corpus)?));
    let mut texts = Vec::new();
    for line in reader.lines().take(n) {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        texts.push(v["text"].as_str().unwrap_or("").to_string());
    }
    let kb = if args.iter().any(|a| a == "--no-kb") {
        None
    } else {
        Some(Arc::new(dyad_kb::KnowledgeBase::load_default()?))
    };
    let text_stage = dyad_text::TextStage::new();
    let syntax = dyad_syntax::SyntaxStage::new()?;
    let entities = EntityStage::new(kb.clone())?;

    let mut docs: Vec<Document> = texts
        .iter()
        .map(|t| Document::new(t.clone(), Metadata::default()))
        .collect();
    let started = Instant::now();
    for d in &mut docs {
        text_stage.process(d)?;
        syntax.process(d)?;
    }
    let upstream = started.elapsed().as_secs_f64();
    let sentences: usize = docs.iter().map(|d| d.sentences.len()).sum();
    let tokens: usize = docs.iter().map(|d| d.tokens.len()).sum();

    let started = Instant::now();
    let mut found = 0;
    for d in &mut docs {
        entities.process(d)?;
        found += d.entities.len();
    }
    let stage = started.elapsed().as_secs_f64();
    println!(
        "{} articles, {sentences} sentences, {tokens} tokens, {found} entities (KB: {})",
        docs.len(),
        kb.is_some()
    );
    println!(
        "entity stage alone:      {:>8.0} sentences/s  {:>9.0} tokens/s  ({stage:.2} s)",
        sentences as f64 / stage,
        tokens as f64 / stage
    );
    let total = stage + upstream;
    println!(
        "text + syntax + entities: {:>7.0} sentences/s  {:>9.0} tokens/s  ({total:.2} s)",
        sentences as f64 / total,
        tokens as f64 / total
    );
    Ok(())
}

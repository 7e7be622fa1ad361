//! Prints the evaluation on the gold sets:
//! `cargo run -p dyad-quotes --example quotes_eval [-- --misses] [--text] [--corpus]`.
//! `--misses` lists every miss, false alarm, wrong speaker and wrong outlet; `--text` also
//! evaluates with `dyad-text` splitting sentences and tokens (as in the pipeline, without
//! tags and entities; `dyad eval quotes --misses` runs the full pipeline).
//! `--corpus` also runs the finder over the whole corpus and prints counts and time.
use dyad_document::{Document, Metadata, Stage};
use std::io::BufRead;
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = root.join("../shared/corpus/news2017.jsonl.gz");
    let args: Vec<String> = std::env::args().collect();
    for gold in [
        "tests/gold/quotes/seed.jsonl",
        "tests/gold/quotes/quotes_dev.jsonl",
    ] {
        let report = dyad_quotes::evaluate(&root.join(gold), &corpus)?;
        println!("== {gold}\n{report}");
        if args.iter().any(|a| a == "--misses") {
            println!("{}", report.misses_table());
        }
        if args.iter().any(|a| a == "--text") {
            let text_stage = dyad_text::TextStage::new();
            let report = dyad_quotes::evaluate_with(&root.join(gold), &corpus, &|doc| {
                text_stage.process(doc)
            })?;
            println!("== {gold} (sentences and tokens by dyad-text)\n{report}");
            if args.iter().any(|a| a == "--misses") {
                println!("{}", report.misses_table());
            }
        }
    }
    if args.iter().any(|a| a == "--corpus") {
        let stage = dyad_quotes::QuotesStage::new()?;
        let reader =
            std::io::BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(&corpus)?));
        let started = std::time::Instant::now();
        let (mut documents, mut quotes, mut attributed) = (0, 0, 0);
        for line in reader.lines() {
            let record: serde_json::Value = serde_json::from_str(&line?)?;
            let text = record["text"].as_str().unwrap_or("").to_string();
            let mut doc = Document::new(text, Metadata::default());
            dyad_quotes::simple_segment(&mut doc);
            stage.process(&mut doc)?;
            documents += 1;
            quotes += doc.quotes.len();
            attributed += doc.quotes.iter().filter(|q| q.speaker.is_some()).count();
        }
        println!(
            "corpus: {documents} documents, {quotes} quotes ({attributed} attributed) in {:.1?} (segmentation included)",
            started.elapsed()
        );
    }
    Ok(())
}

//! Scores dyad (and spaCy, when the peers venv exists) on re3d.
//!
//! ```text
//! cargo run -p dyad-entities --release --example eval_re3d -- [../shared/gold/ner/re3d_dev.jsonl] [--no-kb] [--no-spacy]
//! ```
use dyad_document::Pipeline;
use dyad_entities::{EntityStage, EvalOptions, evaluate_re3d};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let gold = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| shared.join("gold/ner/re3d_dev.jsonl"));
    let kb = if args.iter().any(|a| a == "--no-kb") {
        None
    } else {
        Some(Arc::new(dyad_kb::KnowledgeBase::load_default()?))
    };
    let pipeline = Pipeline::new(vec![
        Box::new(dyad_text::TextStage::new()),
        Box::new(dyad_syntax::SyntaxStage::new()?),
        Box::new(EntityStage::new(kb)?),
    ])?;
    let options = if args.iter().any(|a| a == "--no-spacy") {
        EvalOptions::default()
    } else {
        EvalOptions::with_default_spacy(shared.join("peers/spacy_bench.py"))
    };
    let report = evaluate_re3d(&gold, &pipeline, &options)?;
    print!("{report}");
    Ok(())
}

//! Error analysis on re3d: prints dyad's false positives (`FP`) and missed gold entities
//! (`FN`) per scored label.
//!
//! ```text
//! cargo run -p dyad-entities --release --example ner_errors -- [re3d_dev.jsonl] [LABEL]
//! ```
use dyad_document::{CharIndex, Document, Metadata, Pipeline};
use dyad_entities::{
    EntityStage, Gazetteer, map_re3d_label, map_system_label, organization_readings,
};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let gold = args
        .iter()
        .find(|a| a.ends_with(".jsonl"))
        .map(PathBuf::from)
        .unwrap_or_else(|| shared.join("gold/ner/re3d_dev.jsonl"));
    let only = args.iter().find(|a| !a.ends_with(".jsonl")).cloned();
    let pipeline = Pipeline::new(vec![
        Box::new(dyad_text::TextStage::new()),
        Box::new(dyad_syntax::SyntaxStage::new()?),
        Box::new(EntityStage::new(Some(Arc::new(
            dyad_kb::KnowledgeBase::load_default()?,
        )))?),
    ])?;
    let gazetteer = Gazetteer::embedded()?;
    for line in std::io::BufReader::new(std::fs::File::open(gold)?).lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let text = v["text"].as_str().unwrap_or("").to_string();
        let chars: Vec<char> = text.chars().collect();
        let gold: Vec<(usize, usize, &str)> = v["entities"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter_map(|e| {
                Some((
                    e["start"].as_u64()? as usize,
                    e["end"].as_u64()? as usize,
                    map_re3d_label(e["type"].as_str()?)?,
                ))
            })
            .collect();
        let mut doc = Document::new(text, Metadata::default());
        pipeline.run(&mut doc)?;
        let index = CharIndex::new(doc.text());
        let mut predicted: Vec<(usize, usize, &str)> = doc
            .entities
            .iter()
            .filter_map(|e| {
                let l = map_system_label(e.label.as_str())?;
                Some((
                    index.char_offset(e.range.start()),
                    index.char_offset(e.range.end()),
                    l,
                ))
            })
            .collect();
        // Organization readings count as ORG, as in the evaluation (EVAL.md).
        for r in organization_readings(&doc, &gazetteer) {
            predicted.push((
                index.char_offset(r.range.start()),
                index.char_offset(r.range.end()),
                "ORG",
            ));
        }
        let show = |s: usize, e: usize| {
            chars
                .get(s..e)
                .map(|c| c.iter().collect::<String>())
                .unwrap_or_default()
        };
        let wanted = |l: &str| only.as_deref().is_none_or(|o| o == l);
        let overlaps = |a: &(usize, usize, &str), b: &(usize, usize, &str)| a.0 < b.1 && b.0 < a.1;
        // Error kinds: `confused` = overlaps an entity of another scored label, `spurious` /
        // `missing` = overlaps nothing of the other side.
        for p in &predicted {
            if wanted(p.2) && !gold.iter().any(|g| g.2 == p.2 && overlaps(g, p)) {
                let other: Vec<&str> = gold
                    .iter()
                    .filter(|g| overlaps(g, p))
                    .map(|g| g.2)
                    .collect();
                let kind = if other.is_empty() {
                    "spurious"
                } else {
                    "confused"
                };
                println!("FP {} {kind} {:?} {other:?}", p.2, show(p.0, p.1));
            }
        }
        for g in &gold {
            if wanted(g.2) && !predicted.iter().any(|p| g.2 == p.2 && overlaps(g, p)) {
                let other: Vec<String> = predicted
                    .iter()
                    .filter(|p| overlaps(g, p))
                    .map(|p| format!("{}:{}", p.2, show(p.0, p.1)))
                    .collect();
                let kind = if other.is_empty() {
                    "missing"
                } else {
                    "confused"
                };
                println!("FN {} {kind} {:?} {other:?}", g.2, show(g.0, g.1));
            }
        }
    }
    Ok(())
}

//! Prints the entities of a text file (one document), one line each.
//!
//! ```text
//! cargo run -p dyad-entities --example show_entities -- ../shared/corpus/seed/panjshir.txt [--no-kb] [--tags]
//! ```
use dyad_document::{Document, Metadata, Pipeline};
use dyad_entities::{EntityStage, Gazetteer, format_entities, organization_readings};
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: show_entities <file.txt> [--no-kb]");
        std::process::exit(2);
    };
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
    let meta = Metadata {
        published: Some(dyad_document::Date::new(2021, 8, 25)?),
        ..Default::default()
    };
    let mut doc = Document::new(std::fs::read_to_string(path)?, meta);
    pipeline.run(&mut doc)?;
    print!("{}", format_entities(&doc));
    // Organization readings (`src/readings.rs`): mentions that also stand for an organization.
    for r in organization_readings(&doc, &Gazetteer::embedded()?) {
        println!("[ORG-READING {:?} {:?}]", doc.slice(r.range), r.cue);
    }
    if args.iter().any(|a| a == "--tags") {
        for t in &doc.tokens {
            print!(
                "{}/{} ",
                doc.slice(t.range),
                t.tag.map_or("-", |x| x.as_str())
            );
        }
        println!();
    }
    Ok(())
}

//! Codes a text file and prints the events: `cargo run -p dyad-events --example code_text -- FILE [YYYY-MM-DD]`.
use dyad_document::Metadata;
use dyad_events::{EventStage, Preparation};
use dyad_kb::KnowledgeBase;
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: code_text FILE [YYYY-MM-DD]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path)?;
    let meta = Metadata {
        published: args.get(1).and_then(|d| d.parse().ok()),
        ..Default::default()
    };
    let kb = Arc::new(KnowledgeBase::load_default()?);
    let doc = Preparation::new(kb.clone())?.document(&text, meta)?;
    let stage = EventStage::new(kb)?;
    if std::env::var_os("SHOW_TREE").is_some() {
        for i in 0..doc.sentences.len() {
            let tree = dyad_syntax::parse_sentence(&doc, i);
            for t in tree.tokens.clone() {
                println!(
                    "{t:>4} {:<16} {:<5} <-{:<10} {:?}",
                    doc.slice(doc.tokens[t].range),
                    doc.tokens[t].tag.map_or("", |x| x.as_str()),
                    tree.label(t).map_or("", |l| l.as_str()),
                    tree.head(t)
                );
            }
        }
    }
    if std::env::var_os("SHOW_ENTITIES").is_some() {
        print!("{}", dyad_entities::format_entities(&doc));
        for q in &doc.quotes {
            println!(
                "[QUOTE {:?} {:?} speaker={:?}]",
                q.kind,
                doc.slice(q.range),
                q.speaker.as_ref().map(|s| (&s.name, s.entity))
            );
        }
    }
    for e in stage.code(&doc) {
        println!(
            "s{} {} [{}] -> {} : {}{} {} ({}) speaker={:?} conf={:.2}\n    evidence \"{}\" | {}",
            e.sentence,
            doc.slice(e.source.range),
            e.source.code,
            e.target.as_ref().map_or("-".to_string(), |t| format!(
                "{} [{}] ({})",
                doc.slice(t.range),
                t.code,
                t.name
            )),
            e.cameo,
            if e.negated { " NEGATED" } else { "" },
            e.plover.as_ref().map_or("", |p| p.event_type.as_str()),
            e.modality.as_str(),
            e.speaker.as_ref().map(|s| s.name.clone()),
            e.confidence,
            doc.slice(e.evidence),
            e.pattern
        );
    }
    Ok(())
}

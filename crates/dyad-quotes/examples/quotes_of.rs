//! Prints the quotes found in a text read from standard input, split by this crate's
//! splitter, or by `dyad-text` with `--text`:
//! `echo '"We will fight," Ali Nazary told the BBC.' | cargo run -p dyad-quotes --example quotes_of`.
use dyad_document::{Document, Metadata, Stage};
use std::io::Read;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let mut doc = Document::new(text, Metadata::default());
    if std::env::args().any(|a| a == "--text") {
        dyad_text::TextStage::new().process(&mut doc)?;
    } else {
        dyad_quotes::simple_segment(&mut doc);
    }
    dyad_quotes::QuotesStage::new()?.process(&mut doc)?;
    for q in &doc.quotes {
        println!(
            "{:?} {:?} speaker={:?} outlet={:?} cue={:?}",
            q.kind,
            doc.slice(q.range),
            q.speaker.as_ref().map(|s| s.name.as_str()),
            q.outlet.as_ref().map(|o| o.name.as_str()),
            q.cue.map(|c| doc.slice(c)),
        );
    }
    Ok(())
}

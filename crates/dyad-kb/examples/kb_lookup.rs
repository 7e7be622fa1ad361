//! Explains how the knowledge base resolves a name, like `dyad kb lookup`.
//!
//! ```text
//! cargo run -p dyad-kb --example kb_lookup -- "Ashraf Ghani" 2021-08-15
//! cargo run -p dyad-kb --example kb_lookup -- --stats
//! ```

use dyad_kb::{Date, KnowledgeBase};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let kb = KnowledgeBase::load_default()?;
    let report = kb.load_report();
    eprintln!(
        "knowledge base loaded in {} ms ({})",
        report.millis,
        if report.from_cache {
            "from cache"
        } else {
            "compiled from the dictionaries"
        }
    );
    if args.first().map(String::as_str) == Some("--stats") {
        println!("{:#?}", kb.stats());
        for diagnostic in kb
            .diagnostics()
            .iter()
            .take(args.get(1).and_then(|n| n.parse().ok()).unwrap_or(0))
        {
            println!("{diagnostic}");
        }
        return Ok(());
    }
    let Some(name) = args.first() else {
        eprintln!("usage: kb_lookup NAME [YYYY-MM-DD] | --stats [N diagnostics]");
        std::process::exit(2);
    };
    let date: Option<Date> = args.get(1).map(|d| d.parse()).transpose()?;
    let explanations = kb.lookup(name, date);
    if explanations.is_empty() {
        println!("\"{name}\" is not in the knowledge base");
    }
    for explanation in explanations {
        println!("{explanation}\n");
    }
    Ok(())
}

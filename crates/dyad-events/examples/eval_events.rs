//! Scores the coder against a gold file: `cargo run -p dyad-events --example eval_events -- FILE [--brief]`.
use dyad_events::{GoldKind, evaluate_events};
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: eval_events GOLD_FILE [--brief]");
        std::process::exit(2);
    };
    let path = Path::new(path);
    let kind = GoldKind::detect(path)?;
    let report = evaluate_events(path, kind, None)?;
    let text = report.to_string();
    if args.iter().any(|a| a == "--brief") {
        for line in text
            .lines()
            .take_while(|l| !l.trim_start().starts_with("misses"))
        {
            println!("{line}");
        }
    } else {
        print!("{text}");
    }
    Ok(())
}

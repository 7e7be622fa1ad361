//! Adds synthetic coded articles to a dyad database (for the browser tests and demos).
//!
//! `cargo run -p dyad-serve --example make_db -- DB [ARTICLES] [SEED]`
//! (default 600 articles, about 3,000 events; seed 7).

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(db) = args.next() else {
        eprintln!("usage: make_db DB [ARTICLES] [SEED]");
        return ExitCode::from(2);
    };
    let articles = args.next().and_then(|a| a.parse().ok()).unwrap_or(600);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    match dyad_serve::synthetic::write_database(std::path::Path::new(&db), articles, seed) {
        Ok(s) => {
            eprintln!(
                "make_db: {} articles stored, {} event mentions ({} events) -> {db}",
                s.stored, s.mentions, s.new_events
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("make_db: {e}");
            ExitCode::FAILURE
        }
    }
}

//! Writes the lemma lexicons (`data/verb_lemmas.txt`, `data/noun_lemmas.txt`,
//! `data/adjective_lemmas.txt`) from training
//! data: lowercase lemmas spaCy gave to verbs, common nouns and adjectives at least `--min` times (3).
//!
//! ```text
//! cargo run -p dyad-syntax --release --example make_lemma_lexicon -- \
//!     ~/.cache/dyad-train/train.jsonl crates/dyad-syntax/data
//! ```
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(input), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: make_lemma_lexicon <train.jsonl> <data dir> [--min N]");
        std::process::exit(2);
    };
    let min: usize = match args.iter().position(|a| a == "--min") {
        Some(i) => args.get(i + 1).ok_or("--min needs a value")?.parse()?,
        None => 3,
    };
    let mut verbs: BTreeMap<String, usize> = BTreeMap::new();
    let mut nouns: BTreeMap<String, usize> = BTreeMap::new();
    let mut adjectives: BTreeMap<String, usize> = BTreeMap::new();
    for line in std::io::BufReader::new(std::fs::File::open(input)?).lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let (Some(tags), Some(lemmas)) = (v["tags"].as_array(), v["lemmas"].as_array()) else {
            continue;
        };
        for (t, l) in tags.iter().zip(lemmas) {
            let (Some(t), Some(l)) = (t.as_str(), l.as_str()) else {
                continue;
            };
            let l = l.to_lowercase();
            if !l.chars().all(|c| c.is_ascii_lowercase()) || l.len() < 2 {
                continue;
            }
            let map = match t {
                "VB" | "VBD" | "VBG" | "VBN" | "VBP" | "VBZ" => &mut verbs,
                "NN" | "NNS" => &mut nouns,
                "JJ" | "JJR" | "JJS" => &mut adjectives,
                _ => continue,
            };
            *map.entry(l).or_default() += 1;
        }
    }
    for (name, map, what) in [
        ("verb_lemmas.txt", &verbs, "verbs"),
        ("noun_lemmas.txt", &nouns, "common nouns"),
        ("adjective_lemmas.txt", &adjectives, "adjectives"),
    ] {
        let path = std::path::Path::new(dir).join(name);
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
        writeln!(
            f,
            "# Lemmas of {what} seen at least {min} times in spaCy en_core_web_sm 3.8.0 (MIT) output on\n\
             # the dyad news corpus; made by examples/make_lemma_lexicon.rs (see TRAINING.md)."
        )?;
        let mut n = 0;
        for (word, count) in map {
            if *count >= min {
                writeln!(f, "{word}")?;
                n += 1;
            }
        }
        eprintln!("{}: {n} lemmas", path.display());
    }
    Ok(())
}

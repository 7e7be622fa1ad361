//! Evaluates the tagger and lemmatizer against held-out spaCy labels and measures speed.
//!
//! ```text
//! cargo run -p dyad-syntax --release --example eval_tagger -- ~/.cache/dyad-train/test.jsonl [model]
//! ```
//! Without a model path, the embedded model is used (and its load time measured).
use dyad_document::PosTag;
use dyad_syntax::{Lemmatizer, ModelFile, Tagger};
use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::time::Instant;

struct Sentence {
    words: Vec<String>,
    tags: Vec<String>,
    lemmas: Vec<String>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(input) = args.first() else {
        eprintln!(
            "usage: eval_tagger <test.jsonl> [model] [--train train.jsonl for unknown-word stats]"
        );
        std::process::exit(2);
    };
    let started = Instant::now();
    let tagger: Tagger = match args.get(1).filter(|a| !a.starts_with("--")) {
        Some(path) => Tagger::from_model(ModelFile::from_bytes(&std::fs::read(path)?, path)?)?,
        None => Tagger::embedded()?.clone(),
    };
    let load = started.elapsed();
    let lemmatizer = Lemmatizer::embedded()?;
    let sentences = read(input)?;
    let known: Option<HashSet<String>> = match args.iter().position(|a| a == "--train") {
        Some(i) => Some(
            read(args.get(i + 1).ok_or("--train needs a path")?)?
                .into_iter()
                .flat_map(|s| s.words)
                .collect(),
        ),
        None => None,
    };

    // speed: tag everything 3 times, report the best
    let mut best = f64::MAX;
    let tokens: usize = sentences.iter().map(|s| s.words.len()).sum();
    for _ in 0..3 {
        let t = Instant::now();
        let mut n = 0;
        for s in &sentences {
            n += tagger.tag_words(&s.words).len();
        }
        assert_eq!(n, tokens);
        best = best.min(t.elapsed().as_secs_f64());
    }

    let (mut correct, mut total, mut unk_correct, mut unk_total) = (0, 0, 0, 0);
    let (mut lemma_correct, mut lemma_total) = (0, 0);
    let (mut verb_lemma_correct, mut verb_lemma_total) = (0, 0);
    let mut confusions: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut lemma_errors: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for s in &sentences {
        let predicted = tagger.tag_words(&s.words);
        for (i, word) in s.words.iter().enumerate() {
            let gold = PosTag::parse(&s.tags[i]);
            let ok = predicted[i] == gold;
            correct += ok as usize;
            total += 1;
            if let Some(k) = &known
                && !k.contains(word)
            {
                unk_total += 1;
                unk_correct += ok as usize;
            }
            if !ok {
                *confusions
                    .entry((gold.as_str().to_string(), predicted[i].as_str().to_string()))
                    .or_default() += 1;
            }
            // lemma accuracy on gold tags, lowercase, words only
            if word.chars().any(char::is_alphabetic) && gold != PosTag::NNP && gold != PosTag::NNPS
            {
                let mine = lemmatizer.lemmatize(word, gold);
                let theirs = s.lemmas[i].to_lowercase().replace('\u{2019}', "'");
                let ok = mine == theirs;
                lemma_total += 1;
                lemma_correct += ok as usize;
                if gold.is_verb() {
                    verb_lemma_total += 1;
                    verb_lemma_correct += ok as usize;
                }
                if !ok {
                    *lemma_errors
                        .entry((
                            word.to_lowercase(),
                            gold.as_str().into(),
                            format!("{mine} vs {theirs}"),
                        ))
                        .or_default() += 1;
                }
            }
        }
    }
    println!(
        "model: {} features, {} classes",
        tagger.feature_count(),
        tagger.classes().len()
    );
    println!(
        "load: {:.1} ms (decompress + decode + tables)",
        load.as_secs_f64() * 1e3
    );
    println!(
        "tag accuracy vs spaCy: {:.2}% ({correct}/{total})",
        100.0 * correct as f64 / total as f64
    );
    if known.is_some() {
        println!(
            "unknown-word accuracy: {:.2}% ({unk_correct}/{unk_total})",
            100.0 * unk_correct as f64 / unk_total.max(1) as f64
        );
    }
    println!(
        "lemma agreement with spaCy (gold tags, common words): {:.2}% ({lemma_correct}/{lemma_total}); verbs {:.2}%",
        100.0 * lemma_correct as f64 / lemma_total.max(1) as f64,
        100.0 * verb_lemma_correct as f64 / verb_lemma_total.max(1) as f64
    );
    println!(
        "speed: {:.0} tokens/s (one core, {tokens} tokens)",
        tokens as f64 / best
    );
    let mut top: Vec<_> = confusions.into_iter().collect();
    top.sort_by_key(|entry| std::cmp::Reverse(entry.1));
    println!("top confusions (gold -> predicted):");
    for ((g, p), n) in top.iter().take(12) {
        println!("  {g:>5} -> {p:<5} {n}");
    }
    let mut top: Vec<_> = lemma_errors.into_iter().collect();
    top.sort_by_key(|entry| std::cmp::Reverse(entry.1));
    println!("top lemma disagreements (word tag: dyad vs spaCy):");
    for ((w, t, d), n) in top.iter().take(40) {
        println!("  {w} {t}: {d} ({n})");
    }
    Ok(())
}

fn read(path: &str) -> Result<Vec<Sentence>, Box<dyn std::error::Error>> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let strings = |key: &str| -> Vec<String> {
            v[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let s = Sentence {
            words: strings("words"),
            tags: strings("tags"),
            lemmas: strings("lemmas"),
        };
        if s.words.len() == s.tags.len() && s.words.len() == s.lemmas.len() {
            out.push(s);
        }
    }
    Ok(out)
}

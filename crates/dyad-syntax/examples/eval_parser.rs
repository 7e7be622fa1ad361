//! Evaluates the dependency parser against held-out spaCy parses and measures its speed.
//!
//! ```text
//! cargo run -p dyad-syntax --release --example eval_parser -- \
//!     ~/.cache/dyad-train/parse/test.jsonl [model] [--spacy-tags]
//! ```
//! Without a model path, the embedded model is used (and its load time measured). Words are
//! re-tagged with the embedded tagger (as at run time) unless `--spacy-tags` is given.
//! Speed counts feature extraction and decoding on pre-tagged sentences, one core.
#[path = "common/parse_data.rs"]
mod parse_data;

use dyad_syntax::{Parser, ParserModelFile};
use std::collections::BTreeMap;
use std::time::Instant;

#[derive(Default)]
struct Counts {
    total: usize,
    heads: usize,
    labeled: usize,
}

impl Counts {
    fn add(&mut self, head_ok: bool, label_ok: bool) {
        self.total += 1;
        self.heads += usize::from(head_ok);
        self.labeled += usize::from(head_ok && label_ok);
    }

    fn percent(n: usize, d: usize) -> f64 {
        100.0 * n as f64 / d.max(1) as f64
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(input) = args.first() else {
        eprintln!("usage: eval_parser <test.jsonl> [model] [--spacy-tags]");
        std::process::exit(2);
    };
    let dyad_tags = !args.iter().any(|a| a == "--spacy-tags");
    let started = Instant::now();
    let parser: Parser = match args.get(1).filter(|a| !a.starts_with("--")) {
        Some(path) => {
            Parser::from_model(ParserModelFile::from_bytes(&std::fs::read(path)?, path)?)?
        }
        None => Parser::embedded()?.clone(),
    };
    let load = started.elapsed();
    let sentences: Vec<_> = parse_data::read_parse_sentences(input, 0, dyad_tags)?
        .into_iter()
        .filter(|s| s.is_valid())
        .collect();
    let tokens: usize = sentences.iter().map(|s| s.words.len()).sum();

    // speed: parse everything 5 times, report the best wall time and the best CPU time (on
    // a shared machine the process is often descheduled: CPU time is the steadier figure)
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let cpu = cpu_seconds();
        let mut n = 0;
        for s in &sentences {
            n += parser.parse_words(&s.words, &s.tags).0.len();
        }
        assert_eq!(n, tokens);
        best = best.min(t.elapsed().as_secs_f64());
        if let (Some(before), Some(after)) = (cpu, cpu_seconds()) {
            best_cpu = best_cpu.min(after - before);
        }
    }

    let mut all = Counts::default();
    let mut no_punct = Counts::default();
    let mut exact = 0usize;
    // per gold label: (gold count, predicted count, correct)
    let mut per_label: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut malformed = 0usize;
    for s in &sentences {
        let (heads, labels) = parser.parse_words(&s.words, &s.tags);
        if heads.iter().filter(|h| h.is_none()).count() != 1 {
            malformed += 1;
        }
        let mut all_ok = true;
        for i in 0..s.words.len() {
            let gold_label = s.labels[i].as_str();
            let predicted_label = labels[i].as_str();
            let head_ok = heads[i] == s.heads[i];
            let label_ok = gold_label == predicted_label;
            all_ok &= head_ok && label_ok;
            all.add(head_ok, label_ok);
            if gold_label != "punct" {
                no_punct.add(head_ok, label_ok);
            }
            per_label.entry(gold_label.to_string()).or_default().0 += 1;
            per_label.entry(predicted_label.to_string()).or_default().1 += 1;
            if head_ok && label_ok {
                per_label.entry(gold_label.to_string()).or_default().2 += 1;
            }
        }
        exact += usize::from(all_ok);
    }
    println!(
        "model: {} features, {} labels; tags: {}",
        parser.feature_count(),
        parser.labels().len(),
        if dyad_tags { "dyad tagger" } else { "spaCy" }
    );
    println!(
        "load: {:.1} ms (decompress + decode + tables)",
        load.as_secs_f64() * 1e3
    );
    println!(
        "{} sentences, {tokens} tokens; malformed trees: {malformed}",
        sentences.len()
    );
    println!(
        "vs spaCy, punctuation excluded: UAS {:.2}%  LAS {:.2}%  ({} tokens)",
        Counts::percent(no_punct.heads, no_punct.total),
        Counts::percent(no_punct.labeled, no_punct.total),
        no_punct.total
    );
    println!(
        "vs spaCy, all tokens:           UAS {:.2}%  LAS {:.2}%",
        Counts::percent(all.heads, all.total),
        Counts::percent(all.labeled, all.total)
    );
    println!(
        "exact sentences: {:.2}%",
        Counts::percent(exact, sentences.len())
    );
    println!(
        "speed: {:.0} sentences/s, {:.0} tokens/s (one core, pre-tagged)",
        sentences.len() as f64 / best,
        tokens as f64 / best
    );
    if best_cpu < f64::MAX {
        println!(
            "speed per CPU second: {:.0} sentences/s",
            sentences.len() as f64 / best_cpu.max(1e-9)
        );
    }
    println!("labeled attachment by label (gold count, precision, recall):");
    let mut rows: Vec<_> = per_label.into_iter().collect();
    rows.sort_by_key(|(_, (gold, _, _))| std::cmp::Reverse(*gold));
    for (label, (gold, predicted, correct)) in rows.iter().take(30) {
        println!(
            "  {label:<10} {gold:>6}  P {:>6.2}%  R {:>6.2}%",
            Counts::percent(*correct, *predicted),
            Counts::percent(*correct, *gold)
        );
    }
    Ok(())
}

/// User + system CPU time of this process (Linux `/proc/self/stat`, 100 ticks a second).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

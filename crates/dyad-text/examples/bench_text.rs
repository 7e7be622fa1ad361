//! Throughput of sentence splitting + tokenization on the real corpus, one thread.
//!
//! ```text
//! cargo run --release -p dyad-text --example bench_text [-- path/to/news.jsonl.gz [rounds]]
//! ```
//!
//! Reads every article's `text` from `../shared/corpus/news2017.jsonl.gz` (JSONL, gzipped
//! when the name ends in `.gz`) into memory first, so only splitting and tokenizing are
//! timed. Prints sentences/s, tokens/s, MB/s, the totals and peak memory.

use dyad_text::{split_sentences, tokenize_into};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/news2017.jsonl.gz")
    });
    let rounds: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(5);

    let file = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let reader: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(flate2::read::GzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    let mut texts = Vec::new();
    for line in reader.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let record: serde_json::Value = serde_json::from_str(&line)?;
        if let Some(text) = record["text"].as_str() {
            texts.push(text.to_string());
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "corpus: {} articles, {:.1} MB ({})",
        texts.len(),
        bytes as f64 / 1e6,
        path.display()
    );

    let mut best = f64::INFINITY;
    let (mut sentences, mut tokens) = (0usize, 0usize);
    let mut buffer = Vec::new();
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        sentences = 0;
        tokens = 0;
        for text in &texts {
            let ranges = split_sentences(text);
            buffer.clear();
            for &range in &ranges {
                tokenize_into(text, range, &mut buffer);
            }
            sentences += ranges.len();
            tokens += buffer.len();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!("total: {sentences} sentences, {tokens} tokens");
    println!(
        "best of {rounds} rounds: {:.3} s = {:.0} sentences/s, {:.0} tokens/s, {:.1} MB/s (single thread)",
        best,
        sentences as f64 / best,
        tokens as f64 / best,
        bytes as f64 / 1e6 / best
    );
    // Peak resident memory, where the OS tells it (Linux), corpus text included.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(peak) = status.lines().find_map(|l| l.strip_prefix("VmHWM:")) {
        println!("peak memory: {}", peak.trim());
    }
    Ok(())
}

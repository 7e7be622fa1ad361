//! Trains the tagger from JSONL sentences made by `scripts/make_training_data.py`.
//!
//! ```text
//! cargo run -p dyad-syntax --release --example train_tagger -- \
//!     ~/.cache/dyad-train/train.jsonl crates/dyad-syntax/data/tagger.postcard.gz \
//!     [--iterations 5] [--prune 0.5]
//! ```
use dyad_syntax::train::{TrainOptions, TrainingSentence, train};
use std::io::BufRead;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(input), Some(output)) = (args.first(), args.get(1)) else {
        eprintln!("usage: train_tagger <train.jsonl> <out model> [--iterations N] [--prune W]");
        std::process::exit(2);
    };
    let mut options = TrainOptions {
        provenance: "averaged perceptron trained on spaCy en_core_web_sm 3.8.0 (MIT) fine-grained \
                     tags of the dyad news corpus (news2017 + Reuters sample, 90% of documents)"
            .into(),
        ..Default::default()
    };
    let mut rest = args[2..].iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--iterations" => options.iterations = value.parse()?,
            "--prune" => options.prune_below = value.parse()?,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    let started = Instant::now();
    let sentences = read_sentences(input)?;
    let tokens: usize = sentences.iter().map(|s| s.words.len()).sum();
    eprintln!(
        "read {} sentences, {tokens} tokens in {:.1} s",
        sentences.len(),
        started.elapsed().as_secs_f64()
    );
    let model = train(&sentences, &options, |pass, accuracy| {
        eprintln!(
            "pass {pass}: training accuracy {:.2}% ({:.0} s)",
            accuracy * 100.0,
            started.elapsed().as_secs_f64()
        );
    });
    let bytes = model.to_bytes()?;
    std::fs::write(output, &bytes)?;
    eprintln!(
        "wrote {output}: {} features, {} weights, {} tag-dictionary words, {:.2} MB",
        model.weights.feature_count(),
        model.weights.weight_count(),
        model.tag_dictionary.len(),
        bytes.len() as f64 / 1e6
    );
    Ok(())
}

/// Reads `{"words": [...], "tags": [...]}` lines.
pub fn read_sentences(path: &str) -> Result<Vec<TrainingSentence>, Box<dyn std::error::Error>> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        let strings = |key: &str| -> Vec<String> {
            value[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        out.push(TrainingSentence {
            words: strings("words"),
            tags: strings("tags"),
        });
    }
    Ok(out)
}

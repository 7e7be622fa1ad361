//! Trains the entity tagger from the JSONL sentences `dyad-syntax/scripts/make_training_data.py`
//! writes (`{words, tags, ner}` per line; NER in BILOU form from spaCy en_core_web_sm 3.8.0).
//!
//! ```text
//! cargo run -p dyad-entities --release --example train_ner -- \
//!     ~/.cache/dyad-train/train.jsonl crates/dyad-entities/data/ner.postcard.gz \
//!     [--iterations 5] [--prune 1.0] [--no-kb]
//! ```
use dyad_entities::Gazetteer;
use dyad_entities::train::{TrainOptions, TrainingSentence, prepare_all, train};
use std::io::BufRead;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(input), Some(output)) = (args.first(), args.get(1)) else {
        eprintln!(
            "usage: train_ner <train.jsonl> <out model> [--iterations N] [--prune W] [--no-kb]"
        );
        std::process::exit(2);
    };
    let mut options = TrainOptions {
        provenance: "BILOU averaged perceptron trained on spaCy en_core_web_sm 3.8.0 (MIT) NER \
                     labels of the dyad news corpus (news2017 + Reuters sample, 90% of documents)"
            .into(),
        ..Default::default()
    };
    let mut use_kb = true;
    let mut rest = args.get(2..).unwrap_or(&[]).iter();
    while let Some(flag) = rest.next() {
        if flag == "--no-kb" {
            use_kb = false;
            continue;
        }
        let value = rest.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--iterations" => options.iterations = value.parse()?,
            "--prune" => options.prune_below = value.parse()?,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    let started = Instant::now();
    let sentences = read_sentences(input)?;
    eprintln!(
        "read {} sentences in {:.1} s",
        sentences.len(),
        started.elapsed().as_secs_f64()
    );
    let gazetteer = Gazetteer::embedded()?;
    let kb = if use_kb {
        Some(dyad_kb::KnowledgeBase::load_default()?)
    } else {
        None
    };
    let prepared = prepare_all(&sentences, &gazetteer, kb.as_ref());
    drop(sentences);
    eprintln!(
        "prepared {} sentences ({:.1} s)",
        prepared.len(),
        started.elapsed().as_secs_f64()
    );
    let model = train(&prepared, &options, |pass, accuracy| {
        eprintln!(
            "pass {pass}: training accuracy {:.2}% ({:.0} s)",
            accuracy * 100.0,
            started.elapsed().as_secs_f64()
        );
    });
    let bytes = model.to_bytes()?;
    std::fs::write(output, &bytes)?;
    eprintln!(
        "wrote {output}: {} features, {} weights, {:.2} MB",
        model.weights.feature_count(),
        model.weights.weight_count(),
        bytes.len() as f64 / 1e6
    );
    Ok(())
}

/// Reads `{"words": [...], "tags": [...], "ner": [...]}` lines.
fn read_sentences(path: &str) -> Result<Vec<TrainingSentence>, Box<dyn std::error::Error>> {
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
            ner: strings("ner"),
        });
    }
    Ok(out)
}

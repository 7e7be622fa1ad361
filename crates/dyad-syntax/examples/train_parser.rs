//! Trains the dependency parser from JSONL sentences made by
//! `scripts/make_training_data.py --parse`.
//!
//! ```text
//! cargo run -p dyad-syntax --release --example train_parser -- \
//!     ~/.cache/dyad-train/parse/train.jsonl crates/dyad-syntax/data/parser.postcard.gz \
//!     [--iterations 10] [--prune 1.0[,2,4]] [--explore-from 1] [--limit N] [--spacy-tags]
//! ```
//! With several pruning levels, the first is written to the output path and the others
//! beside it (`<out>.prune<level>`) for comparison.
//! By default the words are re-tagged with the embedded tagger, so the parser trains on the
//! tags it will see at run time; `--spacy-tags` keeps spaCy's.
#[path = "common/parse_data.rs"]
mod parse_data;

use dyad_syntax::parser_training::{ParserTrainOptions, train_weights};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(input), Some(output)) = (args.first(), args.get(1)) else {
        eprintln!(
            "usage: train_parser <train.jsonl> <out model> [--iterations N] [--prune W] \
             [--explore-from P] [--limit N] [--spacy-tags]"
        );
        std::process::exit(2);
    };
    let mut options = ParserTrainOptions {
        provenance: "arc-hybrid averaged perceptron (dynamic oracle) trained on spaCy \
                     en_core_web_sm 3.8.0 (MIT) dependency parses of the dyad news corpus \
                     (news2017 + Reuters sample, 90% of documents), dyad tagger tags"
            .into(),
        ..Default::default()
    };
    let (mut limit, mut dyad_tags) = (0usize, true);
    let mut prune_levels = vec![options.prune_below];
    let mut rest = args[2..].iter();
    while let Some(flag) = rest.next() {
        if flag == "--spacy-tags" {
            dyad_tags = false;
            continue;
        }
        let value = rest.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--iterations" => options.iterations = value.parse()?,
            "--prune" => {
                prune_levels = value
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<Vec<f32>, _>>()?
            }
            "--explore-from" => options.explore_from = value.parse()?,
            "--limit" => limit = value.parse()?,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    if !dyad_tags {
        options.provenance = options.provenance.replace("dyad tagger tags", "spaCy tags");
    }
    let started = Instant::now();
    let sentences = parse_data::read_parse_sentences(input, limit, dyad_tags)?;
    let tokens: usize = sentences.iter().map(|s| s.words.len()).sum();
    let valid = sentences.iter().filter(|s| s.is_valid()).count();
    eprintln!(
        "read {} sentences ({valid} valid trees), {tokens} tokens in {:.1} s",
        sentences.len(),
        started.elapsed().as_secs_f64()
    );
    let trained = train_weights(&sentences, &options, |r| {
        eprintln!(
            "pass {}: training UAS {:.2}%, cheapest-move accuracy {:.2}% ({:.0} s)",
            r.pass,
            r.uas * 100.0,
            r.move_accuracy * 100.0,
            started.elapsed().as_secs_f64()
        );
    });
    for (k, prune) in prune_levels.iter().enumerate() {
        let model = trained.pack(*prune);
        let bytes = model.to_bytes()?;
        // the first level is the model; the others go beside it for comparison
        let path = if k == 0 {
            output.clone()
        } else {
            format!("{output}.prune{prune}")
        };
        std::fs::write(&path, &bytes)?;
        eprintln!(
            "wrote {path} (prune {prune}): {} labels, {} features, {} weights, {:.2} MB",
            model.labels.len(),
            model.weights.feature_count(),
            model.weights.weight_count(),
            bytes.len() as f64 / 1e6
        );
    }
    Ok(())
}

//! Training the averaged perceptron (build-time tool; the `train_tagger` example drives it).

use crate::features::{Forms, extract};
use crate::tagger::{MODEL_VERSION, ModelFile};
use dyad_perceptron::{AveragedPerceptron, Shuffle, SparseWeights};
use std::collections::HashMap;

/// Index of the highest score as a class id; ties go to the lower index.
fn argmax<T: PartialOrd + Copy>(scores: &[T]) -> u8 {
    dyad_perceptron::argmax(scores).min(255) as u8
}

/// One training sentence: words and their gold tags (spaCy fine-grained labels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingSentence {
    /// The words, as the tokenizer gives them.
    pub words: Vec<String>,
    /// One tag per word.
    pub tags: Vec<String>,
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the data.
    pub iterations: usize,
    /// Seed of the shuffle between passes.
    pub seed: u64,
    /// A word enters the tag dictionary when seen at least this often ...
    pub dictionary_min_count: u32,
    /// ... with one tag at least this share of the time.
    pub dictionary_min_share: f64,
    /// Averaged weights with a smaller magnitude are dropped (model size vs accuracy).
    pub prune_below: f32,
    /// Free text stored in the model.
    pub provenance: String,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            iterations: 5,
            seed: 0x5eed,
            dictionary_min_count: 20,
            dictionary_min_share: 0.97,
            prune_below: 0.5,
            provenance: String::new(),
        }
    }
}

/// Trains a tagger model. `progress` is called after each pass with (pass, training accuracy).
pub fn train(
    sentences: &[TrainingSentence],
    options: &TrainOptions,
    mut progress: impl FnMut(usize, f64),
) -> ModelFile {
    // Classes in sorted order, so the same data gives the same model.
    let mut classes: Vec<String> = sentences
        .iter()
        .flat_map(|s| s.tags.iter().cloned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .take(255)
        .collect();
    if classes.is_empty() {
        classes.push("XX".into());
    }
    let class_of: HashMap<&str, u8> = classes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u8))
        .collect();

    // Sentences as forms + class ids, computed once.
    let prepared: Vec<(Vec<Forms>, Vec<u8>)> = sentences
        .iter()
        .filter(|s| s.words.len() == s.tags.len() && !s.words.is_empty())
        .map(|s| {
            let forms = s.words.iter().map(|w| Forms::new(w)).collect();
            let gold = s
                .tags
                .iter()
                .map(|t| class_of.get(t.as_str()).copied().unwrap_or(0))
                .collect();
            (forms, gold)
        })
        .collect();

    let tag_dictionary = make_tag_dictionary(&prepared, classes.len(), options);
    let dict: HashMap<&str, u8> = tag_dictionary
        .iter()
        .map(|(w, c)| (w.as_str(), *c))
        .collect();

    let mut model = AveragedPerceptron::new();
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut rng = Shuffle::new(options.seed);
    let mut feats = Vec::with_capacity(32);
    let mut scores = vec![0f32; classes.len()];
    for pass in 0..options.iterations {
        let (mut correct, mut total) = (0u64, 0u64);
        for &k in &order {
            let (forms, gold) = &prepared[k];
            let (mut prev, mut prev2) = (None, None);
            for (i, &truth) in gold.iter().enumerate() {
                let guess = match dict.get(forms[i].folded.as_str()) {
                    Some(&c) => c,
                    None => {
                        extract(forms, i, prev, prev2, &mut feats);
                        model.scores(&feats, &mut scores);
                        let guess = argmax(&scores);
                        model.update(truth, guess, &feats);
                        guess
                    }
                };
                correct += u64::from(guess == truth);
                total += 1;
                prev2 = prev;
                prev = Some(guess);
            }
        }
        progress(pass + 1, correct as f64 / total.max(1) as f64);
        rng.shuffle(&mut order);
    }
    pack(
        model.averaged(),
        classes,
        tag_dictionary,
        options.prune_below,
        options.provenance.clone(),
    )
}

fn make_tag_dictionary(
    prepared: &[(Vec<Forms>, Vec<u8>)],
    n_classes: usize,
    options: &TrainOptions,
) -> Vec<(String, u8)> {
    let mut counts: HashMap<&str, Vec<u32>> = HashMap::new();
    for (forms, gold) in prepared {
        for (f, &g) in forms.iter().zip(gold) {
            let c = counts
                .entry(f.folded.as_str())
                .or_insert_with(|| vec![0; n_classes]);
            if let Some(x) = c.get_mut(g as usize) {
                *x += 1;
            }
        }
    }
    let mut dict: Vec<(String, u8)> = counts
        .into_iter()
        .filter_map(|(word, c)| {
            let n: u32 = c.iter().sum();
            let best = argmax(&c);
            let top = c.get(best as usize).copied().unwrap_or(0);
            (n >= options.dictionary_min_count
                && top as f64 / n as f64 >= options.dictionary_min_share)
                .then(|| (word.to_string(), best))
        })
        .collect();
    dict.sort();
    dict
}

fn pack(
    averaged: Vec<(u64, Vec<(u8, f32)>)>,
    classes: Vec<String>,
    tag_dictionary: Vec<(String, u8)>,
    prune_below: f32,
    provenance: String,
) -> ModelFile {
    ModelFile {
        version: MODEL_VERSION,
        provenance,
        classes,
        tag_dictionary,
        weights: SparseWeights::from_averaged(&averaged, prune_below),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tagger;

    fn sentence(pairs: &str) -> TrainingSentence {
        let (words, tags) = pairs
            .split_whitespace()
            .map(|p| {
                let (w, t) = p.rsplit_once('/').unwrap_or((p, "NN"));
                (w.to_string(), t.to_string())
            })
            .unzip();
        TrainingSentence { words, tags }
    }

    #[test]
    fn learns_a_tiny_synthetic_language() {
        let data: Vec<TrainingSentence> = [
            "the/DT dog/NN runs/VBZ ./.",
            "a/DT cat/NN sleeps/VBZ ./.",
            "the/DT cat/NN runs/VBZ ./.",
            "a/DT dog/NN sleeps/VBZ ./.",
            "dogs/NNS run/VBP ./.",
            "cats/NNS sleep/VBP ./.",
            "the/DT dogs/NNS sleep/VBP ./.",
        ]
        .iter()
        .map(|s| sentence(s))
        .collect();
        let options = TrainOptions {
            iterations: 10,
            prune_below: 0.0,
            dictionary_min_count: 1000,
            ..Default::default()
        };
        let mut passes = 0;
        let model = train(&data, &options, |_, _| passes += 1);
        assert_eq!(passes, 10);
        let bytes = model.to_bytes().unwrap();
        let back = ModelFile::from_bytes(&bytes, "test").unwrap();
        assert_eq!(back, model);
        let tagger = Tagger::from_model(back).unwrap();
        assert_eq!(
            tagger.tag_labels(&["a", "cat", "runs", "."]),
            ["DT", "NN", "VBZ", "."]
        );
        // an unseen plural noun after a determiner, by suffix and context
        assert_eq!(tagger.tag_labels(&["the", "cats", "run"])[1], "NNS");
    }

    #[test]
    fn tag_dictionary_takes_frequent_unambiguous_words() {
        let data: Vec<TrainingSentence> = (0..30).map(|_| sentence("the/DT dog/NN")).collect();
        let model = train(&data, &TrainOptions::default(), |_, _| {});
        assert!(model.tag_dictionary.iter().any(|(w, _)| w == "the"));
    }

    #[test]
    fn empty_training_data_gives_a_usable_model() {
        let model = train(&[], &TrainOptions::default(), |_, _| {});
        let tagger = Tagger::from_model(model).unwrap();
        assert_eq!(tagger.tag_labels(&["anything"]).len(), 1);
    }

    #[test]
    fn rejects_garbage_and_wrong_versions() {
        assert!(ModelFile::from_bytes(b"not gzip", "x").is_err());
        let mut model = train(&[], &TrainOptions::default(), |_, _| {});
        model.version = 999;
        let err = ModelFile::from_bytes(&model.to_bytes().unwrap(), "old.gz").unwrap_err();
        assert!(err.to_string().contains("old.gz"), "{err}");
        assert!(err.to_string().contains("retrain"), "{err}");
    }
}

//! Training the BILOU averaged perceptron (a build-time tool; the `train_ner` example drives
//! it, see `TRAINING.md`).

use crate::features::{PreparedSentence, extract, prepare};
use crate::gazetteer::Gazetteer;
use crate::model::{
    Bilou, MODEL_VERSION, ModelFile, N_CLASSES, best_allowed, class_name, class_of, decode_class,
};
use dyad_document::PosTag;
use dyad_kb::KnowledgeBase;
use dyad_perceptron::{AveragedPerceptron, Shuffle, SparseWeights};

/// One training sentence: words, spaCy fine-grained POS tags and spaCy NER tags in BILOU form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingSentence {
    /// The words.
    pub words: Vec<String>,
    /// One POS tag per word (`NNP`).
    pub tags: Vec<String>,
    /// One BILOU entity tag per word (`B-ORG`, `O`); labels dyad does not tag count as `O`.
    pub ner: Vec<String>,
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the data.
    pub iterations: usize,
    /// Seed of the shuffle between passes.
    pub seed: u64,
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
            prune_below: 1.0,
            provenance: String::new(),
        }
    }
}

/// Repairs a BILOU sequence (hyphen merging and dropped labels can break it) by reading it
/// tolerantly as spans and writing the spans back.
pub fn normalize_bilou(tags: &[String]) -> Vec<u8> {
    let ids: Vec<Option<(Bilou, dyad_document::EntityLabel)>> = tags
        .iter()
        .map(|t| class_of(t).and_then(decode_class))
        .collect();
    let mut out = vec![0u8; tags.len()];
    let mut i = 0;
    while i < ids.len() {
        let Some(Some((b, label))) = ids.get(i).copied() else {
            i += 1;
            continue;
        };
        let mut end = i + 1;
        if b != Bilou::Unit && b != Bilou::Last {
            while let Some(Some((nb, nl))) = ids.get(end).copied() {
                if nl != label || !matches!(nb, Bilou::Inside | Bilou::Last) {
                    break;
                }
                end += 1;
                if nb == Bilou::Last {
                    break;
                }
            }
        }
        let name = label.as_str();
        if end == i + 1 {
            out[i] = class_of(&format!("U-{name}")).unwrap_or(0);
        } else {
            for (k, slot) in out.iter_mut().enumerate().take(end).skip(i) {
                let p = if k == i {
                    "B"
                } else if k + 1 == end {
                    "L"
                } else {
                    "I"
                };
                *slot = class_of(&format!("{p}-{name}")).unwrap_or(0);
            }
        }
        i = end;
    }
    out
}

/// Prepares training sentences (token information, list and KB features, gold classes).
/// Exposed so the training example can prepare once and report progress.
pub fn prepare_all(
    sentences: &[TrainingSentence],
    gazetteer: &Gazetteer,
    kb: Option<&KnowledgeBase>,
) -> Vec<(PreparedSentenceHandle, Vec<u8>)> {
    sentences
        .iter()
        .filter(|s| {
            !s.words.is_empty() && s.words.len() == s.tags.len() && s.words.len() == s.ner.len()
        })
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let tags: Vec<Option<PosTag>> = s.tags.iter().map(|t| Some(PosTag::parse(t))).collect();
            let prepared = prepare(&words, &tags, gazetteer, kb, None);
            (PreparedSentenceHandle(prepared), normalize_bilou(&s.ner))
        })
        .collect()
}

/// A sentence made ready for training (opaque).
#[derive(Debug, Clone)]
pub struct PreparedSentenceHandle(PreparedSentence);

/// Trains a model. `progress` is called after each pass with (pass, token accuracy).
pub fn train(
    prepared: &[(PreparedSentenceHandle, Vec<u8>)],
    options: &TrainOptions,
    mut progress: impl FnMut(usize, f64),
) -> ModelFile {
    let mut model = AveragedPerceptron::new();
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut rng = Shuffle::new(options.seed);
    let mut feats = Vec::with_capacity(48);
    let mut scores = vec![0f32; N_CLASSES];
    for pass in 0..options.iterations {
        let (mut correct, mut total) = (0u64, 0u64);
        for &k in &order {
            let Some((PreparedSentenceHandle(sentence), gold)) = prepared.get(k) else {
                continue;
            };
            let (mut prev, mut prev2) = (None, None);
            let n = gold.len();
            for (i, &truth) in gold.iter().enumerate() {
                extract(sentence, i, prev, prev2, &mut feats);
                model.scores(&feats, &mut scores);
                let guess = best_allowed(&scores, prev, i + 1 == n);
                model.update(truth, guess, &feats);
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
        options.prune_below,
        options.provenance.clone(),
    )
}

fn pack(averaged: Vec<(u64, Vec<(u8, f32)>)>, prune_below: f32, provenance: String) -> ModelFile {
    ModelFile {
        version: MODEL_VERSION,
        provenance,
        classes: (0..N_CLASSES as u8).map(class_name).collect(),
        weights: SparseWeights::from_averaged(&averaged, prune_below),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn repairs_broken_bilou() {
        let fixed = normalize_bilou(&strings("B-ORG O I-ORG L-ORG U-DATE B-GPE"));
        let names: Vec<String> = fixed.iter().map(|&c| class_name(c)).collect();
        // an entity that starts inside (after hyphen merging) starts there
        assert_eq!(names, ["U-ORG", "O", "B-ORG", "L-ORG", "O", "U-GPE"]);
    }

    #[test]
    fn learns_a_tiny_language() {
        let g = Gazetteer::embedded().unwrap();
        let data: Vec<TrainingSentence> = (0..20)
            .flat_map(|_| {
                [
                    (
                        "Massoud met Ghani in Kabul .",
                        "NNP VBD NNP IN NNP .",
                        "U-PERSON O U-PERSON O U-GPE O",
                    ),
                    ("Ghani left Kabul .", "NNP VBD NNP .", "U-PERSON O U-GPE O"),
                ]
            })
            .map(|(w, t, n)| TrainingSentence {
                words: strings(w),
                tags: strings(t),
                ner: strings(n),
            })
            .collect();
        let prepared = prepare_all(&data, &g, None);
        let options = TrainOptions {
            prune_below: 0.0,
            ..Default::default()
        };
        let model = train(&prepared, &options, |_, _| {});
        let bytes = model.to_bytes().unwrap();
        let tagger =
            crate::NerModel::from_model(ModelFile::from_bytes(&bytes, "t").unwrap()).unwrap();
        let got = tagger.tag(&prepared[0].0.0);
        assert_eq!(got, prepared[0].1);
    }
}

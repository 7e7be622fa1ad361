//! The averaged-perceptron part-of-speech tagger (Collins 2002; Honnibal's greedy design).
//!
//! Decoding is greedy, left to right: each token is scored with hashed features of itself,
//! its neighbours and the two previously predicted tags, unless the tag dictionary (frequent,
//! unambiguous words) already decides it.

use crate::SyntaxError;
use crate::features::{Forms, STATIC_FEATURES, extract_dynamic, extract_static};
use dyad_document::PosTag;
use dyad_perceptron::{FastBuildHasher, Scores, SparseWeights, WeightTable, argmax};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::OnceLock;

/// Version of the serialized model format; bump on any change of features, hashing or layout.
pub const MODEL_VERSION: u32 = 1;

/// The model trained from spaCy en_core_web_sm 3.8.0 labels on the news corpus
/// (see `TRAINING.md`), gzip-compressed postcard.
static EMBEDDED_MODEL: &[u8] = include_bytes!("../data/tagger.postcard.gz");

/// The on-disk form of a trained tagger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// [`MODEL_VERSION`] at training time.
    pub version: u32,
    /// Free text: what the model was trained on.
    pub provenance: String,
    /// Class labels (spaCy fine-grained tags), indexed by class id.
    pub classes: Vec<String>,
    /// Frequent unambiguous words (case-sensitive folded form) and their class id.
    pub tag_dictionary: Vec<(String, u8)>,
    /// The feature weights (64-bit keys from `features::hash_parts`).
    pub weights: SparseWeights,
}

impl ModelFile {
    /// Serializes to postcard, then gzip.
    pub fn to_bytes(&self) -> Result<Vec<u8>, SyntaxError> {
        let raw = postcard::to_stdvec(self).map_err(|e| SyntaxError::Model {
            source_name: "in-memory model".into(),
            reason: format!("cannot serialize: {e}"),
        })?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw)
            .and_then(|_| gz.finish())
            .map_err(|e| SyntaxError::Model {
                source_name: "in-memory model".into(),
                reason: format!("cannot compress: {e}"),
            })
    }

    /// Reads gzip-compressed postcard; `source_name` names the origin in errors.
    pub fn from_bytes(bytes: &[u8], source_name: &str) -> Result<ModelFile, SyntaxError> {
        let err = |reason: String| SyntaxError::Model {
            source_name: source_name.to_string(),
            reason,
        };
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(|e| {
                err(format!(
                    "not a gzip file ({e}); retrain with the train_tagger example"
                ))
            })?;
        let model: ModelFile = postcard::from_bytes(&raw).map_err(|e| {
            err(format!(
                "not a dyad tagger model ({e}); retrain with the train_tagger example"
            ))
        })?;
        if model.version != MODEL_VERSION {
            return Err(err(format!(
                "model format version {} but this build reads version {MODEL_VERSION}; retrain with the train_tagger example",
                model.version
            )));
        }
        Ok(model)
    }
}

/// A loaded tagger, ready to tag. Cheap to share across threads (`&Tagger` is `Sync`).
#[derive(Debug, Clone)]
pub struct Tagger {
    classes: Vec<String>,
    class_tags: Vec<PosTag>,
    tag_dictionary: HashMap<Box<str>, u8, FastBuildHasher>,
    table: WeightTable,
    provenance: String,
}

/// Buffers reused between sentences on one thread.
#[derive(Default)]
struct Scratch {
    /// The forms of the sentence's words, then stale forms kept for their buffers.
    forms: Vec<Forms>,
    /// Class decided by the tag dictionary, per token.
    known: Vec<Option<u8>>,
    /// Static feature keys of the tokens the dictionary does not decide.
    keys: Vec<[u64; STATIC_FEATURES]>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Tagger {
    /// The model embedded in the crate, loaded once per process.
    ///
    /// Fails only when the embedded file is corrupt (a build problem, not a user error).
    pub fn embedded() -> Result<&'static Tagger, SyntaxError> {
        static TAGGER: OnceLock<Result<Tagger, SyntaxError>> = OnceLock::new();
        TAGGER
            .get_or_init(|| {
                ModelFile::from_bytes(EMBEDDED_MODEL, "embedded data/tagger.postcard.gz")
                    .and_then(Tagger::from_model)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Builds the runtime tables from a model file.
    pub fn from_model(model: ModelFile) -> Result<Tagger, SyntaxError> {
        let n_classes = model.classes.len();
        let table = WeightTable::from_sparse(&model.weights, n_classes).map_err(|e| {
            SyntaxError::Model {
                source_name: "tagger model".into(),
                reason: format!("{e}; retrain with the train_tagger example"),
            }
        })?;
        let tag_dictionary = model
            .tag_dictionary
            .into_iter()
            .filter(|(_, c)| (*c as usize) < n_classes)
            .map(|(w, c)| (w.into_boxed_str(), c))
            .collect();
        let class_tags = model.classes.iter().map(|c| PosTag::parse(c)).collect();
        Ok(Tagger {
            class_tags,
            classes: model.classes,
            tag_dictionary,
            table,
            provenance: model.provenance,
        })
    }

    /// What the model was trained on.
    pub fn provenance(&self) -> &str {
        &self.provenance
    }

    /// The class labels (spaCy fine-grained tags) the model predicts.
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.table.feature_count()
    }

    /// Tags one sentence given as words; returns one class label (spaCy tag string) per word.
    pub fn tag_labels<S: AsRef<str>>(&self, words: &[S]) -> Vec<&str> {
        self.tag_class_ids(words)
            .into_iter()
            .map(|c| self.classes.get(c as usize).map_or("XX", String::as_str))
            .collect()
    }

    /// Tags one sentence given as words.
    pub fn tag_words<S: AsRef<str>>(&self, words: &[S]) -> Vec<PosTag> {
        self.tag_class_ids(words)
            .into_iter()
            .map(|c| {
                self.class_tags
                    .get(c as usize)
                    .copied()
                    .unwrap_or(PosTag::Other)
            })
            .collect()
    }

    fn tag_class_ids<S: AsRef<str>>(&self, words: &[S]) -> Vec<u8> {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let Scratch { forms, known, keys } = &mut *scratch;
            for (i, w) in words.iter().enumerate() {
                match forms.get_mut(i) {
                    Some(f) => f.set(w.as_ref()),
                    None => forms.push(Forms::new(w.as_ref())),
                }
            }
            let forms = forms.get(..words.len()).unwrap_or(&[]);
            known.clear();
            known.extend(
                forms
                    .iter()
                    .map(|f| self.tag_dictionary.get(f.folded.as_str()).copied()),
            );
            // The static features of all undecided tokens first, and their table slots
            // loaded together: the cache misses overlap instead of coming one at a time.
            keys.clear();
            for (i, k) in known.iter().enumerate() {
                if k.is_none() {
                    let mut fixed = [0u64; STATIC_FEATURES];
                    extract_static(forms, i, &mut fixed);
                    self.table.touch(&fixed);
                    keys.push(fixed);
                }
            }
            let mut out = Vec::with_capacity(forms.len());
            let mut scores: Scores = [0; 256];
            let mut dynamic = [0u64; 3];
            let mut undecided = keys.iter();
            let (mut prev, mut prev2) = (None, None);
            for (i, k) in known.iter().enumerate() {
                let class = match k {
                    Some(c) => *c,
                    None => {
                        extract_dynamic(forms, i, prev, prev2, &mut dynamic);
                        scores.fill(0);
                        if let Some(fixed) = undecided.next() {
                            self.table.add_scores(fixed, &mut scores);
                        }
                        self.table.add_scores(&dynamic, &mut scores);
                        argmax(scores.get(..self.classes.len()).unwrap_or(&[])) as u8
                    }
                };
                out.push(class);
                prev2 = prev;
                prev = Some(class);
            }
            out
        })
    }
}

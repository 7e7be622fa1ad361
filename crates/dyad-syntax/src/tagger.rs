//! The averaged-perceptron part-of-speech tagger (Collins 2002; Honnibal's greedy design).
//!
//! Decoding is greedy, left to right: each token is scored with hashed features of itself,
//! its neighbours and the two previously predicted tags, unless the tag dictionary (frequent,
//! unambiguous words) already decides it.

use crate::SyntaxError;
use crate::features::{Forms, extract};
use dyad_document::PosTag;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
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
    /// Quantization step: a stored weight `w` means `w * scale`.
    pub scale: f32,
    /// Features: sorted hash keys, delta-encoded (first value absolute).
    pub key_deltas: Vec<u64>,
    /// Number of (class, weight) entries of each feature.
    pub entry_counts: Vec<u8>,
    /// Class ids of all entries, feature after feature.
    pub entry_classes: Vec<u8>,
    /// Quantized weights of all entries.
    pub entry_weights: Vec<i16>,
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

/// Hashes are already well mixed: the table uses them as they are.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type FeatureMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// One class weight of a feature.
#[derive(Debug, Clone, Copy)]
struct Entry {
    class: u8,
    weight: i16,
}

/// A loaded tagger, ready to tag. Cheap to share across threads (`&Tagger` is `Sync`).
#[derive(Debug, Clone)]
pub struct Tagger {
    classes: Vec<String>,
    class_tags: Vec<PosTag>,
    tag_dictionary: HashMap<Box<str>, u8>,
    /// Feature hash → range into `entries`, packed as `start << 8 | len`.
    features: FeatureMap<u32>,
    entries: Vec<Entry>,
    provenance: String,
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
        let bad = |reason: String| SyntaxError::Model {
            source_name: "model".into(),
            reason,
        };
        let n = model.key_deltas.len();
        let total: usize = model.entry_counts.iter().map(|&c| c as usize).sum();
        if model.entry_counts.len() != n
            || model.entry_classes.len() != total
            || model.entry_weights.len() != total
            || model.classes.is_empty()
            || model.classes.len() > 255
        {
            return Err(bad("inconsistent table sizes".into()));
        }
        if total >= (1 << 24) {
            return Err(bad("too many weights (more than 2^24)".into()));
        }
        let n_classes = model.classes.len();
        let mut features = FeatureMap::with_capacity_and_hasher(n, Default::default());
        let mut entries = Vec::with_capacity(total);
        let mut key = 0u64;
        let mut start = 0usize;
        for (i, (&delta, &count)) in model.key_deltas.iter().zip(&model.entry_counts).enumerate() {
            key = if i == 0 {
                delta
            } else {
                key.wrapping_add(delta)
            };
            let end = start + count as usize;
            for (&class, &weight) in model.entry_classes[start..end]
                .iter()
                .zip(&model.entry_weights[start..end])
            {
                if class as usize >= n_classes {
                    return Err(bad(format!("class id {class} out of range")));
                }
                entries.push(Entry { class, weight });
            }
            features.insert(key, ((start as u32) << 8) | count as u32);
            start = end;
        }
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
            features,
            entries,
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
        self.features.len()
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
        let forms: Vec<Forms> = words.iter().map(|w| Forms::new(w.as_ref())).collect();
        let mut out = Vec::with_capacity(forms.len());
        let mut feats = Vec::with_capacity(32);
        let mut scores = vec![0i32; self.classes.len()];
        let (mut prev, mut prev2) = (None, None);
        for i in 0..forms.len() {
            let class = match self.tag_dictionary.get(forms[i].folded.as_str()) {
                Some(&c) => c,
                None => {
                    extract(&forms, i, prev, prev2, &mut feats);
                    self.best_class(&feats, &mut scores)
                }
            };
            out.push(class);
            prev2 = prev;
            prev = Some(class);
        }
        out
    }

    fn best_class(&self, feats: &[u64], scores: &mut [i32]) -> u8 {
        scores.iter_mut().for_each(|s| *s = 0);
        for f in feats {
            if let Some(&packed) = self.features.get(f) {
                let start = (packed >> 8) as usize;
                let len = (packed & 0xff) as usize;
                for e in self.entries.get(start..start + len).unwrap_or(&[]) {
                    if let Some(s) = scores.get_mut(e.class as usize) {
                        *s += e.weight as i32;
                    }
                }
            }
        }
        argmax(scores)
    }
}

/// Index of the highest score; ties go to the lower index, so decoding is deterministic.
pub(crate) fn argmax<T: PartialOrd + Copy>(scores: &[T]) -> u8 {
    let mut best = 0usize;
    for (i, s) in scores.iter().enumerate() {
        if let Some(b) = scores.get(best)
            && s > b
        {
            best = i;
        }
    }
    best.min(255) as u8
}

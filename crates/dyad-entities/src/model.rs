//! The BILOU averaged-perceptron entity tagger: model file, loading and greedy decoding
//! under BILOU transition constraints.

use crate::EntityError;
use crate::features::{TokenInfo, extract};
use dyad_document::EntityLabel;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{Read, Write};

/// Version of the serialized model format; bump on any change of features, hashing, classes
/// or layout (old models are then refused with a message saying to retrain).
pub const MODEL_VERSION: u32 = 1;

/// The labels the statistical tagger predicts (spaCy's OntoNotes names dyad keeps);
/// `MEDIA` comes from the outlet list, not from the tagger.
pub const TAGGED_LABELS: [EntityLabel; 6] = [
    EntityLabel::Person,
    EntityLabel::Org,
    EntityLabel::Gpe,
    EntityLabel::Loc,
    EntityLabel::Norp,
    EntityLabel::Fac,
];

/// Number of classes: `O` plus B/I/L/U for each tagged label.
pub const N_CLASSES: usize = 1 + 4 * TAGGED_LABELS.len();

/// BILOU position of a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bilou {
    Begin,
    Inside,
    Last,
    Unit,
}

/// The class id of a BILOU tag like `B-ORG` or `O`; `None` for labels dyad does not tag.
pub fn class_of(tag: &str) -> Option<u8> {
    if tag == "O" {
        return Some(0);
    }
    let (position, label) = tag.split_once('-')?;
    let p = match position {
        "B" => 0,
        "I" => 1,
        "L" => 2,
        "U" => 3,
        _ => return None,
    };
    let l = TAGGED_LABELS.iter().position(|x| x.as_str() == label)?;
    Some((1 + l * 4 + p) as u8)
}

/// The BILOU tag of a class id.
pub fn class_name(class: u8) -> String {
    match decode_class(class) {
        None => "O".to_string(),
        Some((b, label)) => {
            let p = match b {
                Bilou::Begin => "B",
                Bilou::Inside => "I",
                Bilou::Last => "L",
                Bilou::Unit => "U",
            };
            format!("{p}-{}", label.as_str())
        }
    }
}

pub(crate) fn decode_class(class: u8) -> Option<(Bilou, EntityLabel)> {
    if class == 0 {
        return None;
    }
    let c = class as usize - 1;
    let label = *TAGGED_LABELS.get(c / 4)?;
    let b = match c % 4 {
        0 => Bilou::Begin,
        1 => Bilou::Inside,
        2 => Bilou::Last,
        _ => Bilou::Unit,
    };
    Some((b, label))
}

/// Whether `class` may follow `prev` (None = sentence start); `last` = final token.
pub(crate) fn allowed(prev: Option<u8>, class: u8, last: bool) -> bool {
    let open = match prev.and_then(decode_class) {
        Some((Bilou::Begin | Bilou::Inside, label)) => Some(label),
        _ => None,
    };
    match (open, decode_class(class)) {
        (Some(l), Some((Bilou::Inside, m))) => l == m && !last,
        (Some(l), Some((Bilou::Last, m))) => l == m,
        (Some(_), _) => false,
        (None, None) => true,
        (None, Some((Bilou::Unit, _))) => true,
        (None, Some((Bilou::Begin, _))) => !last,
        (None, Some(_)) => false,
    }
}

/// Index of the highest allowed score (ties to the lower index).
pub(crate) fn best_allowed<T: PartialOrd + Copy>(scores: &[T], prev: Option<u8>, last: bool) -> u8 {
    let mut best: Option<(usize, T)> = None;
    for (i, &s) in scores.iter().enumerate() {
        if !allowed(prev, i as u8, last) {
            continue;
        }
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.map_or(0, |(i, _)| i as u8)
}

/// The on-disk form of a trained tagger (postcard, gzip).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// [`MODEL_VERSION`] at training time.
    pub version: u32,
    /// What the model was trained on, and the label license.
    pub provenance: String,
    /// Class names (`O`, `B-PERSON`, ...), indexed by class id.
    pub classes: Vec<String>,
    /// Quantization step: a stored weight `w` means `w * scale`.
    pub scale: f32,
    /// Sorted feature hashes, delta-encoded (the first absolute).
    pub key_deltas: Vec<u64>,
    /// Number of (class, weight) entries per feature.
    pub entry_counts: Vec<u8>,
    /// Class ids of all entries.
    pub entry_classes: Vec<u8>,
    /// Quantized weights of all entries.
    pub entry_weights: Vec<i16>,
}

impl ModelFile {
    /// Serializes to postcard, then gzip.
    pub fn to_bytes(&self) -> Result<Vec<u8>, EntityError> {
        let err = |reason: String| EntityError::Model {
            source_name: "in-memory model".into(),
            reason,
        };
        let raw = postcard::to_stdvec(self).map_err(|e| err(format!("cannot serialize: {e}")))?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw)
            .and_then(|_| gz.finish())
            .map_err(|e| err(format!("cannot compress: {e}")))
    }

    /// Reads gzip-compressed postcard; `source_name` names the origin in errors.
    pub fn from_bytes(bytes: &[u8], source_name: &str) -> Result<ModelFile, EntityError> {
        let err = |reason: String| EntityError::Model {
            source_name: source_name.to_string(),
            reason,
        };
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(|e| err(format!("not a gzip file: {e}")))?;
        let model: ModelFile =
            postcard::from_bytes(&raw).map_err(|e| err(format!("not a model file: {e}")))?;
        if model.version != MODEL_VERSION {
            return Err(err(format!(
                "model format version {} but this build reads version {MODEL_VERSION}; retrain with the train_ner example (TRAINING.md)",
                model.version
            )));
        }
        Ok(model)
    }
}

/// Feature hashes are already mixed; the table uses them as they are.
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

/// A loaded entity tagger; `&NerModel` is shared across threads.
#[derive(Debug, Clone)]
pub struct NerModel {
    /// Feature hash → `start << 8 | len` into `classes`/`weights`.
    features: FeatureMap<u32>,
    classes: Vec<u8>,
    weights: Vec<i16>,
    provenance: String,
}

impl NerModel {
    /// Builds the runtime tables from a model file, checking its consistency.
    pub fn from_model(model: ModelFile) -> Result<NerModel, EntityError> {
        let bad = |reason: String| EntityError::Model {
            source_name: "model".into(),
            reason,
        };
        let expected: Vec<String> = (0..N_CLASSES as u8).map(class_name).collect();
        if model.classes != expected {
            return Err(bad(
                "class list differs from this build's; retrain with the train_ner example".into(),
            ));
        }
        let n = model.key_deltas.len();
        let total: usize = model.entry_counts.iter().map(|&c| c as usize).sum();
        if model.entry_counts.len() != n
            || model.entry_classes.len() != total
            || model.entry_weights.len() != total
            || total >= (1 << 24)
        {
            return Err(bad("inconsistent table sizes".into()));
        }
        if model.entry_classes.iter().any(|&c| c as usize >= N_CLASSES) {
            return Err(bad("class id out of range".into()));
        }
        let mut features = FeatureMap::with_capacity_and_hasher(n, Default::default());
        let mut key = 0u64;
        let mut start = 0usize;
        for (i, (&delta, &count)) in model.key_deltas.iter().zip(&model.entry_counts).enumerate() {
            key = if i == 0 {
                delta
            } else {
                key.wrapping_add(delta)
            };
            features.insert(key, ((start as u32) << 8) | count as u32);
            start += count as usize;
        }
        Ok(NerModel {
            features,
            classes: model.entry_classes,
            weights: model.entry_weights,
            provenance: model.provenance,
        })
    }

    /// What the model was trained on.
    pub fn provenance(&self) -> &str {
        &self.provenance
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.features.len()
    }

    /// Tags one prepared sentence: one class id per token, a valid BILOU sequence.
    pub(crate) fn tag(&self, tokens: &[TokenInfo]) -> Vec<u8> {
        let mut out = Vec::with_capacity(tokens.len());
        let mut feats = Vec::with_capacity(48);
        let mut scores = [0i32; N_CLASSES];
        let (mut prev, mut prev2) = (None, None);
        for i in 0..tokens.len() {
            extract(tokens, i, prev, prev2, &mut feats);
            scores.iter_mut().for_each(|s| *s = 0);
            for f in &feats {
                if let Some(&packed) = self.features.get(f) {
                    let start = (packed >> 8) as usize;
                    let end = start + (packed & 0xff) as usize;
                    if let (Some(cs), Some(ws)) =
                        (self.classes.get(start..end), self.weights.get(start..end))
                    {
                        for (&c, &w) in cs.iter().zip(ws) {
                            if let Some(s) = scores.get_mut(c as usize) {
                                *s += w as i32;
                            }
                        }
                    }
                }
            }
            let class = best_allowed(&scores, prev, i + 1 == tokens.len());
            out.push(class);
            prev2 = prev;
            prev = Some(class);
        }
        out
    }
}

/// Turns a BILOU class sequence into `(start, end, label)` token spans.
pub(crate) fn spans(classes: &[u8]) -> Vec<(usize, usize, EntityLabel)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityLabel)> = None;
    for (i, &c) in classes.iter().enumerate() {
        match decode_class(c) {
            Some((Bilou::Unit, l)) => {
                open = None;
                out.push((i, i + 1, l));
            }
            Some((Bilou::Begin, l)) => open = Some((i, l)),
            Some((Bilou::Inside, _)) => {}
            Some((Bilou::Last, l)) => {
                if let Some((s, ol)) = open.take()
                    && ol == l
                {
                    out.push((s, i + 1, l));
                }
            }
            None => open = None,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_round_trip() {
        for c in 0..N_CLASSES as u8 {
            assert_eq!(class_of(&class_name(c)), Some(c));
        }
        assert_eq!(class_of("U-DATE"), None);
        assert_eq!(class_name(0), "O");
    }

    #[test]
    fn bilou_constraints() {
        let b_org = class_of("B-ORG").unwrap();
        let l_org = class_of("L-ORG").unwrap();
        let i_gpe = class_of("I-GPE").unwrap();
        assert!(allowed(None, b_org, false));
        assert!(!allowed(None, b_org, true));
        assert!(allowed(Some(b_org), l_org, true));
        assert!(!allowed(Some(b_org), i_gpe, false));
        assert!(!allowed(Some(b_org), 0, false));
        assert_eq!(
            spans(&[b_org, l_org, 0, class_of("U-GPE").unwrap()]),
            [(0, 2, EntityLabel::Org), (3, 4, EntityLabel::Gpe)]
        );
    }
}

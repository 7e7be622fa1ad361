//! The BILOU averaged-perceptron entity tagger: model file, loading and greedy decoding
//! under BILOU transition constraints.

use crate::EntityError;
use crate::features::{PreparedSentence, context_dynamic, extract_static, token_dynamic};
use dyad_document::EntityLabel;
use dyad_perceptron::{Scores, SparseWeights, WeightTable};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::io::{Read, Write};
use std::sync::OnceLock;

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
    /// The feature weights (64-bit keys from `features::hash_parts`).
    pub weights: SparseWeights,
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

/// A loaded entity tagger; `&NerModel` is shared across threads.
#[derive(Debug, Clone)]
pub struct NerModel {
    table: WeightTable,
    provenance: String,
    /// The scores of the features of the two previous classes (templates 20 and 21), summed
    /// once per pair: row `r(prev) * (N_CLASSES + 1) + r(prev2)`, where `r(None) = 0` and
    /// `r(Some(c)) = c + 1`.
    context_scores: Vec<[i32; N_CLASSES]>,
}

/// Buffers reused between sentences on one thread.
#[derive(Default)]
struct Scratch {
    /// Static feature keys of all tokens of the sentence, token after token.
    keys: Vec<u64>,
    /// Where each token's keys end in `keys`.
    ends: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Bit `c` is set when class `c` may follow the previous class (`None` → index 0, class `p`
/// → `p + 1`) on a last token (`[_][1]`) or another one (`[_][0]`).
fn allowed_masks() -> &'static [[u32; 2]; N_CLASSES + 1] {
    static MASKS: OnceLock<[[u32; 2]; N_CLASSES + 1]> = OnceLock::new();
    MASKS.get_or_init(|| {
        let mut masks = [[0u32; 2]; N_CLASSES + 1];
        for (p, row) in masks.iter_mut().enumerate() {
            let prev = p.checked_sub(1).map(|p| p as u8);
            for (last, mask) in row.iter_mut().enumerate() {
                for class in 0..N_CLASSES as u8 {
                    if allowed(prev, class, last == 1) {
                        *mask |= 1 << class;
                    }
                }
            }
        }
        masks
    })
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
        let table = WeightTable::from_sparse(&model.weights, N_CLASSES)
            .map_err(|e| bad(format!("{e}; retrain with the train_ner example")))?;
        let none_or = |r: usize| r.checked_sub(1).map(|c| c as u8);
        let mut context_scores = Vec::with_capacity((N_CLASSES + 1) * (N_CLASSES + 1));
        for r1 in 0..=N_CLASSES {
            for r2 in 0..=N_CLASSES {
                let mut scores: Scores = [0; 256];
                table.add_scores(&context_dynamic(none_or(r1), none_or(r2)), &mut scores);
                let mut row = [0i32; N_CLASSES];
                for (cell, &s) in row.iter_mut().zip(scores.iter()) {
                    *cell = s;
                }
                context_scores.push(row);
            }
        }
        Ok(NerModel {
            table,
            provenance: model.provenance,
            context_scores,
        })
    }

    /// What the model was trained on.
    pub fn provenance(&self) -> &str {
        &self.provenance
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.table.feature_count()
    }

    /// Tags one prepared sentence: one class id per token, a valid BILOU sequence.
    pub(crate) fn tag(&self, sentence: &PreparedSentence) -> Vec<u8> {
        let tokens = &sentence.tokens;
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let Scratch { keys, ends } = &mut *scratch;
            // The static features of every token first, and their table slots loaded
            // together: the cache misses overlap instead of coming one at a time.
            keys.clear();
            ends.clear();
            for i in 0..tokens.len() {
                let start = keys.len();
                extract_static(sentence, i, keys);
                self.table.touch(keys.get(start..).unwrap_or(&[]));
                ends.push(keys.len());
            }
            let masks = allowed_masks();
            let mut out = Vec::with_capacity(tokens.len());
            let mut scores: Scores = [0; 256];
            let (mut prev, mut prev2) = (None, None);
            let mut start = 0;
            let row = |class: Option<u8>| class.map_or(0, |p: u8| p as usize + 1);
            for (i, &end) in ends.iter().enumerate() {
                // Only the first N_CLASSES scores are read; the others stay zero (dense
                // rows are zero past the last class, sparse entries name real classes).
                if let Some(used) = scores.get_mut(..N_CLASSES) {
                    used.fill(0);
                }
                self.table
                    .add_scores(keys.get(start..end).unwrap_or(&[]), &mut scores);
                start = end;
                if let Some(dynamic) = token_dynamic(sentence, i, prev) {
                    self.table.add_scores(&dynamic, &mut scores);
                }
                if let Some(context) = self
                    .context_scores
                    .get(row(prev) * (N_CLASSES + 1) + row(prev2))
                {
                    for (s, &c) in scores.iter_mut().zip(context) {
                        *s += c;
                    }
                }
                let last = usize::from(i + 1 == tokens.len());
                let mask = masks.get(row(prev)).map_or(1, |r| r[last]);
                let class = best_in_mask(&scores, mask);
                out.push(class);
                prev2 = prev;
                prev = Some(class);
            }
            out
        })
    }
}

/// The class with the highest score among those whose bit is set in `mask` (ties to the
/// lower class id); 0 (`O`) when the mask is empty.
fn best_in_mask(scores: &Scores, mask: u32) -> u8 {
    let mut best: Option<(usize, i32)> = None;
    let mut rest = mask;
    while rest != 0 {
        let class = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        let s = scores[class & 0xff];
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((class, s));
        }
    }
    best.map_or(0, |(c, _)| c as u8)
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

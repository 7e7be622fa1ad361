//! The greedy arc-hybrid dependency parser with an averaged perceptron.
//!
//! Trained in this repository on spaCy en_core_web_sm 3.8.0 parses of the news corpus (see
//! `TRAINING.md`, `train_parser` example); the model is embedded as
//! `data/parser.postcard.gz`. Parsing is on demand, one sentence at a time: the tree is
//! not stored in the [`Document`].

use crate::dependency::{DepLabel, DependencyTree};
use crate::transition::{
    BUFFER_COUNT, Move, NONE, REST_COUNT, S0_COUNT, S1_COUNT, S2_COUNT, State, WordFeatures,
    buffer_keys, decode_class, key32, s0_keys, s1_keys, s2_keys, word_at, word_features,
};
use crate::{SyntaxError, Tagger};
use dyad_document::Document;
use dyad_perceptron::{Scores, SparseWeights, WeightTable};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::io::{Read, Write};
use std::sync::OnceLock;

/// Version of the serialized parser format; bump on any change of features, hashing,
/// transition system or layout.
pub const PARSER_MODEL_VERSION: u32 = 1;

static EMBEDDED_PARSER: &[u8] = include_bytes!("../data/parser.postcard.gz");
const EMBEDDED_NAME: &str = "embedded data/parser.postcard.gz";

/// The on-disk form of a trained parser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParserModelFile {
    /// [`PARSER_MODEL_VERSION`] at training time.
    pub version: u32,
    /// Free text: what the model was trained on.
    pub provenance: String,
    /// Dependency labels (spaCy spelling), indexed by label id.
    pub labels: Vec<String>,
    /// The feature weights (keys are the 32-bit `transition::key32` values).
    pub weights: SparseWeights,
}

impl ParserModelFile {
    /// Serializes to postcard, then gzip.
    pub fn to_bytes(&self) -> Result<Vec<u8>, SyntaxError> {
        let err = |reason: String| SyntaxError::Model {
            source_name: "in-memory parser model".into(),
            reason,
        };
        let raw = postcard::to_stdvec(self).map_err(|e| err(format!("cannot serialize: {e}")))?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw)
            .and_then(|_| gz.finish())
            .map_err(|e| err(format!("cannot compress: {e}")))
    }

    /// Reads gzip-compressed postcard; `source_name` names the origin in errors.
    pub fn from_bytes(bytes: &[u8], source_name: &str) -> Result<ParserModelFile, SyntaxError> {
        let err = |reason: String| SyntaxError::Model {
            source_name: source_name.to_string(),
            reason,
        };
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(|e| {
                err(format!(
                    "not a gzip file ({e}); retrain with the train_parser example"
                ))
            })?;
        let model: ParserModelFile = postcard::from_bytes(&raw).map_err(|e| {
            err(format!(
                "not a dyad parser model ({e}); retrain with the train_parser example"
            ))
        })?;
        if model.version != PARSER_MODEL_VERSION {
            return Err(err(format!(
                "parser format version {} but this build reads version {PARSER_MODEL_VERSION}; retrain with the train_parser example",
                model.version
            )));
        }
        Ok(model)
    }
}

/// A loaded parser, ready to parse. `&Parser` is `Sync`: share one across threads.
#[derive(Debug, Clone)]
pub struct Parser {
    labels: Vec<String>,
    dep_labels: Vec<DepLabel>,
    root_label: u8,
    table: WeightTable,
    /// Columns of a precomputed score row: the class count rounded up to a multiple of 8.
    stride: usize,
    provenance: String,
}

/// Buffers reused between sentences on one thread.
#[derive(Default)]
struct Scratch {
    state: State,
    words: Vec<WordFeatures>,
    /// Keys of one role's templates for every position of the sentence.
    keys: Vec<u64>,
    /// Per-class scores of the single-position templates, one row per role and position
    /// (see [`Parser::score_positions`]).
    rows: Vec<i32>,
}

/// The positions whose templates are summed once per sentence: the stack top, the second
/// and third stack words, and the buffer front (which fixes the next two buffer words).
const ROLES: usize = 4;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Parser {
    /// The model embedded in the crate, loaded once per process.
    ///
    /// Fails only when the embedded file is corrupt (a build problem, not a user error).
    pub fn embedded() -> Result<&'static Parser, SyntaxError> {
        static PARSER: OnceLock<Result<Parser, SyntaxError>> = OnceLock::new();
        PARSER
            .get_or_init(|| {
                ParserModelFile::from_bytes(EMBEDDED_PARSER, EMBEDDED_NAME)
                    .and_then(Parser::from_model)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Builds the runtime tables from a model file.
    pub fn from_model(model: ParserModelFile) -> Result<Parser, SyntaxError> {
        let bad = |reason: String| SyntaxError::Model {
            source_name: "parser model".into(),
            reason,
        };
        if model.labels.is_empty() || model.labels.len() > 64 {
            return Err(bad(format!(
                "{} labels, but a parser has 1 to 64",
                model.labels.len()
            )));
        }
        let classes = 1 + 2 * model.labels.len();
        let table = WeightTable::from_sparse(&model.weights, classes)
            .map_err(|e| bad(format!("{e}; retrain with the train_parser example")))?;
        let dep_labels: Vec<DepLabel> = model.labels.iter().map(|l| DepLabel::parse(l)).collect();
        let root_label = dep_labels
            .iter()
            .position(|&l| l == DepLabel::Root)
            .unwrap_or(0) as u8;
        Ok(Parser {
            labels: model.labels,
            dep_labels,
            root_label,
            table,
            stride: classes.next_multiple_of(8),
            provenance: model.provenance,
        })
    }

    /// What the model was trained on.
    pub fn provenance(&self) -> &str {
        &self.provenance
    }

    /// The labels the model predicts (spaCy spelling).
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.table.feature_count()
    }

    /// Parses one sentence given as words and their part-of-speech tags (Penn/spaCy
    /// spelling; missing tags count as `XX`). Returns each word's head (`None` for the root)
    /// and label, positions relative to the sentence.
    pub fn parse_words<W: AsRef<str>, T: AsRef<str>>(
        &self,
        words: &[W],
        tags: &[T],
    ) -> (Vec<Option<usize>>, Vec<DepLabel>) {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let scratch = &mut *scratch;
            word_features(words, tags, &mut scratch.words);
            self.parse_prepared(scratch);
            let state = &scratch.state;
            let heads = state
                .heads
                .iter()
                .map(|&h| (h != NONE).then_some(h))
                .collect();
            let labels = state
                .heads
                .iter()
                .zip(&state.labels)
                .map(|(&h, &l)| {
                    if h == NONE {
                        DepLabel::Root
                    } else {
                        self.dep_labels
                            .get(l as usize)
                            .copied()
                            .unwrap_or(DepLabel::Dep)
                    }
                })
                .collect();
            (heads, labels)
        })
    }

    /// Label ids as the model numbers them (for evaluation); the root gets the `ROOT` id.
    pub fn parse_label_ids<W: AsRef<str>, T: AsRef<str>>(
        &self,
        words: &[W],
        tags: &[T],
    ) -> (Vec<Option<usize>>, Vec<u8>) {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let scratch = &mut *scratch;
            word_features(words, tags, &mut scratch.words);
            self.parse_prepared(scratch);
            let state = &scratch.state;
            let heads = state
                .heads
                .iter()
                .map(|&h| (h != NONE).then_some(h))
                .collect();
            let labels = state
                .heads
                .iter()
                .zip(&state.labels)
                .map(|(&h, &l)| if h == NONE { self.root_label } else { l })
                .collect();
            (heads, labels)
        })
    }

    /// Decodes the sentence whose word features are in `scratch.words`.
    ///
    /// A move's score is the sum of its 58 templates' weights. 17 templates look at one
    /// position only (a stack word, or the buffer front and the two words after it), so their
    /// sums are computed once per word and role ([`Parser::score_positions`]) and a move adds
    /// four precomputed rows to the weights of the 41 other templates. Integer sums do not
    /// depend on the order, so the parse is the same as scoring all 58 at every move.
    fn parse_prepared(&self, scratch: &mut Scratch) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked just above), the only requirement of a
            // `target_feature(enable = "avx2")` function.
            unsafe { self.parse_prepared_avx2(scratch) };
            return;
        }
        self.parse_prepared_inline(scratch);
    }

    /// [`Parser::parse_prepared`] compiled for AVX2: the score rows are summed and compared
    /// 8 classes per instruction instead of 4 (the same integer sums, the same parse).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn parse_prepared_avx2(&self, scratch: &mut Scratch) {
        self.parse_prepared_inline(scratch);
    }

    /// The body of [`Parser::parse_prepared`], inlined into each instruction-set version.
    #[inline(always)]
    fn parse_prepared_inline(&self, scratch: &mut Scratch) {
        self.score_positions(scratch);
        let Scratch {
            state, words, rows, ..
        } = scratch;
        let n = words.len();
        state.reset(n);
        let stride = self.stride;
        let role_row = |role: usize, i: usize| {
            let position = if i == NONE { n } else { i.min(n) };
            let start = (role * (n + 1) + position) * stride;
            rows.get(start..start + stride).unwrap_or(&[])
        };
        let mut scores: Scores = [0; 256];
        let labels = self.labels.len();
        let mut feats = [0u64; REST_COUNT];
        while !state.is_final() {
            let (can_shift, can_left, can_right) =
                (state.can_shift(), state.can_left(), state.can_right());
            let only = match (can_shift, can_left, can_right) {
                (true, false, false) => Some((Move::Shift, 0)),
                _ => None,
            };
            let (m, label) = match only {
                Some(x) => x,
                None => {
                    let focus = state.focus();
                    state.rest_features(words, focus, &mut feats);
                    for f in &mut feats {
                        *f = key32(*f) as u64;
                    }
                    let s0 = role_row(0, focus.s0);
                    let s1 = role_row(1, focus.s1);
                    let s2 = role_row(2, focus.s2);
                    let b0 = role_row(3, focus.b0);
                    let width = stride
                        .min(s0.len())
                        .min(s1.len())
                        .min(s2.len())
                        .min(b0.len());
                    let (s0, s1, s2, b0) = (&s0[..width], &s1[..width], &s2[..width], &b0[..width]);
                    for (i, score) in scores.iter_mut().take(width).enumerate() {
                        *score = s0[i] + s1[i] + s2[i] + b0[i];
                    }
                    self.table.add_scores(&feats, &mut scores);
                    best_valid(&scores, labels, can_shift, can_left, can_right)
                }
            };
            state.apply(m, label);
        }
    }

    /// Fills `scratch.rows` with the summed weights of the single-position templates: for
    /// each role (s0, s1, s2, buffer front) a row of `stride` class scores per word of the
    /// sentence, plus one for "no word" (row `n`).
    fn score_positions(&self, scratch: &mut Scratch) {
        let Scratch {
            words, keys, rows, ..
        } = scratch;
        let n = words.len();
        let stride = self.stride;
        rows.clear();
        rows.resize(ROLES * (n + 1) * stride, 0);
        let at = |i: usize| word_at(words, if i < n { i } else { NONE });
        let mut role_rows = rows.chunks_mut((n + 1) * stride);
        let mut fill = |keys_per_row: usize, keys: &[u64]| {
            if let Some(target) = role_rows.next() {
                self.table
                    .add_scores_rows(keys, keys_per_row, target, stride);
            }
        };
        keys.clear();
        keys.extend(
            (0..=n)
                .flat_map(|i| s0_keys(&at(i)))
                .map(|k| key32(k) as u64),
        );
        fill(S0_COUNT, keys);
        keys.clear();
        keys.extend(
            (0..=n)
                .flat_map(|i| s1_keys(&at(i)))
                .map(|k| key32(k) as u64),
        );
        fill(S1_COUNT, keys);
        keys.clear();
        keys.extend(
            (0..=n)
                .flat_map(|i| s2_keys(&at(i)))
                .map(|k| key32(k) as u64),
        );
        fill(S2_COUNT, keys);
        keys.clear();
        keys.extend(
            (0..=n)
                .flat_map(|i| buffer_keys(&at(i), &at(i + 1), &at(i + 2)))
                .map(|k| key32(k) as u64),
        );
        fill(BUFFER_COUNT, keys);
    }

    /// Parses sentence `sentence` of `doc`. Uses the tokens' tags when the syntax stage
    /// has run, and tags the sentence with the embedded tagger otherwise. A sentence index
    /// out of range gives an empty tree.
    pub fn parse_sentence(&self, doc: &Document, sentence: usize) -> DependencyTree {
        let Some(s) = doc.sentences.get(sentence) else {
            return DependencyTree {
                tokens: 0..0,
                heads: Vec::new(),
                labels: Vec::new(),
            };
        };
        let range = doc.tokens_in(s.range);
        let tokens = doc.tokens.get(range.clone()).unwrap_or(&[]);
        let words: Vec<&str> = tokens.iter().map(|t| doc.slice(t.range)).collect();
        let tags: Vec<&str> = if tokens.iter().all(|t| t.tag.is_some()) {
            tokens
                .iter()
                .map(|t| t.tag.map_or("XX", |t| t.as_str()))
                .collect()
        } else {
            match Tagger::embedded() {
                Ok(tagger) => tagger
                    .tag_words(&words)
                    .iter()
                    .map(|t| t.as_str())
                    .collect(),
                Err(_) => vec!["XX"; words.len()],
            }
        };
        let (heads, labels) = self.parse_words(&words, &tags);
        DependencyTree {
            heads: heads
                .into_iter()
                .map(|h| h.map(|h| h + range.start))
                .collect(),
            tokens: range,
            labels,
        }
    }
}

/// The best-scoring class among the valid moves; ties go to the lower class id.
#[inline(always)]
fn best_valid(
    scores: &[i32; 256],
    labels: usize,
    can_shift: bool,
    can_left: bool,
    can_right: bool,
) -> (Move, u8) {
    // (score, class) of the best so far; valid classes are never below i32::MIN + 1 in
    // practice, but the first valid class is taken whatever its score.
    let mut best = (i32::MIN, usize::MAX);
    let mut consider = |start: usize, end: usize| {
        let range = scores.get(start..end).unwrap_or(&[]);
        for (offset, &score) in range.iter().enumerate() {
            if score > best.0 || best.1 == usize::MAX {
                best = (score, start + offset);
            }
        }
    };
    if can_shift {
        consider(0, 1);
    }
    if can_left {
        consider(1, 1 + labels);
    }
    if can_right {
        consider(1 + labels, 1 + 2 * labels);
    }
    decode_class(if best.1 == usize::MAX { 0 } else { best.1 }, labels)
}

/// Parses sentence `sentence` of `doc` with the embedded parser (see
/// [`Parser::parse_sentence`]).
///
/// The embedded model is tested to load; should it ever fail (a corrupt build), every
/// token is attached to the sentence's first token with label `dep`, which keeps the tree
/// well formed.
pub fn parse_sentence(doc: &Document, sentence: usize) -> DependencyTree {
    match Parser::embedded() {
        Ok(parser) => parser.parse_sentence(doc, sentence),
        Err(_) => {
            let range = doc
                .sentences
                .get(sentence)
                .map_or(0..0, |s| doc.tokens_in(s.range));
            let first = range.start;
            DependencyTree {
                heads: range
                    .clone()
                    .map(|i| (i != first).then_some(first))
                    .collect(),
                labels: range
                    .clone()
                    .map(|i| {
                        if i == first {
                            DepLabel::Root
                        } else {
                            DepLabel::Dep
                        }
                    })
                    .collect(),
                tokens: range,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transition::FEATURE_COUNT;

    type Parse = (Vec<Option<usize>>, Vec<u8>);

    /// Greedy decoding that scores all 58 templates at every move, as training does.
    fn parse_scoring_every_template(parser: &Parser, words: &[&str], tags: &[&str]) -> Parse {
        let mut features = Vec::new();
        word_features(words, tags, &mut features);
        let mut state = State::default();
        state.reset(words.len());
        let mut keys = [0u64; FEATURE_COUNT];
        let mut scores: Scores = [0; 256];
        while !state.is_final() {
            state.features(&features, &mut keys);
            for key in &mut keys {
                *key = key32(*key) as u64;
            }
            parser.table.scores(&keys, &mut scores);
            let (m, label) = best_valid(
                &scores,
                parser.labels.len(),
                state.can_shift(),
                state.can_left(),
                state.can_right(),
            );
            state.apply(m, label);
        }
        let heads = state
            .heads
            .iter()
            .map(|&h| (h != NONE).then_some(h))
            .collect();
        let labels = state
            .heads
            .iter()
            .zip(&state.labels)
            .map(|(&h, &l)| if h == NONE { parser.root_label } else { l })
            .collect();
        (heads, labels)
    }

    #[test]
    fn precomputed_position_scores_parse_like_scoring_every_template() {
        let parser = Parser::embedded().unwrap();
        let sentences: [(&[&str], &[&str]); 3] = [
            (
                &[
                    "Taliban", "fighters", "seized", "the", "Panjshir", "valley", "on", "Monday",
                    ".",
                ],
                &["NNP", "NNS", "VBD", "DT", "NNP", "NN", "IN", "NNP", "."],
            ),
            (&["Yes"], &["UH"]),
            (
                &[
                    "He",
                    "said",
                    "the",
                    "talks",
                    "would",
                    "resume",
                    ",",
                    "officials",
                    "said",
                    ".",
                ],
                &[
                    "PRP", "VBD", "DT", "NNS", "MD", "VB", ",", "NNS", "VBD", ".",
                ],
            ),
        ];
        for (words, tags) in sentences {
            assert_eq!(
                parser.parse_label_ids(words, tags),
                parse_scoring_every_template(parser, words, tags),
                "{words:?}"
            );
        }
    }
}

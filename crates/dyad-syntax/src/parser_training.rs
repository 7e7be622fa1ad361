//! Training the dependency parser (build-time tool; the `train_parser` example drives it).
//!
//! Greedy arc-hybrid parsing with an averaged perceptron trained with Goldberg and Nivre's
//! dynamic oracle: at every configuration each move gets a cost (the number of gold arcs it
//! makes unreachable, plus one for a wrong label on a correct arc); the perceptron is
//! updated toward the best-scoring cheapest move, and after the first passes the trainer
//! follows the model's own (possibly wrong) move most of the time, so it learns to
//! recover from its mistakes.

use crate::parser::{PARSER_MODEL_VERSION, ParserModelFile};
use crate::transition::{
    FEATURE_COUNT, Move, State, WordFeatures, decode_class, key32, word_features,
};
use dyad_perceptron::{AveragedPerceptron, Shuffle, SparseWeights};
use std::collections::{BTreeMap, HashMap};

/// One training sentence: words, tags and spaCy's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseSentence {
    /// The words, as dyad's tokenizer gives them.
    pub words: Vec<String>,
    /// One part-of-speech tag per word (the tags the parser will see at run time).
    pub tags: Vec<String>,
    /// Head of each word (sentence position), `None` for the root.
    pub heads: Vec<Option<usize>>,
    /// Label of each word (`ROOT` for the root).
    pub labels: Vec<String>,
}

impl ParseSentence {
    /// True when all fields have one entry per word and the heads form a tree with one root.
    pub fn is_valid(&self) -> bool {
        let n = self.words.len();
        if n == 0 || self.tags.len() != n || self.heads.len() != n || self.labels.len() != n {
            return false;
        }
        if self.heads.iter().filter(|h| h.is_none()).count() != 1 {
            return false;
        }
        (0..n).all(|i| {
            let mut x = i;
            for _ in 0..=n {
                match self.heads.get(x).copied().flatten() {
                    None => return true,
                    Some(h) if h < n => x = h,
                    Some(_) => return false,
                }
            }
            false
        })
    }
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct ParserTrainOptions {
    /// Passes over the data.
    pub iterations: usize,
    /// Seed of the shuffle and of exploration.
    pub seed: u64,
    /// From this pass on (0-based), follow the model's wrong moves ...
    pub explore_from: usize,
    /// ... with this probability.
    pub explore_probability: f64,
    /// Averaged weights with a smaller magnitude are dropped (model size vs accuracy).
    pub prune_below: f32,
    /// Free text stored in the model.
    pub provenance: String,
}

impl Default for ParserTrainOptions {
    fn default() -> Self {
        ParserTrainOptions {
            iterations: 10,
            seed: 0x5eed,
            explore_from: 1,
            explore_probability: 0.9,
            prune_below: 1.0,
            provenance: String::new(),
        }
    }
}

/// Statistics of one training pass.
#[derive(Debug, Clone, Copy)]
pub struct PassReport {
    /// 1-based pass number.
    pub pass: usize,
    /// Share of words whose predicted head was gold (as parsed while training).
    pub uas: f64,
    /// Share of moves where the model's choice was among the cheapest.
    pub move_accuracy: f64,
}

struct Prepared {
    words: Vec<WordFeatures>,
    /// Gold head of each word; the root's head is `n` (a virtual word past the end, always
    /// "in the buffer").
    heads: Vec<usize>,
    labels: Vec<u8>,
    children: Vec<Vec<usize>>,
}

/// Averaged weights of a trained parser, before pruning and quantization.
#[derive(Debug, Clone)]
pub struct TrainedParser {
    averaged: Vec<(u64, Vec<(u8, f32)>)>,
    labels: Vec<String>,
    provenance: String,
}

impl TrainedParser {
    /// The model file, keeping averaged weights of magnitude `prune_below` or more.
    pub fn pack(&self, prune_below: f32) -> ParserModelFile {
        pack(
            &self.averaged,
            self.labels.clone(),
            prune_below,
            self.provenance.clone(),
        )
    }
}

/// Trains a parser model with `options.prune_below`. `progress` is called after each pass.
pub fn train_parser(
    sentences: &[ParseSentence],
    options: &ParserTrainOptions,
    progress: impl FnMut(PassReport),
) -> ParserModelFile {
    train_weights(sentences, options, progress).pack(options.prune_below)
}

/// Trains a parser and returns its averaged weights (to pack at several pruning levels).
pub fn train_weights(
    sentences: &[ParseSentence],
    options: &ParserTrainOptions,
    mut progress: impl FnMut(PassReport),
) -> TrainedParser {
    // Labels by frequency (ROOT first), at most 64 (the label-set features use a u64).
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in sentences.iter().filter(|s| s.is_valid()) {
        for l in &s.labels {
            *counts.entry(l.as_str()).or_default() += 1;
        }
    }
    let mut labels: Vec<String> = vec!["ROOT".to_string()];
    let mut by_count: Vec<(&str, usize)> =
        counts.into_iter().filter(|(l, _)| *l != "ROOT").collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    labels.extend(by_count.into_iter().take(63).map(|(l, _)| l.to_string()));
    labels[1..].sort();
    let label_of: HashMap<&str, u8> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i as u8))
        .collect();
    let n_labels = labels.len();
    let classes = 1 + 2 * n_labels;

    let prepared: Vec<Prepared> = sentences
        .iter()
        .filter(|s| s.is_valid())
        .map(|s| {
            let n = s.words.len();
            let mut words = Vec::with_capacity(n);
            word_features(&s.words, &s.tags, &mut words);
            let heads: Vec<usize> = s.heads.iter().map(|h| h.unwrap_or(n)).collect();
            let mut children = vec![Vec::new(); n];
            for (i, &h) in heads.iter().enumerate() {
                if let Some(c) = children.get_mut(h) {
                    c.push(i);
                }
            }
            let labels = s
                .labels
                .iter()
                .map(|l| label_of.get(l.as_str()).copied().unwrap_or(0))
                .collect();
            Prepared {
                words,
                heads,
                labels,
                children,
            }
        })
        .collect();

    let mut model = AveragedPerceptron::new();
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut rng = Shuffle::new(options.seed);
    let mut state = State::default();
    let mut in_stack: Vec<bool> = Vec::new();
    let mut feats = [0u64; FEATURE_COUNT];
    let mut keys = [0u64; FEATURE_COUNT];
    let mut scores = vec![0f32; classes];
    let mut costs = vec![0u32; classes];
    for pass in 0..options.iterations {
        rng.shuffle(&mut order);
        let explore = pass >= options.explore_from;
        let (mut heads_correct, mut words_total) = (0u64, 0u64);
        let (mut moves_correct, mut moves_total) = (0u64, 0u64);
        for &k in &order {
            let Some(s) = prepared.get(k) else { continue };
            let n = s.words.len();
            state.reset(n);
            in_stack.clear();
            in_stack.resize(n, false);
            while !state.is_final() {
                state.features(&s.words, &mut feats);
                for (key, f) in keys.iter_mut().zip(&feats) {
                    *key = key32(*f) as u64;
                }
                model.scores(&keys, &mut scores);
                move_costs(&state, s, &in_stack, n_labels, &mut costs);
                let mut predicted: Option<(usize, f32)> = None;
                let mut gold: Option<(usize, f32)> = None;
                let min_cost = (0..classes)
                    .filter(|&c| state.is_valid(decode_class(c, n_labels).0))
                    .filter_map(|c| costs.get(c).copied())
                    .min()
                    .unwrap_or(0);
                for c in 0..classes {
                    if !state.is_valid(decode_class(c, n_labels).0) {
                        continue;
                    }
                    let score = scores.get(c).copied().unwrap_or(0.0);
                    if predicted.is_none_or(|(_, best)| score > best) {
                        predicted = Some((c, score));
                    }
                    if costs.get(c) == Some(&min_cost) && gold.is_none_or(|(_, best)| score > best)
                    {
                        gold = Some((c, score));
                    }
                }
                let (Some((predicted, _)), Some((gold, _))) = (predicted, gold) else {
                    break;
                };
                let predicted_ok = costs.get(predicted) == Some(&min_cost);
                moves_total += 1;
                moves_correct += u64::from(predicted_ok);
                if !predicted_ok {
                    model.update(gold as u8, predicted as u8, &keys);
                }
                let roll = (rng.next_u64() % 1_000_000) as f64 / 1_000_000.0;
                let follow = if predicted_ok || (explore && roll < options.explore_probability) {
                    predicted
                } else {
                    gold
                };
                let (m, label) = decode_class(follow, n_labels);
                match m {
                    Move::Shift => {
                        if let Some(x) = in_stack.get_mut(state.buffer) {
                            *x = true;
                        }
                    }
                    Move::Left | Move::Right => {
                        if let Some(x) = in_stack.get_mut(state.stack_at(0)) {
                            *x = false;
                        }
                    }
                }
                state.apply(m, label);
            }
            for (i, &h) in state.heads.iter().enumerate() {
                let gold = s.heads.get(i).copied().unwrap_or(usize::MAX);
                let predicted = if h == crate::transition::NONE { n } else { h };
                heads_correct += u64::from(gold == predicted);
                words_total += 1;
            }
        }
        progress(PassReport {
            pass: pass + 1,
            uas: heads_correct as f64 / words_total.max(1) as f64,
            move_accuracy: moves_correct as f64 / moves_total.max(1) as f64,
        });
    }
    TrainedParser {
        averaged: model.averaged(),
        labels,
        provenance: options.provenance.clone(),
    }
}

/// The dynamic-oracle cost of every class in the current configuration (Goldberg and Nivre
/// 2013, arc-hybrid), plus one for a wrong label on a correct arc.
fn move_costs(state: &State, s: &Prepared, in_stack: &[bool], n_labels: usize, costs: &mut [u32]) {
    let b0 = state.buffer;
    let s0 = state.stack_at(0);
    let s1 = state.stack_at(1);
    let gold_head = |i: usize| s.heads.get(i).copied().unwrap_or(usize::MAX);
    let in_buffer = |i: usize| i >= b0 && i != usize::MAX; // the virtual root head `n` included
    let children_in_buffer = |i: usize| -> u32 {
        s.children
            .get(i)
            .map_or(0, |c| c.iter().filter(|&&c| c >= b0).count() as u32)
    };
    // SHIFT: b0 can no longer take a head from the stack below s0, nor children from the stack.
    let shift = if state.can_shift() {
        let h = gold_head(b0);
        let head_lost = u32::from(h != s0 && in_stack.get(h).copied().unwrap_or(false));
        let children_lost = s.children.get(b0).map_or(0, |c| {
            c.iter()
                .filter(|&&c| in_stack.get(c).copied().unwrap_or(false))
                .count() as u32
        });
        head_lost + children_lost
    } else {
        0
    };
    // LEFT: s0 takes b0 as head; it loses a head in s1 or in the rest of the buffer, and its
    // children still in the buffer.
    let (left, left_gold) = if state.can_left() {
        let h = gold_head(s0);
        let head_lost = u32::from(h != b0 && (h == s1 || in_buffer(h)));
        (head_lost + children_in_buffer(s0), h == b0)
    } else {
        (0, false)
    };
    // RIGHT: s0 takes s1 as head; it loses a head in the buffer and its children there.
    let (right, right_gold) = if state.can_right() {
        let h = gold_head(s0);
        (u32::from(in_buffer(h)) + children_in_buffer(s0), h == s1)
    } else {
        (0, false)
    };
    let gold_label = s.labels.get(s0).copied().unwrap_or(u8::MAX);
    for (class, cost) in costs.iter_mut().enumerate() {
        let (m, label) = decode_class(class, n_labels);
        *cost = match m {
            Move::Shift => shift,
            Move::Left => left + u32::from(left_gold && label != gold_label),
            Move::Right => right + u32::from(right_gold && label != gold_label),
        };
    }
}

fn pack(
    averaged: &[(u64, Vec<(u8, f32)>)],
    labels: Vec<String>,
    prune_below: f32,
    provenance: String,
) -> ParserModelFile {
    // Keys are `key32` values: never 0, always below 2^32.
    ParserModelFile {
        version: PARSER_MODEL_VERSION,
        provenance,
        labels,
        weights: SparseWeights::from_averaged(averaged, prune_below),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DepLabel, Parser};

    /// `word/TAG/head/label` items, heads 1-based, 0 for the root.
    fn sentence(items: &str) -> ParseSentence {
        let mut s = ParseSentence {
            words: Vec::new(),
            tags: Vec::new(),
            heads: Vec::new(),
            labels: Vec::new(),
        };
        for item in items.split_whitespace() {
            let parts: Vec<&str> = item.split('/').collect();
            s.words.push(parts[0].to_string());
            s.tags.push(parts[1].to_string());
            let h: usize = parts[2].parse().unwrap();
            s.heads.push(h.checked_sub(1));
            s.labels.push(parts[3].to_string());
        }
        s
    }

    fn tiny_treebank() -> Vec<ParseSentence> {
        [
            "the/DT/2/det dog/NN/3/nsubj chased/VBD/0/ROOT the/DT/5/det cat/NN/3/dobj ././3/punct",
            "a/DT/2/det cat/NN/3/nsubj saw/VBD/0/ROOT a/DT/5/det dog/NN/3/dobj ././3/punct",
            "dogs/NNS/2/nsubj chased/VBD/0/ROOT cats/NNS/2/dobj ././2/punct",
            "the/DT/2/det cat/NN/4/nsubjpass was/VBD/4/auxpass chased/VBN/0/ROOT by/IN/4/agent \
             dogs/NNS/5/pobj ././4/punct",
            "he/PRP/3/nsubjpass was/VBD/3/auxpass seen/VBN/0/ROOT by/IN/3/agent a/DT/6/det \
             cat/NN/4/pobj ././3/punct",
        ]
        .iter()
        .map(|line| sentence(line))
        .collect()
    }

    #[test]
    fn learns_a_tiny_treebank() {
        let data = tiny_treebank();
        assert!(data.iter().all(ParseSentence::is_valid));
        let options = ParserTrainOptions {
            iterations: 15,
            prune_below: 0.0,
            ..Default::default()
        };
        let mut last = None;
        let model = train_parser(&data, &options, |r| last = Some(r));
        assert!(last.is_some_and(|r| r.pass == 15 && r.uas > 0.9));
        let back = ParserModelFile::from_bytes(&model.to_bytes().unwrap(), "test").unwrap();
        assert_eq!(back, model);
        let parser = Parser::from_model(back).unwrap();
        let (heads, labels) = parser.parse_words(
            &["the", "dog", "was", "chased", "by", "a", "cat", "."],
            &["DT", "NN", "VBD", "VBN", "IN", "DT", "NN", "."],
        );
        assert_eq!(
            heads,
            [
                Some(1),
                Some(3),
                Some(3),
                None,
                Some(3),
                Some(6),
                Some(4),
                Some(3)
            ]
        );
        assert_eq!(labels[1], DepLabel::Nsubjpass);
        assert_eq!(labels[4], DepLabel::Agent);
        assert_eq!(labels[6], DepLabel::Pobj);
    }

    #[test]
    fn rejects_malformed_sentences() {
        let mut s = sentence("a/DT/2/det dog/NN/0/ROOT");
        assert!(s.is_valid());
        s.heads = vec![Some(1), Some(0)]; // a cycle, no root
        assert!(!s.is_valid());
        let model = train_parser(&[s], &ParserTrainOptions::default(), |_| {});
        let parser = Parser::from_model(model).unwrap();
        let (heads, _) = parser.parse_words(&["a", "dog"], &["DT", "NN"]);
        assert_eq!(heads.iter().filter(|h| h.is_none()).count(), 1);
    }

    #[test]
    fn rejects_garbage_and_wrong_versions() {
        assert!(ParserModelFile::from_bytes(b"not gzip", "x").is_err());
        let mut model = train_parser(&[], &ParserTrainOptions::default(), |_| {});
        model.version = 999;
        let err = ParserModelFile::from_bytes(&model.to_bytes().unwrap(), "old.gz").unwrap_err();
        assert!(err.to_string().contains("old.gz"), "{err}");
        assert!(err.to_string().contains("retrain"), "{err}");
    }
}

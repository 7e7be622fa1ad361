//! The arc-hybrid transition system (Kuhlmann, Gómez-Rodríguez and Satta 2011) and the
//! parser's hashed features (after Zhang and Nivre 2011), shared by decoding and training.
//!
//! A configuration is a stack, a buffer (the words not yet shifted, always a suffix of the
//! sentence) and the arcs made so far. Three moves:
//! - `SHIFT` pushes the first buffer word;
//! - `LEFT(l)` pops the stack top and attaches it to the first buffer word with label `l`;
//! - `RIGHT(l)` pops the stack top and attaches it to the word below it with label `l`.
//!
//! A sentence of `n` words takes exactly `2n - 1` moves, so parsing is linear and always
//! ends; the word left on the stack is the root. Classes: `0` is SHIFT, `1 + l` is LEFT(l),
//! `1 + labels + l` is RIGHT(l).

use crate::features::{feature_form_into, fold_into, hash_parts};

/// Position marker for "no word".
pub(crate) const NONE: usize = usize::MAX;
/// Label id of a word without a head yet.
pub(crate) const NO_LABEL: u8 = u8::MAX;

/// A move of the transition system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    Shift,
    Left,
    Right,
}

/// The move and label of a class id.
pub(crate) fn decode_class(class: usize, labels: usize) -> (Move, u8) {
    if class == 0 {
        (Move::Shift, NO_LABEL)
    } else if class <= labels {
        (Move::Left, (class - 1) as u8)
    } else {
        (Move::Right, (class - 1 - labels).min(254) as u8)
    }
}

/// Hashed atomic features of one word, computed once per sentence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordFeatures {
    word: u64,
    tag: u64,
    word_tag: u64,
}

const NO_WORD: WordFeatures = WordFeatures {
    word: 0x006e_6f2d_776f_7264,
    tag: 0x6e6f_2d74_6167,
    word_tag: 0x6e6f_2d77_742d,
};

impl WordFeatures {
    /// Features of a word with its part-of-speech tag (spaCy/Penn spelling).
    #[cfg(test)]
    pub(crate) fn new(word: &str, tag: &str) -> WordFeatures {
        WordFeatures::with_buffers(word, tag, &mut String::new(), &mut String::new())
    }

    /// [`WordFeatures::new`], computing the word's forms in `folded` and `lower` (cleared
    /// first) instead of new strings.
    fn with_buffers(
        word: &str,
        tag: &str,
        folded: &mut String,
        lower: &mut String,
    ) -> WordFeatures {
        folded.clear();
        lower.clear();
        fold_into(word, folded);
        feature_form_into(folded, lower);
        let word = hash_parts(100, &[lower.as_bytes()]);
        let tag = hash_parts(101, &[tag.as_bytes()]);
        WordFeatures {
            word,
            tag,
            word_tag: mix(102, word, tag, 0),
        }
    }
}

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;

/// Combines a template id and up to three values into a feature key. Part of the model
/// format: changing it requires retraining and bumping the parser's model version.
#[inline]
pub(crate) fn mix(template: u64, a: u64, b: u64, c: u64) -> u64 {
    let mut h = template.wrapping_mul(K1) ^ a;
    h = h.wrapping_mul(K2).rotate_left(29) ^ b;
    h = h.wrapping_mul(K1).rotate_left(31) ^ c;
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// The 32-bit key stored in the model (never 0: 0 marks an empty slot).
#[inline]
pub(crate) fn key32(h: u64) -> u32 {
    ((h >> 32) as u32).max(1)
}

/// Number of feature templates.
pub(crate) const FEATURE_COUNT: usize = 58;
/// Number of templates that look only at the stack top word.
pub(crate) const S0_COUNT: usize = 3;
/// Number of templates that look only at the second stack word.
pub(crate) const S1_COUNT: usize = 3;
/// Number of templates that look only at the third stack word.
pub(crate) const S2_COUNT: usize = 1;
/// Number of templates that look only at the buffer (its first three words).
pub(crate) const BUFFER_COUNT: usize = 10;
/// Number of the other templates, looked up at every move.
pub(crate) const REST_COUNT: usize = FEATURE_COUNT - S0_COUNT - S1_COUNT - S2_COUNT - BUFFER_COUNT;

/// The features of word `i` ([`NONE`] or out of range: the "no word" features).
#[inline]
pub(crate) fn word_at(words: &[WordFeatures], i: usize) -> WordFeatures {
    if i == NONE {
        NO_WORD
    } else {
        words.get(i).copied().unwrap_or(NO_WORD)
    }
}

/// Keys of templates 1-3: the stack top word.
#[inline]
pub(crate) fn s0_keys(s0: &WordFeatures) -> [u64; S0_COUNT] {
    [
        mix(1, s0.word_tag, 0, 0),
        mix(2, s0.word, 0, 0),
        mix(3, s0.tag, 0, 0),
    ]
}

/// Keys of templates 4-6: the second stack word.
#[inline]
pub(crate) fn s1_keys(s1: &WordFeatures) -> [u64; S1_COUNT] {
    [
        mix(4, s1.word_tag, 0, 0),
        mix(5, s1.word, 0, 0),
        mix(6, s1.tag, 0, 0),
    ]
}

/// Key of template 15: the third stack word.
#[inline]
pub(crate) fn s2_keys(s2: &WordFeatures) -> [u64; S2_COUNT] {
    [mix(15, s2.tag, 0, 0)]
}

/// Keys of templates 7-14, 23 and 29: the first three buffer words. The buffer is a suffix
/// of the sentence, so they depend only on where it starts.
#[inline]
pub(crate) fn buffer_keys(
    b0: &WordFeatures,
    b1: &WordFeatures,
    b2: &WordFeatures,
) -> [u64; BUFFER_COUNT] {
    [
        mix(7, b0.word_tag, 0, 0),
        mix(8, b0.word, 0, 0),
        mix(9, b0.tag, 0, 0),
        mix(10, b1.word_tag, 0, 0),
        mix(11, b1.word, 0, 0),
        mix(12, b1.tag, 0, 0),
        mix(13, b2.word, 0, 0),
        mix(14, b2.tag, 0, 0),
        mix(23, b0.tag, b1.tag, 0),
        mix(29, b0.tag, b1.tag, b2.tag),
    ]
}

/// The positions a configuration's features look at: the top three stack words and the
/// first buffer word ([`NONE`] when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Focus {
    pub(crate) s0: usize,
    pub(crate) s1: usize,
    pub(crate) s2: usize,
    pub(crate) b0: usize,
}

/// A parser configuration, reusable across sentences without allocating.
#[derive(Debug, Default, Clone)]
pub(crate) struct State {
    pub(crate) n: usize,
    pub(crate) stack: Vec<usize>,
    /// First buffer word (`n` when the buffer is empty).
    pub(crate) buffer: usize,
    pub(crate) heads: Vec<usize>,
    pub(crate) labels: Vec<u8>,
    left1: Vec<usize>,
    left2: Vec<usize>,
    right1: Vec<usize>,
    right2: Vec<usize>,
    left_count: Vec<u8>,
    right_count: Vec<u8>,
    left_labels: Vec<u64>,
    right_labels: Vec<u64>,
}

impl State {
    /// Starts a sentence of `n` words.
    pub(crate) fn reset(&mut self, n: usize) {
        self.n = n;
        self.stack.clear();
        self.buffer = 0;
        for v in [
            &mut self.heads,
            &mut self.left1,
            &mut self.left2,
            &mut self.right1,
            &mut self.right2,
        ] {
            v.clear();
            v.resize(n, NONE);
        }
        self.labels.clear();
        self.labels.resize(n, NO_LABEL);
        for v in [&mut self.left_count, &mut self.right_count] {
            v.clear();
            v.resize(n, 0);
        }
        for v in [&mut self.left_labels, &mut self.right_labels] {
            v.clear();
            v.resize(n, 0);
        }
    }

    pub(crate) fn is_final(&self) -> bool {
        self.buffer >= self.n && self.stack.len() <= 1
    }

    pub(crate) fn can_shift(&self) -> bool {
        self.buffer < self.n
    }

    pub(crate) fn can_left(&self) -> bool {
        self.buffer < self.n && !self.stack.is_empty()
    }

    pub(crate) fn can_right(&self) -> bool {
        self.stack.len() >= 2
    }

    pub(crate) fn is_valid(&self, m: Move) -> bool {
        match m {
            Move::Shift => self.can_shift(),
            Move::Left => self.can_left(),
            Move::Right => self.can_right(),
        }
    }

    /// The stack word `depth` below the top (0 = top), or [`NONE`].
    #[inline]
    pub(crate) fn stack_at(&self, depth: usize) -> usize {
        let len = self.stack.len();
        if depth < len {
            self.stack.get(len - 1 - depth).copied().unwrap_or(NONE)
        } else {
            NONE
        }
    }

    /// The buffer word at `offset` from its front, or [`NONE`].
    #[inline]
    pub(crate) fn buffer_at(&self, offset: usize) -> usize {
        let i = self.buffer + offset;
        if i < self.n { i } else { NONE }
    }

    /// Applies a valid move; invalid moves are ignored (callers check validity first).
    pub(crate) fn apply(&mut self, m: Move, label: u8) {
        match m {
            Move::Shift => {
                if self.buffer < self.n {
                    self.stack.push(self.buffer);
                    self.buffer += 1;
                }
            }
            Move::Left => {
                if self.buffer < self.n
                    && let Some(child) = self.stack.pop()
                {
                    self.attach(child, self.buffer, label);
                }
            }
            Move::Right => {
                if self.stack.len() >= 2
                    && let Some(child) = self.stack.pop()
                {
                    let head = self.stack_at(0);
                    self.attach(child, head, label);
                }
            }
        }
    }

    fn attach(&mut self, child: usize, head: usize, label: u8) {
        if child >= self.n || head >= self.n {
            return;
        }
        self.heads[child] = head;
        self.labels[child] = label;
        let bit = 1u64 << (label & 63);
        if child < head {
            self.left_count[head] = self.left_count[head].saturating_add(1);
            self.left_labels[head] |= bit;
            let first = self.left1[head];
            if first == NONE || child < first {
                self.left2[head] = first;
                self.left1[head] = child;
            } else if self.left2[head] == NONE || child < self.left2[head] {
                self.left2[head] = child;
            }
        } else {
            self.right_count[head] = self.right_count[head].saturating_add(1);
            self.right_labels[head] |= bit;
            let first = self.right1[head];
            if first == NONE || child > first {
                self.right2[head] = first;
                self.right1[head] = child;
            } else if self.right2[head] == NONE || child > self.right2[head] {
                self.right2[head] = child;
            }
        }
    }

    #[inline]
    fn get(v: &[usize], i: usize) -> usize {
        if i == NONE {
            NONE
        } else {
            v.get(i).copied().unwrap_or(NONE)
        }
    }

    #[inline]
    fn label_of(&self, i: usize) -> u64 {
        if i == NONE {
            NO_LABEL as u64 + 1
        } else {
            self.labels.get(i).copied().unwrap_or(NO_LABEL) as u64
        }
    }

    #[inline]
    fn count(v: &[u8], i: usize) -> u64 {
        if i == NONE {
            7
        } else {
            v.get(i).copied().unwrap_or(0).min(5) as u64
        }
    }

    #[inline]
    fn label_set(v: &[u64], i: usize) -> u64 {
        if i == NONE {
            u64::MAX
        } else {
            v.get(i).copied().unwrap_or(0)
        }
    }

    /// Writes the feature keys of the current configuration, in template order (1 to 58).
    ///
    /// Training uses this order. Decoding scores the same keys in two parts: the templates
    /// that look at one position only ([`s0_keys`], [`s1_keys`], [`s2_keys`],
    /// [`buffer_keys`]), summed once per word and sentence, and the rest
    /// ([`State::rest_features`]), looked up at every move.
    pub(crate) fn features(&self, words: &[WordFeatures], out: &mut [u64; FEATURE_COUNT]) {
        let s0 = s0_keys(&word_at(words, self.stack_at(0)));
        let s1 = s1_keys(&word_at(words, self.stack_at(1)));
        let s2 = s2_keys(&word_at(words, self.stack_at(2)));
        let b = buffer_keys(
            &word_at(words, self.buffer_at(0)),
            &word_at(words, self.buffer_at(1)),
            &word_at(words, self.buffer_at(2)),
        );
        let mut rest = [0u64; REST_COUNT];
        self.rest_features(words, self.focus(), &mut rest);
        // Template t is at index t - 1: 1-3 s0, 4-6 s1, 7-14 buffer, 15 s2, 16-22 rest,
        // 23 buffer, 24-28 rest, 29 buffer, 30-58 rest.
        let parts: [&[u64]; 9] = [
            &s0,
            &s1,
            &b[..8],
            &s2,
            &rest[..7],
            &b[8..9],
            &rest[7..12],
            &b[9..],
            &rest[12..],
        ];
        for (slot, key) in out.iter_mut().zip(parts.into_iter().flatten()) {
            *slot = *key;
        }
    }

    /// The positions the features of the current configuration look at.
    #[inline]
    pub(crate) fn focus(&self) -> Focus {
        Focus {
            s0: self.stack_at(0),
            s1: self.stack_at(1),
            s2: self.stack_at(2),
            b0: self.buffer_at(0),
        }
    }

    /// Writes the keys of the templates that look at more than one position or at the arcs
    /// made so far (templates 16-22, 24-28 and 30-58, in that order), for the positions
    /// `focus` (normally [`State::focus`]) and the arcs made so far.
    pub(crate) fn rest_features(
        &self,
        words: &[WordFeatures],
        focus: Focus,
        out: &mut [u64; REST_COUNT],
    ) {
        let at = |i: usize| word_at(words, i);
        let Focus {
            s0: s0i,
            s1: s1i,
            s2: s2i,
            b0: b0i,
        } = focus;
        let b1i = if b0i != NONE && b0i + 1 < self.n {
            b0i + 1
        } else {
            NONE
        };
        let (s0, s1, s2) = (at(s0i), at(s1i), at(s2i));
        let (b0, b1) = (at(b0i), at(b1i));
        let s0l_i = Self::get(&self.left1, s0i);
        let s0l2_i = Self::get(&self.left2, s0i);
        let s0r_i = Self::get(&self.right1, s0i);
        let s0r2_i = Self::get(&self.right2, s0i);
        let s1l_i = Self::get(&self.left1, s1i);
        let s1r_i = Self::get(&self.right1, s1i);
        let b0l_i = Self::get(&self.left1, b0i);
        let b0l2_i = Self::get(&self.left2, b0i);
        let (s0l, s0r, s1r, b0l) = (at(s0l_i), at(s0r_i), at(s1r_i), at(b0l_i));
        let (s0l_label, s0l2_label) = (self.label_of(s0l_i), self.label_of(s0l2_i));
        let (s0r_label, s0r2_label) = (self.label_of(s0r_i), self.label_of(s0r2_i));
        let (s1l_label, s1r_label) = (self.label_of(s1l_i), self.label_of(s1r_i));
        let (b0l_label, b0l2_label) = (self.label_of(b0l_i), self.label_of(b0l2_i));
        let distance = |a: usize, b: usize| -> u64 {
            if a == NONE || b == NONE {
                0
            } else {
                match b.saturating_sub(a) {
                    d @ 0..=4 => d as u64,
                    5..=6 => 5,
                    7..=10 => 6,
                    _ => 7,
                }
            }
        };
        let d_s0_b0 = distance(s0i, b0i);
        let d_s1_s0 = distance(s1i, s0i);
        let s0_vl = Self::count(&self.left_count, s0i);
        let s0_vr = Self::count(&self.right_count, s0i);
        let s1_vr = Self::count(&self.right_count, s1i);
        let b0_vl = Self::count(&self.left_count, b0i);
        let s0_left_set = Self::label_set(&self.left_labels, s0i);
        let s0_right_set = Self::label_set(&self.right_labels, s0i);
        let b0_left_set = Self::label_set(&self.left_labels, b0i);

        let f: [u64; REST_COUNT] = [
            // pairs of s0 and b0
            mix(16, s0.word_tag, b0.word_tag, 0),
            mix(17, s0.word_tag, b0.word, 0),
            mix(18, s0.word, b0.word_tag, 0),
            mix(19, s0.word_tag, b0.tag, 0),
            mix(20, s0.tag, b0.word_tag, 0),
            mix(21, s0.word, b0.word, 0),
            mix(22, s0.tag, b0.tag, 0),
            // pairs of s1 and s0 (RIGHT attaches s0 to s1)
            mix(24, s1.word_tag, s0.word_tag, 0),
            mix(25, s1.word, s0.word, 0),
            mix(26, s1.tag, s0.tag, 0),
            mix(27, s1.tag, s0.word_tag, 0),
            mix(28, s1.word_tag, s0.tag, 0),
            // tag triples
            mix(30, s0.tag, b0.tag, b1.tag),
            mix(31, s1.tag, s0.tag, b0.tag),
            mix(32, s2.tag, s1.tag, s0.tag),
            mix(33, s0.tag, s0l.tag, b0.tag),
            mix(34, s0.tag, s0r.tag, b0.tag),
            mix(35, s0.tag, b0.tag, b0l.tag),
            mix(36, s1.tag, s0.tag, s0l.tag),
            mix(37, s1.tag, s1r.tag, s0.tag),
            // distance
            mix(38, s0.word, d_s0_b0, 0),
            mix(39, s0.tag, d_s0_b0, 0),
            mix(40, b0.word, d_s0_b0, 0),
            mix(41, b0.tag, d_s0_b0, 0),
            mix(42, s0.tag, b0.tag, d_s0_b0),
            mix(43, s1.tag, s0.tag, d_s1_s0),
            mix(44, s1.word, s0.word, d_s1_s0),
            // valency
            mix(45, s0.word_tag, s0_vr, s0_vl),
            mix(46, s0.tag, s0_vr, s0_vl),
            mix(47, b0.word_tag, b0_vl, 0),
            mix(48, b0.tag, b0_vl, 0),
            mix(49, s1.tag, s1_vr, s0.tag),
            // children: words, tags and labels
            mix(50, s0l.word, s0l.tag, s0l_label),
            mix(51, s0r.word, s0r.tag, s0r_label),
            mix(52, b0l.word, b0l.tag, b0l_label),
            mix(53, s0.tag, s0l_label, s0l2_label),
            mix(54, s0.tag, s0r_label, s0r2_label),
            mix(55, b0.tag, b0l_label, b0l2_label),
            mix(56, s1.tag, s1l_label, s1r_label),
            // label sets
            mix(57, s0.tag, s0_left_set, s0_right_set),
            mix(58, b0.tag, b0_left_set, s0.tag),
        ];
        *out = f;
    }
}

/// Per-word features of a sentence.
pub(crate) fn word_features<W: AsRef<str>, T: AsRef<str>>(
    words: &[W],
    tags: &[T],
    out: &mut Vec<WordFeatures>,
) {
    out.clear();
    let (mut folded, mut lower) = (String::new(), String::new());
    out.extend(words.iter().enumerate().map(|(i, w)| {
        let tag = tags.get(i).map_or("XX", |t| t.as_ref());
        WordFeatures::with_buffers(w.as_ref(), tag, &mut folded, &mut lower)
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_takes_2n_minus_1_moves() {
        let mut s = State::default();
        s.reset(3);
        let mut moves = 0;
        while !s.is_final() {
            let m = if s.can_shift() {
                Move::Shift
            } else {
                Move::Right
            };
            s.apply(m, 0);
            moves += 1;
        }
        assert_eq!(moves, 5);
        assert_eq!(s.heads, vec![NONE, 0, 1]);
    }

    #[test]
    fn mix_is_stable() {
        // The mixing is part of the model format.
        assert_eq!(mix(1, 2, 3, 4), PINNED_MIX);
        assert_ne!(mix(1, 2, 3, 0), mix(1, 3, 2, 0));
        assert_ne!(key32(0), 0);
    }

    const PINNED_MIX: u64 = 12_130_306_584_323_170_396;

    #[test]
    fn features_on_empty_and_full_configurations() {
        let words: Vec<WordFeatures> = ["He", "was", "assassinated"]
            .iter()
            .zip(["PRP", "VBD", "VBN"])
            .map(|(w, t)| WordFeatures::new(w, t))
            .collect();
        let mut s = State::default();
        s.reset(3);
        let mut out = [0u64; FEATURE_COUNT];
        s.features(&words, &mut out);
        s.apply(Move::Shift, 0);
        s.apply(Move::Shift, 0);
        s.apply(Move::Left, 3);
        let before = out;
        s.features(&words, &mut out);
        assert_ne!(before, out);
        let distinct: std::collections::HashSet<u64> = out.iter().copied().collect();
        assert_eq!(distinct.len(), FEATURE_COUNT);
    }
}

//! Token normalization and hashed feature extraction for the tagger.
//!
//! Features are hashed to `u64` with a fixed function (the hash is part of the model format:
//! changing it requires retraining and bumping [`crate::tagger::MODEL_VERSION`]).

/// Folds typographic quotes and dashes to ASCII, keeping case: the case-sensitive form the
/// tagger looks up in its tag dictionary.
pub(crate) fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// Appends [`fold`]`(word)` to `out`.
#[inline]
pub(crate) fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() && !word.as_bytes().contains(&b'`') {
        // Among ASCII characters only the backquote folds.
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => out.push('"'),
            '\u{2013}' | '\u{2014}' | '\u{2015}' => out.push_str("--"),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            _ => out.push(c),
        }
    }
}

/// The lowercase form used for word features: digits collapse to placeholders so `1,500` and
/// `37` share weights (Honnibal's normalization).
#[cfg(test)]
pub(crate) fn feature_form(folded: &str) -> String {
    let mut out = String::new();
    feature_form_into(folded, &mut out);
    out
}

/// Appends [`feature_form`]`(folded)` to `out`.
#[inline]
pub(crate) fn feature_form_into(folded: &str, out: &mut String) {
    let first_is_digit = folded.chars().next().is_some_and(|c| c.is_ascii_digit());
    if folded.len() == 4 && folded.bytes().all(|b| b.is_ascii_digit()) {
        out.push_str("!YEAR");
    } else if first_is_digit && !folded.contains('-') {
        out.push_str("!DIGITS");
    } else if folded.is_ascii() {
        out.extend(folded.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        // `str::to_lowercase` knows context (a final sigma), unlike lowercasing per char.
        out.push_str(&folded.to_lowercase());
    }
}

/// A compressed word shape: `Xxxx` → `Xx`, `U.S.` → `X.X.`, `1,500` → `d,d`, runs capped at 2.
#[cfg(test)]
pub(crate) fn shape(word: &str) -> String {
    let mut out = String::with_capacity(8);
    shape_into(word, &mut out);
    out
}

/// Appends [`shape`]`(word)` to `out`.
#[inline]
fn shape_into(word: &str, out: &mut String) {
    let begin = out.len();
    let mut last = '\0';
    let mut run = 0;
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if s == last {
            run += 1;
        } else {
            run = 1;
            last = s;
        }
        if run <= 2 {
            out.push(s);
        }
        if out.len() - begin > 12 {
            break;
        }
    }
}

/// The last `n` characters of `s` (all of it when shorter).
pub(crate) fn suffix(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => &s[i..],
        _ => s,
    }
}

/// The first `n` characters of `s` (all of it when shorter).
pub(crate) fn prefix(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The tagger's and parser's feature hasher (the seed is part of both model formats).
const HASHER: dyad_perceptron::FeatureHasher =
    dyad_perceptron::FeatureHasher::new(0x51_7c_c1_b7_27_22_0a_95);

/// Hashes a feature template id with some parts (FxHash-style mixing, then a final avalanche
/// so the low bits are usable as hash-table buckets).
#[inline]
pub(crate) fn hash_parts(template: u8, parts: &[&[u8]]) -> u64 {
    HASHER.hash(template, parts)
}

/// Per-token forms computed once per sentence.
pub(crate) struct Forms {
    /// Case-preserving folded form (tag-dictionary key, case feature).
    pub folded: String,
    /// Lowercase feature form.
    pub lower: String,
    /// Word shape.
    pub shape: String,
}

impl Forms {
    pub(crate) fn new(word: &str) -> Forms {
        let mut forms = Forms {
            folded: String::new(),
            lower: String::new(),
            shape: String::new(),
        };
        forms.set(word);
        forms
    }

    /// Overwrites the forms with those of `word`, keeping the strings' buffers.
    pub(crate) fn set(&mut self, word: &str) {
        self.folded.clear();
        self.lower.clear();
        self.shape.clear();
        fold_into(word, &mut self.folded);
        feature_form_into(&self.folded, &mut self.lower);
        shape_into(&self.folded, &mut self.shape);
    }
}

const START: &[u8] = b"-START-";
const END: &[u8] = b"-END-";
const START2: &[u8] = b"-START2-";
const END2: &[u8] = b"-END2-";

/// Number of features of a token that do not depend on the tags predicted before it.
pub(crate) const STATIC_FEATURES: usize = 19;
/// Where the tag-dependent features go among the static ones in [`extract`]'s order.
const DYNAMIC_AT: usize = 8;

/// Writes the feature hashes for token `i` into `out` (cleared first), in template order.
/// `prev` and `prev2` are the class ids predicted for the two previous tokens (`None` before
/// the sentence start). Training uses this order; decoding sums the same features split in
/// two ([`extract_static`], [`extract_dynamic`]).
pub(crate) fn extract(
    forms: &[Forms],
    i: usize,
    prev: Option<u8>,
    prev2: Option<u8>,
    out: &mut Vec<u64>,
) {
    out.clear();
    let mut fixed = [0u64; STATIC_FEATURES];
    if !extract_static(forms, i, &mut fixed) {
        return;
    }
    let (before, after) = fixed.split_at(DYNAMIC_AT);
    out.extend_from_slice(before);
    let mut dynamic = [0u64; 3];
    extract_dynamic(forms, i, prev, prev2, &mut dynamic);
    out.extend_from_slice(&dynamic);
    out.extend_from_slice(after);
}

/// The features of token `i` that depend on the previous tags (templates 8 to 10).
#[inline]
pub(crate) fn extract_dynamic(
    forms: &[Forms],
    i: usize,
    prev: Option<u8>,
    prev2: Option<u8>,
    out: &mut [u64; 3],
) {
    let word = forms.get(i).map_or(&b""[..], |f| f.lower.as_bytes());
    let p1 = [prev.unwrap_or(255)];
    let p2 = [prev2.unwrap_or(255)];
    *out = [
        hash_parts(8, &[&p1]),
        hash_parts(9, &[&p1, &p2]),
        hash_parts(10, &[&p1, word]),
    ];
}

/// The features of token `i` that do not depend on the previous tags (templates 0 to 7 and
/// 11 to 21, in that order). Returns false, writing nothing, when `i` is out of range.
pub(crate) fn extract_static(forms: &[Forms], i: usize, out: &mut [u64; STATIC_FEATURES]) -> bool {
    let Some(this) = forms.get(i) else {
        return false;
    };
    let word = this.lower.as_bytes();
    let w_prev = if i >= 1 {
        forms.get(i - 1).map_or(START, |f| f.lower.as_bytes())
    } else {
        START
    };
    let w_prev2 = if i >= 2 {
        forms.get(i - 2).map_or(START2, |f| f.lower.as_bytes())
    } else {
        START2
    };
    let next = forms.get(i + 1);
    let w_next = next.map_or(END, |f| f.lower.as_bytes());
    let w_next2 = forms.get(i + 2).map_or(END2, |f| f.lower.as_bytes());
    let initial = [u8::from(i == 0)];
    let capitalized = [u8::from(
        this.folded.chars().next().is_some_and(char::is_uppercase),
    )];
    let prev_suffix = if i >= 1 {
        forms
            .get(i - 1)
            .map_or(START, |f| suffix(&f.lower, 3).as_bytes())
    } else {
        START
    };
    *out = [
        hash_parts(0, &[]),
        hash_parts(1, &[word]),
        hash_parts(2, &[suffix(&this.lower, 3).as_bytes()]),
        hash_parts(3, &[suffix(&this.lower, 2).as_bytes()]),
        hash_parts(4, &[suffix(&this.lower, 1).as_bytes()]),
        hash_parts(5, &[prefix(&this.lower, 1).as_bytes()]),
        hash_parts(6, &[this.shape.as_bytes()]),
        hash_parts(7, &[&capitalized, &initial]),
        hash_parts(11, &[w_prev]),
        hash_parts(12, &[prev_suffix]),
        hash_parts(13, &[w_prev2]),
        hash_parts(14, &[w_next]),
        hash_parts(15, &[next.map_or(END, |f| suffix(&f.lower, 3).as_bytes())]),
        hash_parts(16, &[w_next2]),
        hash_parts(17, &[this.folded.as_bytes()]),
        hash_parts(18, &[&initial]),
        hash_parts(19, &[next.map_or(END, |f| f.shape.as_bytes())]),
        hash_parts(20, &[suffix(&this.lower, 4).as_bytes()]),
        hash_parts(21, &[word, w_next]),
    ];
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_quotes_and_dashes() {
        assert_eq!(fold("Massoud\u{2019}s"), "Massoud's");
        assert_eq!(fold("\u{201C}no\u{201D}"), "\"no\"");
        assert_eq!(fold("\u{2014}"), "--");
    }

    #[test]
    fn feature_forms() {
        assert_eq!(feature_form("2021"), "!YEAR");
        assert_eq!(feature_form("1,500"), "!DIGITS");
        assert_eq!(feature_form("32-year-old"), "32-year-old");
        assert_eq!(feature_form("Taliban"), "taliban");
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("Taliban"), "Xxx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("1,500"), "d,dd");
    }

    #[test]
    fn affixes_respect_char_boundaries() {
        assert_eq!(suffix("Kabul", 3), "bul");
        assert_eq!(suffix("ab", 3), "ab");
        assert_eq!(suffix("café", 2), "fé");
        assert_eq!(prefix("école", 1), "é");
        assert_eq!(prefix("", 1), "");
    }

    const PINNED_TALIBAN_HASH: u64 = 241_583_936_786_944_610;

    #[test]
    fn hash_is_stable() {
        // The hash is part of the model format: this value must never change silently.
        assert_eq!(hash_parts(1, &[b"taliban"]), PINNED_TALIBAN_HASH);
        assert_ne!(hash_parts(1, &[b"ab", b"c"]), hash_parts(1, &[b"a", b"bc"]));
        assert_ne!(hash_parts(1, &[b"x"]), hash_parts(2, &[b"x"]));
    }
}

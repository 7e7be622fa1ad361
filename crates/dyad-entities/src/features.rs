//! Per-token information and hashed feature extraction for the entity tagger.
//!
//! The same code runs at training time (over spaCy-labelled sentences) and at run time (over
//! dyad's tokens and tags), so the features match. Features are hashed to `u64` with a fixed
//! function: the hash is part of the model format ([`crate::MODEL_VERSION`]).

use crate::gazetteer::{Gazetteer, NameMatch, TitleKind};
use dyad_document::{EntityLabel, PosTag};
use dyad_kb::{ActorMatch, EntryId, KnowledgeBase, MatchKind, normalize_token};

/// Folds typographic quotes and dashes to ASCII, keeping case.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// Appends [`fold`]`(word)` to `out`.
#[inline]
pub(crate) fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        // Only the backquote changes among ASCII characters.
        if word.as_bytes().contains(&b'`') {
            out.extend(word.chars().map(|c| if c == '`' { '\'' } else { c }));
        } else {
            out.push_str(word);
        }
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

/// Lowercase feature form; numbers collapse to placeholders.
#[cfg(test)]
fn feature_form(folded: &str) -> String {
    let mut out = String::new();
    feature_form_into(folded, &mut out);
    out
}

/// Appends the lowercase feature form of `folded` to `out`; numbers collapse to
/// placeholders.
#[inline]
fn feature_form_into(folded: &str, out: &mut String) {
    let first_is_digit = folded.as_bytes().first().is_some_and(u8::is_ascii_digit);
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

/// A compressed word shape: `Xxxx` → `Xxx`, `U.S.` → `X.X.`, runs capped at 3.
#[cfg(test)]
fn shape(word: &str) -> String {
    let mut out = String::new();
    shape_into(word, &mut out);
    out
}

/// Appends the shape of `word` (see `shape`) to `out`.
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
        if run <= 3 {
            out.push(s);
        }
        if out.len() - begin > 12 {
            break;
        }
    }
}

fn suffix(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => s.get(i..).unwrap_or(s),
        _ => s,
    }
}

fn prefix(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => s.get(..i).unwrap_or(s),
        None => s,
    }
}

/// The entity tagger's feature hasher (the seed is part of the model format).
const HASHER: dyad_perceptron::FeatureHasher =
    dyad_perceptron::FeatureHasher::new(0x9e37_79b9_7f4a_7c15);

/// Hashes a template id with some parts (FxHash-style mixing, murmur3's fmix64 to finish).
#[inline]
pub(crate) fn hash_parts(template: u8, parts: &[&[u8]]) -> u64 {
    HASHER.hash(template, parts)
}

/// Gazetteer bits of a token: list label × BILOU position, plus title/role words.
fn list_bits(label: EntityLabel, start: usize, end: usize, i: usize) -> u32 {
    let label_index = match label {
        EntityLabel::Gpe => 0,
        EntityLabel::Norp => 1,
        EntityLabel::Loc => 2,
        EntityLabel::Fac => 3,
        EntityLabel::Media => 4,
        EntityLabel::Org => 5,
        EntityLabel::Person => 6,
    };
    1 << (label_index * 4 + position(start, end, i))
}

const TITLE_BIT: u32 = 1 << 28;
const ROLE_BIT: u32 = 1 << 29;

/// 0 = B, 1 = I, 2 = L, 3 = U.
fn position(start: usize, end: usize, i: usize) -> u32 {
    if end == start + 1 {
        3
    } else if i == start {
        0
    } else if i + 1 == end {
        2
    } else {
        1
    }
}

/// What the knowledge base says about a name: a country, a person, another actor, an agent.
fn kb_class(kb: &KnowledgeBase, m: &ActorMatch) -> u8 {
    match (m.kind, m.entry) {
        (MatchKind::Agent, _) => 4,
        (MatchKind::Actor, _) if m.code.len() == 3 => 1,
        (MatchKind::Actor, EntryId::Actor(i)) => {
            let dated = kb.actors().get(i as usize).is_some_and(|entry| {
                entry
                    .codes
                    .iter()
                    .any(|c| c.range.from.is_some() || c.range.until.is_some())
            });
            if dated { 2 } else { 3 }
        }
        (MatchKind::Actor, EntryId::Agent(_)) => 4,
    }
}

/// Everything the tagger looks at for one token. The strings are byte ranges of the
/// buffers of its [`PreparedSentence`] (two buffers per sentence, not three strings per token).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenInfo {
    /// In [`PreparedSentence::folded_text`].
    folded: [u32; 2],
    /// In [`PreparedSentence::text`].
    lower: [u32; 2],
    /// In [`PreparedSentence::text`].
    shape: [u32; 2],
    /// Index into [`PosTag::ALL`], 255 when untagged.
    pub tag: u8,
    pub list: u32,
    /// KB class × 4 + position + 1; 0 when no name covers the token.
    pub kb: u8,
}

/// One sentence prepared for tagging: token information plus the list and KB matches.
/// Reusable: [`prepare_into`] overwrites it, keeping its buffers.
#[derive(Debug, Clone, Default)]
pub(crate) struct PreparedSentence {
    /// The folded words, back to back.
    folded_text: String,
    /// The feature forms and shapes of the tokens, back to back.
    text: String,
    pub tokens: Vec<TokenInfo>,
    pub names: Vec<NameMatch>,
    /// KB matches with codes valid at the date given to [`prepare`].
    pub actors: Vec<ActorMatch>,
    /// The KB class of each match in `actors` (1 country, 2 person, 3 other actor, 4 agent).
    pub actor_classes: Vec<u8>,
    /// Scratch: the KB-normalized tokens, back to back, and where each ends.
    normalized: String,
    normalized_ends: Vec<usize>,
}

#[inline]
fn str_at(text: &str, range: [u32; 2]) -> &str {
    text.get(range[0] as usize..range[1] as usize).unwrap_or("")
}

impl PreparedSentence {
    /// The folded word (typographic quotes and dashes made ASCII).
    #[inline]
    pub(crate) fn folded(&self, t: &TokenInfo) -> &str {
        str_at(&self.folded_text, t.folded)
    }

    /// The lowercase feature form (numbers collapsed).
    #[inline]
    pub(crate) fn lower(&self, t: &TokenInfo) -> &str {
        str_at(&self.text, t.lower)
    }

    /// The word shape.
    #[inline]
    pub(crate) fn shape(&self, t: &TokenInfo) -> &str {
        str_at(&self.text, t.shape)
    }
}

/// Computes the per-token information of a sentence.
pub(crate) fn prepare(
    words: &[&str],
    tags: &[Option<PosTag>],
    gazetteer: &Gazetteer,
    kb: Option<&KnowledgeBase>,
    date: Option<dyad_document::Date>,
) -> PreparedSentence {
    let mut prepared = PreparedSentence::default();
    prepare_into(&mut prepared, words, tags, gazetteer, kb, date);
    prepared
}

/// [`prepare`] into an existing [`PreparedSentence`], reusing its buffers.
pub(crate) fn prepare_into(
    prepared: &mut PreparedSentence,
    words: &[&str],
    tags: &[Option<PosTag>],
    gazetteer: &Gazetteer,
    kb: Option<&KnowledgeBase>,
    date: Option<dyad_document::Date>,
) {
    let PreparedSentence {
        folded_text,
        text,
        tokens,
        names,
        actors,
        actor_classes,
        normalized,
        normalized_ends,
    } = prepared;
    folded_text.clear();
    text.clear();
    tokens.clear();
    actor_classes.clear();
    for (i, w) in words.iter().enumerate() {
        let f0 = folded_text.len();
        fold_into(w, folded_text);
        let folded = folded_text.get(f0..).unwrap_or("");
        let l0 = text.len();
        feature_form_into(folded, text);
        let s0 = text.len();
        shape_into(folded, text);
        let s1 = text.len();
        let tag = tags
            .get(i)
            .copied()
            .flatten()
            .and_then(|t| PosTag::ALL.iter().position(|&x| x == t))
            .map_or(255, |p| p as u8);
        let list = match gazetteer.title_kind(folded) {
            Some(TitleKind::Title) => TITLE_BIT,
            Some(TitleKind::Role) => ROLE_BIT,
            None => 0,
        };
        tokens.push(TokenInfo {
            folded: [f0 as u32, folded_text.len() as u32],
            lower: [l0 as u32, s0 as u32],
            shape: [s0 as u32, s1 as u32],
            tag,
            list,
            kb: 0,
        });
    }
    {
        let folded: Vec<&str> = tokens
            .iter()
            .map(|t| str_at(folded_text, t.folded))
            .collect();
        gazetteer.find_folded_into(&folded, names);
    }
    for m in names.iter() {
        for i in m.start..m.end {
            if let Some(t) = tokens.get_mut(i) {
                t.list |= list_bits(m.label, m.start, m.end, i);
            }
        }
    }
    match kb {
        Some(kb) => {
            normalized.clear();
            normalized_ends.clear();
            for w in words {
                if w.is_ascii() {
                    // `normalize_token` of ASCII text: lowercase, backquote to apostrophe.
                    // Unlike `normalize_token`, `US` stays `us` here: the tagger's model was
                    // trained on these plain lowercase KB features (the event coder reads
                    // `US` as the country, `dyad_kb::cased_name`).
                    normalized.extend(w.bytes().map(|b| match b {
                        b'`' => '\'',
                        b => b.to_ascii_lowercase() as char,
                    }));
                } else {
                    normalized.push_str(&normalize_token(w));
                }
                normalized_ends.push(normalized.len());
            }
            let mut start = 0;
            let refs: Vec<&str> = normalized_ends
                .iter()
                .map(|&end| {
                    let s = normalized.get(start..end).unwrap_or("");
                    start = end;
                    s
                })
                .collect();
            *actors = kb.match_actors(&refs, date);
            for m in actors.iter() {
                let class = kb_class(kb, m);
                actor_classes.push(class);
                for i in m.start_token..m.end_token {
                    if let Some(t) = tokens.get_mut(i) {
                        t.kb = class * 4 + position(m.start_token, m.end_token, i) as u8 + 1;
                    }
                }
            }
        }
        None => actors.clear(),
    }
}

const START: &[u8] = b"-START-";
const END: &[u8] = b"-END-";

/// Number of features of a token that depend on the classes predicted before it.
pub(crate) const DYNAMIC_FEATURES: usize = 5;
/// Where the class-dependent features go among the static ones in [`extract`]'s order.
const DYNAMIC_AT: usize = 20;

/// Writes the feature hashes for token `i` into `out` (cleared first), in template order.
/// `prev` and `prev2` are the classes predicted for the two previous tokens. Training uses
/// this order; decoding sums the same features split in two ([`extract_static`],
/// [`extract_dynamic`]).
pub(crate) fn extract(
    sentence: &PreparedSentence,
    i: usize,
    prev: Option<u8>,
    prev2: Option<u8>,
    out: &mut Vec<u64>,
) {
    out.clear();
    if i >= sentence.tokens.len() {
        return;
    }
    extract_static(sentence, i, out);
    let mut dynamic = [0u64; DYNAMIC_FEATURES];
    extract_dynamic(sentence, i, prev, prev2, &mut dynamic);
    let at = DYNAMIC_AT.min(out.len());
    out.splice(at..at, dynamic);
}

/// The features of token `i` that depend on the previous classes (templates 20 to 24).
#[inline]
pub(crate) fn extract_dynamic(
    sentence: &PreparedSentence,
    i: usize,
    prev: Option<u8>,
    prev2: Option<u8>,
    out: &mut [u64; DYNAMIC_FEATURES],
) {
    let Some([a, b, c]) = token_dynamic(sentence, i, prev) else {
        return;
    };
    let [x, y] = context_dynamic(prev, prev2);
    *out = [x, y, a, b, c];
}

/// Templates 20 and 21: the previous classes alone (the tagger sums them once per pair).
#[inline]
pub(crate) fn context_dynamic(prev: Option<u8>, prev2: Option<u8>) -> [u64; 2] {
    let p1 = [prev.unwrap_or(255)];
    let p2 = [prev2.unwrap_or(255)];
    [hash_parts(20, &[&p1]), hash_parts(21, &[&p1, &p2])]
}

/// Templates 22 to 24: the previous class with token `i`'s form, shape and tag; `None`
/// when `i` is out of range.
#[inline]
pub(crate) fn token_dynamic(
    sentence: &PreparedSentence,
    i: usize,
    prev: Option<u8>,
) -> Option<[u64; 3]> {
    let this = sentence.tokens.get(i)?;
    let p1 = [prev.unwrap_or(255)];
    Some([
        hash_parts(22, &[&p1, sentence.lower(this).as_bytes()]),
        hash_parts(23, &[&p1, sentence.shape(this).as_bytes()]),
        hash_parts(24, &[&p1, &[this.tag]]),
    ])
}

/// Appends the features of token `i` that do not depend on the previous classes (templates
/// 0 to 19, then 25 on, in that order) to `out`; nothing when `i` is out of range.
pub(crate) fn extract_static(sentence: &PreparedSentence, i: usize, out: &mut Vec<u64>) {
    let tokens = &sentence.tokens;
    let Some(this) = tokens.get(i) else {
        return;
    };
    let at = |k: isize| -> Option<&TokenInfo> {
        let j = i as isize + k;
        if j < 0 { None } else { tokens.get(j as usize) }
    };
    let lower = |k: isize| {
        at(k).map_or(if k < 0 { START } else { END }, |t| {
            sentence.lower(t).as_bytes()
        })
    };
    let shape_at = |k: isize| {
        at(k).map_or(if k < 0 { START } else { END }, |t| {
            sentence.shape(t).as_bytes()
        })
    };
    let tag_at = |k: isize| [at(k).map_or(254, |t| t.tag)];
    let this_lower = sentence.lower(this);
    let this_shape = sentence.shape(this).as_bytes();
    let word = this_lower.as_bytes();
    let initial = [u8::from(i == 0)];
    let t0 = tag_at(0);
    let (tm1, tp1) = (tag_at(-1), tag_at(1));

    out.extend_from_slice(&[
        hash_parts(0, &[]),
        hash_parts(1, &[word]),
        hash_parts(2, &[sentence.folded(this).as_bytes()]),
        hash_parts(3, &[this_shape]),
        hash_parts(4, &[prefix(this_lower, 3).as_bytes()]),
        hash_parts(5, &[suffix(this_lower, 2).as_bytes()]),
        hash_parts(6, &[suffix(this_lower, 3).as_bytes()]),
        hash_parts(7, &[suffix(this_lower, 4).as_bytes()]),
        hash_parts(8, &[&t0]),
        hash_parts(9, &[&tm1]),
        hash_parts(10, &[&tp1]),
        hash_parts(11, &[&tm1, &t0]),
        hash_parts(12, &[&t0, &tp1]),
        hash_parts(13, &[&tag_at(-2)]),
        hash_parts(14, &[lower(-1)]),
        hash_parts(15, &[lower(1)]),
        hash_parts(16, &[lower(-2)]),
        hash_parts(17, &[lower(2)]),
        hash_parts(18, &[shape_at(-1)]),
        hash_parts(19, &[shape_at(1)]),
        hash_parts(25, &[&initial, this_shape]),
        hash_parts(26, &[lower(-1), word]),
        hash_parts(27, &[word, lower(1)]),
        hash_parts(28, &[this_shape, shape_at(1)]),
        hash_parts(29, &[shape_at(-1), this_shape]),
    ]);
    for (template, k) in [(30u8, 0isize), (31, -1), (32, 1)] {
        let bits = at(k).map_or(0, |t| t.list);
        let mut rest = bits;
        while rest != 0 {
            let bit = rest.trailing_zeros() as u8;
            rest &= rest - 1;
            out.push(hash_parts(template, &[&[bit]]));
        }
        let kb = at(k).map_or(0, |t| t.kb);
        if kb != 0 {
            out.push(hash_parts(template + 10, &[&[kb]]));
        }
    }
    // title two to the left (`Gen. Mark Milley`)
    if at(-2).is_some_and(|t| t.list & (TITLE_BIT | ROLE_BIT) != 0) {
        out.push(hash_parts(33, &[&t0]));
    }
    out.push(hash_parts(34, &[&[this.kb], &t0]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_affixes() {
        assert_eq!(shape("Taliban"), "Xxxx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(suffix("café", 2), "fé");
        assert_eq!(prefix("école", 1), "é");
        assert_eq!(feature_form("2021"), "!YEAR");
    }

    #[test]
    fn hash_is_stable() {
        // Part of the model format: must never change silently.
        assert_eq!(hash_parts(1, &[b"taliban"]), hash_parts(1, &[b"taliban"]));
        assert_ne!(hash_parts(1, &[b"ab", b"c"]), hash_parts(1, &[b"a", b"bc"]));
        assert_eq!(hash_parts(1, &[b"taliban"]), PINNED);
    }

    const PINNED: u64 = 8_439_884_720_865_160_530;
}

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
    out
}

/// Lowercase feature form; numbers collapse to placeholders.
fn feature_form(folded: &str) -> String {
    let first_is_digit = folded.chars().next().is_some_and(|c| c.is_ascii_digit());
    if folded.len() == 4 && folded.bytes().all(|b| b.is_ascii_digit()) {
        "!YEAR".to_string()
    } else if first_is_digit && !folded.contains('-') {
        "!DIGITS".to_string()
    } else {
        folded.to_lowercase()
    }
}

/// A compressed word shape: `Xxxx` → `Xxx`, `U.S.` → `X.X.`, runs capped at 3.
fn shape(word: &str) -> String {
    let mut out = String::with_capacity(8);
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
        if out.len() > 12 {
            break;
        }
    }
    out
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

/// Everything the tagger looks at for one token.
#[derive(Debug, Clone)]
pub(crate) struct TokenInfo {
    pub folded: String,
    pub lower: String,
    pub shape: String,
    /// Index into [`PosTag::ALL`], 255 when untagged.
    pub tag: u8,
    pub list: u32,
    /// KB class × 4 + position + 1; 0 when no name covers the token.
    pub kb: u8,
}

/// One sentence prepared for tagging: token information plus the list and KB matches.
#[derive(Debug, Clone, Default)]
pub(crate) struct PreparedSentence {
    pub tokens: Vec<TokenInfo>,
    pub names: Vec<NameMatch>,
    /// KB matches with codes valid at the date given to [`prepare`].
    pub actors: Vec<ActorMatch>,
    /// The KB class of each match in `actors` (1 country, 2 person, 3 other actor, 4 agent).
    pub actor_classes: Vec<u8>,
}

/// Computes the per-token information of a sentence.
pub(crate) fn prepare(
    words: &[&str],
    tags: &[Option<PosTag>],
    gazetteer: &Gazetteer,
    kb: Option<&KnowledgeBase>,
    date: Option<dyad_document::Date>,
) -> PreparedSentence {
    let names = gazetteer.find(words);
    let mut tokens: Vec<TokenInfo> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let folded = fold(w);
            let lower = feature_form(&folded);
            let shape = shape(&folded);
            let tag = tags
                .get(i)
                .copied()
                .flatten()
                .and_then(|t| PosTag::ALL.iter().position(|&x| x == t))
                .map_or(255, |p| p as u8);
            let list = match gazetteer.title_kind(&folded) {
                Some(TitleKind::Title) => TITLE_BIT,
                Some(TitleKind::Role) => ROLE_BIT,
                None => 0,
            };
            TokenInfo {
                folded,
                lower,
                shape,
                tag,
                list,
                kb: 0,
            }
        })
        .collect();
    for m in &names {
        for i in m.start..m.end {
            if let Some(t) = tokens.get_mut(i) {
                t.list |= list_bits(m.label, m.start, m.end, i);
            }
        }
    }
    let mut actors = Vec::new();
    let mut actor_classes = Vec::new();
    if let Some(kb) = kb {
        let normalized: Vec<String> = words.iter().map(|w| normalize_token(w)).collect();
        let refs: Vec<&str> = normalized.iter().map(String::as_str).collect();
        actors = kb.match_actors(&refs, date);
        for m in &actors {
            let class = kb_class(kb, m);
            actor_classes.push(class);
            for i in m.start_token..m.end_token {
                if let Some(t) = tokens.get_mut(i) {
                    t.kb = class * 4 + position(m.start_token, m.end_token, i) as u8 + 1;
                }
            }
        }
    }
    PreparedSentence {
        tokens,
        names,
        actors,
        actor_classes,
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
    tokens: &[TokenInfo],
    i: usize,
    prev: Option<u8>,
    prev2: Option<u8>,
    out: &mut Vec<u64>,
) {
    out.clear();
    if i >= tokens.len() {
        return;
    }
    extract_static(tokens, i, out);
    let mut dynamic = [0u64; DYNAMIC_FEATURES];
    extract_dynamic(tokens, i, prev, prev2, &mut dynamic);
    let at = DYNAMIC_AT.min(out.len());
    out.splice(at..at, dynamic);
}

/// The features of token `i` that depend on the previous classes (templates 20 to 24).
#[inline]
pub(crate) fn extract_dynamic(
    tokens: &[TokenInfo],
    i: usize,
    prev: Option<u8>,
    prev2: Option<u8>,
    out: &mut [u64; DYNAMIC_FEATURES],
) {
    let Some(this) = tokens.get(i) else {
        return;
    };
    let p1 = [prev.unwrap_or(255)];
    let p2 = [prev2.unwrap_or(255)];
    *out = [
        hash_parts(20, &[&p1]),
        hash_parts(21, &[&p1, &p2]),
        hash_parts(22, &[&p1, this.lower.as_bytes()]),
        hash_parts(23, &[&p1, this.shape.as_bytes()]),
        hash_parts(24, &[&p1, &[this.tag]]),
    ];
}

/// Appends the features of token `i` that do not depend on the previous classes (templates
/// 0 to 19, then 25 on, in that order) to `out`; nothing when `i` is out of range.
pub(crate) fn extract_static(tokens: &[TokenInfo], i: usize, out: &mut Vec<u64>) {
    let Some(this) = tokens.get(i) else {
        return;
    };
    let at = |k: isize| -> Option<&TokenInfo> {
        let j = i as isize + k;
        if j < 0 { None } else { tokens.get(j as usize) }
    };
    let lower = |k: isize| at(k).map_or(if k < 0 { START } else { END }, |t| t.lower.as_bytes());
    let shape_at = |k: isize| at(k).map_or(if k < 0 { START } else { END }, |t| t.shape.as_bytes());
    let tag_at = |k: isize| [at(k).map_or(254, |t| t.tag)];
    let word = this.lower.as_bytes();
    let initial = [u8::from(i == 0)];
    let t0 = tag_at(0);
    let (tm1, tp1) = (tag_at(-1), tag_at(1));

    out.extend_from_slice(&[
        hash_parts(0, &[]),
        hash_parts(1, &[word]),
        hash_parts(2, &[this.folded.as_bytes()]),
        hash_parts(3, &[this.shape.as_bytes()]),
        hash_parts(4, &[prefix(&this.lower, 3).as_bytes()]),
        hash_parts(5, &[suffix(&this.lower, 2).as_bytes()]),
        hash_parts(6, &[suffix(&this.lower, 3).as_bytes()]),
        hash_parts(7, &[suffix(&this.lower, 4).as_bytes()]),
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
        hash_parts(25, &[&initial, this.shape.as_bytes()]),
        hash_parts(26, &[lower(-1), word]),
        hash_parts(27, &[word, lower(1)]),
        hash_parts(28, &[this.shape.as_bytes(), shape_at(1)]),
        hash_parts(29, &[shape_at(-1), this.shape.as_bytes()]),
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

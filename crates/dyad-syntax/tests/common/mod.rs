//! A tiny Penn-Treebank-like tokenizer and sentence splitter, only for tests (dyad-text is the
//! real one).
#![allow(dead_code)]

use dyad_document::{Document, Metadata, Sentence, TextRange, Token, TokenKind};

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits `text` into tokens: words (with inner `-`, `.`, `'`, `,` between digits), contractions
/// (`n't`, `'s`, `'re` ...) and single punctuation marks.
pub fn tokenize(text: &str) -> Vec<(usize, usize, TokenKind)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        if is_word_char(c) {
            let start = k;
            let mut j = k + 1;
            while j < chars.len() {
                let d = chars[j].1;
                let next_is_word = chars.get(j + 1).is_some_and(|&(_, n)| is_word_char(n));
                if is_word_char(d)
                    || (matches!(d, '-' | '.' | ',')
                        && next_is_word
                        && (d != ',' || chars[j - 1].1.is_ascii_digit()))
                {
                    j += 1;
                } else if d == '.'
                    && chars[j - 1].1.is_uppercase()
                    && j >= 2
                    && chars[j - 2].1 == '.'
                {
                    j += 1; // `U.S.`
                } else {
                    break;
                }
            }
            // apostrophes inside the word, then split off contractions: `we're`, `Massoud’s`, `don't`
            while j + 1 < chars.len()
                && matches!(chars[j].1, '\'' | '’')
                && is_word_char(chars[j + 1].1)
            {
                j += 2;
                while j < chars.len() && is_word_char(chars[j].1) {
                    j += 1;
                }
            }
            let word: String = chars[start..j].iter().map(|&(_, c)| c).collect();
            let lower = word.to_lowercase().replace('’', "'");
            let suffix_chars = ["n't", "'s", "'re", "'ve", "'ll", "'d", "'m"]
                .iter()
                .find(|s| lower.ends_with(*s) && lower.len() > s.len())
                .map_or(0, |s| s.chars().count());
            let split = j - suffix_chars;
            out.push((end_of(start), end_of(split), kind(&word)));
            if split < j {
                out.push((end_of(split), end_of(j), TokenKind::Word));
            }
            k = j;
            continue;
        }
        let start = k;
        k += 1;
        let kind = if c.is_ascii_punctuation() || matches!(c, '“' | '”' | '‘' | '’' | '—' | '–')
        {
            TokenKind::Punct
        } else {
            TokenKind::Symbol
        };
        out.push((end_of(start), end_of(k), kind));
    }
    out
}

fn kind(word: &str) -> TokenKind {
    if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        TokenKind::Number
    } else {
        TokenKind::Word
    }
}

/// A document with tokens, and sentences split after `.`/`?`/`!` (plus closing quote) that
/// are followed by whitespace, and at line breaks.
pub fn document(text: &str) -> Document {
    let mut doc = Document::new(text.to_string(), Metadata::default());
    for (s, e, kind) in tokenize(text) {
        doc.tokens.push(Token::new(TextRange::new(s, e), kind));
    }
    let mut start: Option<usize> = None;
    let n = doc.tokens.len();
    for i in 0..n {
        let r = doc.tokens[i].range;
        let begin = *start.get_or_insert(r.start());
        let word = doc.slice(r);
        let next_start = doc.tokens.get(i + 1).map(|t| t.range.start());
        let gap = next_start.map_or("", |s| &text[r.end()..s]);
        let next_word = doc.tokens.get(i + 1).map_or("", |t| doc.slice(t.range));
        let ends = matches!(word, "." | "?" | "!") && !matches!(next_word, "”" | "\"")
            || (matches!(word, "”" | "\"")
                && i > 0
                && matches!(doc.slice(doc.tokens[i - 1].range), "." | "?" | "!"));
        if next_start.is_none() || gap.contains('\n') || (ends && !gap.is_empty()) {
            doc.sentences.push(Sentence {
                range: TextRange::new(begin, r.end()),
            });
            start = None;
        }
    }
    doc
}

//! A small sentence splitter and tokenizer, so that the evaluation and the tests can turn raw
//! text into a tagged [`Document`] on their own. The pipeline uses `dyad-text` instead; this
//! follows the same Penn Treebank conventions (possessive `'s` and `n't` split off,
//! `U.S.` and `al-Qaeda` kept whole).

use crate::EventsError;
use dyad_document::{Document, Metadata, Sentence, TextRange, Token, TokenKind};
use dyad_syntax::SyntaxStage;

/// Known abbreviations that end with a period but do not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr.", "mrs.", "ms.", "dr.", "gen.", "lt.", "col.", "sgt.", "capt.", "maj.", "gov.", "sen.",
    "rep.", "st.", "jr.", "sr.", "prof.", "no.", "vs.", "jan.", "feb.", "mar.", "apr.", "aug.",
    "sept.", "sep.", "oct.", "nov.", "dec.", "inc.", "corp.", "co.", "ltd.", "u.s.", "u.k.",
    "u.n.", "e.g.", "i.e.", "etc.", "rev.", "adm.", "cmdr.", "pres.", "ft.", "mt.",
];

fn is_abbreviation(word: &str) -> bool {
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
        // initials and dotted acronyms: `A.`, `U.S.A.`
        || (lower.len() >= 2
            && lower.ends_with('.')
            && lower
                .trim_end_matches('.')
                .split('.')
                .all(|p| p.chars().count() == 1))
}

fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '(' | '[' | '{' | '«')
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | ')' | ']' | '}' | '»' | '.' | ',' | ';' | ':' | '!' | '?'
    )
}

fn kind_of(text: &str) -> TokenKind {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() => TokenKind::Word,
        Some(c) if c.is_ascii_digit() => TokenKind::Number,
        Some(c) if c.is_ascii_punctuation() && !matches!(c, '$' | '%' | '#' | '@' | '&') => {
            TokenKind::Punct
        }
        Some('“' | '”' | '‘' | '’' | '—' | '–' | '…' | '«' | '»') => {
            TokenKind::Punct
        }
        _ => TokenKind::Symbol,
    }
}

/// Splits `text` (starting at byte `offset` of the document) into tokens.
pub fn tokenize(text: &str, offset: usize) -> Vec<Token> {
    let mut tokens = Vec::new();
    let push = |start: usize, end: usize, tokens: &mut Vec<Token>| {
        if end <= start {
            return;
        }
        let piece = &text[start..end];
        let mut token = Token::new(TextRange::new(offset + start, offset + end), kind_of(piece));
        let norm: String = piece
            .chars()
            .map(|c| match c {
                '’' | '‘' => '\'',
                '“' | '”' => '"',
                '—' | '–' => '-',
                c => c,
            })
            .flat_map(char::to_lowercase)
            .collect();
        if norm != piece {
            token.norm = Some(norm.into_boxed_str());
        }
        tokens.push(token);
    };
    // Whitespace and dashes separate words.
    let mut word_start: Option<usize> = None;
    let mut words: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || matches!(c, '—' | '–' | '…') {
            if let Some(s) = word_start.take() {
                words.push((s, i));
            }
            if !c.is_whitespace() {
                words.push((i, i + c.len_utf8()));
            }
        } else if word_start.is_none() {
            word_start = Some(i);
        }
    }
    if let Some(s) = word_start {
        words.push((s, text.len()));
    }
    for (mut start, mut end) in words {
        // Leading punctuation.
        while let Some(c) = text[start..end].chars().next() {
            if is_opening(c) && end - start > c.len_utf8() {
                push(start, start + c.len_utf8(), &mut tokens);
                start += c.len_utf8();
            } else {
                break;
            }
        }
        // Trailing punctuation, kept aside to push after the word.
        let mut trailing: Vec<(usize, usize)> = Vec::new();
        while let Some(c) = text[start..end].chars().next_back() {
            if end - start <= c.len_utf8() {
                break;
            }
            let word = &text[start..end];
            if c == '.' && is_abbreviation(word) {
                break;
            }
            if is_closing(c) {
                trailing.push((end - c.len_utf8(), end));
                end -= c.len_utf8();
            } else {
                break;
            }
        }
        // Clitics: 's, n't, 're, 've, 'll, 'd, 'm.
        let word = &text[start..end];
        let lower = word.to_lowercase().replace('’', "'");
        let mut split_at = None;
        for clitic in ["n't", "'s", "'re", "'ve", "'ll", "'d", "'m"] {
            if lower.len() > clitic.len() && lower.ends_with(clitic) {
                // byte length of the clitic in the original (curly apostrophe is 3 bytes)
                let original_len = word
                    .char_indices()
                    .rev()
                    .nth(clitic.chars().count() - 1)
                    .map(|(i, _)| word.len() - i);
                if let Some(len) = original_len {
                    split_at = Some(end - len);
                }
                break;
            }
        }
        if lower.ends_with("s'") && lower.len() > 2 {
            let apostrophe = word.char_indices().next_back().map(|(i, _)| i);
            if let Some(i) = apostrophe {
                split_at = Some(start + i);
            }
        }
        match split_at {
            Some(at) if at > start => {
                push(start, at, &mut tokens);
                push(at, end, &mut tokens);
            }
            _ => push(start, end, &mut tokens),
        }
        for (s, e) in trailing.into_iter().rev() {
            push(s, e, &mut tokens);
        }
    }
    tokens
}

/// Sentence ranges of `text` (starting at byte `offset`): ends at `.`, `!`, `?` (and closing
/// quotes after them) followed by whitespace and an uppercase letter or opening quote, or at
/// a line break.
pub fn split_sentences(text: &str, offset: usize) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    let push = |s: usize, e: usize, out: &mut Vec<TextRange>| {
        let piece = &text[s..e];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            out.push(TextRange::new(
                offset + s + lead,
                offset + s + lead + trimmed.len(),
            ));
        }
    };
    while k < bytes.len() {
        let (i, c) = bytes[k];
        if c == '\n' {
            push(start, i, &mut out);
            start = i + 1;
        } else if matches!(c, '.' | '!' | '?') {
            let mut j = k + 1;
            while j < bytes.len() && matches!(bytes[j].1, '"' | '”' | '’' | '\'' | ')') {
                j += 1;
            }
            let end = bytes.get(j).map_or(text.len(), |b| b.0);
            let next_is_space = bytes.get(j).is_some_and(|b| b.1 == ' ');
            let mut n = j;
            while n < bytes.len() && bytes[n].1 == ' ' {
                n += 1;
            }
            let next_starts = bytes
                .get(n)
                .is_some_and(|b| b.1.is_uppercase() || matches!(b.1, '"' | '“' | '‘' | '('));
            let word_start = text[..i]
                .char_indices()
                .rfind(|(_, ch)| ch.is_whitespace())
                .map_or(0, |(p, ch)| p + ch.len_utf8());
            let word = &text[word_start..=i];
            let abbreviation =
                c == '.' && is_abbreviation(word) && !word.eq_ignore_ascii_case("u.s.");
            if (next_is_space && next_starts && !abbreviation) || j >= bytes.len() {
                push(start, end, &mut out);
                start = end;
                k = j;
                continue;
            }
        }
        k += 1;
    }
    if start < text.len() {
        push(start, text.len(), &mut out);
    }
    out
}

/// Tokens for every sentence, then tags and lemmas from `dyad-syntax`.
pub fn annotate(doc: &mut Document) -> Result<(), EventsError> {
    let mut tokens = Vec::new();
    for s in &doc.sentences {
        tokens.extend(tokenize(doc.slice(s.range), s.range.start()));
    }
    doc.tokens = tokens;
    syntax()?.annotate(doc);
    Ok(())
}

fn syntax() -> Result<&'static SyntaxStage, EventsError> {
    static STAGE: std::sync::OnceLock<Result<SyntaxStage, String>> = std::sync::OnceLock::new();
    STAGE
        .get_or_init(|| SyntaxStage::new().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|reason| EventsError::Data {
            file: "dyad-syntax model",
            line: 0,
            reason: reason.clone(),
        })
}

/// A tagged document from an article's text: sentences split, tokenized, tagged.
pub fn prepare_article(text: &str, meta: Metadata) -> Result<Document, EventsError> {
    let mut doc = Document::new(text.to_string(), meta);
    doc.sentences = split_sentences(text, 0)
        .into_iter()
        .map(|range| Sentence { range })
        .collect();
    annotate(&mut doc)?;
    Ok(doc)
}

/// A tagged document whose sentences are given (one sentence per part, joined by a space).
pub fn prepare_sentences(parts: &[&str], meta: Metadata) -> Result<Document, EventsError> {
    let mut text = String::new();
    let mut ranges = Vec::new();
    for part in parts {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(part.trim());
        ranges.push(TextRange::new(start, text.len()));
    }
    let mut doc = Document::new(text, meta);
    doc.sentences = ranges.into_iter().map(|range| Sentence { range }).collect();
    annotate(&mut doc)?;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text, 0)
            .iter()
            .map(|t| &text[t.range.as_range()])
            .collect()
    }

    #[test]
    fn treebank_style_tokens() {
        assert_eq!(
            words("Afghanistan’s U.S. troops didn't attack al-Qaeda, “he said.”"),
            [
                "Afghanistan",
                "’s",
                "U.S.",
                "troops",
                "did",
                "n't",
                "attack",
                "al-Qaeda",
                ",",
                "“",
                "he",
                "said",
                ".",
                "”"
            ]
        );
        assert_eq!(words("Salehl—Afghanistan"), ["Salehl", "—", "Afghanistan"]);
    }

    #[test]
    fn sentences_split_at_periods_not_abbreviations() {
        let text = "Mr. Ghani fled. The Taliban entered Kabul on Aug. 15. “We won,” he said.";
        let got: Vec<&str> = split_sentences(text, 0)
            .iter()
            .map(|r| &text[r.as_range()])
            .collect();
        assert_eq!(
            got,
            [
                "Mr. Ghani fled.",
                "The Taliban entered Kabul on Aug. 15.",
                "“We won,” he said."
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_stays_in_bounds(text in "\\PC{0,80}") {
            for t in tokenize(&text, 0) {
                proptest::prop_assert!(text.get(t.range.as_range()).is_some());
            }
            for r in split_sentences(&text, 0) {
                proptest::prop_assert!(text.get(r.as_range()).is_some());
            }
        }
    }
}

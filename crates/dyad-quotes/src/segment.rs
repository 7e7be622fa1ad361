//! A small sentence splitter and tokenizer, for tests and for evaluating this crate on its own.
//!
//! The pipeline uses `dyad-text`; this fallback exists so that `dyad-quotes` can be tested and
//! evaluated without depending on another stage (stages depend only on `dyad-document`).

use dyad_document::{Document, Sentence, TextRange, Token, TokenKind};

const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Sen", "Rep", "Gen", "Lt", "Col", "Capt", "Sgt", "Prof", "Jr",
    "Sr", "Gov", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec", "No", "vs", "U.S", "U.K", "U.N",
    "Inc", "Ltd", "Co", "Corp", "Mt", "Ft",
];

/// Fills `doc.sentences` and `doc.tokens` (replacing what was there) with a simple splitter.
pub fn simple_segment(doc: &mut Document) {
    let text = doc.text().to_string();
    let tokens = tokenize(&text);
    let sentences = split_sentences(&text, &tokens);
    doc.tokens = tokens;
    doc.sentences = sentences;
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut tokens = Vec::new();
    let mut k = 0;
    while let Some(&(start, c)) = chars.get(k) {
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = k + 1;
            while let Some(&(_, d)) = chars.get(j) {
                let joins = matches!(d, '\'' | '’' | '-' | '.')
                    && chars.get(j + 1).is_some_and(|&(_, e)| e.is_alphanumeric());
                if d.is_alphanumeric() || joins {
                    j += if joins { 2 } else { 1 };
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
            let kind = if c.is_ascii_digit() {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            tokens.push(Token::new(TextRange::new(start, end), kind));
            k = j;
        } else {
            let kind = if c.is_ascii_punctuation() || matches!(c, '“' | '”' | '‘' | '’' | '—' | '–')
            {
                TokenKind::Punct
            } else {
                TokenKind::Symbol
            };
            tokens.push(Token::new(
                TextRange::new(start, start + c.len_utf8()),
                kind,
            ));
            k += 1;
        }
    }
    tokens
}

fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let slice = |t: &Token| text.get(t.range.as_range()).unwrap_or("");
    let mut sentences = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        start.get_or_insert(token.range.start());
        let mut last_end = token.range.end();
        let word = slice(token);
        let mut boundary = false;
        if matches!(word, "." | "!" | "?") {
            let previous = i.checked_sub(1).and_then(|p| tokens.get(p)).map(slice);
            let abbreviation = word == "."
                && previous.is_some_and(|p| {
                    ABBREVIATIONS.contains(&p)
                        || (p.chars().count() == 1 && p.chars().all(char::is_uppercase))
                });
            // Closing quotes and the `"?` dirt stay with the sentence they end.
            while let Some(next) = tokens.get(i + 1) {
                if matches!(slice(next), "\"" | "”" | "’" | "'" | "?" | ")")
                    && next.range.start() == last_end
                {
                    i += 1;
                    last_end = next.range.end();
                } else {
                    break;
                }
            }
            // Dashes the scraper left between paragraphs (`offensive. - - "There`) are skipped.
            let mut next = i + 1;
            while tokens
                .get(next)
                .is_some_and(|n| matches!(slice(n), "-" | "—" | "–"))
                && tokens.get(next + 1).is_some()
            {
                next += 1;
            }
            let next_starts = tokens.get(next).is_some_and(|n| {
                let gap = text.get(last_end..n.range.start()).unwrap_or("");
                let first = slice(n).chars().next().unwrap_or(' ');
                (!gap.is_empty() || first == '"' || first == '“')
                    && (first.is_uppercase()
                        || first.is_ascii_digit()
                        || matches!(first, '"' | '“' | '‘' | '\'' | '('))
            });
            boundary = !abbreviation && (next_starts || tokens.get(i + 1).is_none());
        }
        let newline_follows = tokens.get(i + 1).is_some_and(|n| {
            text.get(last_end..n.range.start())
                .is_some_and(|g| g.contains('\n'))
        });
        if (boundary || newline_follows || tokens.get(i + 1).is_none())
            && let Some(s) = start.take()
        {
            sentences.push(Sentence {
                range: TextRange::new(s, last_end),
            });
        }
        i += 1;
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_document::Metadata;

    #[test]
    fn splits_sentences_with_quotes_and_abbreviations() {
        let mut doc = Document::new(
            "“We prefer peace,” Mr. Nazary told the BBC. “If this fails, we fight.” He met the U.S. envoy.\nNext".into(),
            Metadata::default(),
        );
        simple_segment(&mut doc);
        let s: Vec<&str> = doc.sentences.iter().map(|s| doc.slice(s.range)).collect();
        assert_eq!(
            s,
            [
                "“We prefer peace,” Mr. Nazary told the BBC.",
                "“If this fails, we fight.”",
                "He met the U.S. envoy.",
                "Next"
            ]
        );
        assert!(doc.validate().is_ok());
    }

    #[test]
    fn dashes_left_between_paragraphs_do_not_hide_a_sentence_end() {
        let mut doc = Document::new(
            "No group has claimed the attack. - - \"There has been an explosion,\" he said.".into(),
            Metadata::default(),
        );
        simple_segment(&mut doc);
        let s: Vec<&str> = doc.sentences.iter().map(|s| doc.slice(s.range)).collect();
        assert_eq!(
            s,
            [
                "No group has claimed the attack.",
                "- - \"There has been an explosion,\" he said."
            ]
        );
    }
}

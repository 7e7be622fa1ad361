//! Sentence splitting and tokenization that survive news prose.
//!
//! The first stage of the dyad pipeline. [`TextStage`] reads a [`Document`]'s text and
//! writes two layers: [`Layer::Sentences`] and [`Layer::Tokens`]; it requires nothing.
//! The same work is available as plain functions, [`split_sentences`] and [`tokenize`].
//!
//! Pipeline, in two steps:
//!
//! 1. [`split_sentences`] finds sentence boundaries in one byte scan (its documentation
//!    lists the rules): final punctuation followed by something that is not lowercase,
//!    judged against abbreviation lists (`U.S.`, `Gen.`, `Sept.`, initials); line breaks
//!    that end headlines and list items but not soft-wrapped lines; bullets. Quotes that
//!    hold several sentences are split inside (`“… aggression. And we’ve …”` splits after
//!    `aggression.`), while `,” he said` and `?” she asked` continue the sentence.
//! 2. [`tokenize`] cuts each sentence into Penn Treebank tokens, as spaCy does, so a tagger
//!    trained on either fits: `we’re` → `we` `’re`, `don't` → `do` `n't`, hyphenated words
//!    and `U.S.` stay whole, numbers keep their separators (`1,000`, `9/11`, `3.5`).
//!
//! Word lists are data in `data/` (`abbreviations.txt`, `sentence_starters.txt`,
//! `continuations.txt`, `unit_suffixes.txt`, `glued_headlines.txt`, `lost_spaces.txt`), compiled in; each file documents its format.
//!
//! Invariants (checked by property tests on arbitrary input):
//! - sentences are in text order, disjoint, non-empty, without surrounding whitespace, on
//!   character boundaries, and cover every non-whitespace character;
//! - tokens are in order, disjoint, inside their sentence, never empty or whitespace-only,
//!   and cover every non-whitespace character but a hyphen that stands for a lost space
//!   (`according to-Kishida`, `data/lost_spaces.txt`);
//! - `Token::norm` is set only when it differs from the token text.
//!
//! Failure: the functions never fail or panic. The stage fails ([`TextError::TooLong`])
//! only on a text longer than `u32::MAX` bytes, which byte ranges cannot address.
//!
//! ```
//! use dyad_document::{Document, Metadata, Pipeline};
//! use dyad_text::TextStage;
//!
//! let text = "“We prefer peace, we prioritize peace and negotiations,” Ali Nazary, head of \
//!             the NRF Foreign Relations told the BBC this week. “If this fails, then we're \
//!             not going to accept any sort of aggression. And we’ve proven ourselves.”";
//! let mut doc = Document::new(text.to_string(), Metadata::default());
//! let pipeline = Pipeline::new(vec![Box::new(TextStage::new())]).unwrap();
//! pipeline.run(&mut doc).unwrap();
//!
//! let sentences: Vec<&str> = doc.sentences.iter().map(|s| doc.slice(s.range)).collect();
//! assert_eq!(sentences.len(), 3);
//! assert!(sentences[0].ends_with("told the BBC this week."));
//! assert_eq!(sentences[2], "And we’ve proven ourselves.”");
//!
//! let second = doc.tokens_in(doc.sentences[1].range);
//! let words: Vec<&str> = doc.tokens[second.clone()].iter().map(|t| doc.slice(t.range)).collect();
//! assert_eq!(&words[..5], ["“", "If", "this", "fails", ","]);
//! assert!(words.windows(2).any(|w| w == ["we", "'re"]));
//! assert_eq!(doc.token_norm(second.start), "\""); // `“` folded to `"`
//! ```
#![deny(missing_docs)]

mod chars;
mod lexicon;
mod sentences;
mod tokens;

use dyad_document::{Document, Layer, Sentence, Stage, StageError};

pub use dyad_document::{TextRange, Token, TokenKind};
pub use sentences::split_sentences;
pub use tokens::{tokenize, tokenize_into};

/// What can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    /// The document is too long for 32-bit byte ranges.
    #[error(
        "document {document}: text is {len} bytes, more than the 4 GiB that dyad's byte ranges address; split the input into smaller documents"
    )]
    TooLong {
        /// Document id.
        document: String,
        /// Text length in bytes.
        len: usize,
    },
}

/// The pipeline stage that fills [`Document::sentences`] and [`Document::tokens`].
///
/// It has no configuration; existing sentence and token layers are replaced.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStage;

impl TextStage {
    /// The stage.
    pub fn new() -> TextStage {
        TextStage
    }

    /// Splits and tokenizes `doc`, replacing its sentences and tokens.
    pub fn annotate(&self, doc: &mut Document) -> Result<(), TextError> {
        let text = doc.text();
        if u32::try_from(text.len()).is_err() {
            return Err(TextError::TooLong {
                document: doc.id().to_string(),
                len: text.len(),
            });
        }
        let ranges = split_sentences(text);
        let mut tokens = Vec::with_capacity(text.len() / 5);
        for &range in &ranges {
            tokenize_into(text, range, &mut tokens);
        }
        doc.sentences = ranges.into_iter().map(|range| Sentence { range }).collect();
        doc.tokens = tokens;
        Ok(())
    }
}

impl Stage for TextStage {
    fn name(&self) -> &'static str {
        "text"
    }

    fn requires(&self) -> &'static [Layer] {
        &[]
    }

    fn produces(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        self.annotate(doc)
            .map_err(|e| StageError::new(self.name(), doc, e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_document::Metadata;

    #[test]
    fn stage_fills_valid_layers() {
        let mut doc = Document::new(
            "KABUL, Aug 24 (Reuters) - The Taliban massed fighters. Massoud’s men held.".into(),
            Metadata::default(),
        );
        TextStage::new().process(&mut doc).unwrap();
        doc.validate().unwrap();
        assert_eq!(doc.sentences.len(), 2);
        assert!(
            doc.slice(doc.sentences[0].range)
                .starts_with("KABUL, Aug 24 (Reuters) - The")
        );
        assert_eq!(doc.token_norm(doc.tokens.len() - 4), "'s");
    }
}

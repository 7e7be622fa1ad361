//! The pipeline stage: tags and lemmas on every token.

use crate::{Lemmatizer, SyntaxError, Tagger};
use dyad_document::{Document, Layer, Stage, StageError};
use std::ops::Range;

/// Fills [`dyad_document::Token::tag`] and [`dyad_document::Token::lemma`] (the lemma only when
/// it differs from the token's normalized form). Requires sentences and tokens; produces
/// [`Layer::Tags`]. Tokens outside every sentence are tagged as runs of their own.
#[derive(Debug, Clone)]
pub struct SyntaxStage {
    tagger: &'static Tagger,
    lemmatizer: &'static Lemmatizer,
}

impl SyntaxStage {
    /// The stage with the embedded model and lemma tables.
    pub fn new() -> Result<SyntaxStage, SyntaxError> {
        Ok(SyntaxStage {
            tagger: Tagger::embedded()?,
            lemmatizer: Lemmatizer::embedded()?,
        })
    }

    /// The stage with another tagger (leaked once: stages live as long as the process).
    pub fn with_tagger(tagger: Tagger) -> Result<SyntaxStage, SyntaxError> {
        Ok(SyntaxStage {
            tagger: Box::leak(Box::new(tagger)),
            lemmatizer: Lemmatizer::embedded()?,
        })
    }

    /// Tags and lemmatizes every token of `doc`.
    pub fn annotate(&self, doc: &mut Document) {
        for segment in segments(doc) {
            let words: Vec<&str> = segment.clone().map(|i| token_text(doc, i)).collect();
            let tags = self.tagger.tag_words(&words);
            let lemmas: Vec<Option<Box<str>>> = segment
                .clone()
                .zip(&tags)
                .map(|(i, &tag)| {
                    let lemma = self.lemmatizer.lemmatize(token_text(doc, i), tag);
                    (lemma != doc.token_norm(i)).then(|| lemma.into_boxed_str())
                })
                .collect();
            for ((i, tag), lemma) in segment.zip(tags).zip(lemmas) {
                if let Some(token) = doc.tokens.get_mut(i) {
                    token.tag = Some(tag);
                    token.lemma = lemma;
                }
            }
        }
    }
}

fn token_text(doc: &Document, i: usize) -> &str {
    doc.tokens.get(i).map_or("", |t| doc.slice(t.range))
}

/// Token index ranges to tag one at a time: each sentence, and each run of tokens between
/// sentences.
fn segments(doc: &Document) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(doc.sentences.len() + 1);
    let mut next = 0;
    for s in &doc.sentences {
        let r = doc.tokens_in(s.range);
        if r.start < next {
            continue; // overlapping sentences: the document is invalid, skip rather than panic
        }
        if r.start > next {
            out.push(next..r.start);
        }
        if !r.is_empty() {
            out.push(r.clone());
        }
        next = r.end;
    }
    if next < doc.tokens.len() {
        out.push(next..doc.tokens.len());
    }
    out
}

impl Stage for SyntaxStage {
    fn name(&self) -> &'static str {
        "syntax"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }

    fn produces(&self) -> &'static [Layer] {
        &[Layer::Tags]
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        self.annotate(doc);
        Ok(())
    }
}

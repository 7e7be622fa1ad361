//! Part-of-speech tags, lemmas and phrase chunks for dyad.
//!
//! The pipeline, in order:
//! 1. [`Tagger`]: a greedy averaged-perceptron tagger (Penn Treebank tags as spaCy's
//!    fine-grained `tag_`), trained in this repository on labels that spaCy en_core_web_sm
//!    3.8.0 (MIT) gave the news corpus; the model is embedded (`data/tagger.postcard.gz`,
//!    see `TRAINING.md`). No Python, no download at run time.
//! 2. [`Lemmatizer`]: rules plus data tables (`data/irregular_verbs.tsv`,
//!    `data/lemma_exceptions.tsv`, lemma lexicons).
//! 3. [`analyze_sentence`]: noun phrases, verb groups (main verb lemma, negation, passive,
//!    modal, infinitive, tense/aspect) and prepositions, computed on demand from the tags.
//!
//! **Reads** `Document::sentences` and `Document::tokens` (token text via their ranges; curly
//! quotes are folded internally). **Writes** `Token::tag` for every token and `Token::lemma`
//! when the lowercase lemma differs from the token's normalized form ([`SyntaxStage`],
//! producing [`dyad_document::Layer::Tags`]). Chunks are not stored in the document.
//!
//! **Invariants**: every token gets a tag; chunks of a sentence are disjoint, in order and
//! inside the sentence. **Failures**: only loading the embedded model or tables can fail
//! ([`SyntaxError`], a build problem); tagging and chunking never panic, on any input.
//!
//! ```
//! use dyad_document::{Document, Metadata, Sentence, TextRange, Token, TokenKind};
//! use dyad_syntax::{SyntaxStage, analyze_sentence};
//!
//! let text = "Massoud was brutally and poignantly assassinated by al-Qaeda .";
//! let mut doc = Document::new(text.to_string(), Metadata::default());
//! let mut at = 0;
//! for word in text.split(' ') {
//!     doc.tokens.push(Token::new(TextRange::new(at, at + word.len()), TokenKind::Word));
//!     at += word.len() + 1;
//! }
//! doc.sentences.push(Sentence { range: TextRange::new(0, text.len()) });
//! SyntaxStage::new()?.annotate(&mut doc);
//!
//! let analysis = analyze_sentence(&doc, 0);
//! let verb = analysis.verb_groups().next().unwrap();
//! assert_eq!(verb.lemma, "assassinate");
//! assert!(verb.passive && !verb.negated);
//! assert_eq!(doc.slice(doc.tokens[verb.main].range), "assassinated");
//! # Ok::<(), dyad_syntax::SyntaxError>(())
//! ```
#![deny(missing_docs)]

mod chunk;
mod error;
mod features;
mod lemma;
mod stage;
mod tagger;
pub mod train;

pub use chunk::{
    Chunk, ChunkKind, SentenceAnalysis, Tense, VerbGroup, analyze_sentence, chunk_tagged,
};
pub use error::SyntaxError;
pub use lemma::Lemmatizer;
pub use stage::SyntaxStage;
pub use tagger::{MODEL_VERSION, ModelFile, Tagger};

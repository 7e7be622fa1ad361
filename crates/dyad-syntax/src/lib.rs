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
//! 4. [`parse_sentence`] / [`Parser`]: a labeled dependency tree ([`DependencyTree`], spaCy's
//!    ClearNLP-style [`DepLabel`]s) for one sentence, on demand: a greedy arc-hybrid parser
//!    with an averaged perceptron, trained here on spaCy en_core_web_sm 3.8.0 parses of the
//!    news corpus (`data/parser.postcard.gz`, see `TRAINING.md`). The tree answers who did
//!    what to whom: [`DependencyTree::subject_of`], [`DependencyTree::objects_of`],
//!    [`DependencyTree::passive_agent_of`], [`DependencyTree::prepositional_objects`],
//!    [`DependencyTree::conjuncts`], [`DependencyTree::subtree_range`].
//!
//! **Reads** `Document::sentences` and `Document::tokens` (token text via their ranges; curly
//! quotes are folded internally). **Writes** `Token::tag` for every token and `Token::lemma`
//! when the lowercase lemma differs from the token's normalized form ([`SyntaxStage`],
//! producing [`dyad_document::Layer::Tags`]). Chunks are not stored in the document.
//!
//! Dependency trees are not stored in the document: the caller parses the sentences it needs
//! (about 0.1 ms each).
//!
//! **Invariants**: every token gets a tag; chunks of a sentence are disjoint, in order and
//! inside the sentence; a dependency tree has exactly one root, no cycles, and heads inside
//! its sentence. **Failures**: only loading the embedded models or tables can fail
//! ([`SyntaxError`], a build problem); tagging, chunking and parsing never panic, on any
//! input.
//!
//! ```
//! use dyad_document::{Document, Metadata, Sentence, TextRange, Token, TokenKind};
//! use dyad_syntax::{SyntaxStage, analyze_sentence, parse_sentence};
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
//!
//! let tree = parse_sentence(&doc, 0);
//! let word = |i: Option<usize>| i.map(|i| doc.slice(doc.tokens[i].range));
//! assert!(tree.is_well_formed());
//! assert_eq!(word(tree.passive_agent_of(verb.main)), Some("al-Qaeda"));
//! # Ok::<(), dyad_syntax::SyntaxError>(())
//! ```
#![deny(missing_docs)]

mod chunk;
mod dependency;
mod error;
mod features;
mod lemma;
mod parser;
pub mod parser_training;
mod stage;
mod tagger;
pub mod train;
mod transition;

pub use chunk::{
    Chunk, ChunkKind, SentenceAnalysis, Tense, VerbGroup, analyze_sentence, chunk_tagged,
};
pub use dependency::{DepLabel, DependencyTree};
pub use error::SyntaxError;
pub use lemma::Lemmatizer;
pub use parser::{PARSER_MODEL_VERSION, Parser, ParserModelFile, parse_sentence};
pub use stage::SyntaxStage;
pub use tagger::{MODEL_VERSION, ModelFile, Tagger};

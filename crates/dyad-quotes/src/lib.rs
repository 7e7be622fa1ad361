//! Quotes and reported speech: who said what, to which outlet.
//!
//! **Reads** `Document::sentences` and `Document::tokens` (required), and
//! `Document::entities` when another stage filled it (optional: speakers are then linked
//! to entity mentions and named by their `canonical` name).
//! **Writes** `Document::quotes`, in text order (by start; an enclosing reported clause
//! comes before the partial quotes inside it).
//!
//! Each [`dyad_document::Quote`] has the span of its content (inside the marks for direct and partial
//! quotes, the complement clause for reported speech), its [`dyad_document::QuoteKind`], the speaker (a
//! canonical name, the entity index when known, and the mention that names it, possibly a
//! pronoun), the outlet it was given to, and the cue (`told`, `said`, `according to`).
//!
//! How it works (details in the `analysis` module):
//! 1. quotation marks are paired: straight and curly, single where used as quotes,
//!    paragraphs continued by an opening mark, the scraping dirt `"?`, and quote boxes
//!    whose opening mark the scraper lost (a paragraph that opens with a statement and
//!    closes it with a mark, no mark before);
//! 2. a quoted stretch is *direct* when it opens a sentence or follows a cue, a colon or a
//!    comma, else *partial*; unattributed partial quotes (scare quotes, nicknames, titles) are dropped;
//! 3. the cue is looked for after the quote (`,” X said`), before it (`X wrote, “`) and, for
//!    partial quotes, anywhere in the sentence; the speaker is the phrase next to the cue,
//!    titles and appositives stripped (`Taliban spokesman Zabihullah Mujahid`), the first
//!    of coordinated subjects (`Oxfam and Save the Children said`), leading adverbs and
//!    adjuncts skipped (`Later she told`, `while in the job, the police said`); a quote box
//!    caption (`"..." Geng Shuang, foreign ministry spokesman, ...`) names its speaker;
//! 4. reported speech: `X said (that) CLAUSE`, `X told the BBC CLAUSE`, `CLAUSE, X said`,
//!    `CLAUSE, sources told AFP news agency on Monday`, `CLAUSE, the palace has announced`,
//!    `..., adding CLAUSE`, `according to X, CLAUSE` (also after a participle phrase and an
//!    appositive, or without a comma before a subject pronoun), `As X pointed out, CLAUSE`,
//!    `X announced, though, CLAUSE`, `X declined to comment except to say that CLAUSE`, a
//!    clause that starts after a sentence end the splitter missed (a quote closed by a
//!    period, the headline of a `READ MORE:` link); quoted words inside a reported clause
//!    are partial quotes of its speaker. A speech verb with a noun-phrase object is no
//!    statement (`claimed the presidency after Ghani fled`: a subordinator before the first
//!    verb of a that-less complement; `declared a state of emergency starting at midnight`:
//!    no finite verb; `warned fans to be vigilant`: an infinitive), nor are passives
//!    (`widely reported in local media`), modifiers (`a laser warning system`), hedges
//!    (`it's safe to say`), phrasal verbs with an object (`went on a rampage`) or data
//!    (`exit polls say`, `according to estimates`); quotation marks in the headline of a
//!    link (`READ MORE: ... 'insider attack'`) are no statement; a second
//!    attribution ends a clause and has its own subject (`A said X, but B said Y`);
//! 5. speakers: pronouns go to the last speaker of that kind (he/she → person, they/it →
//!    group) in the last four sentences, else to the last full name; `the <role>`
//!    descriptions go to the most talked-about person; descriptions of groups go to the
//!    organization they name or the last one that spoke (`the Fund's press office` →
//!    `Advanced Research Fund`, `the police` → `Israeli police`, `its researchers`);
//!    short names take the full name the article gives (`(IRC)`, initials like `KVERT`,
//!    well-known `VW` → `Volkswagen`); names before a role word (`Project Head X`),
//!    institution names with `of`, and nationality adjectives (`the Russian diplomat`) are
//!    not persons; an entity that stops before the phrase's last name does not name the
//!    speaker, nor does a plural acronym (`The NGOs`); `the administration` is not the group
//!    that spoke last; a quote without any cue right after another quote continues it;
//! 6. **outlets**: only the outlet a statement is given to or published in (`told`, `to`,
//!    `on`, `in`, `with`, `via`, `for` after `op-ed`, `reached by`, `according to`), never
//!    a bare mention or an employer (`CNN's Brian Stelter`); unlisted outlets by a medium
//!    word (`the Catalan website Regio 7`, `the Izvestia newspaper`); an outlet's own report
//!    (`Politico reported`) is published in it;
//! 7. **interview carry-over**: an outlet named for a speaker (by a quote, or by a sentence
//!    such as `X was asked in an interview on Fox News`) stays with that speaker's later
//!    quotes until another outlet or a non-outlet addressee (`told reporters`) appears, but
//!    not to a statement in the perfect (`he has said`, a summary of many statements); an
//!    interview (`X tells China Daily`) also covers that speaker's lede up to two sentences
//!    before it.
//!
//! Word lists are data: `data/speech_verbs.txt`, `outlets.tsv`, `roles.txt`,
//! `function_words.txt`, `org_words.txt` and `word_classes.tsv` (media words, outlet
//! prepositions, group and person description heads, subordinators, abbreviations). The
//! conventions are pinned one invented case each in `tests/conventions.jsonl`.
//!
//! Invariants: every range lies inside the text on character boundaries; quotes are in text
//! order; the stage never panics, whatever the text (property-tested). It fails only when
//! the tokens or sentences are missing ([`QuotesStage`] then returns a `StageError`).
//!
//! ```
//! use dyad_document::{Document, Metadata, QuoteKind};
//! use dyad_quotes::{QuotesStage, simple_segment};
//! use dyad_document::Stage;
//!
//! let mut doc = Document::new(
//!     "“No embassy should feel any threat, any danger,” Taliban spokesman Zabihullah Mujahid said, according to CNN. \
//!      Mujahid said the Taliban had met with all embassies still present in Kabul."
//!         .to_string(),
//!     Metadata::default(),
//! );
//! simple_segment(&mut doc); // in the pipeline, dyad-text does this
//! QuotesStage::new()?.process(&mut doc)?;
//! let first = &doc.quotes[0];
//! assert_eq!(doc.slice(first.range), "No embassy should feel any threat, any danger,");
//! assert_eq!(first.kind, QuoteKind::Direct);
//! assert_eq!(first.speaker.as_ref().unwrap().name, "Zabihullah Mujahid");
//! assert_eq!(first.outlet.as_ref().unwrap().name, "CNN");
//! let second = &doc.quotes[1];
//! assert_eq!(second.kind, QuoteKind::Reported);
//! assert_eq!(doc.slice(second.range), "the Taliban had met with all embassies still present in Kabul");
//! assert_eq!(second.speaker.as_ref().unwrap().name, "Zabihullah Mujahid");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod analysis;
mod error;
pub mod eval;
mod lexicon;
mod marks;
mod segment;

pub use error::QuotesError;
pub use eval::{QuoteEvalReport, evaluate, evaluate_with};
pub use lexicon::{CueClass, Lexicon};
pub use marks::{Marked, find_marked};
pub use segment::simple_segment;

use dyad_document::{Document, Layer, Quote, Stage, StageError, TextRange};

/// The quote stage: fills `Document::quotes`.
#[derive(Debug, Clone)]
pub struct QuotesStage {
    lexicon: Lexicon,
}

impl QuotesStage {
    /// A stage with the word lists shipped in `data/`.
    pub fn new() -> Result<QuotesStage, QuotesError> {
        Ok(QuotesStage {
            lexicon: Lexicon::builtin()?,
        })
    }

    /// A stage with other word lists.
    pub fn with_lexicon(lexicon: Lexicon) -> QuotesStage {
        QuotesStage { lexicon }
    }

    /// The quotes of a document, in text order, without storing them.
    pub fn find(&self, doc: &Document) -> Vec<Quote> {
        analysis::find_quotes(doc, &self.lexicon)
    }
}

impl Stage for QuotesStage {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }

    fn produces(&self) -> &'static [Layer] {
        &[Layer::Quotes]
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        if doc.tokens.is_empty() && !doc.text().trim().is_empty() {
            return Err(StageError::new(
                "quotes",
                doc,
                "the document has no tokens: run the `text` stage (dyad-text) before `quotes`",
            ));
        }
        doc.quotes = self.find(doc);
        Ok(())
    }
}

/// The index of the innermost quote whose content contains `range`, for the event coder
/// (an event inside a quote is *claimed* or *reported* by the quote's speaker).
pub fn quote_at(doc: &Document, range: TextRange) -> Option<usize> {
    doc.quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| q.range.contains_range(range))
        .min_by_key(|(_, q)| q.range.len())
        .map(|(i, _)| i)
}

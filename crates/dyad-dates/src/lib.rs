//! Temporal expressions: find them in a news article, normalize them with a granularity and
//! resolve them against the publication date.
//!
//! **Reads** a document's text, its sentences ([`Layer::Sentences`]) and `meta.published`.
//! **Writes** `doc.dates`: one [`DateExpr`] per expression, in text order, not overlapping.
//!
//! The pipeline, in three steps:
//! 1. a hand lexer splits the text into words, numbers and punctuation (byte offsets);
//! 2. a small grammar recognizes expressions at every token, longest match first, with the
//!    calendar words of `data/lexicon.tsv`: absolute dates (`September 9, 2001`, `9/9/2001`,
//!    `2021-08-24`, `9/11`), partial dates (`August 18`, `in December`), years, decades,
//!    centuries, `early`/`mid`/`late` parts, seasons, weekdays, deictics (`today`, `this week`,
//!    `last month`), quantified relatives (`three weeks ago`, `two days before`,
//!    `the past 40 years`) and ranges (`since 2014`, `between 2001 and 2021`);
//! 3. each expression is resolved with jiff civil dates into a [`DateValue`] and a [`DateAnchor`](dyad_document::DateAnchor):
//!    - `Absolute` when the text gives the year;
//!    - `Publication` for deictics, weekdays and partial dates. A weekday is the publication
//!      day or the most recent past one, the next one when a future cue (`will`, `scheduled`,
//!      `until`) precedes it in the sentence with no speech verb between. A partial date is the
//!      occurrence containing publication, else the most recent past one unless it lies more
//!      than 300 days back or a future cue precedes it, then the next one;
//!    - `Reference` for `two days before`, `the previous year` (counted from the most recent
//!      calendar expression in the same or the previous sentence; dropped when there is none,
//!      as they then count from an event, not a date) and for partial dates in a sentence that
//!      gave a year earlier (`In December 2015 ... from December 23`);
//!    - `Unresolved` (value `None`) for relative expressions when `meta.published` is `None`.
//!
//! Not dates: counts (`1,000 fighters`, `2000 people`), ages (`the 32-year-old`), `No. 10`,
//! lowercase `march`/`may`, `May`/`March` without a day, year or preposition, names
//! (`Theresa May`, `Euro 2016`), clock times (a day word next to a time is kept alone),
//! `recently` (no value).
//!
//! **Invariants**: ranges are on character boundaries of the text, ordered, disjoint.
//! **Failure**: extraction never fails or panics, on any text and any publication date
//! (calendar steps outside jiff's range yield no value). Only [`evaluate`] returns errors.
//!
//! ```
//! use dyad_dates::find_dates;
//! use dyad_document::{Date, DateAnchor};
//!
//! let text = "He was assassinated by al-Qaeda on September 9, 2001, two days before the \
//!             Twin Towers fell. Mujahid spoke in Kabul on Tuesday.";
//! let published: Date = "2021-08-25".parse().unwrap();
//! let dates = find_dates(text, Some(published));
//! let shown: Vec<(&str, String, DateAnchor)> = dates
//!     .iter()
//!     .map(|d| (&text[d.range.as_range()], d.value.unwrap().normalized(), d.anchor))
//!     .collect();
//! assert_eq!(shown, [
//!     ("September 9, 2001", "2001-09-09".to_string(), DateAnchor::Absolute),
//!     ("two days before", "2001-09-07".to_string(), DateAnchor::Reference),
//!     ("Tuesday", "2021-08-24".to_string(), DateAnchor::Publication),
//! ]);
//! ```
#![deny(missing_docs)]

mod error;
mod eval;
mod lexicon;
mod resolve;
mod scan;

pub use error::DatesError;
pub use eval::{DateEvalReport, EvalItem, evaluate};

use dyad_document::{
    Date, DateExpr, DateValue, Document, Granularity, Layer, Stage, StageError, TextRange,
};
use resolve::Context;
use scan::{Grammar, Meaning, tokenize};

/// Finds, normalizes and resolves every temporal expression of `text`, in text order.
///
/// Sentences (for reference dates and future cues) come from a cheap built-in splitter;
/// [`DatesStage`] uses the document's sentence layer instead.
pub fn find_dates(text: &str, published: Option<Date>) -> Vec<DateExpr> {
    extract(text, published, &simple_sentence_starts(text))
}

/// The pipeline stage: fills `doc.dates` from the text, the sentences and `meta.published`.
#[derive(Debug, Clone, Copy, Default)]
pub struct DatesStage;

impl DatesStage {
    /// A stage; it has no configuration.
    pub fn new() -> Self {
        DatesStage
    }
}

impl Stage for DatesStage {
    fn name(&self) -> &'static str {
        "dates"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences]
    }

    fn produces(&self) -> &'static [Layer] {
        &[Layer::Dates]
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let mut starts: Vec<usize> = doc.sentences.iter().map(|s| s.range.start()).collect();
        if starts.first() != Some(&0) {
            starts.insert(0, 0);
        }
        doc.dates = extract(doc.text(), doc.meta.published, &starts);
        Ok(())
    }
}

/// The date expression governing the clause of a span (for events): the nearest expression in
/// the same sentence, preferring one after `evidence` within the same clause, then one before
/// it within the same clause, then the nearest anywhere in the sentence. Returns an index into
/// `doc.dates`, or `None` when the sentence has no date expression (or does not exist).
pub fn governing_date(doc: &Document, sentence: usize, evidence: TextRange) -> Option<usize> {
    let sentence = doc.sentences.get(sentence)?.range;
    let text = doc.text();
    let same_clause = |from: usize, to: usize| {
        text.get(from.min(to)..to.max(from)).is_some_and(|gap| {
            !gap.contains([',', ';', ':', '—', '–', '(', ')', '"', '“', '”'])
                && !gap.contains(" but ")
                && !gap.contains(" and ")
        })
    };
    let in_sentence: Vec<(usize, &DateExpr)> = doc
        .dates
        .iter()
        .enumerate()
        .filter(|(_, d)| sentence.contains_range(d.range))
        .collect();
    let after = in_sentence.iter().find(|(_, d)| {
        d.range.start() >= evidence.end() && same_clause(evidence.end(), d.range.start())
    });
    let before = in_sentence.iter().rev().find(|(_, d)| {
        d.range.end() <= evidence.start() && same_clause(d.range.end(), evidence.start())
    });
    let distance = |d: &DateExpr| {
        if d.range.start() >= evidence.end() {
            d.range.start() - evidence.end()
        } else {
            evidence.start().saturating_sub(d.range.end())
        }
    };
    after
        .or(before)
        .or_else(|| in_sentence.iter().min_by_key(|(_, d)| distance(d)))
        .map(|(i, _)| *i)
}

/// Sentence starts for [`find_dates`]: after `.`, `!`, `?` followed by space and a capital or a
/// quote (not after month abbreviations, titles or initials), and after line breaks.
fn simple_sentence_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    let mut word_start = 0;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            word_start = i + c.len_utf8();
            if c == '\n' {
                starts.push(word_start);
            }
            continue;
        }
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let word = text.get(word_start..i).unwrap_or("");
        let abbreviation = c == '.'
            && (word.chars().count() <= 1
                || matches!(
                    word,
                    "Mr" | "Mrs"
                        | "Ms"
                        | "Dr"
                        | "St"
                        | "No"
                        | "Jan"
                        | "Feb"
                        | "Mar"
                        | "Apr"
                        | "Jun"
                        | "Jul"
                        | "Aug"
                        | "Sep"
                        | "Sept"
                        | "Oct"
                        | "Nov"
                        | "Dec"
                        | "Gen"
                        | "Col"
                        | "Lt"
                        | "Sen"
                        | "Rep"
                        | "Gov"
                        | "Prof"
                ));
        let next = i + 1;
        let followed = text.get(next..).unwrap_or("");
        let rest = followed.trim_start();
        let spaced = rest.len() < followed.len();
        let opens = rest
            .chars()
            .next()
            .is_some_and(|n| n.is_uppercase() || matches!(n, '"' | '“' | '‘' | '\''));
        if !abbreviation && spaced && opens && next <= bytes.len() {
            starts.push(text.len() - rest.len());
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// The shared extraction: `sentence_starts` are byte offsets, sorted, starting with 0.
fn extract(text: &str, published: Option<Date>, sentence_starts: &[usize]) -> Vec<DateExpr> {
    let tokens = tokenize(text);
    let grammar = Grammar {
        text,
        tokens: &tokens,
    };
    let sentence_of = |offset: usize| {
        sentence_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    };
    let mut out = Vec::new();
    let mut reference: Option<(DateValue, usize)> = None;
    let mut sentence_year: Option<(i32, usize)> = None;
    for found in grammar.matches() {
        let Some((start, end)) = grammar.byte_range(found.first, found.end) else {
            continue;
        };
        let sentence = sentence_of(start);
        let sentence_start = sentence_starts.get(sentence).copied().unwrap_or(0);
        let context = Context {
            published,
            reference: reference
                .filter(|(_, s)| sentence.saturating_sub(*s) <= 1)
                .map(|(v, _)| v),
            sentence_year: sentence_year
                .filter(|(_, s)| *s == sentence)
                .map(|(y, _)| y),
            future: grammar.future_cue_before(found.first, sentence_start),
        };
        if matches!(found.meaning, Meaning::Shift { .. }) && context.reference.is_none() {
            continue;
        }
        let (value, anchor) = resolve::resolve(&found.meaning, &context);
        if let Some(v) = value {
            if found.meaning.can_anchor() {
                reference = Some((v, sentence));
            }
            // Only a day or a month dates a later `December 23`: a bare year is often a
            // target (`by 2020, ... said on March 3`).
            let fine = matches!(v.granularity, Granularity::Day | Granularity::Month);
            if found.meaning.has_explicit_year() && fine {
                sentence_year = Some((i32::from(v.start.year()), sentence));
            }
        }
        out.push(DateExpr {
            range: TextRange::new(start, end),
            value,
            anchor,
        });
    }
    out
}

#[cfg(test)]
mod tests;

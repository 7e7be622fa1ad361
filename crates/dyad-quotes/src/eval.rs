//! Evaluation against the hand-annotated gold sets in `tests/gold/quotes/`.
//!
//! Gold files are JSONL, one article per line: `{id, file?, quotes: [{start, end, kind,
//! speaker, outlet}]}` with code point offsets into the corpus text (see
//! `tests/gold/quotes/GUIDE.md`). Texts are read from the corpus, never from the gold file.
//!
//! A predicted quote matches a gold quote when their overlap covers at least half of the
//! longer of the two (one-to-one, the best overlaps of all pairs first); exact matches have the same span.
//! Speaker accuracy is measured on matched quotes whose gold speaker is named, comparing
//! last names loosely; outlet accuracy on matched quotes where gold or prediction names an outlet.

use crate::{QuotesError, QuotesStage, simple_segment};
use dyad_document::{CharIndex, Document, Metadata, QuoteKind, StageError};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

#[derive(Debug, Deserialize)]
struct GoldQuote {
    start: usize,
    end: usize,
    kind: QuoteKind,
    speaker: Option<String>,
    outlet: Option<String>,
}

#[derive(Debug, Deserialize)]
struct GoldDoc {
    id: String,
    #[serde(default)]
    file: Option<String>,
    quotes: Vec<GoldQuote>,
}

#[derive(Debug, Deserialize)]
struct CorpusDoc {
    id: String,
    text: String,
}

/// One disagreement with the gold set.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    /// Corpus document id.
    pub document: String,
    /// `missed`, `spurious`, `speaker` or `outlet`.
    pub what: &'static str,
    /// Code point span (gold span for missed/speaker/outlet, predicted span for spurious).
    pub start: usize,
    /// End of the span.
    pub end: usize,
    /// The first words of the span.
    pub excerpt: String,
    /// Expected value (speaker or outlet), if any.
    pub expected: Option<String>,
    /// Found value (speaker or outlet), if any.
    pub found: Option<String>,
}

/// Scores of the quote finder on one gold set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuoteEvalReport {
    /// Articles evaluated.
    pub documents: usize,
    /// Gold quotes.
    pub gold: usize,
    /// Predicted quotes.
    pub predicted: usize,
    /// Matches with overlap ≥ 50 %.
    pub matched: usize,
    /// Matches with the same span.
    pub exact: usize,
    /// Gold quotes and matches per kind (direct, partial, reported).
    pub by_kind: Vec<(QuoteKind, usize, usize)>,
    /// Matched quotes with a named gold speaker.
    pub speaker_total: usize,
    /// ... of which the speaker is right.
    pub speaker_correct: usize,
    /// Matched quotes where gold or prediction names an outlet.
    pub outlet_total: usize,
    /// ... of which the outlet is right.
    pub outlet_correct: usize,
    /// The disagreements.
    pub misses: Vec<Miss>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl QuoteEvalReport {
    /// Span precision (overlap match).
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }
    /// Span recall (overlap match).
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }
    /// Span F1 (overlap match).
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    /// Span F1 counting only exact spans.
    pub fn exact_f1(&self) -> f64 {
        f1(
            ratio(self.exact, self.predicted),
            ratio(self.exact, self.gold),
        )
    }
    /// Speaker accuracy on matched quotes with a named gold speaker.
    pub fn speaker_accuracy(&self) -> f64 {
        ratio(self.speaker_correct, self.speaker_total)
    }
    /// Outlet accuracy on matched quotes where an outlet is named by gold or prediction.
    pub fn outlet_accuracy(&self) -> f64 {
        ratio(self.outlet_correct, self.outlet_total)
    }

    fn add(&mut self, other: QuoteEvalReport) {
        self.documents += other.documents;
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.matched += other.matched;
        self.exact += other.exact;
        for (kind, g, m) in other.by_kind {
            match self.by_kind.iter_mut().find(|(k, _, _)| *k == kind) {
                Some(slot) => {
                    slot.1 += g;
                    slot.2 += m;
                }
                None => self.by_kind.push((kind, g, m)),
            }
        }
        self.speaker_total += other.speaker_total;
        self.speaker_correct += other.speaker_correct;
        self.outlet_total += other.outlet_total;
        self.outlet_correct += other.outlet_correct;
        self.misses.extend(other.misses);
    }
}

impl fmt::Display for QuoteEvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "quotes: {} documents, {} gold, {} predicted",
            self.documents, self.gold, self.predicted
        )?;
        writeln!(f, "{:<28} {:>7} {:>7} {:>7}", "measure", "P", "R", "F1")?;
        writeln!(
            f,
            "{:<28} {:>7.3} {:>7.3} {:>7.3}",
            "span (overlap >= 50%)",
            self.precision(),
            self.recall(),
            self.f1()
        )?;
        writeln!(
            f,
            "{:<28} {:>7.3} {:>7.3} {:>7.3}",
            "span (exact)",
            ratio(self.exact, self.predicted),
            ratio(self.exact, self.gold),
            self.exact_f1()
        )?;
        for (kind, g, m) in &self.by_kind {
            writeln!(
                f,
                "{:<28} {:>7} {:>7.3} {:>7}",
                format!("recall {kind:?}"),
                "",
                ratio(*m, *g),
                format!("{m}/{g}")
            )?;
        }
        writeln!(
            f,
            "{:<28} {:>7.3}  ({}/{})",
            "speaker accuracy",
            self.speaker_accuracy(),
            self.speaker_correct,
            self.speaker_total
        )?;
        writeln!(
            f,
            "{:<28} {:>7.3}  ({}/{})",
            "outlet accuracy",
            self.outlet_accuracy(),
            self.outlet_correct,
            self.outlet_total
        )
    }
}

impl QuoteEvalReport {
    /// The disagreements, one per line.
    pub fn misses_table(&self) -> String {
        let mut out = String::new();
        for m in &self.misses {
            out.push_str(&format!(
                "{:<20} {:<8} {:>6}..{:<6} expected={:<30} found={:<30} {}\n",
                m.document,
                m.what,
                m.start,
                m.end,
                m.expected.as_deref().unwrap_or("-"),
                m.found.as_deref().unwrap_or("-"),
                m.excerpt
            ));
        }
        out
    }
}

/// Loose speaker comparison: the last name of one occurs in the other.
fn same_speaker(gold: &str, found: &str) -> bool {
    let norm = |s: &str| s.to_lowercase().replace(['’', '\''], "");
    let (g, f) = (norm(gold), norm(found));
    let last = |s: &str| s.split_whitespace().last().unwrap_or("").to_string();
    g == f
        || f.split_whitespace().any(|w| w == last(&g))
        || g.split_whitespace().any(|w| w == last(&f))
}

fn same_outlet(gold: &str, found: &str) -> bool {
    let norm = |s: &str| {
        let s = s.to_lowercase();
        s.strip_prefix("the ").map(str::to_string).unwrap_or(s)
    };
    norm(gold) == norm(found)
}

fn excerpt(chars: &[char], start: usize, end: usize) -> String {
    let end = end.min(start + 60).min(chars.len());
    chars
        .get(start.min(end)..end)
        .map(|c| c.iter().collect())
        .unwrap_or_default()
}

fn score_document(id: &str, text: &str, gold: &[GoldQuote], doc: &Document) -> QuoteEvalReport {
    let index = CharIndex::new(text);
    let chars: Vec<char> = text.chars().collect();
    let predicted: Vec<(usize, usize, &dyad_document::Quote)> = doc
        .quotes
        .iter()
        .map(|q| {
            (
                index.char_offset(q.range.start()),
                index.char_offset(q.range.end()),
                q,
            )
        })
        .collect();
    let mut report = QuoteEvalReport {
        documents: 1,
        gold: gold.len(),
        predicted: predicted.len(),
        ..Default::default()
    };
    // One-to-one matching, best overlaps first over all pairs (matching gold quotes in text
    // order would let an enclosing reported clause take the partial quote nested in it).
    let share = |g: &GoldQuote, s: usize, e: usize| {
        let overlap = e.min(g.end).saturating_sub(s.max(g.start));
        let longer = (e - s).max(g.end - g.start).max(1);
        overlap as f64 / longer as f64
    };
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pi, (s, e, _)) in predicted.iter().enumerate() {
            let sh = share(g, *s, *e);
            if sh >= 0.5 {
                pairs.push((sh, gi, pi));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut assigned: Vec<Option<usize>> = vec![None; gold.len()];
    let mut used = vec![false; predicted.len()];
    for (_, gi, pi) in pairs {
        if assigned.get(gi).is_some_and(Option::is_none) && !used.get(pi).copied().unwrap_or(true) {
            if let Some(slot) = assigned.get_mut(gi) {
                *slot = Some(pi);
            }
            if let Some(u) = used.get_mut(pi) {
                *u = true;
            }
        }
    }
    for (gi, g) in gold.iter().enumerate() {
        let kind_slot = match report.by_kind.iter().position(|(k, _, _)| *k == g.kind) {
            Some(i) => i,
            None => {
                report.by_kind.push((g.kind, 0, 0));
                report.by_kind.len() - 1
            }
        };
        if let Some(slot) = report.by_kind.get_mut(kind_slot) {
            slot.1 += 1;
        }
        let best = assigned.get(gi).copied().flatten().and_then(|i| {
            predicted
                .get(i)
                .map(|(s, e, q)| (*s == g.start && *e == g.end, *q))
        });
        let Some((exact, q)) = best else {
            report.misses.push(Miss {
                document: id.to_string(),
                what: "missed",
                start: g.start,
                end: g.end,
                excerpt: excerpt(&chars, g.start, g.end),
                expected: g.speaker.clone(),
                found: None,
            });
            continue;
        };
        report.matched += 1;
        if let Some(slot) = report.by_kind.get_mut(kind_slot) {
            slot.2 += 1;
        }
        report.exact += usize::from(exact);
        let found_speaker = q.speaker.as_ref().map(|s| s.name.clone());
        if let Some(expected) = &g.speaker {
            report.speaker_total += 1;
            if found_speaker
                .as_deref()
                .is_some_and(|f| same_speaker(expected, f))
            {
                report.speaker_correct += 1;
            } else {
                report.misses.push(Miss {
                    document: id.to_string(),
                    what: "speaker",
                    start: g.start,
                    end: g.end,
                    excerpt: excerpt(&chars, g.start, g.end),
                    expected: Some(expected.clone()),
                    found: found_speaker,
                });
            }
        }
        let found_outlet = q.outlet.as_ref().map(|o| o.name.clone());
        if g.outlet.is_some() || found_outlet.is_some() {
            report.outlet_total += 1;
            let right = match (&g.outlet, &found_outlet) {
                (Some(a), Some(b)) => same_outlet(a, b),
                _ => false,
            };
            if right {
                report.outlet_correct += 1;
            } else {
                report.misses.push(Miss {
                    document: id.to_string(),
                    what: "outlet",
                    start: g.start,
                    end: g.end,
                    excerpt: excerpt(&chars, g.start, g.end),
                    expected: g.outlet.clone(),
                    found: found_outlet,
                });
            }
        }
    }
    for (i, (s, e, q)) in predicted.iter().enumerate() {
        if !used.get(i).copied().unwrap_or(true) {
            report.misses.push(Miss {
                document: id.to_string(),
                what: "spurious",
                start: *s,
                end: *e,
                excerpt: excerpt(&chars, *s, *e),
                expected: None,
                found: q.speaker.as_ref().map(|s| s.name.clone()),
            });
        }
    }
    report
}

fn read_corpus(
    corpus_path: &Path,
    wanted: &HashMap<String, ()>,
) -> Result<HashMap<String, String>, QuotesError> {
    let io = |source| QuotesError::Io {
        path: corpus_path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(corpus_path).map_err(io)?;
    let reader: Box<dyn Read> = if corpus_path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut texts = HashMap::new();
    for (n, line) in BufReader::new(reader).lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let record: CorpusDoc = serde_json::from_str(&line).map_err(|e| QuotesError::Record {
            path: corpus_path.display().to_string(),
            line: n + 1,
            reason: e.to_string(),
        })?;
        if wanted.contains_key(&record.id) {
            texts.insert(record.id, record.text);
        }
    }
    Ok(texts)
}

/// Evaluates on a gold file, preparing each document (sentences, tokens, optionally entities)
/// with `prepare` before the quote stage runs. `corpus_path` is the corpus JSONL (optionally
/// gzipped); gold records with a `file` read that file relative to the corpus's folder.
pub fn evaluate_with(
    gold_path: &Path,
    corpus_path: &Path,
    prepare: &dyn Fn(&mut Document) -> Result<(), StageError>,
) -> Result<QuoteEvalReport, QuotesError> {
    let gold_text = std::fs::read_to_string(gold_path).map_err(|source| QuotesError::Io {
        path: gold_path.display().to_string(),
        source,
    })?;
    let mut gold = Vec::new();
    for (n, line) in gold_text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: GoldDoc = serde_json::from_str(line).map_err(|e| QuotesError::Record {
            path: gold_path.display().to_string(),
            line: n + 1,
            reason: e.to_string(),
        })?;
        gold.push((n + 1, record));
    }
    let wanted: HashMap<String, ()> = gold
        .iter()
        .filter(|(_, g)| g.file.is_none())
        .map(|(_, g)| (g.id.clone(), ()))
        .collect();
    let texts = if wanted.is_empty() {
        HashMap::new()
    } else {
        read_corpus(corpus_path, &wanted)?
    };
    let stage = QuotesStage::new()?;
    let mut total = QuoteEvalReport::default();
    for (line, g) in &gold {
        let text = match &g.file {
            Some(file) => {
                let path = corpus_path.parent().unwrap_or(Path::new(".")).join(file);
                std::fs::read_to_string(&path).map_err(|source| QuotesError::Io {
                    path: path.display().to_string(),
                    source,
                })?
            }
            None => texts
                .get(&g.id)
                .cloned()
                .ok_or_else(|| QuotesError::UnknownDocument {
                    path: gold_path.display().to_string(),
                    line: *line,
                    id: g.id.clone(),
                })?,
        };
        let mut doc = Document::new(text.clone(), Metadata::default());
        let prepared =
            prepare(&mut doc).and_then(|()| dyad_document::Stage::process(&stage, &mut doc));
        if let Err(e) = prepared {
            return Err(QuotesError::Record {
                path: gold_path.display().to_string(),
                line: *line,
                reason: e.to_string(),
            });
        }
        total.add(score_document(&g.id, &text, &g.quotes, &doc));
    }
    Ok(total)
}

/// Evaluates on a gold file with this crate's own splitter ([`simple_segment`]) preparing the
/// documents (no entity layer). The CLI can pass the real pipeline to [`evaluate_with`] instead.
pub fn evaluate(gold_path: &Path, corpus_path: &Path) -> Result<QuoteEvalReport, QuotesError> {
    evaluate_with(gold_path, corpus_path, &|doc: &mut Document| {
        simple_segment(doc);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_speaker_names() {
        assert!(same_speaker("Ahmad Massoud", "Massoud"));
        assert!(same_speaker("Zabihullah Mujahid", "Zabihullah Mujahid"));
        assert!(!same_speaker("Ali Nazary", "Ahmad Massoud"));
        assert!(same_outlet("The Washington Post", "Washington Post"));
    }
}

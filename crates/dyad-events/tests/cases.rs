//! Coding cases as data: every `tests/cases/*.jsonl` line is a sentence (with optional
//! context and date) and the events it must or must not give. A domain expert can add
//! cases without writing Rust; see the field list below.
//!
//! Fields: `name`, `text`, optional `context` (previous sentence, for pronouns), `date`
//! (publication date, `YYYY-MM-DD`), `expect` (events that must be emitted), `forbid` (events
//! that must not be), `exact` (no asserted events besides `expect`), `known_failure` (a known
//! gap: reported, not failed). An event pattern has optional `source`, `target` (actor codes;
//! `target: null` means "no target"), `cameo` (a prefix: `19` matches `190` and `193`),
//! `negated`, `modality`.

use dyad_document::{Document, Event, Metadata};
use dyad_events::{EventStage, Preparation};
use dyad_kb::KnowledgeBase;
use serde::Deserialize;
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    text: String,
    #[serde(default)]
    context: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    expect: Vec<EventPattern>,
    #[serde(default)]
    forbid: Vec<EventPattern>,
    #[serde(default)]
    exact: bool,
    #[serde(default)]
    known_failure: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventPattern {
    #[serde(default)]
    source: Option<String>,
    #[serde(default, deserialize_with = "some_or_null")]
    target: Option<Option<String>>,
    #[serde(default)]
    cameo: Option<String>,
    #[serde(default)]
    negated: Option<bool>,
    #[serde(default)]
    modality: Option<String>,
}

fn some_or_null<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

impl EventPattern {
    fn matches(&self, e: &Event) -> bool {
        self.source.as_ref().is_none_or(|s| *s == e.source.code)
            && self.target.as_ref().is_none_or(|t| match (t, &e.target) {
                (None, None) => true,
                (Some(t), Some(actual)) => *t == actual.code,
                _ => false,
            })
            && self
                .cameo
                .as_ref()
                .is_none_or(|c| e.cameo.starts_with(c.as_str()))
            && self.negated.is_none_or(|n| n == e.negated)
            && self
                .modality
                .as_ref()
                .is_none_or(|m| m == e.modality.as_str())
    }
}

fn show(doc: &Document, e: &Event) -> String {
    format!(
        "{} [{}] -> {} : {}{} ({}) \"{}\"",
        doc.slice(e.source.range),
        e.source.code,
        e.target.as_ref().map_or("-".to_string(), |t| format!(
            "{} [{}]",
            doc.slice(t.range),
            t.code
        )),
        e.cameo,
        if e.negated { " negated" } else { "" },
        e.modality.as_str(),
        doc.slice(e.evidence)
    )
}

#[test]
fn coding_cases() {
    let kb = Arc::new(KnowledgeBase::load_default().unwrap());
    let preparation = Preparation::new(kb.clone()).unwrap();
    let stage = EventStage::new(kb).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let (mut passed, mut failed, mut known) = (0, Vec::new(), Vec::new());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let where_ = format!(
                "{}:{}",
                file.file_name().unwrap().to_string_lossy(),
                number + 1
            );
            let case: Case = serde_json::from_str(line).unwrap_or_else(|e| panic!("{where_}: {e}"));
            let meta = Metadata {
                published: case.date.as_deref().and_then(|d| d.parse().ok()),
                ..Default::default()
            };
            let (doc, offset) = preparation
                .with_context(case.context.as_deref(), &case.text, meta)
                .unwrap();
            let events: Vec<Event> = stage
                .code(&doc)
                .into_iter()
                .filter(|e| e.evidence.start() >= offset)
                .collect();
            let mut problems = Vec::new();
            for want in &case.expect {
                if !events.iter().any(|e| want.matches(e)) {
                    problems.push(format!("missing {want:?}"));
                }
            }
            for bad in &case.forbid {
                if let Some(e) = events.iter().find(|e| bad.matches(e)) {
                    problems.push(format!("forbidden {}", show(&doc, e)));
                }
            }
            if case.exact {
                for e in events.iter().filter(|e| !e.negated) {
                    if !case.expect.iter().any(|w| w.matches(e)) {
                        problems.push(format!("unexpected {}", show(&doc, e)));
                    }
                }
            }
            if problems.is_empty() {
                passed += 1;
                continue;
            }
            let report = format!(
                "{where_} {}: {}\n    {}\n    emitted: {}",
                case.name,
                case.text,
                problems.join("\n    "),
                events
                    .iter()
                    .map(|e| show(&doc, e))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            if case.known_failure {
                known.push(report);
            } else {
                failed.push(report);
            }
        }
    }
    println!(
        "coding cases: {passed} passed, {} failed, {} known failures",
        failed.len(),
        known.len()
    );
    for k in &known {
        println!("known failure: {k}");
    }
    assert!(
        failed.is_empty(),
        "{} coding cases failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

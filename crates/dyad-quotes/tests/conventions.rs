//! The journalistic conventions the finder follows, one invented case each, read from
//! `tests/conventions.jsonl` (a domain expert can add a line without writing Rust).
//!
//! A line is `{rule, text, quotes: [{quote, kind?, speaker?, outlet?}], absent?: [text],
//! exactly?: bool, verbs?: [word], tags?: {word: TAG}, entities?: [{text, label, canonical?}]}`:
//! every listed quote must be found with exactly that content; `kind`, `speaker` and
//! `outlet` are checked when present (`null` = none); no quote may contain an `absent` text;
//! with `exactly`, no other quote may be found.
//! Each case runs through this crate's splitter, through `dyad-text`, and through
//! `dyad-text` with what the later stages add: its `verbs` tagged as verbs (`VBD`), its
//! `tags` (Penn Treebank) and its `entities` (every occurrence of each text), as a tagger
//! and an entity recognizer, right or wrong, would.

use dyad_document::{Document, Entity, EntityLabel, Metadata, PosTag, Stage, TextRange};
use dyad_quotes::{QuotesStage, simple_segment};
use serde_json::Value;
use std::path::Path;

/// How a case is prepared: this crate's splitter, `dyad-text`, or `dyad-text` with the
/// case's `verbs` tagged as a part-of-speech tagger would (the tagger is another stage).
#[derive(Debug, Clone, Copy)]
enum Prepare {
    SimpleSegment,
    DyadText,
    Tagged,
}

fn run(case: &Value, text: &str, verbs: &[&str], prepare: Prepare) -> Document {
    let mut doc = Document::new(text.to_string(), Metadata::default());
    match prepare {
        Prepare::SimpleSegment => simple_segment(&mut doc),
        Prepare::DyadText => dyad_text::TextStage::new().process(&mut doc).unwrap(),
        Prepare::Tagged => {
            dyad_text::TextStage::new().process(&mut doc).unwrap();
            let tagged: Vec<usize> = (0..doc.tokens.len())
                .filter(|&i| verbs.contains(&doc.slice(doc.tokens[i].range)))
                .collect();
            for i in tagged {
                doc.tokens[i].tag = Some(PosTag::VBD);
            }
            if let Some(tags) = case["tags"].as_object() {
                for token in &mut doc.tokens {
                    let word = &text[token.range.as_range()];
                    if let Some(tag) = tags.get(word).and_then(Value::as_str) {
                        token.tag = Some(PosTag::parse(tag));
                    }
                }
            }
            let mut entities = Vec::new();
            for (referent, e) in case["entities"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let name = e["text"].as_str().unwrap();
                let label = EntityLabel::parse(e["label"].as_str().unwrap()).unwrap();
                let canonical = e["canonical"].as_str().unwrap_or(name);
                for (start, _) in text.match_indices(name) {
                    entities.push(Entity {
                        range: TextRange::new(start, start + name.len()),
                        label,
                        canonical: canonical.to_string(),
                        referent: referent as u32,
                        actor: None,
                    });
                }
            }
            entities.sort_by_key(|e| e.range.start());
            doc.entities = entities;
        }
    }
    QuotesStage::new().unwrap().process(&mut doc).unwrap();
    doc.validate().unwrap();
    doc
}

fn check_case(case: &Value, prepare: Prepare) -> Vec<String> {
    let rule = case["rule"].as_str().unwrap_or("?");
    let text = case["text"].as_str().unwrap_or("");
    let verbs: Vec<&str> = case["verbs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let doc = run(case, text, &verbs, prepare);
    let found: Vec<String> = doc
        .quotes
        .iter()
        .map(|q| {
            format!(
                "{:?} {:?} speaker={:?} outlet={:?}",
                doc.slice(q.range),
                q.kind,
                q.speaker.as_ref().map(|s| &s.name),
                q.outlet.as_ref().map(|o| &o.name)
            )
        })
        .collect();
    let mut errors = Vec::new();
    let via = format!("{prepare:?}");
    for expected in case["quotes"].as_array().into_iter().flatten() {
        let content = expected["quote"].as_str().unwrap_or("");
        let Some(q) = doc.quotes.iter().find(|q| doc.slice(q.range) == content) else {
            errors.push(format!(
                "[{rule}, {via}] no quote {content:?}; found {found:#?}"
            ));
            continue;
        };
        if let Some(kind) = expected.get("kind") {
            let actual = serde_json::to_value(q.kind).unwrap();
            if &actual != kind {
                errors.push(format!(
                    "[{rule}, {via}] {content:?}: kind {actual} != {kind}"
                ));
            }
        }
        for (field, actual) in [
            ("speaker", q.speaker.as_ref().map(|s| s.name.clone())),
            ("outlet", q.outlet.as_ref().map(|o| o.name.clone())),
        ] {
            if let Some(want) = expected.get(field)
                && want.as_str().map(str::to_string) != actual
            {
                errors.push(format!(
                    "[{rule}, {via}] {content:?}: {field} {actual:?} != {want}"
                ));
            }
        }
    }
    let listed = case["quotes"].as_array().map_or(0, Vec::len);
    if case["exactly"].as_bool() == Some(true) && doc.quotes.len() != listed {
        errors.push(format!(
            "[{rule}, {via}] {listed} quotes expected, found {found:#?}"
        ));
    }
    for absent in case["absent"].as_array().into_iter().flatten() {
        let absent = absent.as_str().unwrap_or("");
        if doc
            .quotes
            .iter()
            .any(|q| doc.slice(q.range).contains(absent))
        {
            errors.push(format!(
                "[{rule}, {via}] {absent:?} is quoted; found {found:#?}"
            ));
        }
    }
    errors
}

#[test]
fn conventions() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conventions.jsonl");
    let cases = std::fs::read_to_string(path).unwrap();
    let mut errors = Vec::new();
    let mut count = 0;
    for line in cases
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let case: Value = serde_json::from_str(line).unwrap();
        count += 1;
        for prepare in [Prepare::SimpleSegment, Prepare::DyadText, Prepare::Tagged] {
            errors.extend(check_case(&case, prepare));
        }
    }
    assert!(count > 10);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

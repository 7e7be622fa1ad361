//! The seed article through the tagger and chunker, with golden output.

mod common;

use dyad_syntax::{ChunkKind, SentenceAnalysis, SyntaxStage, Tense, analyze_sentence};
use std::path::Path;

fn seed() -> Option<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seed/panjshir.txt");
    std::fs::read_to_string(&path).ok()
}

fn render(doc: &dyad_document::Document, a: &SentenceAnalysis) -> String {
    let mut out = String::new();
    for i in a.tokens.clone() {
        let t = &doc.tokens[i];
        out.push_str(doc.slice(t.range));
        out.push('/');
        out.push_str(t.tag.map_or("?", |t| t.as_str()));
        out.push(' ');
    }
    out.push('\n');
    for c in &a.chunks {
        let text: Vec<&str> = c
            .tokens
            .clone()
            .map(|i| doc.slice(doc.tokens[i].range))
            .collect();
        match &c.verb {
            Some(v) => out.push_str(&format!(
                "  VG [{}] lemma={} negated={} passive={} modal={:?} infinitive={} tense={:?} perfect={} progressive={}\n",
                text.join(" "),
                v.lemma,
                v.negated,
                v.passive,
                v.modal,
                v.infinitive,
                v.tense,
                v.perfect,
                v.progressive
            )),
            None if c.kind == ChunkKind::NounPhrase => out.push_str(&format!(
                "  NP [{}] head={}\n",
                text.join(" "),
                doc.slice(doc.tokens[c.head].range)
            )),
            None => {}
        }
    }
    out
}

fn find_sentence(doc: &dyad_document::Document, needle: &str) -> usize {
    doc.sentences
        .iter()
        .position(|s| doc.slice(s.range).contains(needle))
        .unwrap_or_else(|| panic!("no sentence contains {needle:?}"))
}

#[test]
fn seed_article_verb_groups() {
    let Some(text) = seed() else {
        eprintln!("../shared not found beside the repository: skipping");
        return;
    };
    let mut doc = common::document(&text);
    SyntaxStage::new().unwrap().annotate(&mut doc);
    assert!(doc.tokens.iter().all(|t| t.tag.is_some()));
    doc.validate().unwrap();

    let s = find_sentence(&doc, "poignantly assassinated");
    let a = analyze_sentence(&doc, s);
    let v = a
        .verb_groups()
        .find(|v| v.lemma == "assassinate")
        .expect("assassinate");
    assert!(v.passive && !v.negated && v.modal.is_none());
    let by_al_qaeda = a
        .noun_phrases()
        .any(|c| doc.slice(doc.tokens[c.head].range) == "al-Qaeda");
    assert!(by_al_qaeda, "{}", render(&doc, &a));

    let s = find_sentence(&doc, "has not yet attacked");
    let a = analyze_sentence(&doc, s);
    let v = a
        .verb_groups()
        .find(|v| v.lemma == "attack")
        .expect("attack");
    assert!(v.negated && !v.passive);
    assert_eq!(v.tense, Tense::Present);
    assert!(v.perfect);

    let s = find_sentence(&doc, "will defend");
    let a = analyze_sentence(&doc, s);
    let v = a
        .verb_groups()
        .find(|v| v.lemma == "defend")
        .expect("defend");
    assert_eq!(v.modal.as_deref(), Some("will"));
    assert_eq!(v.tense, Tense::Future);

    let s = find_sentence(&doc, "they are pursuing");
    let a = analyze_sentence(&doc, s);
    assert!(
        a.verb_groups().any(|v| v.lemma == "pursue"),
        "{}",
        render(&doc, &a)
    );
    assert!(
        a.verb_groups().any(|v| v.lemma == "tell"),
        "{}",
        render(&doc, &a)
    );
}

#[test]
fn seed_article_golden() {
    let Some(text) = seed() else {
        eprintln!("../shared not found beside the repository: skipping");
        return;
    };
    let mut doc = common::document(&text);
    SyntaxStage::new().unwrap().annotate(&mut doc);
    let mut out = String::new();
    for needle in [
        "poignantly assassinated",
        "has not yet attacked",
        "will defend",
        "was tapped as",
        "have rallied",
    ] {
        let a = analyze_sentence(&doc, find_sentence(&doc, needle));
        out.push_str(&render(&doc, &a));
        out.push('\n');
    }
    insta::assert_snapshot!("seed_sentences", out);
}

//! The seed article through dyad-text's real tokenizer, then tagging and chunking.

use dyad_document::{Document, Metadata, Pipeline};
use dyad_syntax::{SyntaxStage, Tense, analyze_sentence};
use dyad_text::TextStage;
use std::path::Path;

fn seed_document() -> Option<Document> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seed/panjshir.txt");
    let text = std::fs::read_to_string(path).ok()?;
    let mut doc = Document::new(text, Metadata::default());
    let pipeline = Pipeline::new(vec![
        Box::new(TextStage::new()),
        Box::new(SyntaxStage::new().unwrap()),
    ])
    .unwrap();
    pipeline.run(&mut doc).unwrap();
    Some(doc)
}

fn sentence_with(doc: &Document, needle: &str) -> usize {
    doc.sentences
        .iter()
        .position(|s| doc.slice(s.range).contains(needle))
        .unwrap_or_else(|| panic!("no sentence contains {needle:?}"))
}

#[test]
fn seed_article_through_dyad_text() {
    let Some(doc) = seed_document() else {
        eprintln!("../shared not found beside the repository: skipping");
        return;
    };
    assert!(doc.tokens.iter().all(|t| t.tag.is_some()));

    let a = analyze_sentence(&doc, sentence_with(&doc, "poignantly assassinated"));
    let v = a.verb_groups().find(|v| v.lemma == "assassinate").unwrap();
    assert!(v.passive && !v.negated);
    assert_eq!(v.tense, Tense::Past);
    let text = |r: std::ops::Range<usize>| {
        r.map(|i| doc.slice(doc.tokens[i].range))
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        text(v.tokens.clone()),
        "was brutally and poignantly assassinated"
    );

    let a = analyze_sentence(&doc, sentence_with(&doc, "has not yet attacked"));
    let v = a.verb_groups().find(|v| v.lemma == "attack").unwrap();
    assert!(v.negated && v.perfect);
    assert_eq!(text(v.tokens.clone()), "has not yet attacked");

    let a = analyze_sentence(&doc, sentence_with(&doc, "will defend"));
    let v = a.verb_groups().find(|v| v.lemma == "defend").unwrap();
    assert_eq!(v.modal.as_deref(), Some("will"));

    let a = analyze_sentence(&doc, sentence_with(&doc, "was tapped"));
    assert!(a.verb_groups().any(|v| v.lemma == "tap" && v.passive));
    assert!(a.verb_groups().any(|v| v.lemma == "defend"));

    let a = analyze_sentence(&doc, sentence_with(&doc, "have rallied"));
    assert!(a.verb_groups().any(|v| v.lemma == "rally"));
    assert!(a.verb_groups().any(|v| v.lemma == "call"));
}

//! The dependency parser on the seed article, through dyad-text's tokenizer and sentence
//! splitter and the syntax stage: the arcs the event coder relies on, and a golden snapshot.

use dyad_document::{Document, Metadata, Pipeline};
use dyad_syntax::{DepLabel, DependencyTree, SyntaxStage, parse_sentence};
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

/// The first token of the tree whose text is `word`.
fn token(doc: &Document, tree: &DependencyTree, word: &str) -> usize {
    tree.tokens
        .clone()
        .find(|&i| doc.slice(doc.tokens[i].range) == word)
        .unwrap_or_else(|| panic!("no token {word:?}"))
}

fn text(doc: &Document, i: Option<usize>) -> &str {
    i.map_or("-", |i| doc.slice(doc.tokens[i].range))
}

fn conll(doc: &Document, tree: &DependencyTree) -> String {
    tree.to_conll(
        |i| doc.slice(doc.tokens[i].range),
        |i| doc.tokens[i].tag.map_or("?", |t| t.as_str()),
    )
}

#[test]
fn passive_agent() {
    let Some(doc) = seed_document() else {
        eprintln!("../shared not found beside the repository: skipping");
        return;
    };
    let tree = parse_sentence(&doc, sentence_with(&doc, "poignantly assassinated"));
    assert!(tree.is_well_formed());
    let verb = token(&doc, &tree, "assassinated");
    let why = conll(&doc, &tree);
    let by = tree.children_with(verb, DepLabel::Agent).next();
    assert_eq!(text(&doc, by), "by", "{why}");
    assert_eq!(text(&doc, tree.passive_agent_of(verb)), "al-Qaeda", "{why}");
}

#[test]
#[ignore = "known parser error: `was` heads `brutally and poignantly assassinated` (acomp), \
            so `he` is the nsubj of `was`; spaCy makes `assassinated` the head"]
fn passive_subject() {
    let Some(doc) = seed_document() else {
        return;
    };
    let tree = parse_sentence(&doc, sentence_with(&doc, "poignantly assassinated"));
    let verb = token(&doc, &tree, "assassinated");
    let why = conll(&doc, &tree);
    let subject = tree.subject_of(verb);
    assert_eq!(text(&doc, subject), "he", "{why}");
    assert_eq!(
        subject.and_then(|s| tree.label(s)),
        Some(DepLabel::Nsubjpass)
    );
    assert!(tree.is_passive(verb), "{why}");
}

#[test]
fn relative_clause_and_negation() {
    let Some(doc) = seed_document() else {
        eprintln!("../shared not found beside the repository: skipping");
        return;
    };
    let tree = parse_sentence(&doc, sentence_with(&doc, "has not yet attacked"));
    assert!(tree.is_well_formed());
    let why = conll(&doc, &tree);
    let attacked = token(&doc, &tree, "attacked");
    let taliban = token(&doc, &tree, "Taliban");
    assert_eq!(tree.subject_of(attacked), Some(taliban), "{why}");
    assert_eq!(tree.label(taliban), Some(DepLabel::Nsubj), "{why}");
    assert!(tree.is_negated(attacked), "{why}");
    let not = tree.children_with(attacked, DepLabel::Neg).next();
    assert_eq!(text(&doc, not), "not");
    let sent = token(&doc, &tree, "sent");
    assert_eq!(tree.head(sent), Some(taliban), "{why}");
    assert_eq!(tree.label(sent), Some(DepLabel::Relcl), "{why}");
    assert_eq!(tree.effective_subject_of(sent), Some(taliban), "{why}");
}

#[test]
#[ignore = "known error: the tagger reads `holed` (in `the fighters holed up`) as VBD, so \
            `fighters` becomes its subject instead of the object of `attacked`"]
fn object_before_reduced_relative() {
    let Some(doc) = seed_document() else {
        return;
    };
    let tree = parse_sentence(&doc, sentence_with(&doc, "has not yet attacked"));
    let why = conll(&doc, &tree);
    let attacked = token(&doc, &tree, "attacked");
    let objects: Vec<&str> = tree
        .objects_of(attacked)
        .into_iter()
        .map(|o| text(&doc, Some(o)))
        .collect();
    assert_eq!(objects, ["fighters"], "{why}");
}

#[test]
fn prepositional_object() {
    let Some(doc) = seed_document() else {
        eprintln!("../shared not found beside the repository: skipping");
        return;
    };
    let tree = parse_sentence(&doc, sentence_with(&doc, "called upon"));
    assert!(tree.is_well_formed());
    let why = conll(&doc, &tree);
    let called = token(&doc, &tree, "called");
    assert_eq!(text(&doc, tree.subject_of(called)), "He", "{why}");
    let upon = token(&doc, &tree, "upon");
    let us = token(&doc, &tree, "U.S.");
    let expected = [(upon, Some(us))];
    assert_eq!(tree.prepositional_objects(called), expected, "{why}");
}

#[test]
#[ignore = "known error, shared with spaCy en_core_web_sm: `retreating` is parsed as a verb \
            coordinated with `called` (`troops` its object), not as `U.S. and troops`"]
fn coordinated_prepositional_objects() {
    let Some(doc) = seed_document() else {
        return;
    };
    let tree = parse_sentence(&doc, sentence_with(&doc, "called upon"));
    let why = conll(&doc, &tree);
    let us = token(&doc, &tree, "U.S.");
    let troops = token(&doc, &tree, "troops");
    assert_eq!(tree.conjuncts(us), [troops], "{why}");
    let words: Vec<&str> = tree
        .subtree_range(us)
        .map(|i| text(&doc, Some(i)))
        .collect();
    assert_eq!(
        words,
        ["the", "U.S.", "and", "retreating", "troops"],
        "{why}"
    );
}

#[test]
fn every_seed_sentence_parses_to_a_tree() {
    let Some(doc) = seed_document() else {
        eprintln!("../shared not found beside the repository: skipping");
        return;
    };
    for s in 0..doc.sentences.len() {
        let tree = parse_sentence(&doc, s);
        assert!(tree.is_well_formed(), "sentence {s}");
        assert_eq!(tree.tokens, doc.tokens_in(doc.sentences[s].range));
    }
    assert!(parse_sentence(&doc, doc.sentences.len()).is_empty());
}

#[test]
fn seed_parses_golden() {
    let Some(doc) = seed_document() else {
        eprintln!("../shared not found beside the repository: skipping");
        return;
    };
    let mut out = String::new();
    for needle in [
        "poignantly assassinated",
        "has not yet attacked",
        "called upon",
        "Mujahid said the Taliban had met",
        "will defend",
    ] {
        let tree = parse_sentence(&doc, sentence_with(&doc, needle));
        out.push_str(&conll(&doc, &tree));
        out.push('\n');
    }
    insta::assert_snapshot!("seed_parses", out);
}

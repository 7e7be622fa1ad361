//! The stage on hand-built documents.

mod common;

use dyad_document::{Layer, Pipeline, PosTag, Stage};
use dyad_syntax::{SyntaxStage, Tagger, analyze_sentence};

#[test]
fn embedded_model_loads() {
    let tagger = Tagger::embedded().unwrap();
    assert!(tagger.feature_count() > 10_000);
    assert!(tagger.classes().iter().any(|c| c == "NNP"));
    assert!(tagger.provenance().contains("spaCy"));
}

#[test]
fn declares_its_layers() {
    let stage = SyntaxStage::new().unwrap();
    assert_eq!(stage.requires(), [Layer::Sentences, Layer::Tokens]);
    assert_eq!(stage.produces(), [Layer::Tags]);
    assert!(Pipeline::new(vec![Box::new(stage)]).is_err());
}

#[test]
fn tags_and_lemmas_on_a_news_sentence() {
    let mut doc = common::document(
        "The Taliban fighters attacked the valley on Tuesday, officials told the BBC.",
    );
    SyntaxStage::new().unwrap().process(&mut doc).unwrap();
    let tagged: Vec<(&str, PosTag, Option<&str>)> = doc
        .tokens
        .iter()
        .map(|t| (doc.slice(t.range), t.tag.unwrap(), t.lemma.as_deref()))
        .collect();
    assert_eq!(tagged[0], ("The", PosTag::DT, Some("the")));
    assert_eq!(tagged[2], ("fighters", PosTag::NNS, Some("fighter")));
    assert_eq!(tagged[3], ("attacked", PosTag::VBD, Some("attack")));
    assert_eq!(tagged[6], ("on", PosTag::IN, None));
    assert_eq!(tagged[10], ("told", PosTag::VBD, Some("tell")));
    let a = analyze_sentence(&doc, 0);
    let lemmas: Vec<&str> = a.verb_groups().map(|v| v.lemma.as_str()).collect();
    assert_eq!(lemmas, ["attack", "tell"]);
}

#[test]
fn tokens_outside_sentences_are_tagged_too() {
    let mut doc = common::document("Kabul fell. Massoud vowed to fight.");
    doc.sentences.truncate(1);
    SyntaxStage::new().unwrap().annotate(&mut doc);
    assert!(doc.tokens.iter().all(|t| t.tag.is_some()));
}

#[test]
fn curly_quotes_and_contractions() {
    let mut doc = common::document("“We don’t accept it,” Massoud’s spokesman said.");
    SyntaxStage::new().unwrap().annotate(&mut doc);
    let tags: Vec<&str> = doc.tokens.iter().map(|t| t.tag.unwrap().as_str()).collect();
    let words: Vec<&str> = doc.tokens.iter().map(|t| doc.slice(t.range)).collect();
    assert_eq!(words[3], "n’t");
    assert_eq!(tags[0], "``");
    assert_eq!(tags[3], "RB");
    assert_eq!((words[9], tags[9]), ("’s", "POS"));
    let a = analyze_sentence(&doc, 0);
    let v = a.verb_groups().next().unwrap();
    assert!(v.negated);
    assert_eq!(v.lemma, "accept");
}

//! One test per rule on top of the tagger (`src/rules.rs`, `src/recognize.rs`,
//! `src/coref.rs`), each on a real-news-like sentence.

mod common;

use dyad_document::{Document, Entity, Metadata};

fn run(text: &str) -> Document {
    let mut doc = Document::new(text.to_string(), Metadata::default());
    common::pipeline(true).run(&mut doc).expect("pipeline runs");
    doc
}

fn entity<'a>(doc: &'a Document, text: &str) -> &'a Entity {
    doc.entities
        .iter()
        .find(|e| doc.slice(e.range) == text)
        .unwrap_or_else(|| panic!("no entity {text:?} in {:#?}", listed(doc)))
}

fn listed(doc: &Document) -> Vec<(String, &'static str)> {
    doc.entities
        .iter()
        .map(|e| (doc.slice(e.range).to_string(), e.label.as_str()))
        .collect()
}

#[test]
fn title_inside_a_span_leaves_the_person() {
    let doc = run(
        "British Foreign Secretary Boris Johnson arrived in Paris on Monday for talks \
                   on Syria. The Foreign Secretary said the talks were constructive.",
    );
    let johnson = entity(&doc, "Boris Johnson");
    assert_eq!(johnson.label.as_str(), "PERSON");
    assert!(
        !doc.entities
            .iter()
            .any(|e| doc.slice(e.range).contains("Secretary") && e.label.as_str() == "ORG"),
        "{:?}",
        listed(&doc)
    );
    // The role phrase alone is a mention of the person it names.
    let role = entity(&doc, "The Foreign Secretary");
    assert_eq!(role.label.as_str(), "PERSON");
    assert_eq!(role.referent, johnson.referent);
    assert_eq!(role.canonical, "Boris Johnson");
}

#[test]
fn name_before_a_title_stays_an_organization() {
    let doc = run("Fighting continued on Sunday, according to U.S. Army General Joseph Votel.");
    assert_eq!(entity(&doc, "U.S. Army").label.as_str(), "ORG");
    assert_eq!(entity(&doc, "Joseph Votel").label.as_str(), "PERSON");
}

#[test]
fn role_phrase_from_the_kb_before_a_name() {
    let doc = run(
        "The Foreign Secretary joined US Secretary of State John Kerry and \
                   international partners in Paris.",
    );
    assert_eq!(entity(&doc, "John Kerry").label.as_str(), "PERSON");
    assert_eq!(entity(&doc, "US").label.as_str(), "GPE");
    assert!(
        !doc.entities
            .iter()
            .any(|e| doc.slice(e.range).contains("of State"))
    );
}

#[test]
fn kb_group_codes_are_organizations() {
    let doc = run(
        "Daesh claimed the attack, and Oxfam and Doctors Without Borders said aid \
                   was blocked.",
    );
    for name in ["Daesh", "Oxfam", "Doctors Without Borders"] {
        assert_eq!(entity(&doc, name).label.as_str(), "ORG", "{name}");
    }
}

#[test]
fn sentence_initial_acronym_from_the_kb() {
    let doc = run("ISIL fighters attacked the town on Tuesday.");
    assert_eq!(entity(&doc, "ISIL").label.as_str(), "ORG");
}

#[test]
fn organization_heads_make_organizations() {
    let doc = run(
        "Fighters of the Popular Mobilization Forces entered the town on Friday \
                   with the 158th Fighter Wing overhead.",
    );
    assert_eq!(
        entity(&doc, "Popular Mobilization Forces").label.as_str(),
        "ORG"
    );
    assert_eq!(entity(&doc, "158th Fighter Wing").label.as_str(), "ORG");
}

#[test]
fn standalone_organization_head() {
    let doc = run("Officials said the Coalition had carried out 14 strikes near the city.");
    assert_eq!(entity(&doc, "Coalition").label.as_str(), "ORG");
}

#[test]
fn one_word_person_after_a_locative_preposition_is_a_place() {
    let doc = run("Heavy fighting continued in Raqqah on Sunday, activists said.");
    assert_eq!(entity(&doc, "Raqqah").label.as_str(), "GPE");
}

#[test]
fn ships_are_no_entities() {
    let doc = run("HMS Ocean sailed into the Gulf on Friday.");
    assert!(
        !doc.entities
            .iter()
            .any(|e| doc.slice(e.range).contains("Ocean")),
        "{:?}",
        listed(&doc)
    );
}

/// Regression: `President Trump` was given the canonical name `Trump Tower`.
#[test]
fn facility_named_after_a_person_keeps_its_own_referent() {
    let doc = run(
        "Protesters gathered outside Trump Tower in New York on Sunday. President \
                   Donald Trump said he would not resign. Trump spoke for an hour.",
    );
    let tower = entity(&doc, "Trump Tower");
    assert_eq!(tower.label.as_str(), "FAC");
    let trump = entity(&doc, "Trump");
    assert_eq!(trump.label.as_str(), "PERSON");
    assert_eq!(trump.canonical, "Donald Trump");
    assert_ne!(trump.referent, tower.referent);
}

//! One test per rule on top of the tagger (`src/rules.rs`, `src/recognize.rs`,
//! `src/coref.rs`), each on a real-news-like sentence.

mod common;

use dyad_document::{Document, Entity, Metadata};
use dyad_entities::{Gazetteer, ReadingCue, organization_readings};

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

/// The organization readings of `doc`, as (covered text, cue).
fn readings(doc: &Document) -> Vec<(String, ReadingCue)> {
    let gazetteer = Gazetteer::embedded().expect("lists");
    organization_readings(doc, &gazetteer)
        .into_iter()
        .map(|r| (doc.slice(r.range).to_string(), r.cue))
        .collect()
}

#[test]
fn country_as_subject_reads_as_its_government() {
    let doc = run("The United States strongly condemns the bombing in Baghdad on Sunday.");
    let us = doc
        .entities
        .iter()
        .find(|e| doc.slice(e.range).ends_with("United States"))
        .expect("the United States");
    // The label stays GPE (the contract); the reading is beside it.
    assert_eq!(us.label.as_str(), "GPE");
    assert_eq!(
        readings(&doc),
        [(doc.slice(us.range).to_string(), ReadingCue::Subject)]
    );
}

#[test]
fn coordinated_countries_as_subject() {
    let doc = run("Today, the United States and Iraq signed a loan agreement in Washington.");
    let found = readings(&doc);
    for name in ["United States", "Iraq"] {
        assert!(
            found.contains(&(name.to_string(), ReadingCue::Subject)),
            "{name}: {found:?}"
        );
    }
    assert!(!found.iter().any(|(t, _)| t == "Washington"), "{found:?}");
}

#[test]
fn country_after_a_locative_preposition_is_a_place() {
    let doc = run("Fighting continued in northern Iraq and across Syria, officials said.");
    assert!(readings(&doc).is_empty(), "{:?}", readings(&doc));
}

#[test]
fn possessive_country_reads_as_its_government() {
    let doc = run(
        "The minister underlined Britain's commitment to the talks and visited \
         Iraq's north.",
    );
    assert_eq!(
        readings(&doc),
        [("Britain".to_string(), ReadingCue::Possessive)]
    );
}

#[test]
fn partner_countries_read_as_governments() {
    let doc = run("Officials said they would keep working closely with Turkey and Jordan.");
    let found = readings(&doc);
    for name in ["Turkey", "Jordan"] {
        assert!(
            found.contains(&(name.to_string(), ReadingCue::Partner)),
            "{name}: {found:?}"
        );
    }
}

#[test]
fn country_as_subject_of_an_infinitive() {
    let doc = run("The envoy pressed for Russia to use its influence with Damascus.");
    assert!(
        readings(&doc).contains(&("Russia".to_string(), ReadingCue::InfinitiveSubject)),
        "{:?}",
        readings(&doc)
    );
}

#[test]
fn government_of_a_country() {
    let doc = run("Britain reiterated its support for the Government of Iraq on Monday.");
    assert!(
        readings(&doc).contains(&("Government of Iraq".to_string(), ReadingCue::GroupOf)),
        "{:?}",
        readings(&doc)
    );
}

#[test]
fn demonym_or_person_before_a_group_noun() {
    let doc = run(
        "Iraqi security forces entered the town as the Assad regime shelled \
         Aleppo and Iraqis celebrated.",
    );
    let found = readings(&doc);
    assert!(
        found.contains(&("Iraqi security forces".to_string(), ReadingCue::GroupHead)),
        "{found:?}"
    );
    assert!(
        found.contains(&("Assad regime".to_string(), ReadingCue::GroupHead)),
        "{found:?}"
    );
    // A plural demonym is a people, not a modifier.
    assert!(
        !found.iter().any(|(t, _)| t.starts_with("Iraqis")),
        "{found:?}"
    );
    // The entities themselves keep their labels.
    assert_eq!(entity(&doc, "Iraqi").label.as_str(), "NORP");
}

#[test]
fn weapon_acronyms_are_no_entities() {
    let doc = run("A VBIED exploded near the checkpoint and a UAV was shot down.");
    assert!(
        !doc.entities
            .iter()
            .any(|e| matches!(doc.slice(e.range), "VBIED" | "UAV")),
        "{:?}",
        listed(&doc)
    );
}

#[test]
fn place_heads_make_places_of_organizations() {
    let doc = run(
        "Warships patrolled the Arabian Gulf last week. The frigate entered the Gulf \
         of Aden on Friday.",
    );
    for name in ["Arabian Gulf", "Gulf of Aden"] {
        let e = doc
            .entities
            .iter()
            .find(|e| doc.slice(e.range).starts_with(name))
            .unwrap_or_else(|| panic!("{name}: {:?}", listed(&doc)));
        assert_eq!(e.label.as_str(), "LOC", "{name}: {:?}", listed(&doc));
    }
}

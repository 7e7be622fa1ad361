//! The seed article (`../shared/corpus/seed/panjshir.txt`): every person and organization it
//! names, the referent groups, and a golden snapshot of all its entities.

mod common;

use dyad_document::{Document, Entity};
use dyad_entities::format_entities;

fn find<'a>(doc: &'a Document, text: &str) -> Vec<&'a Entity> {
    doc.entities
        .iter()
        .filter(|e| doc.slice(e.range) == text)
        .collect()
}

fn first<'a>(doc: &'a Document, text: &str) -> &'a Entity {
    find(doc, text)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no entity {text:?} in\n{}", format_entities(doc)))
}

#[test]
fn seed_names_every_person_and_organization() {
    let doc = common::seed();
    for (text, label) in [
        ("Ahmad Massoud", "PERSON"),
        ("Amrullah Salehl", "PERSON"),
        ("Ashraf Ghani", "PERSON"),
        ("Ali Nazary", "PERSON"),
        ("Ahmad Shah Massoud", "PERSON"),
        ("Zabihullah Mujahid", "PERSON"),
        ("Mujahid", "PERSON"),
        ("Massoud", "PERSON"),
        ("Taliban", "ORG"),
        ("National Resistance Front of Afghanistan", "ORG"),
        ("NRF", "ORG"),
        ("al-Qaeda", "ORG"),
        ("CIA", "ORG"),
        ("United Nations", "ORG"),
        ("BBC", "MEDIA"),
        ("CNN", "MEDIA"),
        ("Washington Post", "MEDIA"),
        ("Afghanistan", "GPE"),
        ("Kabul", "GPE"),
        ("U.S.", "GPE"),
        ("America", "GPE"),
        ("Panjshir Valley", "LOC"),
        ("Afghan", "NORP"),
        ("Afghans", "NORP"),
        ("Twin Towers", "FAC"),
    ] {
        for e in find(&doc, text) {
            assert_eq!(e.label.as_str(), label, "{text}\n{}", format_entities(&doc));
        }
        first(&doc, text);
    }
}

#[test]
fn seed_referents_and_codes() {
    let doc = common::seed();
    let son = first(&doc, "Ahmad Massoud");
    let father = first(&doc, "Ahmad Shah Massoud");
    assert_ne!(son.referent, father.referent);
    // Every bare `Massoud`, before and after the father is named, is the son.
    for e in find(&doc, "Massoud") {
        assert_eq!(e.referent, son.referent, "{}", format_entities(&doc));
        assert_eq!(e.canonical, "Ahmad Massoud");
    }
    let leader = first(&doc, "the 32-year-old resistance leader");
    assert_eq!(leader.referent, son.referent);

    let nrf = first(&doc, "National Resistance Front of Afghanistan");
    for e in find(&doc, "NRF") {
        assert_eq!(e.referent, nrf.referent);
        assert_eq!(e.canonical, "National Resistance Front of Afghanistan");
    }
    let us = first(&doc, "U.S.");
    assert_eq!(first(&doc, "America").referent, us.referent);
    assert_ne!(
        first(&doc, "Kabul").referent,
        first(&doc, "Afghanistan").referent
    );
    let mujahid = first(&doc, "Zabihullah Mujahid");
    for e in find(&doc, "Mujahid") {
        assert_eq!(e.referent, mujahid.referent);
    }
    assert_eq!(first(&doc, "Taliban").actor.as_deref(), Some("AFGINSTAL"));
    assert_eq!(
        first(&doc, "Washington Post").canonical,
        "The Washington Post"
    );
}

#[test]
fn seed_snapshot() {
    let doc = common::seed();
    doc.validate().expect("valid layers");
    insta::assert_snapshot!("seed_entities", format_entities(&doc));
}

#[test]
fn runs_without_a_knowledge_base() {
    let text = "Taliban spokesman Zabihullah Mujahid told the BBC that the group met Afghan elders in Kabul.";
    let mut doc = Document::new(text.into(), Default::default());
    common::pipeline(false).run(&mut doc).expect("runs");
    let labels: Vec<(&str, &str)> = doc
        .entities
        .iter()
        .map(|e| (doc.slice(e.range), e.label.as_str()))
        .collect();
    assert!(
        labels.contains(&("Zabihullah Mujahid", "PERSON")),
        "{labels:?}"
    );
    assert!(labels.contains(&("BBC", "MEDIA")), "{labels:?}");
    assert!(labels.contains(&("Kabul", "GPE")), "{labels:?}");
    assert!(doc.entities.iter().all(|e| e.actor.is_none()));
}

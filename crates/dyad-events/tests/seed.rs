//! The seed article (`../shared/corpus/seed/panjshir.txt`, published 2021-08-25) gives the
//! events an analyst expects, and no asserted Taliban attack.

use dyad_document::{Event, Metadata, Modality, Stage};
use dyad_events::{EventStage, Preparation, attach_context};
use dyad_kb::KnowledgeBase;
use std::path::Path;
use std::sync::Arc;

fn seed_events() -> (dyad_document::Document, Vec<Event>) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seed/panjshir.txt");
    let text = std::fs::read_to_string(path).expect("the seed article beside the repository");
    let meta = Metadata {
        published: "2021-08-25".parse().ok(),
        ..Default::default()
    };
    let kb = Arc::new(KnowledgeBase::load_default().unwrap());
    let mut doc = Preparation::new(kb.clone())
        .unwrap()
        .document(&text, meta)
        .unwrap();
    dyad_dates::DatesStage::new().process(&mut doc).unwrap();
    let stage = EventStage::new(kb).unwrap();
    stage.process(&mut doc).unwrap();
    attach_context(&mut doc);
    let events = doc.events.clone();
    for e in &events {
        println!(
            "{} [{}] -> {} : {}{} {} \"{}\" date {:?}",
            doc.slice(e.source.range),
            e.source.code,
            e.target.as_ref().map_or("-".into(), |t| format!(
                "{} [{}]",
                doc.slice(t.range),
                t.code
            )),
            e.cameo,
            if e.negated { " negated" } else { "" },
            e.modality.as_str(),
            doc.slice(e.evidence),
            e.date.map(|d| d.value.normalized())
        );
    }
    (doc, events)
}

fn find<'e>(
    events: &'e [Event],
    source: &str,
    target: Option<&str>,
    root: &str,
) -> Option<&'e Event> {
    events.iter().find(|e| {
        !e.negated
            && e.source.code == source
            && e.target.as_ref().map(|t| t.code.as_str()) == target
            && e.cameo.starts_with(root)
    })
}

#[test]
fn seed_article_gives_the_expected_events() {
    let (doc, events) = seed_events();
    let assassination = find(&events, "IMGMUSALQ", Some("AFGREB"), "186")
        .expect("al-Qaeda assassinated Ahmad Shah Massoud");
    assert_eq!(
        assassination.target.as_ref().unwrap().name,
        "Ahmad Shah Massoud"
    );
    assert_eq!(
        assassination.date.map(|d| d.value.normalized()).as_deref(),
        Some("2001-09-09")
    );

    let appeal = find(&events, "AFGREB", Some("USA"), "02").expect("Massoud appealed to the U.S.");
    assert_eq!(doc.slice(appeal.target.as_ref().unwrap().range), "U.S.");

    find(&events, "AFGINSTAL", None, "15").expect("the Taliban massed fighters along the valley");

    let met = find(&events, "AFGINSTAL", Some("USA"), "04")
        .expect("the Taliban met embassies including the U.S.");
    assert_eq!(met.modality, Modality::Reported);
    assert_eq!(
        met.speaker.as_ref().map(|s| s.name.as_str()),
        Some("Zabihullah Mujahid")
    );

    let peace = events
        .iter()
        .find(|e| {
            !e.negated
                && e.source.code == "AFGREB"
                && e.target.as_ref().is_some_and(|t| t.code == "AFGINSTAL")
                && (e.cameo.starts_with("03") || e.cameo.starts_with("04"))
        })
        .expect("the resistance pursues a peace deal with the Taliban");
    assert_eq!(peace.modality, Modality::Reported);
}

#[test]
fn seed_article_has_no_asserted_taliban_attack() {
    let (_, events) = seed_events();
    let attack = events.iter().find(|e| {
        e.source.code == "AFGINSTAL"
            && !e.negated
            && (e.cameo.starts_with("18") || e.cameo.starts_with("19") || e.cameo.starts_with("20"))
    });
    assert!(attack.is_none(), "asserted Taliban attack: {attack:?}");
    assert!(
        events
            .iter()
            .any(|e| e.source.code == "AFGINSTAL" && e.negated && e.cameo.starts_with("19")),
        "`has not yet attacked` is kept as a negated event"
    );
}

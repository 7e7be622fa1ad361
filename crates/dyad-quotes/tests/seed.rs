//! The seed article, quote by quote: the expectations the project was specified with.

use dyad_document::{Document, Metadata, QuoteKind, Stage};
use dyad_quotes::{QuotesStage, quote_at, simple_segment};
use std::path::Path;

fn seed() -> Document {
    seed_with(simple_segment)
}

/// The seed through the real sentence splitter and tokenizer (`dyad-text`).
fn seed_through_dyad_text() -> Document {
    seed_with(|doc| dyad_text::TextStage::new().process(doc).unwrap())
}

/// The seed through `dyad-text`, with the verb tag a part-of-speech tagger gives `fled`
/// (the quote stage reads tags when they are there; the tagger itself is another stage).
fn seed_through_tagger() -> Document {
    seed_with(|doc| {
        dyad_text::TextStage::new().process(doc).unwrap();
        let verbs: Vec<usize> = (0..doc.tokens.len())
            .filter(|&i| doc.slice(doc.tokens[i].range) == "fled")
            .collect();
        for i in verbs {
            doc.tokens[i].tag = Some(dyad_document::PosTag::VBD);
        }
    })
}

fn seed_with(prepare: impl Fn(&mut Document)) -> Document {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seed/panjshir.txt");
    let text = std::fs::read_to_string(&path)
        .expect("../shared/corpus/seed/panjshir.txt beside the repository");
    let mut doc = Document::new(text, Metadata::default());
    prepare(&mut doc);
    QuotesStage::new().unwrap().process(&mut doc).unwrap();
    doc.validate().unwrap();
    doc
}

/// (start of the quoted content, kind, speaker, outlet, cue)
fn find<'a>(doc: &'a Document, starts_with: &str) -> &'a dyad_document::Quote {
    doc.quotes
        .iter()
        .find(|q| doc.slice(q.range).starts_with(starts_with))
        .unwrap_or_else(|| panic!("no quote starting with {starts_with:?}"))
}

fn check(
    doc: &Document,
    starts_with: &str,
    kind: QuoteKind,
    speaker: &str,
    outlet: Option<&str>,
    cue: Option<&str>,
) {
    let q = find(doc, starts_with);
    assert_eq!(q.kind, kind, "{starts_with}");
    assert_eq!(
        q.speaker.as_ref().map(|s| s.name.as_str()),
        Some(speaker),
        "{starts_with}"
    );
    assert_eq!(
        q.outlet.as_ref().map(|o| o.name.as_str()),
        outlet,
        "{starts_with}"
    );
    if let Some(cue) = cue {
        assert_eq!(q.cue.map(|c| doc.slice(c)), Some(cue), "{starts_with}");
    }
}

#[test]
fn seed_quotes_are_attributed() {
    expectations(&seed());
}

#[test]
fn seed_quotes_are_attributed_through_dyad_text() {
    expectations(&seed_through_dyad_text());
}

#[test]
fn seed_quotes_are_attributed_with_verb_tags() {
    expectations(&seed_through_tagger());
}

fn expectations(doc: &Document) {
    check(
        doc,
        "We prefer peace",
        QuoteKind::Direct,
        "Ali Nazary",
        Some("BBC"),
        Some("told"),
    );
    // Continuation: no cue of its own, same speaker and outlet.
    check(
        doc,
        "If this fails",
        QuoteKind::Direct,
        "Ali Nazary",
        Some("BBC"),
        None,
    );
    check(
        doc,
        "I write from the Panjshir Valley",
        QuoteKind::Direct,
        "Ahmad Massoud",
        Some("The Washington Post"),
        Some("wrote"),
    );
    check(
        doc,
        "The enemy is under siege",
        QuoteKind::Direct,
        "Zabihullah Mujahid",
        Some("Twitter"),
        Some("tweeted"),
    );
    check(
        doc,
        "peaceful solution",
        QuoteKind::Partial,
        "Zabihullah Mujahid",
        None,
        Some("insisting"),
    );
    check(
        doc,
        "No embassy should feel",
        QuoteKind::Direct,
        "Zabihullah Mujahid",
        Some("CNN"),
        Some("said"),
    );
    // Outlet carry-over within a run of follow-ups by the same speaker.
    check(
        doc,
        "I would like to request",
        QuoteKind::Direct,
        "Zabihullah Mujahid",
        Some("CNN"),
        Some("added"),
    );
    check(
        doc,
        "Our Mujadeen has ensured",
        QuoteKind::Direct,
        "Zabihullah Mujahid",
        Some("CNN"),
        None,
    );
    check(
        doc,
        "No matter what happens",
        QuoteKind::Direct,
        "Ahmad Massoud",
        Some("The Washington Post"),
        Some("vowing"),
    );
    check(
        doc,
        "But we need more weapons",
        QuoteKind::Direct,
        "Ahmad Massoud",
        Some("The Washington Post"),
        Some("wrote"),
    );
    check(
        doc,
        "the Taliban had met with all embassies",
        QuoteKind::Reported,
        "Zabihullah Mujahid",
        None,
        Some("said"),
    );
    check(
        doc,
        "they are pursuing a peace deal",
        QuoteKind::Reported,
        "National Resistance Front of Afghanistan",
        Some("BBC"),
        Some("told"),
    );
}

#[test]
fn nickname_is_not_a_statement() {
    let doc = seed();
    assert!(
        doc.quotes
            .iter()
            .all(|q| !doc.slice(q.range).contains("Lion of Panjshir"))
    );
}

#[test]
fn quote_at_finds_the_innermost_quote() {
    let doc = seed();
    let q = find(&doc, "But we need more weapons");
    let inner = dyad_document::TextRange::new(q.range.start() + 4, q.range.start() + 11);
    let index = quote_at(&doc, inner).unwrap();
    assert_eq!(doc.quotes[index].range, q.range);
    assert_eq!(quote_at(&doc, dyad_document::TextRange::new(0, 3)), None);
}

#[test]
fn quotes_are_in_text_order() {
    let doc = seed();
    assert!(
        doc.quotes
            .windows(2)
            .all(|w| w[0].range.start() <= w[1].range.start())
    );
}

#[test]
fn stage_contract() {
    let stage = QuotesStage::new().unwrap();
    assert_eq!(
        stage.requires(),
        &[
            dyad_document::Layer::Sentences,
            dyad_document::Layer::Tokens
        ]
    );
    assert_eq!(stage.produces(), &[dyad_document::Layer::Quotes]);
    let mut untokenized = Document::new("“Hello,” he said.".into(), Metadata::default());
    let err = stage.process(&mut untokenized).unwrap_err();
    assert!(err.to_string().contains("dyad-text"), "{err}");
}

/// "Amrullah Salehl—..., who has claimed the Afghan presidency after Ashraf Ghani fled" is
/// not a statement: `claim` with a noun-phrase object reports no speech.
#[test]
fn claimed_the_presidency_is_not_a_statement() {
    for doc in [seed(), seed_through_dyad_text(), seed_through_tagger()] {
        assert!(
            doc.quotes
                .iter()
                .all(|q| !doc.slice(q.range).contains("Afghan presidency")),
            "{:?}",
            doc.quotes
                .iter()
                .map(|q| doc.slice(q.range))
                .collect::<Vec<_>>()
        );
    }
}

//! Random token sequences, tags and sentence boundaries never make the stage panic, and the
//! entities it writes are valid spans with consistent referents.

mod common;

use dyad_document::{Document, Metadata, PosTag, Sentence, TextRange, Token, TokenKind};
use dyad_entities::EntityStage;
use proptest::prelude::*;
use std::sync::OnceLock;

const WORDS: &[&str] = &[
    "the",
    "The",
    "Taliban",
    "Massoud",
    "Ahmad",
    "Shah",
    "NRF",
    "(",
    ")",
    "of",
    "National",
    "Front",
    "spokesman",
    "President",
    "Gen.",
    "U.S.",
    "America",
    "Afghan",
    "Soviet-Afghan",
    "BBC",
    "Washington",
    "Post",
    "'s",
    "’s",
    ",",
    ".",
    "leader",
    "resistance",
    "32-year-old",
    "Kabul",
    "é",
    "Ω",
    "—",
    "“",
    "al-Qaeda",
    "said",
    "a",
    "A",
    "Panjshir",
    "Valley",
    "X",
    "",
];

fn stages() -> &'static (EntityStage, EntityStage) {
    static S: OnceLock<(EntityStage, EntityStage)> = OnceLock::new();
    S.get_or_init(|| {
        (
            EntityStage::new(None).expect("model"),
            EntityStage::new(Some(common::kb())).expect("model"),
        )
    })
}

fn document(words: &[(usize, usize)], breaks: &[bool]) -> Document {
    let mut text = String::new();
    let mut tokens = Vec::new();
    let mut sentences = Vec::new();
    let mut sentence_start = 0;
    for (k, &(w, t)) in words.iter().enumerate() {
        let word = WORDS[w % WORDS.len()];
        if word.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(word);
        let mut token = Token::new(TextRange::new(start, text.len()), TokenKind::Word);
        token.tag = Some(PosTag::ALL[t % PosTag::ALL.len()]);
        tokens.push(token);
        if breaks.get(k).copied().unwrap_or(false) {
            sentences.push(Sentence {
                range: TextRange::new(sentence_start, text.len()),
            });
            sentence_start = text.len() + 1;
        }
    }
    if sentence_start < text.len() {
        sentences.push(Sentence {
            range: TextRange::new(sentence_start, text.len()),
        });
    }
    let mut doc = Document::new(text, Metadata::default());
    doc.tokens = tokens;
    doc.sentences = sentences;
    doc
}

proptest! {
    #[test]
    fn random_tokens_never_panic(
        words in proptest::collection::vec((0usize..64, 0usize..64), 0..60),
        breaks in proptest::collection::vec(any::<bool>(), 0..60),
        with_kb in any::<bool>(),
    ) {
        let mut doc = document(&words, &breaks);
        let (plain, kb) = stages();
        if with_kb { kb.annotate(&mut doc) } else { plain.annotate(&mut doc) }
        prop_assert!(doc.validate().is_ok());
        let referents = doc.entities.iter().map(|e| e.referent).max().map_or(0, |m| m + 1);
        for e in &doc.entities {
            prop_assert!(!e.range.is_empty());
            prop_assert!(!doc.slice(e.range).is_empty());
            prop_assert!(e.referent < referents);
        }
        for pair in doc.entities.windows(2) {
            prop_assert!(pair[0].range.end() <= pair[1].range.start());
        }
        // Organization readings never panic and cover their entity.
        let gazetteer = dyad_entities::Gazetteer::embedded().expect("lists");
        for r in dyad_entities::organization_readings(&doc, &gazetteer) {
            let e = &doc.entities[r.entity];
            prop_assert!(r.range.start() <= e.range.start() && e.range.end() <= r.range.end());
        }
    }

    #[test]
    fn arbitrary_text_through_the_pipeline(text in "\\PC{0,300}") {
        let mut doc = Document::new(text, Metadata::default());
        common::pipeline(false).run(&mut doc).expect("never fails");
        prop_assert!(doc.validate().is_ok());
        let gazetteer = dyad_entities::Gazetteer::embedded().expect("lists");
        let _ = dyad_entities::organization_readings(&doc, &gazetteer);
    }
}

//! Property tests: any text with any quotation marks is handled without panics, and every
//! quote range is valid.

use dyad_document::{Document, Metadata, Stage};
use dyad_quotes::{QuotesStage, find_marked, simple_segment};
use proptest::prelude::*;

fn pieces() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("‘".to_string()),
        Just("’".to_string()),
        Just("'".to_string()),
        Just("\"?".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        Just("said".to_string()),
        Just("told the BBC".to_string()),
        Just("according to CNN".to_string()),
        Just("he".to_string()),
        Just("that".to_string()),
        Just("Zabihullah Mujahid".to_string()),
        Just("The group".to_string()),
        "[a-zA-Zé\u{FFFD} ]{0,12}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn never_panics_and_ranges_are_valid(text in pieces()) {
        for m in find_marked(&text) {
            prop_assert!(text.get(m.content.as_range()).is_some());
        }
        let mut doc = Document::new(text, Metadata::default());
        simple_segment(&mut doc);
        prop_assert!(doc.validate().is_ok());
        let stage = QuotesStage::new().unwrap();
        let result = stage.process(&mut doc);
        prop_assert!(result.is_ok() || doc.tokens.is_empty());
        prop_assert!(doc.validate().is_ok());
        for q in &doc.quotes {
            prop_assert!(doc.checked_slice(q.range).is_ok());
            if let Some(c) = q.cue { prop_assert!(doc.checked_slice(c).is_ok()); }
            if let Some(o) = &q.outlet { prop_assert!(doc.checked_slice(o.range).is_ok()); }
            if let Some(r) = q.speaker.as_ref().and_then(|s| s.range) { prop_assert!(doc.checked_slice(r).is_ok()); }
        }
        prop_assert!(doc.quotes.windows(2).all(|w| w[0].range.start() <= w[1].range.start()));
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        let mut doc = Document::new(text, Metadata::default());
        simple_segment(&mut doc);
        let _ = QuotesStage::new().unwrap().process(&mut doc);
        prop_assert!(doc.validate().is_ok());
    }
}

//! Property tests: the parsers and the geocoder never panic.

use dyad_document::{Document, Metadata, TextRange};
use dyad_geo::{Gazetteer, Geocoder, data, event_location};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parsers_report_file_and_line(lines in proptest::collection::vec("[A-Za-z0-9 .|\t-]{0,40}", 0..6)) {
        let text = lines.join("\n");
        type Parser = fn(&str, &str) -> Result<usize, dyad_geo::GeoError>;
        let parsers: [(&str, Parser); 6] = [
            ("cities.tsv", |f, t| data::parse_cities(f, t).map(|v| v.len())),
            ("countries.tsv", |f, t| data::parse_countries(f, t).map(|v| v.len())),
            ("admin1.tsv", |f, t| data::parse_admin1(f, t).map(|v| v.len())),
            ("admin2.tsv", |f, t| data::parse_admin2(f, t).map(|v| v.len())),
            ("overlay.tsv", |f, t| data::parse_overlay(f, t).map(|v| v.len())),
            ("context_words.tsv", |f, t| data::parse_context_words(f, t).map(|v| v.len())),
        ];
        for (file, parse) in parsers {
            if let Err(e) = parse(file, &text) {
                let msg = e.to_string();
                prop_assert!(msg.starts_with(&format!("{file}:")), "{}", msg);
                let line: usize = msg.split(':').nth(1).unwrap_or("").parse().unwrap_or(0);
                prop_assert!(line >= 1 && line <= lines.len().max(1), "{}", msg);
            }
        }
    }

    #[test]
    fn resolution_never_panics(text in "[A-Za-z ,.'’\\-éł\n]{0,200}", words in proptest::collection::vec("(Kabul|Georgia|Mr\\.|U\\.S\\.|Panjshir Valley|in|of|Afghan|said|province|, )", 0..12)) {
        let text = format!("{text} {}", words.join(" "));
        let geocoder = Geocoder::new(Gazetteer::shared().unwrap());
        let mut doc = Document::new(text, Metadata::default());
        doc.sentences = dyad_geo::naive_sentences(doc.text());
        let places = geocoder.places(&doc);
        for p in &places {
            prop_assert!(doc.checked_slice(p.range).is_ok());
            prop_assert!((0.0..=1.0).contains(&p.confidence));
        }
        doc.places = places;
        if !doc.sentences.is_empty() {
            let (a, _, _) = event_location(&mut doc, 0, TextRange::new(0, 1), None, None);
            if let Some(a) = a {
                prop_assert!((a.place as usize) < doc.places.len());
            }
        }
        prop_assert!(doc.validate().is_ok());
    }
}

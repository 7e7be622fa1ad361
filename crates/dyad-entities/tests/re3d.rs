//! Floors on the re3d development half (what the crate reaches, rounded down). spaCy is
//! never needed here: the peer comparison lives in the `eval_re3d` example.

mod common;

use dyad_entities::{EvalOptions, evaluate_re3d};

#[test]
fn re3d_dev_floors() {
    let gold = common::shared().join("gold/ner/re3d_dev.jsonl");
    let report = evaluate_re3d(&gold, &common::pipeline(true), &EvalOptions::default())
        .expect("re3d evaluates");
    assert_eq!(report.documents, 44);
    assert!(report.spacy.is_none());
    let f1 = |label: &str| report.dyad.label(label).map_or(0.0, |s| s.f1());
    for (label, floor) in [
        ("PERSON", 0.65),
        ("ORG", 0.70),
        ("LOC", 0.68),
        ("NORP", 0.76),
    ] {
        assert!(
            f1(label) >= floor,
            "{label} F1 {:.3} < {floor}\n{report}",
            f1(label)
        );
    }
    assert!(report.dyad.overall.f1() >= 0.69, "{report}");
}

#[test]
fn missing_gold_file_says_where() {
    let err = evaluate_re3d(
        std::path::Path::new("no/such/re3d.jsonl"),
        &common::pipeline(false),
        &EvalOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("no/such/re3d.jsonl"), "{err}");
}

//! The gold set (`tests/gold/dates/`) scored against the corpus in `../shared`.
//! Floors are what the extractor reached when the test was written, rounded down.

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn gold_set_scores_above_the_floors() {
    let gold = repo().join("tests/gold/dates/dates_dev.jsonl");
    let corpus = repo().join("../shared/corpus/news2017.jsonl.gz");
    if !corpus.exists() {
        eprintln!(
            "skipped: {} is not there (clone ../shared beside the repo)",
            corpus.display()
        );
        return;
    }
    let report = dyad_dates::evaluate(&gold, &corpus).expect("gold set evaluates");
    println!("{report}");
    assert!(report.documents >= 46, "{report}");
    assert!(report.gold >= 139, "{report}");
    assert!(report.precision() >= FLOOR_PRECISION, "{report}");
    assert!(report.recall() >= FLOOR_RECALL, "{report}");
    assert!(report.value_accuracy() >= FLOOR_VALUE_ACCURACY, "{report}");
}

const FLOOR_PRECISION: f64 = 0.99;
const FLOOR_RECALL: f64 = 0.98;
const FLOOR_VALUE_ACCURACY: f64 = 0.97;

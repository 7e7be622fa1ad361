//! Floors on the three evaluation figures (set at what the coder reaches, rounded down; raise
//! them as the coder improves). The scoring rules are in `EVAL.md`.

use dyad_events::{GoldKind, evaluate_events};
use std::path::{Path, PathBuf};

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(path)
}

#[test]
fn news_dev_floor() {
    let report =
        evaluate_events(&shared("gold/events/news_dev.jsonl"), GoldKind::News, None).unwrap();
    println!("{report}");
    let headline = report.score("root + actors").unwrap();
    assert!(
        headline.f1() >= NEWS_ROOT_ACTORS_F1,
        "root + actors F1 {:.3}",
        headline.f1()
    );
    let code3 = report.score("code3 + actors").unwrap();
    assert!(
        code3.f1() >= NEWS_CODE3_ACTORS_F1,
        "code3 + actors F1 {:.3}",
        code3.f1()
    );
}

#[test]
fn plover_dev_floor() {
    let report = evaluate_events(
        &shared("gold/events/plover_gsr_dev.jsonl"),
        GoldKind::Plover,
        None,
    )
    .unwrap();
    println!("{report}");
    let recall = report.score("recall (type + actors)").unwrap().recall();
    let precision = report.score("precision (type)").unwrap().precision();
    assert!(recall >= PLOVER_RECALL, "PLOVER recall {recall:.3}");
    assert!(
        precision >= PLOVER_PRECISION,
        "PLOVER precision {precision:.3}"
    );
}

#[test]
fn petrarch_unit_tests_floor() {
    let path = shared("peers/petrarch2/petrarch2/data/text/PETR.UnitTest.records.xml");
    assert_eq!(GoldKind::detect(&path).unwrap(), GoldKind::PetrarchXml);
    let report = evaluate_events(&path, GoldKind::PetrarchXml, None).unwrap();
    println!("{report}");
    let (ok, all) = report.exact.unwrap();
    assert!(ok as f64 / all as f64 >= PETRARCH_EXACT, "exact {ok}/{all}");
}

const NEWS_ROOT_ACTORS_F1: f64 = 0.38;
const NEWS_CODE3_ACTORS_F1: f64 = 0.31;
const PLOVER_RECALL: f64 = 0.59;
const PLOVER_PRECISION: f64 = 0.78;
const PETRARCH_EXACT: f64 = 0.48;

//! An old (schema 1) database, as dyad wrote it before schema 2, opens, migrates and reads
//! back: documents with every layer, events, mentions with their texts, search and filters.

use dyad_store::{CountBy, EventQuery, ExportFormat, Store, StoreError};
use std::path::{Path, PathBuf};

/// A schema 1 database file made from `tests/fixtures/schema1.sql`.
fn schema_1_database(dir: &Path) -> PathBuf {
    let path = dir.join("old.db");
    let sql = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema1.sql"),
    )
    .expect("the schema 1 fixture");
    let conn = rusqlite::Connection::open(&path).expect("a new database file");
    conn.execute_batch(&sql).expect("the fixture loads");
    path
}

#[test]
fn a_schema_1_database_migrates_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = schema_1_database(dir.path());
    // A read-only open cannot migrate: it says what to do.
    match Store::open_read_only(&path) {
        Err(StoreError::NeedsMigration { found: 1, .. }) => {}
        other => panic!("expected NeedsMigration, got {:?}", other.map(|_| ())),
    }
    drop(Store::open(&path).expect("the migration runs"));
    let store = Store::open_read_only(&path).expect("schema 2 now");
    let stats = store.stats().unwrap();
    assert_eq!((stats.documents, stats.events, stats.mentions), (3, 10, 10));

    // Mentions come back with the texts schema 1 kept as copies, now read from the spans.
    let senate = store
        .query(&EventQuery {
            source: Some("senate".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(senate.len(), 2);
    let mention = &store.mentions(senate[0].id).unwrap()[0];
    assert_eq!(
        (mention.source_text.as_str(), mention.evidence.as_str()),
        ("Senate", "voted")
    );
    assert_eq!(mention.target_text.as_deref(), Some("DeVos"));
    assert_eq!(mention.outlet.as_deref(), Some("abcnews.go.com"));
    assert_eq!(mention.seen, "2017-02-07");

    // Layers stored as schema 1 JSON are still served, every span text restored.
    let doc: serde_json::Value =
        serde_json::from_str(&store.document_json(&mention.document).unwrap().unwrap()).unwrap();
    let text: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
    for sentence in doc["sentences"].as_array().unwrap() {
        let (start, end) = (
            sentence["start"].as_u64().unwrap() as usize,
            sentence["end"].as_u64().unwrap() as usize,
        );
        let covered: String = text[start..end].iter().collect();
        assert_eq!(sentence["text"], covered.as_str());
    }

    // Full-text search was rebuilt over the sentences that carry events.
    let found = store
        .count(&EventQuery {
            text: Some("Tarpley".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(found >= 2, "{found}");
    // Actor filters, daily counts and exports work on the migrated data.
    assert_eq!(
        store
            .count(&EventQuery {
                actor: Some("USAGOV".into()),
                ..Default::default()
            })
            .unwrap(),
        8,
        "USAGOV, USAGOVLEG as source; USAGOV as target"
    );
    let days = store
        .count_by(&EventQuery::default(), CountBy::QuadClass)
        .unwrap();
    assert_eq!(days.iter().map(|(_, n)| n).sum::<u64>(), 10);
    let mut gdelt = Vec::new();
    store
        .export(
            &EventQuery::default(),
            ExportFormat::GdeltEvents,
            &mut gdelt,
        )
        .unwrap();
    let first = String::from_utf8(gdelt).unwrap();
    let row: Vec<&str> = first.lines().next().unwrap().split('\t').collect();
    assert_eq!(row[53], "US", "FIPS code of the United States");

    // Opening again changes nothing.
    drop(Store::open(&path).unwrap());
    assert_eq!(
        Store::open_read_only(&path).unwrap().stats().unwrap(),
        stats
    );
}

#[test]
fn a_migrated_database_takes_new_articles() {
    let dir = tempfile::tempdir().unwrap();
    let path = schema_1_database(dir.path());
    let mut store = Store::open(&path).unwrap();
    let text = "Senate Republicans voted on Tuesday to confirm the nominee, officials said.";
    let mut doc = dyad_document::Document::new(text.into(), Default::default());
    doc.sentences.push(dyad_document::Sentence {
        range: dyad_document::TextRange::new(0, text.len()),
    });
    let novelty = store.classify(&[&doc]).unwrap();
    store.insert_batch(&[doc.clone()], &novelty).unwrap();
    assert_eq!(store.stats().unwrap().documents, 4);
    let json: serde_json::Value =
        serde_json::from_str(&store.document_json(doc.id()).unwrap().unwrap()).unwrap();
    assert_eq!(
        json,
        doc.to_json_value(dyad_document::JsonOptions::default())
    );
}

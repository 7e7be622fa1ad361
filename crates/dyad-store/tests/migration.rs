//! Old databases (schema 1, as dyad wrote it before schema 2; schema 2, before schema 3; schema 3,
//! before schema 4; schema 4, before schema 5; schema 5, before schema 6; schema 6, before schema 7;
//! schema 7, before schema 8) open, migrate and read back: documents with every
//! layer, events, mentions with their texts, search, filters, aggregates and exports, each the
//! same as before the migration (`tests/fixtures/schema*-expected/`).

use dyad_store::{CountBy, EventQuery, ExportFormat, Store, StoreError};
use std::path::{Path, PathBuf};

/// A schema 1 database file made from `tests/fixtures/schema1.sql`.
fn schema_1_database(dir: &Path) -> PathBuf {
    old_database(dir, "schema1.sql")
}

/// A database file made from a fixture under `tests/fixtures/`.
fn old_database(dir: &Path, fixture: &str) -> PathBuf {
    let path = dir.join("old.db");
    let sql = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture),
    )
    .expect("the fixture");
    let conn = rusqlite::Connection::open(&path).expect("a new database file");
    conn.execute_batch(&sql).expect("the fixture loads");
    path
}

#[test]
fn a_schema_1_database_migrates_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    migrates_and_reads_back(&schema_1_database(dir.path()), 1);
}

#[test]
fn a_schema_2_database_migrates_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = old_database(dir.path(), "schema2.sql");
    // What schema 2 answered, to compare with after the migration.
    let before = rusqlite::Connection::open(&path).unwrap();
    let events: Vec<(i64, String, String, String, Option<String>, String)> = before
        .prepare(
            "SELECT id, day, source_code, source_name, target_name, COALESCE(place_name, '')
             FROM events ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(before);
    migrates_and_reads_back(&path, 2);
    let store = Store::open_read_only(&path).unwrap();
    let after: Vec<_> = store
        .query(&EventQuery {
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| {
            (
                e.id,
                e.day,
                e.source_code,
                e.source_name,
                e.target_name,
                e.place_name.unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(after, events, "every event keeps its actors, day and place");
    // The network and top actors come from the per-pair counts: the same as counting events.
    let edges = store.actor_edges(&EventQuery::default(), 100).unwrap();
    let with_target = events.iter().filter(|e| e.4.is_some()).count() as u64;
    assert_eq!(edges.iter().map(|e| e.count).sum::<u64>(), with_target);
}

fn migrates_and_reads_back(path: &Path, version: i64) {
    let path = path.to_path_buf();
    // A read-only open cannot migrate: it says what to do.
    match Store::open_read_only(&path) {
        Err(StoreError::NeedsMigration { found, .. }) if found == version => {}
        other => panic!("expected NeedsMigration, got {:?}", other.map(|_| ())),
    }
    drop(Store::open(&path).expect("the migration runs"));
    let store = Store::open_read_only(&path).expect("the current schema now");
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

/// Everything a schema 3 database answered (exports, queries, aggregates, documents), as
/// text: dyad with schema 3 wrote `tests/fixtures/schema3-expected/` from
/// `tests/fixtures/schema3.sql` (`DYAD_BLESS=1` rewrites it; never do that with a newer schema).
fn answers(store: &Store) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let all = EventQuery {
        limit: Some(100_000),
        ..Default::default()
    };
    for (name, format) in [
        ("gdelt-events.tsv", ExportFormat::GdeltEvents),
        ("gdelt-mentions.tsv", ExportFormat::GdeltMentions),
        ("plover.jsonl", ExportFormat::Plover),
        ("events.csv", ExportFormat::Csv),
    ] {
        let mut bytes = Vec::new();
        store
            .export(&EventQuery::default(), format, &mut bytes)
            .unwrap();
        out.push((name, String::from_utf8(bytes).unwrap()));
    }
    let json = |v: &dyn erased::Json| v.json();
    let events = store.query(&all).unwrap();
    let mut lines = String::new();
    for e in &events {
        lines += &json(e);
        lines += "\n";
        for m in store.mentions(e.id).unwrap() {
            lines += &json(&m);
            lines += "\n";
        }
    }
    out.push(("events-and-mentions.jsonl", lines));
    let mut queries = String::new();
    let text = |s: &str| Some(s.to_string());
    let cases = [
        (
            "text Taliban",
            EventQuery {
                text: text("Taliban"),
                ..all.clone()
            },
        ),
        (
            "text resistance fighters",
            EventQuery {
                text: text("resistance fighters"),
                ..all.clone()
            },
        ),
        (
            "text said",
            EventQuery {
                text: text("said"),
                ..all.clone()
            },
        ),
        (
            "actor AFG",
            EventQuery {
                actor: text("AFG"),
                ..all.clone()
            },
        ),
        (
            "source name",
            EventQuery {
                source: text("taliban"),
                ..all.clone()
            },
        ),
        (
            "cameo 04",
            EventQuery {
                cameo: text("04"),
                ..all.clone()
            },
        ),
        (
            "days",
            EventQuery {
                from: text("2017-01-01"),
                to: text("2021-08-24"),
                ..all.clone()
            },
        ),
        (
            "day",
            EventQuery {
                from: text("2021-08-25"),
                to: text("2021-08-25"),
                ..all.clone()
            },
        ),
        (
            "quad 4",
            EventQuery {
                quad_class: Some(4),
                ..all.clone()
            },
        ),
        (
            "country AF",
            EventQuery {
                country: text("AF"),
                ..all.clone()
            },
        ),
        (
            "outlet",
            EventQuery {
                outlet: text("seed"),
                ..all.clone()
            },
        ),
        (
            "modality",
            EventQuery {
                modality: text("asserted"),
                ..all.clone()
            },
        ),
        (
            "after",
            EventQuery {
                after_id: Some(10),
                limit: Some(5),
                ..Default::default()
            },
        ),
    ];
    for (name, q) in &cases {
        let ids: Vec<i64> = store.query(q).unwrap().iter().map(|e| e.id).collect();
        queries += &format!("{name}: count {} ids {ids:?}\n", store.count(q).unwrap());
        for by in [
            CountBy::Day,
            CountBy::Actor,
            CountBy::Code,
            CountBy::Country,
            CountBy::QuadClass,
        ] {
            queries += &format!("  by {by:?}: {:?}\n", store.count_by(q, by).unwrap());
        }
        for by in [
            dyad_store::aggregate::SeriesBy::QuadClass,
            dyad_store::aggregate::SeriesBy::Root,
        ] {
            queries += &format!("  daily {by:?}: {:?}\n", store.daily_counts(q, by).unwrap());
        }
        queries += &format!("  places: {:?}\n", store.place_counts(q, 50).unwrap());
        queries += &format!("  top actors: {:?}\n", store.top_actors(q, 50).unwrap());
        queries += &format!("  edges: {:?}\n", store.actor_edges(q, 50).unwrap());
    }
    queries += &format!("day range: {:?}\n", store.day_range().unwrap());
    queries += &format!("stats: {:?}\n", store.stats().unwrap());
    out.push(("queries.txt", queries));
    let mut documents = String::new();
    let mut ids: Vec<String> = events
        .iter()
        .flat_map(|e| store.mentions(e.id).unwrap())
        .map(|m| m.document)
        .collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        documents += &store.document_json(&id).unwrap().unwrap();
        documents += "\n";
    }
    out.push(("documents.jsonl", documents));
    out
}

mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap()
        }
    }
}

/// Where the answers a database of schema `version` gave are kept.
fn expected_dir(version: i64) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/schema{version}-expected"))
}

/// Compares what `store` answers with what the schema `version` database answered, file by
/// file.
fn assert_answers_as(store: &Store, version: i64) {
    for (name, got) in answers(store) {
        let path = expected_dir(version).join(name);
        let expected = std::fs::read_to_string(&path).expect("the expected answers");
        assert!(
            got == expected,
            "{name} differs from schema {version}'s answer ({})",
            path.display()
        );
    }
}

/// Opens the fixture of schema `version`, migrates it and checks that it answers what it
/// answered before. `DYAD_BLESS=1` writes the answers instead, from a build of that schema
/// (schemas 3 to 7 answer as their database, schemas 1 and 2 as migrated by dyad with schema
/// 4); never bless with a newer schema.
fn migrates_with_identical_answers(version: i64) {
    let dir = tempfile::tempdir().unwrap();
    let path = old_database(dir.path(), &format!("schema{version}.sql"));
    if std::env::var_os("DYAD_BLESS").is_some() {
        let store = Store::open(&path).unwrap();
        std::fs::create_dir_all(expected_dir(version)).unwrap();
        for (name, text) in answers(&store) {
            std::fs::write(expected_dir(version).join(name), text).unwrap();
        }
        return;
    }
    match Store::open_read_only(&path) {
        Err(StoreError::NeedsMigration { found, .. }) if found == version => {}
        other => panic!("expected NeedsMigration, got {:?}", other.map(|_| ())),
    }
    drop(Store::open(&path).expect("the migration runs"));
    let store = Store::open_read_only(&path).expect("the current schema now");
    assert_answers_as(&store, version);
}

#[test]
fn a_schema_1_database_migrates_with_identical_answers() {
    migrates_with_identical_answers(1);
}

#[test]
fn a_schema_2_database_migrates_with_identical_answers() {
    migrates_with_identical_answers(2);
}

#[test]
fn a_schema_3_database_migrates_with_identical_answers() {
    migrates_with_identical_answers(3);
}

#[test]
fn a_schema_4_database_migrates_with_identical_answers() {
    migrates_with_identical_answers(4);
}

#[test]
fn a_schema_5_database_migrates_with_identical_answers() {
    migrates_with_identical_answers(5);
}

#[test]
fn a_schema_6_database_migrates_with_identical_answers() {
    migrates_with_identical_answers(6);
}

#[test]
fn a_schema_7_database_migrates_with_identical_answers() {
    migrates_with_identical_answers(7);
}

/// `DYAD_DUMP_DB=db DYAD_DUMP_OUT=file cargo test -p dyad-store --test migration dump -- --ignored`:
/// every document's JSON (for comparing a large database before and after a migration).
#[test]
#[ignore]
fn dump_documents() {
    let (Some(db), Some(out)) = (
        std::env::var_os("DYAD_DUMP_DB"),
        std::env::var_os("DYAD_DUMP_OUT"),
    ) else {
        return;
    };
    let conn = rusqlite::Connection::open(&db).unwrap();
    let ids: Vec<String> = conn
        .prepare(
            "SELECT CASE typeof(id) WHEN 'blob' THEN 'sha256:' || lower(hex(id)) ELSE id END
             FROM documents ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(conn);
    let store = Store::open(Path::new(&db)).unwrap();
    let mut text = String::new();
    for id in ids {
        text += &store.document_json(&id).unwrap().unwrap_or_default();
        text += "\n";
    }
    std::fs::write(out, text).unwrap();
}

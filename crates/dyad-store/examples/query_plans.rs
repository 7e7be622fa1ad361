//! Prints how SQLite answers every filter the API offers, and how long each takes, on a
//! database (`dyad ingest` or `cargo run -p dyad-serve --example make_db` makes one).
//!
//! `cargo run --release -p dyad-store --example query_plans -- DB`

use dyad_store::aggregate::SeriesBy;
use dyad_store::{EventQuery, Store};
use std::time::Instant;

fn main() -> std::process::ExitCode {
    let Some(db) = std::env::args().nth(1) else {
        eprintln!("usage: query_plans DB");
        return std::process::ExitCode::from(2);
    };
    let store = match Store::open_read_only(std::path::Path::new(&db)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("query_plans: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let text = |s: &str| Some(s.to_string());
    let cases: Vec<(&str, EventQuery)> = vec![
        ("none", EventQuery::default()),
        (
            "actor name",
            EventQuery {
                actor: text("Taliban"),
                ..Default::default()
            },
        ),
        (
            "actor code",
            EventQuery {
                actor: text("AFG"),
                ..Default::default()
            },
        ),
        (
            "source",
            EventQuery {
                source: text("RUS"),
                ..Default::default()
            },
        ),
        (
            "target",
            EventQuery {
                target: text("Hamas"),
                ..Default::default()
            },
        ),
        (
            "actor+cameo",
            EventQuery {
                actor: text("USA"),
                cameo: text("19"),
                ..Default::default()
            },
        ),
        (
            "cameo",
            EventQuery {
                cameo: text("190"),
                ..Default::default()
            },
        ),
        (
            "plover",
            EventQuery {
                plover: text("ASSAULT"),
                ..Default::default()
            },
        ),
        (
            "quad_class",
            EventQuery {
                quad_class: Some(4),
                ..Default::default()
            },
        ),
        (
            "from+to",
            EventQuery {
                from: text("2020-03-01"),
                to: text("2020-03-31"),
                ..Default::default()
            },
        ),
        (
            "country",
            EventQuery {
                country: text("AF"),
                ..Default::default()
            },
        ),
        (
            "bbox",
            EventQuery {
                bbox: Some([60.0, 29.0, 75.0, 39.0]),
                ..Default::default()
            },
        ),
        (
            "outlet",
            EventQuery {
                outlet: text("reuters"),
                ..Default::default()
            },
        ),
        (
            "negated",
            EventQuery {
                negated: Some(true),
                ..Default::default()
            },
        ),
        (
            "modality",
            EventQuery {
                modality: text("claimed"),
                ..Default::default()
            },
        ),
        (
            "text",
            EventQuery {
                text: text("Kabul"),
                ..Default::default()
            },
        ),
        (
            "after_id",
            EventQuery {
                after_id: Some(50_000),
                ..Default::default()
            },
        ),
    ];
    for (name, q) in cases {
        // The best of three runs: warm caches, as a server sees them.
        let time = |f: &dyn Fn() -> Result<usize, dyad_store::StoreError>| {
            let mut best = (0, f64::MAX);
            for _ in 0..3 {
                let started = Instant::now();
                let n = f().unwrap_or(0);
                best = (n, best.1.min(started.elapsed().as_secs_f64() * 1000.0));
            }
            best
        };
        let page = EventQuery {
            limit: Some(51),
            ..q.clone()
        };
        let (rows, list_ms) = time(&|| Ok(store.query(&page)?.len()));
        let (total, count_ms) = time(&|| Ok(store.count(&q)? as usize));
        let (_, series_ms) = time(&|| Ok(store.daily_counts(&q, SeriesBy::Root)?.len()));
        let (_, network_ms) = time(&|| Ok(store.actor_edges(&q, 60)?.len()));
        let (_, places_ms) = time(&|| {
            Ok(store.place_counts(&q, 500)?.len()
                + store.count_by(&q, dyad_store::CountBy::Country)?.len())
        });
        println!(
            "{name:<12} {rows:>3} rows {list_ms:>7.2} ms | count {total:>6} {count_ms:>7.2} ms | series {series_ms:>7.2} ms | network {network_ms:>7.2} ms | places {places_ms:>7.2} ms"
        );
        for line in store.query_plan(&page).unwrap_or_default() {
            println!("    {line}");
        }
    }
    std::process::ExitCode::SUCCESS
}

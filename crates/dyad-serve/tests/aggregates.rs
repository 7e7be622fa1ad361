//! Every shortcut the store takes for an aggregate (daily counts, actor indexes, per-pair
//! counts) gives what counting the matching events one by one gives, on a synthetic store.

use dyad_store::aggregate::SeriesBy;
use dyad_store::{EventQuery, EventRow, Store};
use std::collections::BTreeMap;

fn key(code: &str, name: &str) -> String {
    if code.is_empty() {
        format!("~{}", name.to_lowercase())
    } else {
        code.to_string()
    }
}

/// The actor filter as documented: a code starting with the value or a name containing it.
fn actor_matches(code: &str, name: &str, value: &str) -> bool {
    code.starts_with(&value.to_uppercase()) || name.to_lowercase().contains(&value.to_lowercase())
}

fn matches(e: &EventRow, q: &EventQuery) -> bool {
    let source = |v: &str| actor_matches(&e.source_code, &e.source_name, v);
    let target = |v: &str| match (&e.target_code, &e.target_name) {
        (Some(code), Some(name)) => actor_matches(code, name, v),
        _ => false,
    };
    q.actor.as_deref().is_none_or(|v| source(v) || target(v))
        && q.source.as_deref().is_none_or(source)
        && q.target.as_deref().is_none_or(target)
        && q.cameo.as_deref().is_none_or(|c| e.cameo.starts_with(c))
        && q.quad_class.is_none_or(|c| e.quad_class == c)
        && q.from.as_deref().is_none_or(|d| e.day.as_str() >= d)
        && q.to.as_deref().is_none_or(|d| e.day.as_str() <= d)
}

fn queries() -> Vec<EventQuery> {
    let mut out = vec![EventQuery::default()];
    for actor in [
        "Taliban",
        "AFG",
        "RUS",
        "Hamas",
        "USA",
        "protesters",
        "nobody",
    ] {
        for side in 0..3 {
            for (cameo, quad_class, from) in [
                (None, None, None),
                (Some("1"), None, None),
                (Some("19"), Some(4), None),
                (None, Some(1), Some("2021-07-01")),
            ] {
                let mut q = EventQuery {
                    cameo: cameo.map(str::to_string),
                    quad_class,
                    from: from.map(str::to_string),
                    ..Default::default()
                };
                let value = Some(actor.to_string());
                match side {
                    0 => q.actor = value,
                    1 => q.source = value,
                    _ => q.target = value,
                }
                out.push(q);
            }
        }
    }
    out.push(EventQuery {
        quad_class: Some(3),
        ..Default::default()
    });
    out
}

#[test]
fn shortcuts_agree_with_counting_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dyad.db");
    dyad_serve::synthetic::write_database(&db, 300, 11).unwrap();
    let store = Store::open_read_only(&db).unwrap();
    let all = store
        .query(&EventQuery {
            limit: Some(1_000_000),
            ..Default::default()
        })
        .unwrap();
    assert!(all.len() > 1000, "{}", all.len());
    for q in queries() {
        let matching: Vec<&EventRow> = all.iter().filter(|e| matches(e, &q)).collect();
        assert_eq!(store.count(&q).unwrap(), matching.len() as u64, "{q:?}");

        // A page of events: the first matching ids.
        let page = EventQuery {
            limit: Some(20),
            ..q.clone()
        };
        let ids: Vec<i64> = store.query(&page).unwrap().iter().map(|e| e.id).collect();
        let expected: Vec<i64> = matching.iter().take(20).map(|e| e.id).collect();
        assert_eq!(ids, expected, "{q:?}");

        for by in [SeriesBy::QuadClass, SeriesBy::Root] {
            let mut expected: BTreeMap<(String, String), u64> = BTreeMap::new();
            for e in matching.iter().filter(|e| e.day.as_str() > "0000-01-01") {
                let k = match by {
                    SeriesBy::QuadClass => e.quad_class.to_string(),
                    SeriesBy::Root => e.root.clone(),
                };
                *expected.entry((e.day.clone(), k)).or_default() += 1;
            }
            let got: BTreeMap<(String, String), u64> = store
                .daily_counts(&q, by)
                .unwrap()
                .into_iter()
                .map(|d| ((d.day, d.key), d.count))
                .collect();
            assert_eq!(got, expected, "{q:?} {by:?}");
        }

        let mut edges: BTreeMap<(String, String), (u64, u64, f64)> = BTreeMap::new();
        let mut actors: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for e in &matching {
            let source = key(&e.source_code, &e.source_name);
            actors.entry(source.clone()).or_default().0 += 1;
            if let (Some(code), Some(name)) = (&e.target_code, &e.target_name) {
                let target = key(code, name);
                actors.entry(target.clone()).or_default().1 += 1;
                let edge = edges.entry((source, target)).or_default();
                edge.0 += 1;
                edge.1 += u64::from(e.quad_class >= 3);
                edge.2 += e.goldstein;
            }
        }
        let got = store.actor_edges(&q, 10_000).unwrap();
        assert_eq!(got.len(), edges.len(), "{q:?}");
        for edge in got {
            let (count, conflict, goldstein) = edges[&(edge.source.clone(), edge.target.clone())];
            assert_eq!((edge.count, edge.conflict), (count, conflict), "{q:?}");
            assert!(
                (edge.goldstein - goldstein / count as f64).abs() < 1e-6,
                "{q:?}"
            );
        }
        let got: BTreeMap<String, (u64, u64)> = store
            .top_actors(&q, 10_000)
            .unwrap()
            .into_iter()
            .map(|a| (a.key, (a.as_source, a.as_target)))
            .collect();
        assert_eq!(got, actors, "{q:?}");

        let mut places: BTreeMap<String, (u64, [u64; 4])> = BTreeMap::new();
        let mut countries: BTreeMap<String, u64> = BTreeMap::new();
        for e in &matching {
            *countries
                .entry(e.country_code.clone().unwrap_or_default())
                .or_default() += 1;
            let Some(name) = &e.place_name else { continue };
            let place = match (e.geonameid, &e.country_code) {
                (Some(id), _) => id.to_string(),
                (None, Some(cc)) => cc.clone(),
                (None, None) => name.to_lowercase(),
            };
            let entry = places.entry(place).or_default();
            entry.0 += 1;
            entry.1[usize::from(e.quad_class.clamp(1, 4) - 1)] += 1;
        }
        let got = store.place_counts(&q, 10_000).unwrap();
        let mut got_counts: Vec<(u64, [u64; 4])> =
            got.iter().map(|p| (p.count, p.by_quad_class)).collect();
        let mut expected: Vec<(u64, [u64; 4])> = places.values().cloned().collect();
        got_counts.sort();
        expected.sort();
        assert_eq!(got_counts, expected, "{q:?}");
        let got: BTreeMap<String, u64> = store
            .count_by(&q, dyad_store::CountBy::Country)
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(got, countries, "{q:?}");
    }
}

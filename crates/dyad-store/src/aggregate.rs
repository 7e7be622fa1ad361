//! Aggregates for dashboards (`dyad serve`): events per place, per day, per actor, and the
//! actor network. Every aggregate takes the same [`EventQuery`] filters as [`Store::query`]
//! (its `limit` and `after_id` are ignored: aggregates cover every matching event) and runs
//! one SQL statement, so a browser never needs the events themselves.

use crate::query::{EVENT_FROM, EventQuery};
use crate::{Store, StoreError};
use serde::Serialize;

/// Event counts at one place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceCount {
    /// Gazetteer name of the place.
    pub name: String,
    /// ISO country code, when known.
    pub country_code: Option<String>,
    /// Latitude (degrees).
    pub lat: f64,
    /// Longitude (degrees).
    pub lon: f64,
    /// Matching events at the place.
    pub count: u64,
    /// Of which in QuadClass 1, 2, 3, 4.
    pub by_quad_class: [u64; 4],
}

/// What a daily series is split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesBy {
    /// QuadClass (`1`..`4`).
    QuadClass,
    /// CAMEO root code (`01`..`20`).
    Root,
}

/// Matching events on one day with one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayCount {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// QuadClass or root code, as text.
    pub key: String,
    /// Number of events.
    pub count: u64,
}

/// An actor and how often it takes part in matching events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActorCount {
    /// The actor's merge key: its CAMEO code, or `~name` when it has none.
    pub key: String,
    /// CAMEO code (may be empty).
    pub code: String,
    /// A name the actor goes by.
    pub name: String,
    /// Events with the actor as source.
    pub as_source: u64,
    /// Events with the actor as target.
    pub as_target: u64,
}

/// Matching events from one actor to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorEdge {
    /// Source actor key (code, or `~name`).
    pub source: String,
    /// Source display name.
    pub source_name: String,
    /// Target actor key.
    pub target: String,
    /// Target display name.
    pub target_name: String,
    /// Number of events.
    pub count: u64,
    /// Of which conflict (QuadClass 3 or 4).
    pub conflict: u64,
    /// Mean Goldstein value.
    pub goldstein: f64,
}

/// The WHERE clause of `q` for an aggregate: `limit` and `after_id` do not apply.
fn clause(q: &EventQuery, extra: &str) -> (String, Vec<rusqlite::types::Value>) {
    let q = EventQuery {
        after_id: None,
        limit: None,
        ..q.clone()
    };
    let (sql, args) = q.to_sql();
    let sql = match (sql.is_empty(), extra.is_empty()) {
        (_, true) => sql,
        (true, false) => format!("WHERE {extra}"),
        (false, false) => format!("{sql} AND {extra}"),
    };
    (sql, args)
}

fn count(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, i64>(i)?.max(0) as u64)
}

impl Store {
    /// Matching events grouped by place (places with coordinates only), largest first, at most
    /// `limit` places.
    pub fn place_counts(
        &self,
        q: &EventQuery,
        limit: usize,
    ) -> Result<Vec<PlaceCount>, StoreError> {
        let by_class = |n: &str| {
            (1..=4)
                .map(|c| format!("SUM(CASE WHEN e.quad_class = {c} THEN {n} ELSE 0 END)"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (sql, args) = if let Some((clause, args)) = q.to_place_events_sql() {
            // At most a QuadClass filter: from the per-place counts (coordinates averaged
            // over events, as below).
            let clause = if clause.is_empty() {
                "WHERE p.key != ''".to_string()
            } else {
                format!("{clause} AND p.key != ''")
            };
            (
                format!(
                    "SELECT MAX(p.name), MAX(p.country_code),
                            SUM(p.lat * e.events) / SUM(e.events),
                            SUM(p.lon * e.events) / SUM(e.events), SUM(e.events), {}
                     FROM place_events e JOIN places p ON p.id = e.place
                     {} GROUP BY p.key ORDER BY SUM(e.events) DESC, p.key LIMIT {limit}",
                    by_class("e.events"),
                    clause.replace("pe.", "e.")
                ),
                args,
            )
        } else if let Some((rows, args)) = q.to_actor_rows_sql() {
            // One actor filter: the places come from the actor indexes too.
            (
                format!(
                    "SELECT MAX(p.name), MAX(p.country_code), AVG(p.lat), AVG(p.lon), COUNT(*), {}
                     FROM ({rows}) e JOIN places p ON p.id = e.place WHERE p.key != ''
                     GROUP BY p.key ORDER BY COUNT(*) DESC, p.key LIMIT {limit}",
                    by_class("1")
                ),
                args,
            )
        } else {
            let (clause, args) = clause(q, "p.key != ''");
            (
                format!(
                    "SELECT MAX(p.name), MAX(p.country_code), AVG(p.lat), AVG(p.lon), COUNT(*), {}
                     FROM {EVENT_FROM} {clause} GROUP BY p.key ORDER BY COUNT(*) DESC, p.key
                     LIMIT {limit}",
                    by_class("1")
                ),
                args,
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(PlaceCount {
                name: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                country_code: r.get(1)?,
                lat: r.get(2)?,
                lon: r.get(3)?,
                count: count(r, 4)?,
                by_quad_class: [count(r, 5)?, count(r, 6)?, count(r, 7)?, count(r, 8)?],
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Matching events per day and QuadClass or root code, in day order. Events without a
    /// date (stored as day `0000-01-01`) are left out.
    pub fn daily_counts(&self, q: &EventQuery, by: SeriesBy) -> Result<Vec<DayCount>, StoreError> {
        let key = match by {
            SeriesBy::QuadClass => "CAST(e.quad_class AS TEXT)",
            SeriesBy::Root => "substr(e.cameo, 1, 2)",
        };
        if q.to_day_counts_sql().is_none()
            && let Some((rows, args)) = q.to_actor_rows_sql()
        {
            return self.daily_counts_of_rows(&rows, args, by);
        }
        // Filters the daily counts keep are answered from them, not from the events.
        let (sql, args) = match q.to_day_counts_sql() {
            Some((clause, args)) => {
                let clause = if clause.is_empty() {
                    "WHERE r.day > -719528".to_string()
                } else {
                    format!("{clause} AND r.day > -719528")
                };
                (
                    format!(
                        "SELECT date(r.day * 86400, 'unixepoch'), {} AS key, SUM(r.events) AS n
                         FROM event_days r {clause}
                         GROUP BY r.day, key HAVING n > 0 ORDER BY r.day, key",
                        match by {
                            SeriesBy::QuadClass => "CAST(r.quad_class AS TEXT)",
                            SeriesBy::Root => "r.root",
                        }
                    ),
                    args,
                )
            }
            None => {
                // `+` keeps SQLite from walking the day index for a condition almost every event meets.
                let (clause, args) = clause(q, "+e.day > -719528");
                (
                    format!(
                        "SELECT date(e.day * 86400, 'unixepoch'), {key} AS key, COUNT(*)
                         FROM events e {clause}
                         GROUP BY e.day, key ORDER BY e.day, key"
                    ),
                    args,
                )
            }
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(DayCount {
                day: r.get(0)?,
                key: r.get(1)?,
                count: count(r, 2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Daily counts of `(id, day, cameo, quad_class)` rows read from the actor indexes, added
    /// up here: a hash map over a few thousand (day, key) pairs is several times faster than
    /// SQLite sorting tens of thousands of rows to group them.
    fn daily_counts_of_rows(
        &self,
        rows: &str,
        args: Vec<rusqlite::types::Value>,
        by: SeriesBy,
    ) -> Result<Vec<DayCount>, StoreError> {
        let sql = format!(
            "SELECT date(day * 86400, 'unixepoch'), cameo, quad_class FROM ({rows})
             WHERE day > -719528"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut cursor = stmt.query(rusqlite::params_from_iter(args))?;
        let mut counts: std::collections::HashMap<(String, String), u64> = Default::default();
        let mut last: Option<((String, String), u64)> = None;
        while let Some(row) = cursor.next()? {
            let day = row.get_ref(0)?.as_str().unwrap_or_default();
            let key = match by {
                SeriesBy::Root => {
                    let cameo = row.get_ref(1)?.as_str().unwrap_or_default();
                    cameo.get(..2).unwrap_or(cameo).to_string()
                }
                SeriesBy::QuadClass => row.get::<_, i64>(2)?.to_string(),
            };
            // Rows come in day order per actor: runs of one (day, key) are common.
            match &mut last {
                Some(((d, k), n)) if d == day && *k == key => *n += 1,
                _ => {
                    if let Some((pair, n)) = last.take() {
                        *counts.entry(pair).or_default() += n;
                    }
                    last = Some(((day.to_string(), key), 1));
                }
            }
        }
        if let Some((pair, n)) = last {
            *counts.entry(pair).or_default() += n;
        }
        let mut out: Vec<DayCount> = counts
            .into_iter()
            .map(|((day, key), count)| DayCount { day, key, count })
            .collect();
        out.sort_by(|a, b| (&a.day, &a.key).cmp(&(&b.day, &b.key)));
        Ok(out)
    }

    /// The actors taking part in most matching events (as source or target), at most `limit`.
    pub fn top_actors(&self, q: &EventQuery, limit: usize) -> Result<Vec<ActorCount>, StoreError> {
        let code = |alias: &str| {
            format!("CASE WHEN substr({alias}.key, 1, 1) = '~' THEN '' ELSE {alias}.key END")
        };
        let (source_code, target_code) = (code("sa"), code("ta"));
        let (sql, args) = match q.to_actor_pairs_sql() {
            // At most an actor and a QuadClass filter: from the per-pair counts.
            Some((clause, args)) => {
                let targets = if clause.is_empty() {
                    "WHERE p.target != 0".to_string()
                } else {
                    format!("{clause} AND p.target != 0")
                };
                (
                    format!(
                        "SELECT key, MAX(code), MAX(name), SUM(src), SUM(tgt) FROM (
                            SELECT sa.key AS key, {source_code} AS code, sa.name AS name,
                                   p.events AS src, 0 AS tgt
                            FROM actor_pairs p JOIN actors sa ON sa.id = p.source {clause}
                            UNION ALL
                            SELECT ta.key, {target_code}, ta.name, 0, p.events
                            FROM actor_pairs p JOIN actors ta ON ta.id = p.target {targets})
                         GROUP BY key ORDER BY SUM(src) + SUM(tgt) DESC, key LIMIT {limit}"
                    ),
                    args,
                )
            }
            None => {
                let (sources, args) = clause(q, "");
                // The numbered parameters (?1, ?2 ...) are shared by both halves of the union.
                let (targets, _) = clause(q, "e.target IS NOT NULL");
                (
                    format!(
                        "SELECT key, MAX(code), MAX(name), SUM(src), SUM(tgt) FROM (
                            SELECT sa.key AS key, {source_code} AS code, sa.name AS name,
                                   1 AS src, 0 AS tgt FROM {EVENT_FROM} {sources}
                            UNION ALL
                            SELECT ta.key, {target_code}, ta.name, 0, 1
                            FROM {EVENT_FROM} {targets})
                         GROUP BY key ORDER BY SUM(src) + SUM(tgt) DESC, key LIMIT {limit}"
                    ),
                    args,
                )
            }
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(ActorCount {
                key: r.get(0)?,
                code: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                as_source: count(r, 3)?,
                as_target: count(r, 4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The heaviest source → target pairs among matching events, at most `limit`.
    pub fn actor_edges(&self, q: &EventQuery, limit: usize) -> Result<Vec<ActorEdge>, StoreError> {
        let (sql, args) = match q.to_actor_pairs_sql() {
            // At most an actor and a QuadClass filter: from the per-pair counts.
            Some((clause, args)) => {
                let clause = if clause.is_empty() {
                    "WHERE p.target != 0".to_string()
                } else {
                    format!("{clause} AND p.target != 0")
                };
                (
                    format!(
                        "SELECT sa.key, MAX(sa.name), ta.key, MAX(ta.name), SUM(p.events),
                                SUM(CASE WHEN p.quad_class >= 3 THEN p.events ELSE 0 END),
                                SUM(p.goldstein) / SUM(p.events)
                         FROM actor_pairs p JOIN actors sa ON sa.id = p.source
                              JOIN actors ta ON ta.id = p.target {clause}
                         GROUP BY sa.key, ta.key
                         ORDER BY SUM(p.events) DESC, sa.key, ta.key LIMIT {limit}"
                    ),
                    args,
                )
            }
            None => {
                let (clause, args) = clause(q, "e.target IS NOT NULL");
                (
                    format!(
                        "SELECT sa.key, MAX(sa.name), ta.key, MAX(ta.name), COUNT(*),
                                SUM(e.quad_class >= 3), AVG(e.goldstein)
                         FROM {EVENT_FROM} {clause} GROUP BY sa.key, ta.key
                         ORDER BY COUNT(*) DESC, sa.key, ta.key LIMIT {limit}"
                    ),
                    args,
                )
            }
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(ActorEdge {
                source: r.get(0)?,
                source_name: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                target: r.get(2)?,
                target_name: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                count: count(r, 4)?,
                conflict: count(r, 5)?,
                goldstein: r.get::<_, Option<f64>>(6)?.unwrap_or(0.0),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The first and last event day in the store (dated events only).
    pub fn day_range(&self) -> Result<Option<(String, String)>, StoreError> {
        let row: (Option<String>, Option<String>) = self.conn.query_row(
            "SELECT date(MIN(day) * 86400, 'unixepoch'), date(MAX(day) * 86400, 'unixepoch')
             FROM event_days WHERE day > -719528",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(match row {
            (Some(first), Some(last)) => Some((first, last)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Novelty;
    use dyad_document::*;

    fn actor(text: &str, range: TextRange, code: &str) -> EventActor {
        EventActor {
            range,
            name: text.to_string(),
            code: code.to_string(),
            entity: None,
        }
    }

    /// Two articles: the Taliban attack the NRF in Panjshir (QuadClass 4), the NRF ask the
    /// U.S. for help in Kabul (QuadClass 1).
    fn store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let text =
            "The Taliban attacked the NRF in Panjshir. The NRF appealed to the U.S. in Kabul.";
        let mut doc = Document::new(
            text.to_string(),
            Metadata {
                published: Some("2021-08-25".parse().unwrap()),
                source: Some("BBC".into()),
                ..Default::default()
            },
        );
        doc.sentences = vec![
            Sentence {
                range: TextRange::new(0, 41),
            },
            Sentence {
                range: TextRange::new(42, text.len()),
            },
        ];
        let place = |name: &str, at: usize, id: u64, lat: f64, lon: f64| Place {
            range: TextRange::new(at, at + name.len()),
            name: name.to_string(),
            geonameid: Some(id),
            feature: "P.PPL".into(),
            country_code: Some("AF".into()),
            admin1: None,
            lat,
            lon,
            confidence: 0.9,
        };
        doc.places = vec![
            place("Panjshir", 32, 1, 35.3, 69.5),
            place("Kabul", 74, 2, 34.5, 69.2),
        ];
        let event = |sentence, source, target, cameo: &str, quad, place| Event {
            sentence,
            source,
            target: Some(target),
            cameo: cameo.to_string(),
            plover: None,
            quad_class: quad,
            goldstein: if quad == 4 { -10.0 } else { 3.0 },
            negated: false,
            modality: Modality::Asserted,
            confidence: 0.8,
            evidence: TextRange::new(12, 20),
            pattern: "attack".into(),
            speaker: None,
            date: None,
            place: Some(EventPlace {
                place,
                rule: "in-sentence".into(),
            }),
            source_place: None,
            target_place: None,
        };
        doc.events = vec![
            event(
                0,
                actor("Taliban", TextRange::new(4, 11), "AFGINSTAL"),
                actor("NRF", TextRange::new(25, 28), "AFGREB"),
                "190",
                4,
                0,
            ),
            event(
                1,
                actor("NRF", TextRange::new(46, 49), "AFGREB"),
                actor("U.S.", TextRange::new(66, 70), "USA"),
                "020",
                1,
                1,
            ),
        ];
        store.insert_batch(&[doc], &[Novelty::New]).unwrap();
        store
    }

    #[test]
    fn places_days_actors_and_edges() {
        let s = store();
        let all = EventQuery::default();
        let places = s.place_counts(&all, 10).unwrap();
        assert_eq!(places.len(), 2);
        let panjshir = places.iter().find(|p| p.name == "Panjshir").unwrap();
        assert_eq!(panjshir.by_quad_class, [0, 0, 0, 1]);
        assert_eq!(
            s.daily_counts(&all, SeriesBy::QuadClass).unwrap(),
            vec![
                DayCount {
                    day: "2021-08-25".into(),
                    key: "1".into(),
                    count: 1
                },
                DayCount {
                    day: "2021-08-25".into(),
                    key: "4".into(),
                    count: 1
                }
            ]
        );
        let actors = s.top_actors(&all, 10).unwrap();
        assert_eq!(actors[0].code, "AFGREB");
        assert_eq!((actors[0].as_source, actors[0].as_target), (1, 1));
        let edges = s.actor_edges(&all, 10).unwrap();
        assert_eq!(edges.len(), 2);
        assert_eq!(s.day_range().unwrap().unwrap().0, "2021-08-25");
    }

    #[test]
    fn filters_apply_to_every_aggregate() {
        let s = store();
        let q = EventQuery {
            quad_class: Some(4),
            after_id: Some(99),
            limit: Some(1),
            ..Default::default()
        };
        assert_eq!(s.place_counts(&q, 10).unwrap().len(), 1);
        assert_eq!(s.daily_counts(&q, SeriesBy::Root).unwrap()[0].key, "19");
        let actors = s.top_actors(&q, 10).unwrap();
        assert_eq!(actors.len(), 2);
        let edges = s.actor_edges(&q, 10).unwrap();
        assert_eq!(edges.len(), 1);
        assert_eq!(edges[0].source, "AFGINSTAL");
        assert_eq!(edges[0].conflict, 1);
    }
}

//! Reading events back: filters, aggregates, one event with its mentions.

use crate::{Store, StoreError};
use rusqlite::types::Value;
use serde::Serialize;

/// Filters over canonical events. Every field is optional; set fields are AND-ed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventQuery {
    /// Actor code prefix (`AFG`, `USAGOV`) or name substring (`Taliban`), source or target.
    pub actor: Option<String>,
    /// Source actor only (code prefix or name substring).
    pub source: Option<String>,
    /// Target actor only (code prefix or name substring).
    pub target: Option<String>,
    /// CAMEO code prefix (`18`, `186`).
    pub cameo: Option<String>,
    /// PLOVER event type (`ASSAULT`).
    pub plover: Option<String>,
    /// QuadClass 1..4.
    pub quad_class: Option<u8>,
    /// First day, inclusive (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    /// ISO country code of the event place.
    pub country: Option<String>,
    /// Bounding box: min lon, min lat, max lon, max lat.
    pub bbox: Option<[f64; 4]>,
    /// Outlet of at least one mention.
    pub outlet: Option<String>,
    /// Negated events only (`Some(true)`), asserted only (`Some(false)`).
    pub negated: Option<bool>,
    /// Modality (`asserted`, `claimed` ...).
    pub modality: Option<String>,
    /// Full-text search over evidence and sentences (SQLite FTS5 syntax).
    pub text: Option<String>,
    /// Only events with an id greater than this (cursor pagination).
    pub after_id: Option<i64>,
    /// At most this many rows (default 100).
    pub limit: Option<usize>,
}

/// A canonical event as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRow {
    /// Event id.
    pub id: i64,
    /// Event day, `YYYY-MM-DD`.
    pub day: String,
    /// Source actor code (may be empty).
    pub source_code: String,
    /// Source actor name.
    pub source_name: String,
    /// Target actor code.
    pub target_code: Option<String>,
    /// Target actor name.
    pub target_name: Option<String>,
    /// CAMEO code.
    pub cameo: String,
    /// CAMEO root.
    pub root: String,
    /// PLOVER type.
    pub plover_type: Option<String>,
    /// PLOVER mode.
    pub plover_mode: Option<String>,
    /// QuadClass.
    pub quad_class: u8,
    /// Goldstein value.
    pub goldstein: f64,
    /// Negated.
    pub negated: bool,
    /// Modality.
    pub modality: String,
    /// Place name.
    pub place_name: Option<String>,
    /// GeoNames id.
    pub geonameid: Option<i64>,
    /// Country code of the place.
    pub country_code: Option<String>,
    /// First-level division.
    pub admin1: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// GeoNames feature.
    pub feature: Option<String>,
    /// Mentions (GDELT NumMentions).
    pub num_mentions: i64,
    /// Distinct outlets (GDELT NumSources).
    pub num_sources: i64,
    /// Distinct articles (GDELT NumArticles).
    pub num_articles: i64,
    /// Mean confidence over mentions.
    pub confidence: f64,
    /// First publication day mentioning it.
    pub first_seen: String,
    /// Last publication day mentioning it.
    pub last_seen: String,
}

/// One mention of an event in one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionRow {
    /// Event id.
    pub event: i64,
    /// Document id.
    pub document: String,
    /// Index of the event in the document's events.
    pub index: i64,
    /// Sentence index.
    pub sentence: i64,
    /// Source mention text.
    pub source_text: String,
    /// Source mention start (code points).
    pub source_start: i64,
    /// Target mention text.
    pub target_text: Option<String>,
    /// Target mention start.
    pub target_start: Option<i64>,
    /// Evidence text.
    pub evidence: String,
    /// Evidence start (code points).
    pub evidence_start: i64,
    /// Evidence end (code points).
    pub evidence_end: i64,
    /// Confidence.
    pub confidence: f64,
    /// Outlet.
    pub outlet: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Publication day of the mentioning article.
    pub seen: String,
    /// Length of the mentioning article in code points.
    pub document_length: i64,
}

/// What to count by in [`Store::count_by`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountBy {
    /// Event day.
    Day,
    /// Source actor code (name when it has none).
    Actor,
    /// CAMEO root code.
    Code,
    /// Country of the event place.
    Country,
    /// QuadClass.
    QuadClass,
}

impl std::str::FromStr for CountBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "day" => CountBy::Day,
            "actor" => CountBy::Actor,
            "code" => CountBy::Code,
            "country" => CountBy::Country,
            "quad" | "quad_class" => CountBy::QuadClass,
            _ => {
                return Err(format!(
                    "cannot count by {s:?}: use day, actor, code, country or quad"
                ));
            }
        })
    }
}

pub(crate) const EVENT_COLUMNS: &str = "e.id, e.day, e.source_code, e.source_name, e.target_code, e.target_name, e.cameo, e.root, e.plover_type, e.plover_mode, e.quad_class, e.goldstein, e.negated, e.modality, e.place_name, e.geonameid, e.country_code, e.admin1, e.lat, e.lon, e.feature, e.num_mentions, e.num_sources, e.num_articles, e.confidence_sum, e.first_seen, e.last_seen";

pub(crate) fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EventRow> {
    let mentions: i64 = r.get(21)?;
    let confidence_sum: f64 = r.get(24)?;
    Ok(EventRow {
        id: r.get(0)?,
        day: r.get(1)?,
        source_code: r.get(2)?,
        source_name: r.get(3)?,
        target_code: r.get(4)?,
        target_name: r.get(5)?,
        cameo: r.get(6)?,
        root: r.get(7)?,
        plover_type: r.get(8)?,
        plover_mode: r.get(9)?,
        quad_class: r.get(10)?,
        goldstein: r.get(11)?,
        negated: r.get(12)?,
        modality: r.get(13)?,
        place_name: r.get(14)?,
        geonameid: r.get(15)?,
        country_code: r.get(16)?,
        admin1: r.get(17)?,
        lat: r.get(18)?,
        lon: r.get(19)?,
        feature: r.get(20)?,
        num_mentions: mentions,
        num_sources: r.get(22)?,
        num_articles: r.get(23)?,
        confidence: if mentions > 0 {
            confidence_sum / mentions as f64
        } else {
            0.0
        },
        first_seen: r.get(25)?,
        last_seen: r.get(26)?,
    })
}

/// `[value, successor)`: the range of strings starting with `value`, when `value` is a
/// non-empty run of ASCII letters and digits (as CAMEO actor and event codes are).
fn prefix_range(value: &str) -> Option<(String, String)> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let mut successor = value.as_bytes().to_vec();
    // An ASCII letter or digit plus one is still ASCII.
    *successor.last_mut()? += 1;
    Some((value.to_string(), String::from_utf8(successor).ok()?))
}

/// `value` as a LIKE pattern matching it anywhere, `%`, `_` and `\` taken literally.
fn contains_pattern(value: &str) -> String {
    let mut pattern = String::from("%");
    for c in value.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Events whose actor on one of `sides` (`source`, `target`) has a code starting with
/// `value` or a name containing it. The value first resolves, in the small `actor_names`
/// table, to the (key, name) pairs it matches (a key is the code, or `~name` without one);
/// the events are then found through the (key, name) index of each side, without reading
/// the events themselves: the same answer as testing every event, at the cost of the matches.
fn actor_clause(sides: &[&str], value: &str, args: &mut Vec<Value>) -> String {
    args.push(Value::Text(contains_pattern(value)));
    let pattern = args.len();
    let code_match = match prefix_range(&value.to_uppercase()) {
        Some((low, high)) => {
            args.push(Value::Text(low));
            args.push(Value::Text(high));
            format!("(key >= ?{} AND key < ?{}) OR ", args.len() - 1, args.len())
        }
        None => String::new(),
    };
    let pairs = format!(
        "SELECT key, name FROM actor_names WHERE {code_match}lower(name) LIKE ?{pattern} ESCAPE '\\'"
    );
    let side =
        |side: &str, alias: &str| format!("({alias}{side}_key, {alias}{side}_name) IN ({pairs})");
    match sides {
        [one] => side(one, "e."),
        // Either side: the union of two index searches (an OR over two indexes would make
        // SQLite scan every event).
        _ => format!(
            "e.id IN ({})",
            sides
                .iter()
                .map(|s| format!("SELECT id FROM events WHERE {}", side(s, "")))
                .collect::<Vec<_>>()
                .join(" UNION ALL ")
        ),
    }
}

impl EventQuery {
    /// The WHERE clause and its arguments.
    pub(crate) fn to_sql(&self) -> (String, Vec<Value>) {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        fn push(clauses: &mut Vec<String>, clause: &str, value: Value, args: &mut Vec<Value>) {
            args.push(value);
            clauses.push(clause.replace('?', &format!("?{}", args.len())));
        }
        if let Some(a) = &self.actor {
            clauses.push(actor_clause(&["source", "target"], a, &mut args));
        }
        if let Some(a) = &self.source {
            clauses.push(actor_clause(&["source"], a, &mut args));
        }
        if let Some(a) = &self.target {
            clauses.push(actor_clause(&["target"], a, &mut args));
        }
        if let Some(c) = &self.cameo {
            match prefix_range(c) {
                Some((low, high)) => {
                    push(&mut clauses, "e.cameo >= ?", Value::Text(low), &mut args);
                    push(&mut clauses, "e.cameo < ?", Value::Text(high), &mut args);
                }
                None => push(
                    &mut clauses,
                    "e.cameo LIKE ? ESCAPE '\\'",
                    Value::Text(contains_pattern(c).trim_start_matches('%').to_string()),
                    &mut args,
                ),
            }
        }
        if let Some(p) = &self.plover {
            push(
                &mut clauses,
                "e.plover_type = ?",
                Value::Text(p.to_uppercase()),
                &mut args,
            );
        }
        if let Some(q) = self.quad_class {
            push(
                &mut clauses,
                "e.quad_class = ?",
                Value::Integer(i64::from(q)),
                &mut args,
            );
        }
        if let Some(d) = &self.from {
            push(
                &mut clauses,
                "e.day >= ?",
                Value::Text(d.clone()),
                &mut args,
            );
        }
        if let Some(d) = &self.to {
            push(
                &mut clauses,
                "e.day <= ?",
                Value::Text(d.clone()),
                &mut args,
            );
        }
        if let Some(c) = &self.country {
            push(
                &mut clauses,
                "e.country_code = ?",
                Value::Text(c.to_uppercase()),
                &mut args,
            );
        }
        if let Some([min_lon, min_lat, max_lon, max_lat]) = self.bbox {
            push(&mut clauses, "e.lon >= ?", Value::Real(min_lon), &mut args);
            push(&mut clauses, "e.lat >= ?", Value::Real(min_lat), &mut args);
            push(&mut clauses, "e.lon <= ?", Value::Real(max_lon), &mut args);
            push(&mut clauses, "e.lat <= ?", Value::Real(max_lat), &mut args);
        }
        if let Some(o) = &self.outlet {
            push(
                &mut clauses,
                "e.id IN (SELECT m.event FROM documents d JOIN mentions m ON m.document = d.seq \
                 WHERE lower(d.source) = ?)",
                Value::Text(o.to_lowercase()),
                &mut args,
            );
        }
        if let Some(n) = self.negated {
            push(
                &mut clauses,
                "e.negated = ?",
                Value::Integer(n as i64),
                &mut args,
            );
        }
        if let Some(m) = &self.modality {
            push(
                &mut clauses,
                "e.modality = ?",
                Value::Text(m.to_lowercase()),
                &mut args,
            );
        }
        if let Some(t) = &self.text {
            push(
                &mut clauses,
                "e.id IN (SELECT m.event FROM sentence_fts f JOIN mentions m \
                 ON m.document = (f.rowid >> 20) AND m.sentence = (f.rowid & 1048575) \
                 WHERE sentence_fts MATCH ?)",
                Value::Text(fts_query(t)),
                &mut args,
            );
        }
        if let Some(id) = self.after_id {
            push(&mut clauses, "e.id > ?", Value::Integer(id), &mut args);
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        (sql, args)
    }
}

impl EventQuery {
    /// The query over the `event_days` counts (alias `r`), when its filters are all ones those
    /// counts keep: QuadClass, days, and a CAMEO prefix of at most two digits (a root).
    /// `limit` and `after_id` are ignored.
    pub(crate) fn to_day_counts_sql(&self) -> Option<(String, Vec<Value>)> {
        let only_day_filters = EventQuery {
            quad_class: None,
            from: None,
            to: None,
            cameo: None,
            after_id: None,
            limit: None,
            ..self.clone()
        } == EventQuery::default();
        if !only_day_filters {
            return None;
        }
        let mut clauses = Vec::new();
        let mut args = Vec::new();
        if let Some(c) = &self.cameo {
            let (low, high) = prefix_range(c).filter(|_| c.len() <= 2)?;
            args.push(Value::Text(low));
            args.push(Value::Text(high));
            clauses.push(format!(
                "r.root >= ?{} AND r.root < ?{}",
                args.len() - 1,
                args.len()
            ));
        }
        if let Some(q) = self.quad_class {
            args.push(Value::Integer(i64::from(q)));
            clauses.push(format!("r.quad_class = ?{}", args.len()));
        }
        if let Some(d) = &self.from {
            args.push(Value::Text(d.clone()));
            clauses.push(format!("r.day >= ?{}", args.len()));
        }
        if let Some(d) = &self.to {
            args.push(Value::Text(d.clone()));
            clauses.push(format!("r.day <= ?{}", args.len()));
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        Some((sql, args))
    }
}

/// Turns free text into a safe FTS5 query: every word quoted, all required.
fn fts_query(text: &str) -> String {
    text.split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Store {
    /// Events matching the query, by id.
    pub fn query(&self, q: &EventQuery) -> Result<Vec<EventRow>, StoreError> {
        self.select_events(q, Some(q.limit.unwrap_or(100)))
    }

    /// Events matching the query's filters, by id, at most `limit` (all when `None`).
    pub(crate) fn select_events(
        &self,
        q: &EventQuery,
        limit: Option<usize>,
    ) -> Result<Vec<EventRow>, StoreError> {
        let (clause, args) = q.to_sql();
        let limit = limit.map(|l| format!("LIMIT {l}")).unwrap_or_default();
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events e {clause} ORDER BY e.id {limit}");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), event_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How SQLite runs the event selection for `q` (`EXPLAIN QUERY PLAN`, one line per step):
    /// which index each filter uses. For checking that a filter does not scan every event.
    pub fn query_plan(&self, q: &EventQuery) -> Result<Vec<String>, StoreError> {
        let (clause, args) = q.to_sql();
        let limit = q.limit.unwrap_or(100);
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT {EVENT_COLUMNS} FROM events e {clause} ORDER BY e.id LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut depth: std::collections::HashMap<i64, usize> = Default::default();
        let mut lines = Vec::new();
        for row in rows {
            let (id, parent, detail) = row?;
            let d = depth.get(&parent).map_or(0, |d| d + 1);
            depth.insert(id, d);
            lines.push(format!("{}{detail}", "  ".repeat(d)));
        }
        Ok(lines)
    }

    /// Number of events matching the query.
    pub fn count(&self, q: &EventQuery) -> Result<u64, StoreError> {
        if q.after_id.is_none()
            && *q != EventQuery::default()
            && let Some((clause, args)) = q.to_day_counts_sql()
        {
            let sql = format!("SELECT COALESCE(SUM(r.events), 0) FROM event_days r {clause}");
            let n: i64 = self
                .conn
                .query_row(&sql, rusqlite::params_from_iter(args), |r| r.get(0))?;
            return Ok(n.max(0) as u64);
        }
        let (clause, args) = q.to_sql();
        let sql = format!("SELECT COUNT(*) FROM events e {clause}");
        let n: i64 = self
            .conn
            .query_row(&sql, rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Event counts grouped by `by`, largest first for actors/codes/countries, in order for days.
    pub fn count_by(&self, q: &EventQuery, by: CountBy) -> Result<Vec<(String, u64)>, StoreError> {
        let from_day_counts = match by {
            CountBy::Day => Some(("r.day", "key")),
            CountBy::Code => Some(("r.root", "key")),
            CountBy::QuadClass => Some(("CAST(r.quad_class AS TEXT)", "key")),
            CountBy::Actor | CountBy::Country => None,
        };
        if let (Some((key, order)), Some((clause, args))) = (from_day_counts, q.to_day_counts_sql())
        {
            let sql = format!(
                "SELECT {key} AS key, SUM(r.events) AS n FROM event_days r {clause}
                 GROUP BY key HAVING n > 0 ORDER BY {order}"
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
            })?;
            return Ok(rows.collect::<Result<_, _>>()?);
        }
        let (clause, args) = q.to_sql();
        let (key, order) = match by {
            CountBy::Day => ("e.day", "key"),
            CountBy::Actor => (
                "CASE WHEN e.source_code = '' THEN e.source_name ELSE e.source_code END",
                "n DESC, key",
            ),
            CountBy::Code => ("e.root", "key"),
            CountBy::Country => ("COALESCE(e.country_code, '')", "n DESC, key"),
            CountBy::QuadClass => ("CAST(e.quad_class AS TEXT)", "key"),
        };
        let sql = format!(
            "SELECT {key} AS key, COUNT(*) AS n FROM events e {clause} GROUP BY key ORDER BY {order}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One event by id.
    pub fn event(&self, id: i64) -> Result<Option<EventRow>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = ?1");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query_map([id], event_row)?;
        Ok(rows.next().transpose()?)
    }

    /// Every mention of an event, in ingest order.
    pub fn mentions(&self, event: i64) -> Result<Vec<MentionRow>, StoreError> {
        self.mentions_where("m.event = ?1", Value::Integer(event))
    }

    pub(crate) fn mentions_where(
        &self,
        clause: &str,
        arg: Value,
    ) -> Result<Vec<MentionRow>, StoreError> {
        // Mention texts are spans of the document text (code point offsets; substr counts
        // code points too); outlet, URL and day come from the document.
        let sql = format!(
            "SELECT m.event, d.id, m.idx, m.sentence,
                    substr(d.text, m.source_start + 1, m.source_end - m.source_start), m.source_start,
                    CASE WHEN m.target_start IS NULL THEN NULL
                         ELSE substr(d.text, m.target_start + 1, m.target_end - m.target_start) END,
                    m.target_start,
                    substr(d.text, m.evidence_start + 1, m.evidence_end - m.evidence_start),
                    m.evidence_start, m.evidence_end, m.confidence, d.source, d.url,
                    COALESCE(m.seen, d.published, ''), length(d.text)
             FROM mentions m JOIN documents d ON d.seq = m.document
             WHERE {clause} ORDER BY d.seq, m.idx"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([arg], |r| {
            Ok(MentionRow {
                event: r.get(0)?,
                document: r.get(1)?,
                index: r.get(2)?,
                sentence: r.get(3)?,
                source_text: r.get(4)?,
                source_start: r.get(5)?,
                target_text: r.get(6)?,
                target_start: r.get(7)?,
                evidence: r.get(8)?,
                evidence_start: r.get(9)?,
                evidence_end: r.get(10)?,
                confidence: r.get(11)?,
                outlet: r.get(12)?,
                url: r.get(13)?,
                seen: r.get(14)?,
                document_length: r.get(15)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A stored document in the JSON contract (as `dyad code` wrote it), if present and coded.
    /// A near-duplicate answers with the document it duplicates.
    pub fn document_json(&self, id: &str) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        let seq: Option<(i64, Option<i64>)> = self
            .conn
            .query_row(
                "SELECT seq, duplicate_of FROM documents WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((seq, duplicate_of)) = seq else {
            return Ok(None);
        };
        let row = self
            .conn
            .query_row(
                "SELECT id, layers_codec, layers, text, external_id, source, url, title, published,
                        language
                 FROM documents WHERE seq = ?1",
                [duplicate_of.unwrap_or(seq)],
                |r| {
                    Ok((
                        (
                            r.get::<_, String>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, Vec<u8>>(2)?,
                            r.get::<_, String>(3)?,
                        ),
                        dyad_document::Metadata {
                            external_id: r.get(4)?,
                            source: r.get(5)?,
                            url: r.get(6)?,
                            title: r.get(7)?,
                            published: r.get::<_, Option<String>>(8)?.and_then(|d| d.parse().ok()),
                            language: r.get(9)?,
                            origin: Default::default(),
                        },
                    ))
                },
            )
            .optional()?;
        let Some(((id, codec, layers, text), meta)) = row else {
            return Ok(None);
        };
        Ok(Some(crate::layers::unpack_json(
            codec, &id, &layers, text, meta,
        )?))
    }

    /// Totals: documents, near-duplicates, events, mentions, dead letters.
    pub fn stats(&self) -> Result<crate::StoreStats, StoreError> {
        let one = |sql: &str| -> Result<u64, StoreError> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(crate::StoreStats {
            documents: one("SELECT COUNT(*) FROM documents")?,
            near_duplicates: one("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NOT NULL")?,
            events: one("SELECT COUNT(*) FROM events")?,
            mentions: one("SELECT COUNT(*) FROM mentions")?,
            dead_letters: one("SELECT COUNT(*) FROM dead_letters")?,
        })
    }
}

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
    /// Words that must all occur in the sentence of a mention (full-text search; case and
    /// diacritics ignored, punctuation splits words).
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

/// The events with their actors and place (every query reads events through these joins;
/// SQLite drops a join whose columns a query does not use).
pub(crate) const EVENT_FROM: &str = "events e LEFT JOIN actors sa ON sa.id = e.source \
     LEFT JOIN actors ta ON ta.id = e.target LEFT JOIN places p ON p.id = e.place";

/// The columns of an [`EventRow`], in order, over [`EVENT_FROM`]. An actor's code is its key
/// unless the key is `~name` (an actor without a code); days are day numbers
/// (`crate::days`), modality and PLOVER type and mode ids in `labels`.
pub(crate) const EVENT_COLUMNS: &str = "e.id, date(e.day * 86400, 'unixepoch'), \
     CASE WHEN substr(sa.key, 1, 1) = '~' THEN '' ELSE sa.key END, sa.name, \
     CASE WHEN ta.id IS NULL THEN NULL WHEN substr(ta.key, 1, 1) = '~' THEN '' ELSE ta.key END, \
     ta.name, e.cameo, substr(e.cameo, 1, 2), \
     (SELECT label FROM labels WHERE id = e.plover_type), \
     (SELECT label FROM labels WHERE id = e.plover_mode), e.quad_class, e.goldstein, e.negated, \
     (SELECT label FROM labels WHERE id = e.modality), p.name, p.geonameid, p.country_code, \
     p.admin1, p.lat, p.lon, p.feature, e.num_mentions, e.num_sources, e.num_articles, \
     e.confidence_sum, date(e.first_seen * 86400, 'unixepoch'), \
     date(e.last_seen * 86400, 'unixepoch')";

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

/// The ids of the actors (table `actors`) with a code starting with `value` or a name
/// containing it, as a subquery (the actors table is small: one row per key and name).
fn actor_ids(value: &str, args: &mut Vec<Value>) -> String {
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
    format!("SELECT id FROM actors WHERE {code_match}lower(name) LIKE ?{pattern} ESCAPE '\\'")
}

/// Which actor filter a query has, when it has exactly one.
fn single_actor_filter(q: &EventQuery) -> Option<(&'static [&'static str], &str)> {
    match (&q.actor, &q.source, &q.target) {
        (Some(a), None, None) => Some((&["source", "target"], a)),
        (None, Some(a), None) => Some((&["source"], a)),
        (None, None, Some(a)) => Some((&["target"], a)),
        _ => None,
    }
}

/// Rows `(id, day, cameo, quad_class, place)` of the events with a matching actor on one of `sides`
/// that also meet `conditions` (on those columns only), read from the actor indexes alone
/// (`events_by_source` / `events_by_target` cover these columns): an event never has to be
/// read to be counted. With both sides, the target half leaves out the events the source half
/// has (each index also holds the other side), so no event counts twice and no temporary
/// table is needed to drop duplicates.
fn actor_rows(sides: &[&str], ids: &str, conditions: &[String]) -> String {
    let extra: String = conditions.iter().map(|c| format!(" AND {c}")).collect();
    let half = |side: &str, not_other: &str| {
        format!(
            "SELECT id, day, cameo, quad_class, place FROM events INDEXED BY events_by_{side}
             WHERE {side} IN ({ids}){not_other}{extra}"
        )
    };
    match sides {
        [side] => half(side, ""),
        _ => format!(
            "{} UNION ALL {}",
            half("source", ""),
            half("target", &format!(" AND source NOT IN ({ids})"))
        ),
    }
}

/// The filters on day, CAMEO code and QuadClass, without a table alias (they can be tested on
/// the actor indexes), with their arguments appended to `args`.
fn index_conditions(q: &EventQuery, args: &mut Vec<Value>) -> Vec<String> {
    let mut conditions = Vec::new();
    let mut push = |clause: &str, value: Value, args: &mut Vec<Value>| {
        args.push(value);
        conditions.push(clause.replace('?', &format!("?{}", args.len())));
    };
    if let Some(c) = &q.cameo {
        match prefix_range(c) {
            Some((low, high)) => {
                push("cameo >= ?", Value::Text(low), args);
                push("cameo < ?", Value::Text(high), args);
            }
            None => push(
                "cameo LIKE ? ESCAPE '\\'",
                Value::Text(contains_pattern(c).trim_start_matches('%').to_string()),
                args,
            ),
        }
    }
    if let Some(qc) = q.quad_class {
        push("quad_class = ?", Value::Integer(i64::from(qc)), args);
    }
    if let Some(d) = &q.from {
        push("day >= ?", Value::Integer(crate::days::first_from(d)), args);
    }
    if let Some(d) = &q.to {
        push("day <= ?", Value::Integer(crate::days::last_to(d)), args);
    }
    conditions
}

impl EventQuery {
    /// The WHERE clause (over `events e`, no other table) and its arguments.
    pub(crate) fn to_sql(&self) -> (String, Vec<Value>) {
        self.to_sql_with(false)
    }

    /// The WHERE clause; with `actors_by_scan`, an actor filter is tested on each event in
    /// id order instead of listing its events from the actor indexes first (faster for a
    /// page of a broad actor: the first matches come after a few hundred events).
    pub(crate) fn to_sql_with(&self, actors_by_scan: bool) -> (String, Vec<Value>) {
        let mut args: Vec<Value> = Vec::new();
        let conditions = index_conditions(self, &mut args);
        let mut clauses: Vec<String> = conditions.iter().map(|c| format!("e.{c}")).collect();
        fn push(clauses: &mut Vec<String>, clause: &str, value: Value, args: &mut Vec<Value>) {
            args.push(value);
            clauses.push(clause.replace('?', &format!("?{}", args.len())));
        }
        if actors_by_scan {
            let mut side = |value: &Option<String>, test: &dyn Fn(&str) -> String| {
                if let Some(a) = value {
                    let ids = actor_ids(a, &mut args);
                    clauses.push(test(&ids));
                }
            };
            // `+` keeps SQLite from answering these from the actor indexes.
            side(&self.actor, &|ids| {
                format!("(+e.source IN ({ids}) OR +e.target IN ({ids}))")
            });
            side(&self.source, &|ids| format!("+e.source IN ({ids})"));
            side(&self.target, &|ids| format!("+e.target IN ({ids})"));
        } else if let Some(a) = &self.actor {
            // Either side: the union of two index searches (an OR over two indexes would make
            // SQLite scan every event), with the day/code/class filters tested in the index.
            let ids = actor_ids(a, &mut args);
            clauses.push(format!(
                "e.id IN (SELECT id FROM ({}))",
                actor_rows(&["source", "target"], &ids, &conditions)
            ));
        }
        // One side: the ids from the covering index, so the rows read are only those listed.
        if let Some(a) = self.source.as_ref().filter(|_| !actors_by_scan) {
            let ids = actor_ids(a, &mut args);
            clauses.push(format!(
                "e.id IN (SELECT id FROM ({}))",
                actor_rows(&["source"], &ids, &conditions)
            ));
        }
        if let Some(a) = self.target.as_ref().filter(|_| !actors_by_scan) {
            let ids = actor_ids(a, &mut args);
            clauses.push(format!(
                "e.id IN (SELECT id FROM ({}))",
                actor_rows(&["target"], &ids, &conditions)
            ));
        }
        if let Some(p) = &self.plover {
            push(
                &mut clauses,
                "e.plover_type = (SELECT id FROM labels WHERE label = ?)",
                Value::Text(p.to_uppercase()),
                &mut args,
            );
        }
        if let Some(c) = &self.country {
            push(
                &mut clauses,
                "e.id IN (SELECT id FROM events INDEXED BY events_place
                 WHERE place IN (SELECT id FROM places WHERE country_code = ?))",
                Value::Text(c.to_uppercase()),
                &mut args,
            );
        }
        if let Some([min_lon, min_lat, max_lon, max_lat]) = self.bbox {
            let mut arg = |v: f64| {
                args.push(Value::Real(v));
                args.len()
            };
            let (a, b, c, d) = (arg(min_lon), arg(min_lat), arg(max_lon), arg(max_lat));
            clauses.push(format!(
                "e.id IN (SELECT id FROM events INDEXED BY events_place WHERE place IN (
                    SELECT id FROM places WHERE lon >= ?{a} AND lat >= ?{b}
                    AND lon <= ?{c} AND lat <= ?{d}))"
            ));
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
                "e.modality = (SELECT id FROM labels WHERE label = ?)",
                Value::Text(m.to_lowercase()),
                &mut args,
            );
        }
        // A search without any word (empty, blanks) is no filter (SQLite refuses an empty
        // full-text query).
        if let Some(t) = self.text.as_deref().filter(|t| !t.trim().is_empty()) {
            push(
                &mut clauses,
                "e.id IN (SELECT m.event FROM sentence_fts f \
                 JOIN fts_sentences s ON s.id = f.rowid \
                 JOIN mentions m ON m.document = s.document AND m.sentence = s.sentence \
                 WHERE sentence_fts MATCH ?)",
                Value::Text(fts_query(t)),
                &mut args,
            );
        }
        if let Some(id) = self.after_id {
            push(&mut clauses, "e.id > ?", Value::Integer(id), &mut args);
        }
        let sql = where_clause(&clauses);
        (sql, args)
    }
}

impl EventQuery {
    /// The filters other than one actor filter, days, CAMEO code, QuadClass (and paging) are
    /// all unset.
    fn only_actor_day_code_class(&self) -> bool {
        EventQuery {
            actor: None,
            source: None,
            target: None,
            cameo: None,
            quad_class: None,
            from: None,
            to: None,
            after_id: None,
            limit: None,
            ..self.clone()
        } == EventQuery::default()
    }

    /// Rows `(id, day, cameo, quad_class, place)` of the matching events read from the actor indexes
    /// alone, when the filters are one actor filter plus days, CAMEO code and QuadClass
    /// (`after_id` and `limit` are ignored).
    pub(crate) fn to_actor_rows_sql(&self) -> Option<(String, Vec<Value>)> {
        let (sides, value) = single_actor_filter(self)?;
        if !self.only_actor_day_code_class() {
            return None;
        }
        let mut args = Vec::new();
        let conditions = index_conditions(self, &mut args);
        let ids = actor_ids(value, &mut args);
        Some((actor_rows(sides, &ids, &conditions), args))
    }

    /// The WHERE clause over `actor_pairs p` (events per source, target and QuadClass), when
    /// the filters are at most one actor filter and QuadClass.
    pub(crate) fn to_actor_pairs_sql(&self) -> Option<(String, Vec<Value>)> {
        let rest = EventQuery {
            actor: None,
            source: None,
            target: None,
            quad_class: None,
            after_id: None,
            limit: None,
            ..self.clone()
        };
        if rest != EventQuery::default() {
            return None;
        }
        let mut args = Vec::new();
        let mut clauses = Vec::new();
        if self.actor.is_some() || self.source.is_some() || self.target.is_some() {
            let (sides, value) = single_actor_filter(self)?;
            let ids = actor_ids(value, &mut args);
            clauses.push(format!(
                "({})",
                sides
                    .iter()
                    .map(|side| format!("p.{side} IN ({ids})"))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            ));
        }
        if let Some(q) = self.quad_class {
            args.push(Value::Integer(i64::from(q)));
            clauses.push(format!("p.quad_class = ?{}", args.len()));
        }
        let sql = where_clause(&clauses);
        Some((sql, args))
    }

    /// The WHERE clause over `place_events pe` (events per place and QuadClass), when the
    /// only filter is (at most) QuadClass.
    pub(crate) fn to_place_events_sql(&self) -> Option<(String, Vec<Value>)> {
        let rest = EventQuery {
            quad_class: None,
            after_id: None,
            limit: None,
            ..self.clone()
        };
        if rest != EventQuery::default() {
            return None;
        }
        Some(match self.quad_class {
            Some(q) => (
                "WHERE pe.quad_class = ?1".to_string(),
                vec![Value::Integer(i64::from(q))],
            ),
            None => (String::new(), Vec::new()),
        })
    }

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
            args.push(Value::Integer(crate::days::first_from(d)));
            clauses.push(format!("r.day >= ?{}", args.len()));
        }
        if let Some(d) = &self.to {
            args.push(Value::Integer(crate::days::last_to(d)));
            clauses.push(format!("r.day <= ?{}", args.len()));
        }
        let sql = where_clause(&clauses);
        Some((sql, args))
    }
}

/// Turns free text into a safe FTS5 query: every token of every word quoted, all required.
///
/// The index keeps no positions (schema 4), so a quoted string must be a single token: each
/// word is split where the index's tokenizer (`unicode61`, token characters `L* N* Co M*`)
/// would split it, and its tokens are all required ("U.S." asks for "u" and "s" in the
/// sentence; schema 3 asked for them next to each other). A word without any token (`--`)
/// stays an empty phrase, which matches nothing, as before.
pub(crate) fn fts_query(text: &str) -> String {
    let mut terms: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let tokens: Vec<&str> = word
            .split(|c: char| !is_token_char(c))
            .filter(|t| !t.is_empty())
            .collect();
        if tokens.is_empty() {
            terms.push("\"\"".to_string());
        }
        terms.extend(tokens.into_iter().map(|t| format!("\"{t}\"")));
    }
    terms.join(" ")
}

/// Whether the query keeps `c` inside a token: ASCII letters and digits, and the letters,
/// digits and marks of scripts whose characters all predate the Unicode version of SQLite's
/// tokenizer tables (6.1). A character the tokenizer would keep but this splits on only makes
/// a token that matches less; one the tokenizer splits on but this kept would make a phrase,
/// which the index cannot answer (an error): characters outside these ranges are separators.
fn is_token_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let letter_or_digit = c.is_alphanumeric()
        && matches!(c,
            '\u{00C0}'..='\u{024F}'     // Latin-1 and Latin Extended-A/B letters
            | '\u{0370}'..='\u{037E}'   // Greek (U+037F is Unicode 7.0)
            | '\u{0384}'..='\u{03FF}'
            | '\u{0400}'..='\u{04FF}'   // Cyrillic
            | '\u{05D0}'..='\u{05EA}'   // Hebrew letters
            | '\u{0620}'..='\u{064A}'   // Arabic letters
            | '\u{0660}'..='\u{0669}'   // Arabic-Indic digits
            | '\u{0E01}'..='\u{0E30}'   // Thai letters
            | '\u{1E00}'..='\u{1EFF}'   // Latin Extended Additional
            | '\u{3041}'..='\u{3096}'   // Hiragana
            | '\u{30A1}'..='\u{30FA}'   // Katakana
            | '\u{4E00}'..='\u{9FA5}'   // CJK unified ideographs (Unicode 1.1)
            | '\u{AC00}'..='\u{D7A3}'); // Hangul syllables
    let mark_or_indic = matches!(c,
        '\u{0300}'..='\u{036F}'         // combining diacritical marks
        | '\u{064B}'..='\u{065E}'       // Arabic vowel marks
        | '\u{0900}'..='\u{0963}'       // Devanagari letters, vowel signs, virama
        | '\u{0966}'..='\u{096F}'); // Devanagari digits
    letter_or_digit || mark_or_indic
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
        let (clause, args) = q.to_sql_with(limit.is_some() && self.actor_is_broad(q)?);
        let limit = limit.map(|l| format!("LIMIT {l}")).unwrap_or_default();
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM {EVENT_FROM} {clause} ORDER BY e.id {limit}");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), event_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether the actor filter of `q` (if it has exactly one) matches at least one event in
    /// fifty, by the per-pair counts: then a page of events is found fastest by testing events
    /// in id order, else by listing the actor's events from its index.
    fn actor_is_broad(&self, q: &EventQuery) -> Result<bool, StoreError> {
        let Some((sides, value)) = single_actor_filter(q) else {
            return Ok(false);
        };
        let actor_only = match sides {
            [_, _] => EventQuery {
                actor: Some(value.to_string()),
                ..Default::default()
            },
            ["source"] => EventQuery {
                source: Some(value.to_string()),
                ..Default::default()
            },
            _ => EventQuery {
                target: Some(value.to_string()),
                ..Default::default()
            },
        };
        let Some((clause, args)) = actor_only.to_actor_pairs_sql() else {
            return Ok(false);
        };
        let (matching, last): (i64, i64) = self.conn.query_row(
            &format!(
                "SELECT (SELECT COALESCE(SUM(p.events), 0) FROM actor_pairs p {clause}),
                        (SELECT COALESCE(MAX(id), 0) FROM events)"
            ),
            rusqlite::params_from_iter(args),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(matching.saturating_mul(50) >= last && matching > 0)
    }

    /// How SQLite runs the event selection for `q` (`EXPLAIN QUERY PLAN`, one line per step):
    /// which index each filter uses. For checking that a filter does not scan every event.
    pub fn query_plan(&self, q: &EventQuery) -> Result<Vec<String>, StoreError> {
        let (clause, args) = q.to_sql_with(self.actor_is_broad(q)?);
        let limit = q.limit.unwrap_or(100);
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT {EVENT_COLUMNS} FROM {EVENT_FROM} {clause} ORDER BY e.id LIMIT {limit}"
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
        if q.after_id.is_none()
            && let Some((rows, args)) = q.to_actor_rows_sql()
        {
            let sql = format!("SELECT COUNT(*) FROM ({rows})");
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
            CountBy::Day => Some(("date(r.day * 86400, 'unixepoch')", "key")),
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
        let (key, order) = match by {
            CountBy::Day => ("date(e.day * 86400, 'unixepoch')", "bucket"),
            CountBy::Actor => (
                "CASE WHEN substr(sa.key, 1, 1) = '~' THEN sa.name ELSE sa.key END",
                "n DESC, bucket",
            ),
            CountBy::Code => ("substr(e.cameo, 1, 2)", "bucket"),
            CountBy::Country => ("COALESCE(p.country_code, '')", "n DESC, bucket"),
            CountBy::QuadClass => ("CAST(e.quad_class AS TEXT)", "bucket"),
        };
        if by == CountBy::Country
            && let Some((clause, args)) = q.to_place_events_sql()
        {
            return self.countries_from_place_events(q, &clause, args);
        }
        let sql = match (by, q.to_actor_rows_sql()) {
            (CountBy::Country, Some((rows, args))) => (
                format!(
                    "SELECT COALESCE(p.country_code, '') AS bucket, COUNT(*) AS n FROM ({rows}) e
                     LEFT JOIN places p ON p.id = e.place GROUP BY bucket ORDER BY {order}"
                ),
                args,
            ),
            // Counted in the actor indexes, without reading the events.
            (CountBy::Day | CountBy::Code | CountBy::QuadClass, Some((rows, args))) => (
                format!(
                    "SELECT {} AS bucket, COUNT(*) AS n FROM ({rows}) e GROUP BY bucket ORDER BY {order}",
                    key
                ),
                args,
            ),
            _ => {
                let (clause, args) = q.to_sql();
                (
                    format!(
                        "SELECT {key} AS bucket, COUNT(*) AS n FROM {EVENT_FROM} {clause}
                         GROUP BY bucket ORDER BY {order}"
                    ),
                    args,
                )
            }
        };
        let (sql, args) = sql;
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Events per country from the per-place counts; events without a place (or without a
    /// country) are the remainder, under `''`.
    fn countries_from_place_events(
        &self,
        q: &EventQuery,
        clause: &str,
        args: Vec<Value>,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let sql = format!(
            "SELECT COALESCE(p.country_code, '') AS bucket, SUM(pe.events) AS n
             FROM place_events pe JOIN places p ON p.id = pe.place {clause}
             GROUP BY bucket"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
        })?;
        let mut counts: Vec<(String, u64)> = rows.collect::<Result<_, _>>()?;
        let placed: u64 = counts.iter().map(|(_, n)| n).sum();
        let total = self.count(&EventQuery {
            quad_class: q.quad_class,
            ..Default::default()
        })?;
        let unplaced = total.saturating_sub(placed);
        if unplaced > 0 {
            match counts.iter_mut().find(|(code, _)| code.is_empty()) {
                Some((_, n)) => *n += unplaced,
                None => counts.push((String::new(), unplaced)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(counts)
    }

    /// One event by id.
    pub fn event(&self, id: i64) -> Result<Option<EventRow>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM {EVENT_FROM} WHERE e.id = ?1");
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
            "SELECT m.event, {}, m.idx, m.sentence,
                    substr(d.text, m.source_start + 1, m.source_end - m.source_start), m.source_start,
                    CASE WHEN m.target_start IS NULL THEN NULL
                         ELSE substr(d.text, m.target_start + 1, m.target_end - m.target_start) END,
                    m.target_start,
                    substr(d.text, m.evidence_start + 1, m.evidence_end - m.evidence_start),
                    m.evidence_start, m.evidence_end, m.confidence, d.source, d.url,
                    COALESCE(m.seen, d.published, ''), length(d.text)
             FROM mentions m JOIN documents d ON d.seq = m.document
             WHERE {clause} ORDER BY d.seq, m.idx",
            crate::store::DOCUMENT_ID_D
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
                confidence: crate::store::confidence_from_stored(r.get(11)?),
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
                [crate::store::stored_document_id(id)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((seq, duplicate_of)) = seq else {
            return Ok(None);
        };
        let row = self
            .conn
            .query_row(
                &format!(
                    "SELECT {}, layers_codec, layers, text, external_id, source, url, title,
                            published, language
                     FROM documents WHERE seq = ?1",
                    crate::store::DOCUMENT_ID
                ),
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
        let dictionaries = |id: u32| crate::store::dictionary(&self.conn, id);
        Ok(Some(crate::layers::unpack_json(
            codec,
            &id,
            &layers,
            text,
            meta,
            &dictionaries,
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

/// `WHERE a AND b ...`, or nothing when there are no clauses.
fn where_clause(clauses: &[String]) -> String {
    if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_become_single_tokens() {
        assert_eq!(fts_query("Taliban  fighters"), r#""Taliban" "fighters""#);
        assert_eq!(fts_query("U.S. al-Qaeda"), r#""U" "S" "al" "Qaeda""#);
        assert_eq!(
            fts_query(r#"say "hi" -- naïve नमस्ते"#),
            r#""say" "hi" "" "naïve" "नमस्ते""#
        );
        assert_eq!(fts_query(""), "");
    }

    /// Regression: the index keeps no positions, so a query token that the tokenizer splits
    /// in two is a phrase, and SQLite refuses it ("phrase queries are not supported"). Every
    /// character the query keeps inside a token is one the tokenizer keeps too.
    #[test]
    fn no_token_character_makes_a_phrase() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO fts_sentences(id, document, sentence) VALUES (1, 1, 0);
                 INSERT INTO sentence_fts(rowid, sentence) VALUES (1, 'a b ab');",
            )
            .unwrap();
        let mut stmt = store
            .conn
            .prepare("SELECT count(*) FROM sentence_fts WHERE sentence_fts MATCH ?1")
            .unwrap();
        for c in (0x80u32..0x10000)
            .filter_map(char::from_u32)
            .filter(|c| is_token_char(*c))
        {
            let query = fts_query(&format!("a{c}b"));
            let found = stmt.query_row([&query], |r| r.get::<_, i64>(0));
            assert!(found.is_ok(), "U+{:04X}: {found:?}", c as u32);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_search_text_is_a_query_not_an_error(text in ".{0,40}") {
            let store = Store::open_in_memory().unwrap();
            store.conn.execute_batch(
                "INSERT INTO fts_sentences(id, document, sentence) VALUES (1, 1, 0);
                 INSERT INTO sentence_fts(rowid, sentence) VALUES (1, 'The Taliban said so.');",
            ).unwrap();
            let q = EventQuery { text: Some(text), ..Default::default() };
            proptest::prop_assert!(store.count(&q).is_ok());
            proptest::prop_assert!(store.query(&q).is_ok());
        }
    }
}

//! Exports: GDELT 2.0 Events (61 columns) and Mentions (16 columns) as tab-separated files,
//! PLOVER JSON Lines, CSV, and (with the `parquet` feature) Parquet.

use crate::query::{EventQuery, EventRow};
use crate::{Store, StoreError};
use rusqlite::types::Value;
use std::io::Write;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// GDELT 2.0 Events table, 61 tab-separated columns, no header (as GDELT ships it).
    GdeltEvents,
    /// GDELT 2.0 Mentions table, 16 tab-separated columns, no header.
    GdeltMentions,
    /// PLOVER JSON, one event per line (PLOVER manual, chapter 6).
    Plover,
    /// CSV with a header row: every stored event field.
    Csv,
    /// Parquet with typed columns (needs the `parquet` feature).
    Parquet,
}

impl std::str::FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "gdelt-events" | "gdelt" => ExportFormat::GdeltEvents,
            "gdelt-mentions" => ExportFormat::GdeltMentions,
            "plover" | "plover-json" => ExportFormat::Plover,
            "csv" => ExportFormat::Csv,
            "parquet" => ExportFormat::Parquet,
            _ => {
                return Err(format!(
                    "unknown export format {s:?}: use gdelt-events, gdelt-mentions, plover, csv or parquet"
                ));
            }
        })
    }
}

/// CAMEO actor type codes (third-party: the CAMEO codebook's role codes).
const ACTOR_TYPES: &[&str] = &[
    "GOV", "MIL", "REB", "OPP", "INS", "COP", "JUD", "LEG", "MED", "CVL", "BUS", "NGO", "SPY",
    "ELI", "LAB", "EDU", "REF", "IGO", "NGM", "MNC", "UAF", "HLH", "AGR", "CRM", "DEV", "ENV",
    "HRI", "IMG", "MOD", "RAD", "REL", "SET", "UIS", "SEP", "PTY", "AMN", "IRC", "GRP",
];

/// Splits a CAMEO actor code into GDELT's country, known-group and type fields.
fn split_actor_code(code: &str) -> (String, String, [String; 3]) {
    let parts: Vec<&str> = (0..code.len())
        .step_by(3)
        .filter_map(|i| code.get(i..(i + 3).min(code.len())))
        .collect();
    let mut country = String::new();
    let mut known_group = String::new();
    let mut types: Vec<String> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if ACTOR_TYPES.contains(part) {
            if types.len() < 3 {
                types.push(part.to_string());
            }
        } else if i == 0 && part.len() == 3 {
            country = part.to_string();
        } else if known_group.is_empty()
            && parts
                .get(i.wrapping_sub(1))
                .is_some_and(|p| matches!(*p, "IGO" | "NGO" | "IMG" | "NGM"))
        {
            known_group = part.to_string();
        }
    }
    types.resize(3, String::new());
    let [a, b, c]: [String; 3] = types.try_into().unwrap_or_default();
    (country, known_group, [a, b, c])
}

/// ISO 3166-1 alpha-2 → FIPS 10-4 (GeoNames countryInfo, CC BY 4.0; see the file's header).
const ISO_TO_FIPS_TSV: &str = include_str!("../../../data/fips/iso3166_fips104.tsv");

/// The FIPS 10-4 country code GDELT writes for an ISO 3166-1 alpha-2 code (`DE` → `GM`,
/// `GB` → `UK`); empty when the code is unknown or has no FIPS code.
pub fn fips_country_code(iso2: &str) -> &'static str {
    static TABLE: std::sync::LazyLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::LazyLock::new(|| {
            ISO_TO_FIPS_TSV
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| {
                    let mut fields = l.split('\t');
                    Some((fields.next()?, fields.next()?))
                })
                .collect()
        });
    TABLE
        .get(iso2.to_ascii_uppercase().as_str())
        .copied()
        .unwrap_or("")
}

fn compact_day(day: &str) -> String {
    day.replace('-', "")
}

fn fraction_date(day: &str) -> String {
    let Ok(d) = day.parse::<jiff::civil::Date>() else {
        return String::new();
    };
    let days_in_year = if d.in_leap_year() { 366.0 } else { 365.0 };
    format!(
        "{:.4}",
        f64::from(d.year()) + f64::from(d.day_of_year() - 1) / days_in_year
    )
}

/// GDELT geo type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
fn geo_type(feature: Option<&str>, country: Option<&str>) -> &'static str {
    let us = country == Some("US");
    match feature {
        None => "0",
        Some(f) if f.starts_with("A.PCL") => "1",
        Some(f) if f.starts_with("A.ADM1") => {
            if us {
                "2"
            } else {
                "5"
            }
        }
        Some(_) => {
            if us {
                "3"
            } else {
                "4"
            }
        }
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

/// The 61 GDELT 2.0 Events columns of one event.
fn gdelt_event_columns(e: &EventRow, url: &str) -> Vec<String> {
    let mut cols: Vec<String> = Vec::with_capacity(61);
    cols.push(e.id.to_string());
    cols.push(compact_day(&e.day));
    cols.push(compact_day(&e.day).get(..6).unwrap_or("").to_string());
    cols.push(e.day.get(..4).unwrap_or("").to_string());
    cols.push(fraction_date(&e.day));
    for (code, name) in [
        (e.source_code.clone(), e.source_name.clone()),
        (
            e.target_code.clone().unwrap_or_default(),
            e.target_name.clone().unwrap_or_default(),
        ),
    ] {
        let (country, group, types) = split_actor_code(&code);
        cols.push(code);
        cols.push(name.to_uppercase());
        cols.push(country);
        cols.push(group);
        cols.push(String::new()); // EthnicCode
        cols.push(String::new()); // Religion1Code
        cols.push(String::new()); // Religion2Code
        cols.extend(types);
    }
    cols.push("1".into()); // IsRootEvent
    cols.push(e.cameo.clone());
    cols.push(e.cameo.get(..3).unwrap_or(&e.cameo).to_string());
    cols.push(e.root.clone());
    cols.push(e.quad_class.to_string());
    cols.push(format!("{:.1}", e.goldstein));
    cols.push(e.num_mentions.to_string());
    cols.push(e.num_sources.to_string());
    cols.push(e.num_articles.to_string());
    cols.push("0".into()); // AvgTone: dyad does not score tone
    // Actor1Geo, Actor2Geo: dyad stores the action place per canonical event; actor places
    // live on mentions in the document JSON, so these are left empty as GDELT does when unknown.
    for _ in 0..2 {
        cols.push("0".into());
        cols.extend(std::iter::repeat_n(String::new(), 7));
    }
    cols.push(geo_type(e.feature.as_deref(), e.country_code.as_deref()).to_string());
    cols.push(opt(&e.place_name));
    // GDELT's geography columns use FIPS 10-4 country codes, dyad stores ISO 3166.
    let fips = e
        .country_code
        .as_deref()
        .map(fips_country_code)
        .unwrap_or("");
    cols.push(fips.to_string());
    cols.push(match (fips, &e.admin1) {
        ("", _) => String::new(),
        (cc, Some(a)) => format!("{cc}{a}"),
        (cc, None) => cc.to_string(),
    });
    cols.push(String::new()); // ADM2Code
    cols.push(opt(&e.lat));
    cols.push(opt(&e.lon));
    cols.push(opt(&e.geonameid));
    cols.push(format!("{}000000", compact_day(&e.first_seen)));
    cols.push(url.to_string());
    cols
}

fn tsv_field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

impl Store {
    /// Exports take every matching event unless the query sets a limit.
    fn events_for_export(&self, q: &EventQuery) -> Result<Vec<EventRow>, StoreError> {
        self.select_events(q, q.limit)
    }

    fn first_url(&self, event: i64) -> Result<String, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT COALESCE(d.url, d.origin) FROM mentions m JOIN documents d ON d.seq = m.document
                 WHERE m.event = ?1 ORDER BY d.seq, m.idx LIMIT 1",
                [event],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten()
            .unwrap_or_default())
    }

    /// Writes the events matching `q` in `format`; returns the number of rows written.
    pub fn export<W: Write + Send>(
        &self,
        q: &EventQuery,
        format: ExportFormat,
        out: W,
    ) -> Result<usize, StoreError> {
        match format {
            ExportFormat::GdeltEvents => self.export_gdelt_events(q, out),
            ExportFormat::GdeltMentions => self.export_gdelt_mentions(q, out),
            ExportFormat::Plover => self.export_plover(q, out),
            ExportFormat::Csv => self.export_csv(q, out),
            ExportFormat::Parquet => self.export_parquet(q, out),
        }
    }

    fn export_gdelt_events<W: Write>(
        &self,
        q: &EventQuery,
        mut out: W,
    ) -> Result<usize, StoreError> {
        let events = self.events_for_export(q)?;
        for e in &events {
            let cols = gdelt_event_columns(e, &self.first_url(e.id)?);
            let line: Vec<String> = cols.iter().map(|c| tsv_field(c)).collect();
            writeln!(out, "{}", line.join("\t"))?;
        }
        Ok(events.len())
    }

    fn export_gdelt_mentions<W: Write>(
        &self,
        q: &EventQuery,
        mut out: W,
    ) -> Result<usize, StoreError> {
        let events = self.events_for_export(q)?;
        let mut n = 0;
        for e in &events {
            for m in self.mentions_where("m.event = ?1", Value::Integer(e.id))? {
                let cols: Vec<String> = vec![
                    e.id.to_string(),
                    format!("{}000000", compact_day(&e.day)),
                    format!("{}000000", compact_day(&m.seen)),
                    "1".into(), // MentionType: WEB
                    m.outlet.clone().unwrap_or_default(),
                    m.url.clone().unwrap_or_else(|| m.document.clone()),
                    (m.sentence + 1).to_string(),
                    m.source_start.to_string(),
                    m.target_start
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "-1".into()),
                    m.evidence_start.to_string(),
                    "1".into(), // InRawText: evidence is a verbatim span
                    format!("{}", (m.confidence * 100.0).round() as i64),
                    m.document_length.to_string(),
                    "0".into(), // MentionDocTone
                    String::new(),
                    String::new(),
                ];
                let line: Vec<String> = cols.iter().map(|c| tsv_field(c)).collect();
                writeln!(out, "{}", line.join("\t"))?;
                n += 1;
            }
        }
        Ok(n)
    }

    fn export_plover<W: Write>(&self, q: &EventQuery, mut out: W) -> Result<usize, StoreError> {
        let events = self.events_for_export(q)?;
        for e in &events {
            let mentions = self.mentions_where("m.event = ?1", Value::Integer(e.id))?;
            let entity = |code: &str, text: Option<&str>| {
                let (country, _, types) = split_actor_code(code);
                serde_json::json!({
                    "code": country,
                    "sector": types[0],
                    "entity_text": text,
                    "cameo_code": code,
                })
            };
            let first = mentions.first();
            let record = serde_json::json!({
                "id": format!("dyad-{}", e.id),
                "has_event": !e.negated,
                "date": e.day,
                "actor": [entity(&e.source_code, Some(first.map(|m| m.source_text.as_str()).unwrap_or(&e.source_name)))],
                "recipient": match &e.target_code {
                    Some(t) if !t.is_empty() || e.target_name.is_some() =>
                        vec![entity(t, first.and_then(|m| m.target_text.as_deref()).or(e.target_name.as_deref()))],
                    _ => vec![],
                },
                "event": e.plover_type.iter().collect::<Vec<_>>(),
                "mode": e.plover_mode.iter().filter(|m| !m.is_empty()).collect::<Vec<_>>(),
                "event_loc": e.place_name.as_ref().map(|p| serde_json::json!({
                    "resolved_place": p,
                    "geonameid": e.geonameid,
                    "lat": e.lat,
                    "lon": e.lon,
                    "country_code": e.country_code,
                    "province": e.admin1,
                })),
                "event_text": mentions.iter().map(|m| m.evidence.as_str()).collect::<Vec<_>>(),
                "quad_code": e.quad_class,
                "event_scale": e.goldstein,
                "cameo_code": e.cameo,
                "negated": e.negated,
                "modality": e.modality,
                "num_mentions": e.num_mentions,
                "num_sources": e.num_sources,
                "num_articles": e.num_articles,
                "cite_info": mentions.iter().map(|m| serde_json::json!({
                    "url": m.url, "publication": m.outlet, "document": m.document,
                    "sentence": m.sentence, "start": m.evidence_start, "end": m.evidence_end,
                })).collect::<Vec<_>>(),
                "coder": concat!("dyad ", env!("CARGO_PKG_VERSION")),
                "codebook": "CAMEO 1.1b3 via CAMEO2PLOVER-2021 (PLOVER draft 0.8)",
            });
            serde_json::to_writer(&mut out, &record)?;
            out.write_all(b"\n")?;
        }
        Ok(events.len())
    }

    fn export_csv<W: Write>(&self, q: &EventQuery, out: W) -> Result<usize, StoreError> {
        let events = self.events_for_export(q)?;
        let mut w = csv::Writer::from_writer(out);
        for e in &events {
            w.serialize(e)?;
        }
        w.flush()?;
        Ok(events.len())
    }

    #[cfg(not(feature = "parquet"))]
    fn export_parquet<W: Write + Send>(
        &self,
        _q: &EventQuery,
        _out: W,
    ) -> Result<usize, StoreError> {
        Err(StoreError::FeatureMissing { feature: "parquet" })
    }

    #[cfg(feature = "parquet")]
    fn export_parquet<W: Write + Send>(&self, q: &EventQuery, out: W) -> Result<usize, StoreError> {
        let events = self.events_for_export(q)?;
        crate::parquet_export::write(&events, out)?;
        Ok(events.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_codes_split_into_gdelt_fields() {
        assert_eq!(
            split_actor_code("AFGGOV"),
            (
                "AFG".into(),
                String::new(),
                ["GOV".into(), String::new(), String::new()]
            )
        );
        let (c, g, t) = split_actor_code("IGOUNO");
        assert_eq!((c.as_str(), g.as_str(), t[0].as_str()), ("", "UNO", "IGO"));
        let (c, _, t) = split_actor_code("USAMILREB");
        assert_eq!(
            (c.as_str(), t[0].as_str(), t[1].as_str()),
            ("USA", "MIL", "REB")
        );
        assert_eq!(split_actor_code("").0, "");
    }

    #[test]
    fn iso_codes_become_fips_codes() {
        for (iso, fips) in [
            ("AF", "AF"),
            ("DE", "GM"),
            ("GB", "UK"),
            ("RU", "RS"),
            ("CN", "CH"),
            ("IQ", "IZ"),
            ("us", "US"),
            ("XK", "KV"),
        ] {
            assert_eq!(fips_country_code(iso), fips, "{iso}");
        }
        assert_eq!(fips_country_code("ZZ"), "");
        assert_eq!(fips_country_code(""), "");
        assert_eq!(
            fips_country_code("BQ"),
            "",
            "GeoNames gives Bonaire no FIPS code"
        );
    }

    #[test]
    fn fraction_date_is_gdelt_style() {
        assert_eq!(fraction_date("2021-01-01"), "2021.0000");
        assert!(fraction_date("2021-08-25").starts_with("2021.64"));
        assert_eq!(fraction_date("garbage"), "");
    }
}

//! Evaluation on GeoVirus-style gold files and on the Mordecai3 hard cases.

use crate::{GeoError, Geocoder, event_location};
use dyad_document::{Document, EventActor, Metadata, Place, Sentence, TextRange};
use serde::Deserialize;
use std::path::Path;

/// Scores of one system on a gold set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GeoScores {
    /// Share of gold toponyms resolved within 161 km (100 miles); misses count as wrong.
    pub acc_161: f64,
    /// Median error in km over the toponyms found.
    pub median_km: f64,
    /// Mean error in km over the toponyms found.
    pub mean_km: f64,
    /// Share of gold toponyms whose predicted country is the country of the gold coordinates.
    pub country_acc: f64,
    /// Share of gold toponyms that got any prediction at all.
    pub recall: f64,
}

/// The result of [`evaluate_geovirus`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GeoEvalReport {
    /// Documents read.
    pub documents: usize,
    /// Gold toponyms.
    pub toponyms: usize,
    /// dyad's geocoder.
    pub dyad: GeoScores,
    /// Same candidates, most populous match.
    pub baseline: GeoScores,
    /// Gold toponyms dyad missed or placed more than 161 km off: (name and the text around
    /// it, error km or -1 when missed).
    pub errors: Vec<(String, f64)>,
}

#[derive(Deserialize)]
struct GoldDoc {
    text: String,
    toponyms: Vec<GoldToponym>,
}

#[derive(Deserialize)]
struct GoldToponym {
    name: String,
    start: usize,
    end: usize,
    lat: f64,
    lon: f64,
}

/// Great-circle distance in km.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

/// Splits text into sentences at `.`, `!`, `?` followed by a space and an uppercase letter
/// (good enough for evaluation documents that come without a sentence layer).
pub fn naive_sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let boundary = matches!(b, b'.' | b'!' | b'?' | b'\n')
            && bytes.get(i + 1).is_none_or(|&c| c == b' ' || c == b'\n')
            && (b == b'\n'
                || bytes
                    .get(i + 2)
                    .is_none_or(|c| c.is_ascii_uppercase() || *c == b'"'));
        if boundary && i + 1 > start {
            out.push(Sentence {
                range: TextRange::new(start, i + 1),
            });
            start = i + 1;
            while start < bytes.len() && bytes[start].is_ascii_whitespace() {
                start += 1;
            }
        }
    }
    if start < text.len() {
        out.push(Sentence {
            range: TextRange::new(start, text.len()),
        });
    }
    out
}

struct Tally {
    hits: usize,
    country: usize,
    found: usize,
    errors: Vec<f64>,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            hits: 0,
            country: 0,
            found: 0,
            errors: Vec::new(),
        }
    }

    fn scores(mut self, total: usize) -> GeoScores {
        let n = total.max(1) as f64;
        self.errors.sort_by(f64::total_cmp);
        let median = self
            .errors
            .get(self.errors.len() / 2)
            .copied()
            .unwrap_or(0.0);
        let mean = self.errors.iter().sum::<f64>() / self.errors.len().max(1) as f64;
        GeoScores {
            acc_161: self.hits as f64 / n,
            median_km: median,
            mean_km: mean,
            country_acc: self.country as f64 / n,
            recall: self.found as f64 / n,
        }
    }
}

fn best_overlap(places: &[Place], byte: TextRange) -> Option<&Place> {
    places
        .iter()
        .filter(|p| p.range.overlaps(byte))
        .max_by_key(|p| {
            let s = p.range.start().max(byte.start());
            let e = p.range.end().min(byte.end());
            e.saturating_sub(s)
        })
}

/// Scores the geocoder on a JSONL gold file of `{text, toponyms: [{name, start, end, lat,
/// lon}]}` (code point offsets): accuracy at 161 km, median/mean error, country accuracy,
/// beside the most-populous baseline.
pub fn evaluate_geovirus(geocoder: &Geocoder, gold_path: &Path) -> Result<GeoEvalReport, GeoError> {
    let text = std::fs::read_to_string(gold_path).map_err(|e| GeoError::Gold {
        path: gold_path.to_path_buf(),
        line: 0,
        reason: e.to_string(),
    })?;
    let g = geocoder.gazetteer();
    let mut report = GeoEvalReport::default();
    let (mut ours, mut base) = (Tally::new(), Tally::new());
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let gold: GoldDoc = serde_json::from_str(line).map_err(|e| GeoError::Gold {
            path: gold_path.to_path_buf(),
            line: n + 1,
            reason: e.to_string(),
        })?;
        let mut doc = Document::new(gold.text, Metadata::default());
        doc.sentences = naive_sentences(doc.text());
        let char_to_byte: Vec<usize> = doc
            .text()
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(doc.text().len()))
            .collect();
        let predicted = geocoder.places(&doc);
        let baseline = geocoder.places_most_populous(&doc);
        report.documents += 1;
        for t in &gold.toponyms {
            report.toponyms += 1;
            let (Some(&s), Some(&e)) = (char_to_byte.get(t.start), char_to_byte.get(t.end)) else {
                continue;
            };
            let span = TextRange::new(s, e);
            let gold_cc = g.country_at(t.lat, t.lon).unwrap_or("");
            let around = |r: TextRange| {
                let text = doc.text();
                let mut a = r.start().saturating_sub(40);
                while !text.is_char_boundary(a) {
                    a -= 1;
                }
                let mut b = (r.end() + 40).min(text.len());
                while !text.is_char_boundary(b) {
                    b += 1;
                }
                format!("{} [{}]", t.name, text[a..b].replace('\n', " "))
            };
            for (places, tally, is_ours) in
                [(&predicted, &mut ours, true), (&baseline, &mut base, false)]
            {
                match best_overlap(places, span) {
                    Some(p) => {
                        let km = haversine_km(t.lat, t.lon, p.lat, p.lon);
                        tally.found += 1;
                        tally.errors.push(km);
                        if km <= 161.0 {
                            tally.hits += 1;
                        } else if is_ours {
                            report.errors.push((
                                format!("{} -> {} {}", around(span), p.name, p.feature),
                                km,
                            ));
                        }
                        if p.country_code.as_deref() == Some(gold_cc) {
                            tally.country += 1;
                        }
                    }
                    None if is_ours => report.errors.push((around(span), -1.0)),
                    None => {}
                }
            }
        }
    }
    report.dyad = ours.scores(report.toponyms);
    report.baseline = base.scores(report.toponyms);
    Ok(report)
}

/// Outcome of one Mordecai3 hard case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// Case id.
    pub id: String,
    /// True when every expectation held.
    pub passed: bool,
    /// What was expected and what came out.
    pub detail: String,
}

#[derive(Deserialize)]
struct Case {
    id: String,
    text: String,
    event_category: Option<String>,
    expect: serde_json::Map<String, serde_json::Value>,
}

/// Words that express each Mordecai3 event category, to find the evidence span.
const EVENT_WORDS: &[(&str, &[&str])] = &[
    ("Make statement", &["expressed", "said", "Speaking"]),
    (
        "Use conventional military force",
        &["fighting", "attacked", "clashes"],
    ),
    ("arrest", &["arrested", "detained"]),
];

/// Runs the Mordecai3 hard cases (`mordecai3_tests.jsonl`) and says which pass.
pub fn run_mordecai_cases(geocoder: &Geocoder, path: &Path) -> Result<Vec<CaseResult>, GeoError> {
    let text = std::fs::read_to_string(path).map_err(|e| GeoError::Gold {
        path: path.to_path_buf(),
        line: 0,
        reason: e.to_string(),
    })?;
    let g = geocoder.gazetteer();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Case = serde_json::from_str(line).map_err(|e| GeoError::Gold {
            path: path.to_path_buf(),
            line: n + 1,
            reason: e.to_string(),
        })?;
        let mut doc = Document::new(case.text.clone(), Metadata::default());
        doc.sentences = naive_sentences(doc.text());
        // Mordecai3 counts GPE/LOC/FAC entities only: leave demonyms out of the numbering
        doc.places = geocoder
            .places(&doc)
            .into_iter()
            .filter(|p| {
                !g.lookup(doc.slice(p.range)).iter().any(|&(id, how)| {
                    how == crate::NameMatch::Demonym
                        && g.record(id).is_some_and(|r| r.name == p.name)
                })
            })
            .collect();
        let iso3 = |p: &Place| {
            p.country_code
                .as_deref()
                .and_then(|cc| g.country(cc))
                .and_then(|id| g.record(id))
                .map(|r| r.admin1.clone())
                .unwrap_or_default()
        };
        let mut ok = true;
        let mut detail = Vec::new();
        let found: Vec<String> = doc
            .places
            .iter()
            .map(|p| {
                format!(
                    "{}={}({:?},{},{:?})",
                    doc.slice(p.range),
                    p.name,
                    p.geonameid,
                    p.feature,
                    p.admin1
                )
            })
            .collect();
        for (key, want) in &case.expect {
            let want_s = want
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| want.to_string());
            let place_at = |i: usize| doc.places.get(i);
            let got: String = match key.as_str() {
                "names" => continue,
                "geonameids" | "geonameids_from_index1" => {
                    let skip = usize::from(key == "geonameids_from_index1");
                    let ids: Vec<String> = doc
                        .places
                        .iter()
                        .skip(skip)
                        .map(|p| p.geonameid.map(|x| x.to_string()).unwrap_or_default())
                        .collect();
                    let want_ids: Vec<String> = want
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    let pass = ids == want_ids;
                    ok &= pass;
                    detail.push(format!("{key}: want {want_ids:?} got {ids:?}"));
                    continue;
                }
                "event_location_raw" => {
                    let words = EVENT_WORDS
                        .iter()
                        .find(|(c, _)| Some(*c) == case.event_category.as_deref())
                        .map(|(_, w)| *w)
                        .unwrap_or(&[]);
                    let evidence = words
                        .iter()
                        .find_map(|w| doc.text().find(w).map(|s| TextRange::new(s, s + w.len())));
                    let Some(evidence) = evidence else {
                        ok = false;
                        detail.push("no evidence word".into());
                        continue;
                    };
                    let sentence = doc.sentence_at(evidence.start()).unwrap_or(0);
                    let none: Option<&EventActor> = None;
                    let (action, _, _) = event_location(&mut doc, sentence, evidence, none, none);
                    let text = action
                        .and_then(|a| doc.places.get(a.place as usize))
                        .map(|p| doc.slice(p.range).to_string())
                        .unwrap_or_default();
                    let pass = !text.is_empty() && want_s.contains(&text);
                    ok &= pass;
                    detail.push(format!("{key}: want {want_s:?} got {text:?}"));
                    continue;
                }
                "last_country_code3" => doc.places.last().map(iso3).unwrap_or_default(),
                k => {
                    let (index, field) = match k.split_once('_') {
                        Some((e, f)) if e.starts_with("ent") => {
                            (e[3..].parse::<usize>().unwrap_or(usize::MAX), f)
                        }
                        _ => (usize::MAX, k),
                    };
                    let p = place_at(index);
                    match (field, p) {
                        (_, None) => String::new(),
                        ("geonameid", Some(p)) => {
                            p.geonameid.map(|x| x.to_string()).unwrap_or_default()
                        }
                        ("admin1", Some(p)) => p.admin1.clone().unwrap_or_default(),
                        ("feature_code", Some(p)) => {
                            p.feature.split('.').nth(1).unwrap_or("").to_string()
                        }
                        ("country_code3", Some(p)) => iso3(p),
                        ("search_name", Some(p)) => doc.slice(p.range).to_string(),
                        _ => String::new(),
                    }
                }
            };
            let pass = got == want_s;
            ok &= pass;
            detail.push(format!("{key}: want {want_s:?} got {got:?}"));
        }
        detail.push(format!("places: [{}]", found.join(", ")));
        out.push(CaseResult {
            id: case.id,
            passed: ok,
            detail: detail.join("; "),
        });
    }
    Ok(out)
}

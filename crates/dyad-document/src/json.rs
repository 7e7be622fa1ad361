//! The JSON contract (`docs/schema.md`, `docs/document.schema.json`).
//!
//! Internally every range is in bytes; here every `start`/`end` becomes a Unicode code point
//! offset into `text`, so Python's `text[start:end]` is the span. Every record carries the
//! `text` of its span for readability.

use crate::layers::*;
use crate::{Document, TextRange};
use serde::Serialize;

/// Version of the JSON output; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// What to include in the JSON beyond the always-present layers.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonOptions {
    /// Include the token layer.
    pub tokens: bool,
}

/// Converts byte offsets to code point offsets for one text.
pub struct CharIndex {
    // None when the text is ASCII (identity map).
    byte_to_char: Option<Vec<u32>>,
}

impl CharIndex {
    /// Builds the index for `text`.
    pub fn new(text: &str) -> CharIndex {
        if text.is_ascii() {
            return CharIndex { byte_to_char: None };
        }
        let mut map = vec![0u32; text.len() + 1];
        let mut chars = 0u32;
        for (i, c) in text.char_indices() {
            for slot in &mut map[i..i + c.len_utf8()] {
                *slot = chars;
            }
            chars += 1;
        }
        map[text.len()] = chars;
        CharIndex {
            byte_to_char: Some(map),
        }
    }

    /// Code point offset of byte `offset` (clamped to the text).
    pub fn char_offset(&self, offset: usize) -> usize {
        match &self.byte_to_char {
            None => offset,
            Some(map) => map[offset.min(map.len() - 1)] as usize,
        }
    }
}

/// Rounds for output: coordinates to 5 decimals (about 1 m), scores to 3; removes the noise of
/// single-precision storage (`35.29999923706055` → `35.3`).
fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

fn coord(x: f64) -> f64 {
    round(x, 5)
}

fn score(x: f32) -> f64 {
    round(f64::from(x), 3)
}

#[derive(Serialize)]
struct SpanJson<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

struct Ctx<'a> {
    doc: &'a Document,
    index: CharIndex,
}

impl<'a> Ctx<'a> {
    fn span(&self, r: TextRange) -> SpanJson<'a> {
        SpanJson {
            start: self.index.char_offset(r.start()),
            end: self.index.char_offset(r.end()),
            text: self.doc.slice(r),
        }
    }
}

#[derive(Serialize)]
struct TokenJson<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    norm: &'a str,
    kind: TokenKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lemma: Option<&'a str>,
}

#[derive(Serialize)]
struct EntityJson<'a> {
    id: usize,
    #[serde(flatten)]
    span: SpanJson<'a>,
    label: &'static str,
    canonical: &'a str,
    entity: u32,
    actor: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reading: Option<ReadingJson<'a>>,
}

#[derive(Serialize)]
struct ReadingJson<'a> {
    label: &'static str,
    #[serde(flatten)]
    span: SpanJson<'a>,
    cue: &'a str,
}

#[derive(Serialize)]
struct SpeakerJson<'a> {
    name: &'a str,
    entity: Option<u32>,
    start: Option<usize>,
    end: Option<usize>,
    text: Option<&'a str>,
}

#[derive(Serialize)]
struct OutletJson<'a> {
    name: &'a str,
    #[serde(flatten)]
    span: SpanJson<'a>,
}

#[derive(Serialize)]
struct QuoteJson<'a> {
    #[serde(flatten)]
    span: SpanJson<'a>,
    kind: QuoteKind,
    speaker: Option<SpeakerJson<'a>>,
    outlet: Option<OutletJson<'a>>,
    cue: Option<SpanJson<'a>>,
}

#[derive(Serialize)]
struct DateRangeJson {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct DateJson<'a> {
    #[serde(flatten)]
    span: SpanJson<'a>,
    value: Option<String>,
    granularity: Option<Granularity>,
    anchor: DateAnchor,
    range: Option<DateRangeJson>,
}

#[derive(Serialize)]
struct PlaceJson<'a> {
    #[serde(flatten)]
    span: SpanJson<'a>,
    name: &'a str,
    geonameid: Option<u64>,
    feature: &'a str,
    country_code: Option<&'a str>,
    admin1: Option<&'a str>,
    lat: f64,
    lon: f64,
    confidence: f64,
}

#[derive(Serialize)]
struct ActorJson<'a> {
    #[serde(flatten)]
    span: SpanJson<'a>,
    name: &'a str,
    code: &'a str,
    entity: Option<u32>,
}

#[derive(Serialize)]
struct PloverJson<'a> {
    #[serde(rename = "type")]
    event_type: &'a str,
    mode: &'a str,
}

#[derive(Serialize)]
struct EventDateJson<'a> {
    value: String,
    granularity: Granularity,
    start: String,
    end: String,
    /// `expression` when a date expression governs the clause, `publication` otherwise.
    from: &'static str,
    expression: Option<SpanJson<'a>>,
}

#[derive(Serialize)]
struct EventPlaceJson<'a> {
    name: &'a str,
    geonameid: Option<u64>,
    country_code: Option<&'a str>,
    admin1: Option<&'a str>,
    lat: f64,
    lon: f64,
    feature: &'a str,
    rule: &'a str,
    mention: SpanJson<'a>,
}

#[derive(Serialize)]
struct EventJson<'a> {
    id: usize,
    sentence: u32,
    source: ActorJson<'a>,
    target: Option<ActorJson<'a>>,
    cameo: &'a str,
    root: &'a str,
    plover: Option<PloverJson<'a>>,
    quad_class: u8,
    goldstein: f64,
    negated: bool,
    modality: &'static str,
    confidence: f64,
    evidence: SpanJson<'a>,
    pattern: &'a str,
    speaker: Option<SpeakerJson<'a>>,
    date: Option<EventDateJson<'a>>,
    place: Option<EventPlaceJson<'a>>,
    source_place: Option<EventPlaceJson<'a>>,
    target_place: Option<EventPlaceJson<'a>>,
}

#[derive(Serialize)]
struct DocumentJson<'a> {
    schema_version: u32,
    id: &'a str,
    external_id: Option<&'a str>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    title: Option<&'a str>,
    published: Option<String>,
    language: Option<&'a str>,
    origin: String,
    text: &'a str,
    sentences: Vec<SpanJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tokens: Option<Vec<TokenJson<'a>>>,
    entities: Vec<EntityJson<'a>>,
    quotes: Vec<QuoteJson<'a>>,
    dates: Vec<DateJson<'a>>,
    places: Vec<PlaceJson<'a>>,
    events: Vec<EventJson<'a>>,
}

impl<'a> Ctx<'a> {
    fn speaker(&self, s: &'a Speaker) -> SpeakerJson<'a> {
        SpeakerJson {
            name: &s.name,
            entity: s.entity,
            start: s.range.map(|r| self.index.char_offset(r.start())),
            end: s.range.map(|r| self.index.char_offset(r.end())),
            text: s.range.map(|r| self.doc.slice(r)),
        }
    }

    fn actor(&self, a: &'a EventActor) -> ActorJson<'a> {
        ActorJson {
            span: self.span(a.range),
            name: &a.name,
            code: &a.code,
            entity: a.entity,
        }
    }

    fn event_place(&self, p: &'a EventPlace) -> Option<EventPlaceJson<'a>> {
        let place = self.doc.places.get(p.place as usize)?;
        Some(EventPlaceJson {
            name: &place.name,
            geonameid: place.geonameid,
            country_code: place.country_code.as_deref(),
            admin1: place.admin1.as_deref(),
            lat: coord(place.lat),
            lon: coord(place.lon),
            feature: &place.feature,
            rule: &p.rule,
            mention: self.span(place.range),
        })
    }

    fn event(&self, id: usize, e: &'a Event) -> EventJson<'a> {
        EventJson {
            id,
            sentence: e.sentence,
            source: self.actor(&e.source),
            target: e.target.as_ref().map(|t| self.actor(t)),
            cameo: &e.cameo,
            root: e.root(),
            plover: e.plover.as_ref().map(|p| PloverJson {
                event_type: &p.event_type,
                mode: &p.mode,
            }),
            quad_class: e.quad_class,
            goldstein: score(e.goldstein),
            negated: e.negated,
            modality: e.modality.as_str(),
            confidence: score(e.confidence),
            evidence: self.span(e.evidence),
            pattern: &e.pattern,
            speaker: e.speaker.as_ref().map(|s| self.speaker(s)),
            date: e.date.as_ref().map(|d| EventDateJson {
                value: d.value.normalized(),
                granularity: d.value.granularity,
                start: d.value.start.to_string(),
                end: d.value.end.to_string(),
                from: if d.expression.is_some() {
                    "expression"
                } else {
                    "publication"
                },
                expression: d
                    .expression
                    .and_then(|i| self.doc.dates.get(i as usize))
                    .map(|x| self.span(x.range)),
            }),
            place: e.place.as_ref().and_then(|p| self.event_place(p)),
            source_place: e.source_place.as_ref().and_then(|p| self.event_place(p)),
            target_place: e.target_place.as_ref().and_then(|p| self.event_place(p)),
        }
    }
}

impl Document {
    /// The document in the JSON contract, as a `serde_json::Value`.
    pub fn to_json_value(&self, options: JsonOptions) -> serde_json::Value {
        // Serializing our own structs into a Value cannot fail.
        serde_json::to_value(self.json_view(options)).unwrap_or(serde_json::Value::Null)
    }

    /// Writes the document in the JSON contract as one line (no trailing newline).
    pub fn write_json<W: std::io::Write>(
        &self,
        out: W,
        options: JsonOptions,
    ) -> serde_json::Result<()> {
        serde_json::to_writer(out, &self.json_view(options))
    }

    /// The document in the JSON contract as a one-line string.
    pub fn to_json_line(&self, options: JsonOptions) -> String {
        let mut buf = Vec::with_capacity(self.text().len() * 2);
        // Writing to a Vec cannot fail and serde_json emits UTF-8.
        let _ = self.write_json(&mut buf, options);
        String::from_utf8(buf).unwrap_or_default()
    }

    fn json_view(&self, options: JsonOptions) -> DocumentJson<'_> {
        let ctx = Ctx {
            doc: self,
            index: CharIndex::new(self.text()),
        };
        let meta = &self.meta;
        DocumentJson {
            schema_version: SCHEMA_VERSION,
            id: self.id(),
            external_id: meta.external_id.as_deref(),
            source: meta.source.as_deref(),
            url: meta.url.as_deref(),
            title: meta.title.as_deref(),
            published: meta.published.map(|d| d.to_string()),
            language: meta.language.as_deref(),
            origin: meta.origin.to_string(),
            text: self.text(),
            sentences: self.sentences.iter().map(|s| ctx.span(s.range)).collect(),
            tokens: options.tokens.then(|| {
                self.tokens
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let span = ctx.span(t.range);
                        TokenJson {
                            start: span.start,
                            end: span.end,
                            text: span.text,
                            norm: self.token_norm(i),
                            kind: t.kind,
                            tag: t.tag.map(|t| t.as_str()),
                            lemma: t.lemma.as_deref(),
                        }
                    })
                    .collect()
            }),
            entities: self
                .entities
                .iter()
                .enumerate()
                .map(|(id, e)| EntityJson {
                    id,
                    span: ctx.span(e.range),
                    label: e.label.as_str(),
                    canonical: &e.canonical,
                    entity: e.referent,
                    actor: e.actor.as_deref(),
                    reading: self
                        .readings
                        .iter()
                        .find(|r| r.entity as usize == id)
                        .map(|r| ReadingJson {
                            label: r.label.as_str(),
                            span: ctx.span(r.range),
                            cue: &r.cue,
                        }),
                })
                .collect(),
            quotes: self
                .quotes
                .iter()
                .map(|q| QuoteJson {
                    span: ctx.span(q.range),
                    kind: q.kind,
                    speaker: q.speaker.as_ref().map(|s| ctx.speaker(s)),
                    outlet: q.outlet.as_ref().map(|o| OutletJson {
                        name: &o.name,
                        span: ctx.span(o.range),
                    }),
                    cue: q.cue.map(|c| ctx.span(c)),
                })
                .collect(),
            dates: self
                .dates
                .iter()
                .map(|d| DateJson {
                    span: ctx.span(d.range),
                    value: d.value.map(|v| v.normalized()),
                    granularity: d.value.map(|v| v.granularity),
                    anchor: d.anchor,
                    range: d.value.map(|v| DateRangeJson {
                        start: v.start.to_string(),
                        end: v.end.to_string(),
                    }),
                })
                .collect(),
            places: self
                .places
                .iter()
                .map(|p| PlaceJson {
                    span: ctx.span(p.range),
                    name: &p.name,
                    geonameid: p.geonameid,
                    feature: &p.feature,
                    country_code: p.country_code.as_deref(),
                    admin1: p.admin1.as_deref(),
                    lat: coord(p.lat),
                    lon: coord(p.lon),
                    confidence: score(p.confidence),
                })
                .collect(),
            events: self
                .events
                .iter()
                .enumerate()
                .map(|(i, e)| ctx.event(i, e))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Metadata;

    #[test]
    fn offsets_are_code_points() {
        let mut d = Document::new("Afghanistan’s Panjshir".into(), Metadata::default());
        d.sentences.push(Sentence {
            range: TextRange::new(0, d.text().len()),
        });
        d.entities.push(Entity {
            range: TextRange::new(16, 24),
            label: EntityLabel::Loc,
            canonical: "Panjshir".into(),
            referent: 0,
            actor: None,
        });
        let v = d.to_json_value(JsonOptions::default());
        let e = &v["entities"][0];
        assert_eq!(e["text"], "Panjshir");
        assert_eq!(e["start"], 14);
        assert_eq!(e["end"], 22);
        let chars: Vec<char> = d.text().chars().collect();
        let s: String = chars[14..22].iter().collect();
        assert_eq!(s, "Panjshir");
        assert_eq!(v["sentences"][0]["end"], 22);
        assert!(v.get("tokens").is_none());
    }

    #[test]
    fn char_index_on_ascii_is_identity() {
        let idx = CharIndex::new("abc");
        assert_eq!(idx.char_offset(2), 2);
        assert_eq!(idx.char_offset(99), 99);
    }
}

//! [`CODEC_COMPACT`] (schema 6): the layers of [`CODEC_ZSTD`] with what can be told from
//! other layers left out.
//!
//! Measured on 2,000 news articles (compressed bytes each layer adds to the schema 5 blobs):
//! entities 395 K, events 447 K, places 386 K, quotes 341 K, sentences 147 K, dates 111 K,
//! readings 47 K. Tokens are not stored at all (the JSON contract leaves them out). What
//! schema 6 drops, every piece of it recomputed exactly on read:
//! - a place on the span of an entity (35,025 of 42,059) refers to the entity instead of
//!   repeating the span;
//! - quotes by column: spans as deltas, the speaker's name left out when it is the text of its
//!   span or the canonical name of its entity, its span left out when it is its entity's, the
//!   cue and outlet spans from the quote's start;
//! - dates as day numbers (deltas) instead of `YYYY-MM-DD` strings, and an event date that is
//!   the value of its expression stored as "the expression's";
//! - sentences as (gap after the previous sentence, length): the gap is almost always one
//!   space;
//! - an entity that starts a new referent (most of them) stores no referent number.

use super::{
    Columns, EventColumns, Gazetteer, StoredReading, Strings, columns_of, delta_spans,
    document_from_columns, stored_readings,
};
use crate::StoreError;
use dyad_document::{
    Alignment, DateAnchor, DateExpr, DateValue, Document, EntityLabel, EventDate, Granularity,
    Metadata, Origin, Outlet, Quote, QuoteKind, Speaker, TextRange,
};
use serde::{Deserialize, Serialize};

/// The codec of this module (`documents.layers_codec`).
pub const CODEC_COMPACT: i64 = 6;

/// A date as a day number: (days from the previous stored date's start, days from start to
/// end, granularity).
type StoredDate = (i32, u32, Granularity);

/// Where a speaker is named.
#[derive(Serialize, Deserialize)]
enum SpeakerSpan {
    None,
    /// The span of its entity.
    Entity,
    /// (start - quote start, length).
    At(i64, u32),
}

/// A quote's speaker. `name`: 0 the text of its span, 1 its entity's canonical name, else a
/// string index plus two.
#[derive(Serialize, Deserialize)]
struct StoredSpeaker {
    name: u32,
    entity: Option<u32>,
    span: SpeakerSpan,
}

/// Quotes by column.
#[derive(Serialize, Deserialize, Default)]
struct QuoteColumns {
    /// (start - previous start, length).
    spans: Vec<(i64, u32)>,
    kinds: Vec<QuoteKind>,
    speakers: Vec<Option<StoredSpeaker>>,
    /// (name: 0 the covered text else string index plus one, start - quote start, length).
    outlets: Vec<Option<(u32, i64, u32)>>,
    /// (start - quote start, length).
    cues: Vec<Option<(i64, u32)>>,
}

/// An event's date: none, the value of its expression, or stored.
#[derive(Serialize, Deserialize)]
enum StoredEventDate {
    None,
    OfExpression(u32),
    Given(Option<u32>, StoredDate),
}

/// What [`CODEC_COMPACT`] stores before compression.
#[derive(Serialize, Deserialize)]
struct LayersV6 {
    origin: Origin,
    alignment: Alignment,
    strings: Vec<String>,
    /// (start - previous sentence's end, length).
    sentences: Vec<(i64, u32)>,
    entity_spans: Vec<(i64, u32)>,
    entity_labels: Vec<EntityLabel>,
    entity_canonical: Vec<u32>,
    /// 0: a new referent (one more than the largest so far); else the referent plus one.
    entity_referents: Vec<u32>,
    entity_actors: Vec<u32>,
    gazetteer: Vec<Gazetteer>,
    /// 0: the next span of `place_spans`; else the index plus one of the entity whose span it is.
    place_at: Vec<u32>,
    /// (start - previous such start, length), for places not on an entity.
    place_spans: Vec<(i64, u32)>,
    place_entries: Vec<u32>,
    place_confidence: Vec<f32>,
    quotes: QuoteColumns,
    date_spans: Vec<(i64, u32)>,
    date_values: Vec<Option<StoredDate>>,
    date_anchors: Vec<DateAnchor>,
    /// The events with an empty date column: see `event_dates`.
    events: EventColumns,
    event_dates: Vec<StoredEventDate>,
    readings: Vec<StoredReading>,
}

/// Day numbers from 1970-01-01.
fn day_number(date: jiff::civil::Date) -> i32 {
    let epoch = jiff::civil::date(1970, 1, 1);
    epoch
        .until((jiff::Unit::Day, date))
        .map(|span| span.get_days())
        .unwrap_or(0)
}

fn date_of(days: i64) -> Option<jiff::civil::Date> {
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()
}

/// Dates as deltas of day numbers, `previous` carried from one to the next.
struct DateCoder {
    previous: i64,
}

impl DateCoder {
    fn encode(&mut self, value: &DateValue) -> StoredDate {
        let start = i64::from(day_number(value.start));
        let end = i64::from(day_number(value.end));
        let delta = start - self.previous;
        self.previous = start;
        (
            delta as i32,
            u32::try_from(end - start).unwrap_or(u32::MAX),
            value.granularity,
        )
    }

    fn decode(&mut self, (delta, length, granularity): StoredDate) -> Option<DateValue> {
        let start = self.previous.checked_add(i64::from(delta))?;
        self.previous = start;
        Some(DateValue {
            start: date_of(start)?,
            end: date_of(start.checked_add(i64::from(length))?)?,
            granularity,
        })
    }
}

/// Whether `encode` then `decode` gives `value` back (dates outside jiff's range do not).
fn round_trips(value: &DateValue) -> bool {
    let mut coder = DateCoder { previous: 0 };
    let stored = coder.encode(value);
    DateCoder { previous: 0 }.decode(stored) == Some(*value)
}

fn relative(range: TextRange, from: usize) -> (i64, u32) {
    (
        range.start() as i64 - from as i64,
        (range.end() - range.start()) as u32,
    )
}

fn absolute((start, length): (i64, u32), from: usize) -> Option<TextRange> {
    let start = u32::try_from((from as i64).checked_add(start)?).ok()?;
    let end = start.checked_add(length)?;
    Some(TextRange::new(start as usize, end as usize))
}

/// The uncompressed [`CODEC_COMPACT`] form of a document's layers, or `None` when a value
/// cannot be stored this way (a date out of range): the caller stores
/// [`super::CODEC_ZSTD`] then.
pub(super) fn encode(doc: &Document) -> Result<Option<Vec<u8>>, StoreError> {
    let all_dates = doc.dates.iter().filter_map(|d| d.value.as_ref()).chain(
        doc.events
            .iter()
            .filter_map(|e| e.date.as_ref().map(|d| &d.value)),
    );
    if !all_dates.into_iter().all(round_trips) {
        return Ok(None);
    }
    let mut strings = Strings::default();
    let columns = columns_of(doc, &mut strings);
    let events = EventColumns::of(doc, &mut strings);
    let mut previous_end = 0i64;
    let sentences = doc
        .sentences
        .iter()
        .map(|s| {
            let gap = s.range.start() as i64 - previous_end;
            previous_end = s.range.end() as i64;
            (gap, (s.range.end() - s.range.start()) as u32)
        })
        .collect();
    let mut next_referent = 0u32;
    let entity_referents = doc
        .entities
        .iter()
        .map(|e| {
            if e.referent == next_referent {
                next_referent += 1;
                0
            } else {
                next_referent = next_referent.max(e.referent.saturating_add(1));
                e.referent.saturating_add(1)
            }
        })
        .collect();
    let mut place_at = Vec::with_capacity(doc.places.len());
    let mut place_ranges = Vec::new();
    for p in &doc.places {
        match doc.entities.iter().position(|e| e.range == p.range) {
            Some(i) => place_at.push(i as u32 + 1),
            None => {
                place_at.push(0);
                place_ranges.push(p.range);
            }
        }
    }
    let mut quotes = QuoteColumns {
        spans: delta_spans(doc.quotes.iter().map(|q| q.range)),
        ..Default::default()
    };
    for q in &doc.quotes {
        let from = q.range.start();
        quotes.kinds.push(q.kind);
        quotes.speakers.push(q.speaker.as_ref().map(|s| {
            let entity = s.entity.and_then(|i| doc.entities.get(i as usize));
            let span = match (s.range, entity) {
                (None, _) => SpeakerSpan::None,
                (Some(r), Some(e)) if e.range == r => SpeakerSpan::Entity,
                (Some(r), _) => {
                    let (start, length) = relative(r, from);
                    SpeakerSpan::At(start, length)
                }
            };
            let name = if s.range.is_some_and(|r| doc.slice(r) == s.name) {
                0
            } else if entity.is_some_and(|e| e.canonical == s.name) {
                1
            } else {
                strings.of(&s.name) + 2
            };
            StoredSpeaker {
                name,
                entity: s.entity,
                span,
            }
        }));
        quotes.outlets.push(q.outlet.as_ref().map(|o| {
            let (start, length) = relative(o.range, from);
            (
                strings.covered_or(&o.name, doc.slice(o.range)),
                start,
                length,
            )
        }));
        quotes.cues.push(q.cue.map(|c| relative(c, from)));
    }
    let mut dates = DateCoder { previous: 0 };
    let date_values = doc
        .dates
        .iter()
        .map(|d| d.value.as_ref().map(|v| dates.encode(v)))
        .collect();
    let event_dates = doc
        .events
        .iter()
        .map(|e| match &e.date {
            None => StoredEventDate::None,
            Some(d) => match d.expression {
                Some(i) if doc.dates.get(i as usize).and_then(|x| x.value) == Some(d.value) => {
                    StoredEventDate::OfExpression(i)
                }
                expression => StoredEventDate::Given(expression, dates.encode(&d.value)),
            },
        })
        .collect();
    let layers = LayersV6 {
        origin: columns.origin,
        alignment: columns.alignment,
        strings: strings.list,
        sentences,
        entity_spans: columns.entity_spans,
        entity_labels: columns.entity_labels,
        entity_canonical: columns.entity_canonical,
        entity_referents,
        entity_actors: columns.entity_actors,
        gazetteer: columns.gazetteer,
        place_at,
        place_spans: delta_spans(place_ranges.into_iter()),
        place_entries: columns.place_entries,
        place_confidence: columns.place_confidence,
        quotes,
        date_spans: delta_spans(doc.dates.iter().map(|d| d.range)),
        date_values,
        date_anchors: doc.dates.iter().map(|d| d.anchor).collect(),
        events: EventColumns {
            dates: vec![None; doc.events.len()],
            ..events
        },
        event_dates,
        readings: stored_readings(doc),
    };
    postcard::to_allocvec(&layers)
        .map(Some)
        .map_err(|e| StoreError::Layers {
            document: doc.id().to_string(),
            reason: e.to_string(),
        })
}

/// The document back from [`encode`] bytes.
pub(super) fn decode(
    id: &str,
    bytes: &[u8],
    text: String,
    meta: Metadata,
) -> Result<Document, StoreError> {
    let bad = |reason: &str| StoreError::Layers {
        document: id.to_string(),
        reason: reason.to_string(),
    };
    let l: LayersV6 = postcard::from_bytes(bytes).map_err(|e| bad(&e.to_string()))?;
    let span_error = || bad("span out of range");
    // Sentences back to (start - previous start, length).
    let mut previous_end = 0i64;
    let mut previous_start = 0i64;
    let mut sentences = Vec::with_capacity(l.sentences.len());
    for (gap, length) in &l.sentences {
        let start = previous_end.checked_add(*gap).ok_or_else(span_error)?;
        previous_end = start
            .checked_add(i64::from(*length))
            .ok_or_else(span_error)?;
        sentences.push((start - previous_start, *length));
        previous_start = start;
    }
    let entity_ranges = super::undelta_spans(&l.entity_spans).ok_or_else(span_error)?;
    let mut next_referent = 0u32;
    let mut referents = Vec::with_capacity(l.entity_referents.len());
    for code in &l.entity_referents {
        let referent = match code {
            0 => {
                let r = next_referent;
                next_referent = next_referent.saturating_add(1);
                r
            }
            code => {
                let r = code - 1;
                next_referent = next_referent.max(r.saturating_add(1));
                r
            }
        };
        referents.push(referent);
    }
    let mut explicit = super::undelta_spans(&l.place_spans)
        .ok_or_else(span_error)?
        .into_iter();
    let mut place_ranges = Vec::with_capacity(l.place_at.len());
    for at in &l.place_at {
        let range = match at {
            0 => explicit.next(),
            i => entity_ranges.get(*i as usize - 1).copied(),
        };
        place_ranges.push(range.ok_or_else(|| bad("place span out of range"))?);
    }
    let columns = Columns {
        origin: l.origin,
        alignment: l.alignment,
        strings: l.strings,
        sentences,
        entity_spans: l.entity_spans,
        entity_labels: l.entity_labels,
        entity_canonical: l.entity_canonical,
        entity_referents: referents,
        entity_actors: l.entity_actors,
        gazetteer: l.gazetteer,
        place_spans: delta_spans(place_ranges.into_iter()),
        place_entries: l.place_entries,
        place_confidence: l.place_confidence,
        quotes: Vec::new(),
        dates: Vec::new(),
        events: Vec::new(),
    };
    let strings = columns.strings.clone();
    let mut doc = document_from_columns(id, columns, l.readings, text, meta)?;
    let string = |i: u32| -> Result<String, StoreError> {
        strings
            .get(i as usize)
            .cloned()
            .ok_or_else(|| bad(&format!("string {i} out of range")))
    };
    // Quotes.
    let q = l.quotes;
    let quote_ranges = super::undelta_spans(&q.spans).ok_or_else(span_error)?;
    let n = quote_ranges.len();
    if [
        q.kinds.len(),
        q.speakers.len(),
        q.outlets.len(),
        q.cues.len(),
    ]
    .iter()
    .any(|len| *len != n)
    {
        return Err(bad("quote columns of different lengths"));
    }
    let mut quotes = Vec::with_capacity(n);
    let rows = quote_ranges
        .into_iter()
        .zip(q.kinds)
        .zip(q.speakers)
        .zip(q.outlets)
        .zip(q.cues);
    for ((((range, kind), speaker), outlet), cue) in rows {
        let from = range.start();
        let speaker = match speaker {
            None => None,
            Some(s) => {
                let entity = s.entity.and_then(|i| doc.entities.get(i as usize));
                let span = match s.span {
                    SpeakerSpan::None => None,
                    SpeakerSpan::Entity => Some(
                        entity
                            .map(|e| e.range)
                            .ok_or_else(|| bad("speaker entity out of range"))?,
                    ),
                    SpeakerSpan::At(start, length) => {
                        Some(absolute((start, length), from).ok_or_else(span_error)?)
                    }
                };
                let name = match s.name {
                    0 => doc
                        .slice(span.ok_or_else(|| bad("speaker without a span"))?)
                        .to_string(),
                    1 => entity
                        .ok_or_else(|| bad("speaker entity out of range"))?
                        .canonical
                        .clone(),
                    i => string(i - 2)?,
                };
                Some(Speaker {
                    name,
                    entity: s.entity,
                    range: span,
                })
            }
        };
        let outlet = match outlet {
            None => None,
            Some((name, start, length)) => {
                let range = absolute((start, length), from).ok_or_else(span_error)?;
                let name = match name {
                    0 => doc.slice(range).to_string(),
                    i => string(i - 1)?,
                };
                Some(Outlet { name, range })
            }
        };
        let cue = match cue {
            None => None,
            Some(c) => Some(absolute(c, from).ok_or_else(span_error)?),
        };
        quotes.push(Quote {
            range,
            kind,
            speaker,
            outlet,
            cue,
        });
    }
    doc.quotes = quotes;
    // Dates.
    let date_ranges = super::undelta_spans(&l.date_spans).ok_or_else(span_error)?;
    if l.date_values.len() != date_ranges.len() || l.date_anchors.len() != date_ranges.len() {
        return Err(bad("date columns of different lengths"));
    }
    let mut coder = DateCoder { previous: 0 };
    let mut dates = Vec::with_capacity(date_ranges.len());
    for ((range, value), anchor) in date_ranges
        .into_iter()
        .zip(l.date_values)
        .zip(l.date_anchors)
    {
        let value = match value {
            None => None,
            Some(v) => Some(coder.decode(v).ok_or_else(|| bad("date out of range"))?),
        };
        dates.push(DateExpr {
            range,
            value,
            anchor,
        });
    }
    doc.dates = dates;
    // Events, then their dates.
    let mut events = l.events.events(&doc, &strings).map_err(|e| bad(&e))?;
    if l.event_dates.len() != events.len() {
        return Err(bad("event columns of different lengths"));
    }
    for (event, date) in events.iter_mut().zip(l.event_dates) {
        event.date = match date {
            StoredEventDate::None => None,
            StoredEventDate::OfExpression(i) => Some(EventDate {
                value: doc
                    .dates
                    .get(i as usize)
                    .and_then(|d| d.value)
                    .ok_or_else(|| bad("event date expression out of range"))?,
                expression: Some(i),
            }),
            StoredEventDate::Given(expression, value) => Some(EventDate {
                value: coder
                    .decode(value)
                    .ok_or_else(|| bad("date out of range"))?,
                expression,
            }),
        };
    }
    doc.events = events;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_document::{Entity, Event, EventActor, Modality, Place, Sentence};

    fn at(text: &str, word: &str) -> TextRange {
        let start = text.find(word).expect("the word is in the text");
        TextRange::new(start, start + word.len())
    }

    /// Every shortcut of the codec and every way out of it: speakers named by their span, by
    /// their entity and by neither; places on an entity and not; referents old and new; event
    /// dates of their expression, given, and of an expression with another value.
    fn document() -> Document {
        let text = "Taliban spokesman Zabihullah Mujahid told the BBC on Tuesday that \"Kabul is calm\". \
                    He said envoys met in Doha in August 2021.";
        let mut doc = Document::new(text.to_string(), Metadata::default());
        let first_end = text.find(". He").unwrap() + 1;
        doc.sentences = vec![
            Sentence {
                range: TextRange::new(0, first_end),
            },
            Sentence {
                range: TextRange::new(first_end + 1, text.len()),
            },
        ];
        let entity = |word: &str, canonical: &str, referent, label| Entity {
            range: at(text, word),
            label,
            canonical: canonical.into(),
            referent,
            actor: None,
        };
        doc.entities = vec![
            entity("Taliban", "Taliban", 0, EntityLabel::Org),
            entity(
                "Zabihullah Mujahid",
                "Zabihullah Mujahid",
                1,
                EntityLabel::Person,
            ),
            entity("Kabul", "Kabul", 2, EntityLabel::Gpe),
            entity("He", "Zabihullah Mujahid", 1, EntityLabel::Person),
            entity("Doha", "Doha", 7, EntityLabel::Gpe),
        ];
        let place = |range, name: &str| Place {
            range,
            name: name.into(),
            geonameid: Some(1),
            feature: "P.PPLC".into(),
            country_code: None,
            admin1: None,
            lat: 1.5,
            lon: -0.0,
            confidence: 0.7,
        };
        doc.places = vec![
            place(at(text, "Kabul"), "Kabul"),
            place(at(text, "envoys"), "Envoys"),
            place(at(text, "Doha"), "Doha"),
        ];
        let speaker = |name: &str, entity, range| Speaker {
            name: name.into(),
            entity,
            range,
        };
        doc.quotes = vec![
            Quote {
                range: at(text, "Kabul is calm"),
                kind: QuoteKind::Direct,
                speaker: Some(speaker(
                    "Zabihullah Mujahid",
                    Some(1),
                    Some(at(text, "Zabihullah Mujahid")),
                )),
                outlet: Some(Outlet {
                    name: "BBC News".into(),
                    range: at(text, "BBC"),
                }),
                cue: Some(at(text, "told")),
            },
            Quote {
                range: at(text, "envoys met in Doha"),
                kind: QuoteKind::Reported,
                speaker: Some(speaker("Zabihullah Mujahid", Some(3), Some(at(text, "He")))),
                outlet: None,
                cue: Some(at(text, "said")),
            },
            Quote {
                range: at(text, "met in Doha"),
                kind: QuoteKind::Partial,
                speaker: Some(speaker("a spokesman", None, None)),
                outlet: None,
                cue: None,
            },
        ];
        let day = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        let tuesday = DateValue {
            start: day("2021-08-24"),
            end: day("2021-08-24"),
            granularity: Granularity::Day,
        };
        let august = DateValue {
            start: day("2021-08-01"),
            end: day("2021-08-31"),
            granularity: Granularity::Month,
        };
        doc.dates = vec![
            DateExpr {
                range: at(text, "Tuesday"),
                value: Some(tuesday),
                anchor: DateAnchor::Publication,
            },
            DateExpr {
                range: at(text, "August 2021"),
                value: Some(august),
                anchor: DateAnchor::Absolute,
            },
            DateExpr {
                range: at(text, "in August"),
                value: None,
                anchor: DateAnchor::Unresolved,
            },
        ];
        let event = |date| Event {
            sentence: 1,
            source: EventActor {
                range: at(text, "He"),
                name: "Zabihullah Mujahid".into(),
                code: "AFGINSTAL".into(),
                entity: Some(3),
            },
            target: None,
            cameo: "040".into(),
            plover: None,
            quad_class: 1,
            goldstein: 1.0,
            negated: false,
            modality: Modality::Reported,
            confidence: 0.5,
            evidence: at(text, "met"),
            pattern: "MEET".into(),
            speaker: None,
            date,
            place: None,
            source_place: None,
            target_place: None,
        };
        doc.events = vec![
            event(Some(EventDate {
                value: august,
                expression: Some(1),
            })),
            event(Some(EventDate {
                value: tuesday,
                expression: None,
            })),
            event(Some(EventDate {
                value: tuesday,
                expression: Some(1),
            })),
            event(None),
        ];
        doc
    }

    #[test]
    fn every_layer_round_trips() {
        let doc = document();
        let raw = encode(&doc).unwrap().expect("compact");
        let back = decode(doc.id(), &raw, doc.text().to_string(), doc.meta.clone()).unwrap();
        assert_eq!(back, doc);
        assert!(back.places[0].lon.is_sign_negative());
    }

    /// A date the day numbers cannot hold (here one that ends before it starts) is stored by
    /// the schema 5 codec instead.
    #[test]
    fn a_date_out_of_range_falls_back_to_codec_5() {
        let mut doc = document();
        if let Some(value) = doc.dates[0].value.as_mut() {
            value.start = jiff::civil::Date::MAX;
            value.end = jiff::civil::Date::MIN;
        }
        assert!(encode(&doc).unwrap().is_none());
        let (codec, packed) = super::super::Packer::new(0, &[])
            .unwrap()
            .pack(&doc)
            .unwrap();
        assert_eq!(codec, super::super::CODEC_ZSTD);
        let none = |_: u32| Ok(None);
        let back = super::super::unpack(
            codec,
            doc.id(),
            &packed,
            doc.text().to_string(),
            doc.meta.clone(),
            &none,
        )
        .unwrap();
        assert_eq!(back, doc);
    }

    /// Bytes that are not compact layers are an error naming the document, never a panic.
    #[test]
    fn truncated_layers_are_errors() {
        let doc = document();
        let raw = encode(&doc).unwrap().expect("compact");
        for end in 0..raw.len() {
            let _ = decode(
                "sha256:x",
                &raw[..end],
                doc.text().to_string(),
                Metadata::default(),
            );
        }
        match decode(
            "sha256:x",
            &raw[..raw.len() / 2],
            doc.text().into(),
            Metadata::default(),
        ) {
            Err(StoreError::Layers { document, .. }) => assert_eq!(document, "sha256:x"),
            other => panic!("expected a layers error, got {:?}", other.map(|_| ())),
        }
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_to_an_error_or_a_document(bytes in proptest::collection::vec(0u8..=255, 0..300)) {
            let _ = decode("x", &bytes, "some text over here".into(), Metadata::default());
        }
    }
}

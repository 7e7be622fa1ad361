//! The [`Document`]: text, metadata and layers.

use crate::layers::*;
use crate::{DocumentError, TextRange};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Where a document came from, for error messages and provenance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The input path, `-` for standard input.
    pub path: String,
    /// Position inside the input: `line 12`, `record 3 (byte 5120)`, `item 2`.
    pub position: Option<String>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.position {
            Some(p) => write!(f, "{}: {}", self.path, p),
            None => f.write_str(&self.path),
        }
    }
}

/// Document metadata, as given by the input or the command line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// An id the input carried (a JSONL `id`, a WARC record id); dyad's own id is the content hash.
    pub external_id: Option<String>,
    /// Outlet or source name (`BBC`, `reuters.com`).
    pub source: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date, the anchor for relative dates.
    pub published: Option<Date>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
    /// Where the document was read from.
    pub origin: Origin,
}

/// A piecewise-linear map from byte offsets in the document text back to byte offsets in
/// the raw input (after decoding), kept by cleaning steps (HTML to text, NFC).
///
/// Each anchor `(clean, raw)` says that the clean byte `clean` came from raw byte `raw`;
/// between anchors offsets advance together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alignment {
    anchors: Vec<(u32, u32)>,
}

impl Alignment {
    /// Records that clean offset `clean` maps to raw offset `raw`. Anchors must be pushed in
    /// increasing `clean` order; an anchor implied by the previous one is not stored.
    pub fn push(&mut self, clean: usize, raw: usize) {
        let (clean, raw) = (clean as u32, raw as u32);
        if let Some(&(c, r)) = self.anchors.last() {
            if clean < c {
                return;
            }
            if clean - c == raw.wrapping_sub(r) && raw >= r {
                return;
            }
            if clean == c {
                self.anchors.pop();
            }
        }
        self.anchors.push((clean, raw));
    }

    /// The raw offset a clean offset came from.
    pub fn to_raw(&self, clean: usize) -> usize {
        let clean = clean as u32;
        let i = self.anchors.partition_point(|&(c, _)| c <= clean);
        match i.checked_sub(1).map(|i| self.anchors[i]) {
            Some((c, r)) => (r + (clean - c)) as usize,
            None => clean as usize,
        }
    }

    /// Composes two alignments: `self` maps C→B, `inner` maps B→A; the result maps C→A.
    ///
    /// Every anchor of either map becomes an anchor of the result: `self`'s anchors are
    /// carried through `inner`, and `inner`'s anchors that fall inside a segment of `self` are
    /// pulled back to C.
    pub fn then(&self, inner: &Alignment) -> Alignment {
        // Segment starts of `self` in C, with their B offsets; an identity map has one segment.
        let mut segments: Vec<(u32, u32)> = vec![(0, 0)];
        segments.extend(self.anchors.iter().copied());
        let mut points: Vec<u32> = segments.iter().map(|&(c, _)| c).collect();
        for (i, &(c, b)) in segments.iter().enumerate() {
            let next_c = segments.get(i + 1).map(|&(c, _)| c);
            for &(inner_b, _) in &inner.anchors {
                if inner_b < b {
                    continue;
                }
                let pulled = c as u64 + u64::from(inner_b - b);
                if next_c.is_none_or(|n| pulled < u64::from(n)) {
                    points.push(pulled.min(u64::from(u32::MAX)) as u32);
                }
            }
        }
        points.sort_unstable();
        points.dedup();
        let mut out = Alignment::default();
        for c in points {
            out.push(c as usize, inner.to_raw(self.to_raw(c as usize)));
        }
        out
    }

    /// The anchors `(clean, raw)`, in increasing clean order.
    pub fn anchors(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.anchors.iter().map(|&(c, r)| (c as usize, r as usize))
    }

    /// Number of anchors stored.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// True when the map is the identity.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }
}

/// A news article and everything dyad extracted from it.
///
/// The document owns its text; every layer is a list of [`TextRange`]s into it.
/// Layers are filled by pipeline stages (see [`crate::Stage`]) in the order
/// sentences → tokens → entities → quotes → dates → places → events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    id: String,
    text: String,
    /// Metadata from the input and the command line.
    pub meta: Metadata,
    /// Map back to the raw input, when cleaning changed offsets.
    pub alignment: Alignment,
    /// Sentences, in text order, not overlapping.
    pub sentences: Vec<Sentence>,
    /// Tokens, in text order, not overlapping.
    pub tokens: Vec<Token>,
    /// Named-entity mentions, in text order.
    pub entities: Vec<Entity>,
    /// Second readings of entity mentions (a country acting as its government), in the
    /// order of their mentions; at most one per mention.
    pub readings: Vec<EntityReading>,
    /// Quotes and reported statements, in text order.
    pub quotes: Vec<Quote>,
    /// Temporal expressions, in text order.
    pub dates: Vec<DateExpr>,
    /// Resolved places, in text order.
    pub places: Vec<Place>,
    /// Coded events, in sentence order.
    pub events: Vec<Event>,
}

impl Document {
    /// Makes a document from its (already cleaned, NFC-normalized) text.
    /// The id is the content hash of the text, so the same article always gets the same id.
    pub fn new(text: String, meta: Metadata) -> Document {
        let id = content_id(&text);
        Document {
            id,
            text,
            meta,
            alignment: Alignment::default(),
            sentences: Vec::new(),
            tokens: Vec::new(),
            entities: Vec::new(),
            readings: Vec::new(),
            quotes: Vec::new(),
            dates: Vec::new(),
            places: Vec::new(),
            events: Vec::new(),
        }
    }

    /// The stable id: `sha256:` + the first 16 bytes of SHA-256 of the text, in hex.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text a range covers; an empty string when the range is out of bounds or splits a
    /// character (never panics).
    pub fn slice(&self, range: TextRange) -> &str {
        self.text.get(range.as_range()).unwrap_or("")
    }

    /// Like [`Document::slice`] but says what is wrong with a bad range.
    pub fn checked_slice(&self, range: TextRange) -> Result<&str, DocumentError> {
        self.text
            .get(range.as_range())
            .ok_or_else(|| DocumentError::BadRange {
                document: self.id.clone(),
                start: range.start(),
                end: range.end(),
                len: self.text.len(),
            })
    }

    /// Indices of the tokens inside `range`.
    pub fn tokens_in(&self, range: TextRange) -> std::ops::Range<usize> {
        let first = self
            .tokens
            .partition_point(|t| t.range.start() < range.start());
        let last = self
            .tokens
            .partition_point(|t| t.range.end() <= range.end());
        first..last.max(first)
    }

    /// Index of the sentence containing byte `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.range.end() <= offset);
        (i < self.sentences.len() && self.sentences[i].range.start() <= offset).then_some(i)
    }

    /// The normalized form of token `index` (its text when it has no separate norm).
    pub fn token_norm(&self, index: usize) -> &str {
        match self.tokens.get(index) {
            Some(t) => t.norm.as_deref().unwrap_or_else(|| self.slice(t.range)),
            None => "",
        }
    }

    /// Checks the layer invariants: ranges inside the text on character boundaries, sentences
    /// and tokens ordered and disjoint, indices pointing at existing records.
    pub fn validate(&self) -> Result<(), DocumentError> {
        let check = |layer: &'static str, r: TextRange| -> Result<(), DocumentError> {
            self.checked_slice(r)
                .map(|_| ())
                .map_err(|_| DocumentError::Invariant {
                    document: self.id.clone(),
                    layer,
                    reason: format!("range {r:?} is not a character-aligned range of the text"),
                })
        };
        let ordered = |layer: &'static str, rs: &mut dyn Iterator<Item = TextRange>| {
            let mut prev_end = 0;
            for r in rs {
                check(layer, r)?;
                if r.start() < prev_end {
                    return Err(DocumentError::Invariant {
                        document: self.id.clone(),
                        layer,
                        reason: format!("range {r:?} overlaps or precedes the previous one"),
                    });
                }
                prev_end = r.end();
            }
            Ok(())
        };
        ordered("sentences", &mut self.sentences.iter().map(|s| s.range))?;
        ordered("tokens", &mut self.tokens.iter().map(|t| t.range))?;
        for e in &self.entities {
            check("entities", e.range)?;
        }
        for q in &self.quotes {
            check("quotes", q.range)?;
        }
        for d in &self.dates {
            check("dates", d.range)?;
        }
        for p in &self.places {
            check("places", p.range)?;
        }
        for e in &self.events {
            check("events", e.evidence)?;
            if e.sentence as usize >= self.sentences.len() {
                return Err(DocumentError::Invariant {
                    document: self.id.clone(),
                    layer: "events",
                    reason: format!("sentence index {} out of range", e.sentence),
                });
            }
            for p in [&e.place, &e.source_place, &e.target_place]
                .into_iter()
                .flatten()
            {
                if p.place as usize >= self.places.len() {
                    return Err(DocumentError::Invariant {
                        document: self.id.clone(),
                        layer: "events",
                        reason: format!("place index {} out of range", p.place),
                    });
                }
            }
        }
        Ok(())
    }
}

/// The content hash used as document id.
pub fn content_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut id = String::with_capacity(7 + 32);
    id.push_str("sha256:");
    for b in &digest[..16] {
        id.push_str(&format!("{b:02x}"));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_stable_and_content_based() {
        let a = Document::new("Kabul fell.".into(), Metadata::default());
        let b = Document::new(
            "Kabul fell.".into(),
            Metadata {
                title: Some("other".into()),
                ..Default::default()
            },
        );
        assert_eq!(a.id(), b.id());
        assert!(a.id().starts_with("sha256:"));
        assert_eq!(a.id().len(), 7 + 32);
        assert_ne!(
            a.id(),
            Document::new("Kabul fell!".into(), Metadata::default()).id()
        );
    }

    #[test]
    fn slice_never_panics() {
        let d = Document::new("Panjshir’s valley".into(), Metadata::default());
        assert_eq!(d.slice(TextRange::new(0, 8)), "Panjshir");
        assert_eq!(d.slice(TextRange::new(9, 10)), ""); // inside the curly apostrophe
        assert_eq!(d.slice(TextRange::new(5, 500)), "");
        assert!(d.checked_slice(TextRange::new(9, 10)).is_err());
    }

    #[test]
    fn alignment_maps_back() {
        // raw "<p>Kabul</p> <b>fell</b>" -> clean "Kabul fell"
        let mut a = Alignment::default();
        a.push(0, 3);
        a.push(5, 12);
        a.push(6, 16);
        assert_eq!(a.to_raw(0), 3);
        assert_eq!(a.to_raw(4), 7);
        assert_eq!(a.to_raw(5), 12);
        assert_eq!(a.to_raw(8), 18);
        let id = Alignment::default();
        assert_eq!(a.then(&id), a);
        // Identity outer map: the result is the inner map.
        assert_eq!(id.then(&a), a);
    }

    #[test]
    fn composition_keeps_both_maps_anchors() {
        // NFC step C→B: clean byte 4.. comes from B byte 6.. (a decomposed accent folded).
        let mut nfc = Alignment::default();
        nfc.push(4, 6);
        // HTML step B→A: B byte 2.. comes from raw byte 10.., B byte 8.. from raw byte 30...
        let mut html = Alignment::default();
        html.push(2, 10);
        html.push(8, 30);
        let both = nfc.then(&html);
        for c in 0..12 {
            assert_eq!(
                both.to_raw(c),
                html.to_raw(nfc.to_raw(c)),
                "clean offset {c}"
            );
        }
    }
}

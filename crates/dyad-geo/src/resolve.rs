//! Toponym finding (without an entity layer) and resolution of mentions to gazetteer records.

use crate::gazetteer::{Gazetteer, NameMatch, PlaceKind, PlaceRecord};
use crate::normalize_name;
use dyad_document::{Document, EntityLabel, Place, TextRange};
use std::collections::HashMap;
use std::sync::Arc;

/// A hint about what kind of place a mention names, from the words around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TypeCue {
    /// No cue.
    #[default]
    None,
    /// `Kunduz province`, `the state of Georgia`: an administrative division.
    Admin,
    /// `the city of Homs`, `the town of Oxford`: a populated place.
    City,
}

/// Where a mention came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionSource {
    /// An entity of the entity layer, with its label.
    Entity(EntityLabel),
    /// The gazetteer-driven toponym finder ([`find_toponym_candidates`]).
    Finder,
}

/// A span that may name a place, with the cues found around it.
#[derive(Debug, Clone, PartialEq)]
pub struct ToponymCandidate {
    /// Normalized name the gazetteer is queried with.
    pub key: String,
    /// Type cue from neighbouring words.
    pub cue: TypeCue,
    /// Followed by a speech or stance verb (`Washington said`): the place may stand for its government.
    pub metonymy: bool,
    /// Index (into the same candidate list) of a container named right after it: `Pandi, Bulacan`.
    pub container: Option<usize>,
    /// The next candidate follows after `, ` or ` and ` (a list of places).
    pub listed_with_next: bool,
    /// Where the mention came from.
    pub source: MentionSource,
}

/// Resolves place mentions of documents against a [`Gazetteer`].
#[derive(Debug, Clone)]
pub struct Geocoder {
    gazetteer: Arc<Gazetteer>,
}

#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    /// End including a possessive `'s`.
    end: usize,
    /// End without a possessive `'s`.
    stem_end: usize,
    sentence_start: bool,
}

const CONNECTORS: &[&str] = &[
    "of", "de", "del", "la", "le", "el", "al", "du", "des", "da", "do", "di", "upon", "on", "au",
    "sur", "en", "y", "and",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits text into words: letters/digits with inner `'`, `’`, `.`, `-`; abbreviations such
/// as `U.S.` keep their final period; a possessive `'s` is cut off.
fn scan_words(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut sentence_start = true;
    while let Some((i, c)) = chars.next() {
        if !is_word_char(c) {
            if matches!(c, '.' | '!' | '?' | '\n') {
                sentence_start = true;
            }
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if is_word_char(d) {
                end = j + d.len_utf8();
                chars.next();
            } else if matches!(d, '\'' | '’' | '.' | '-') {
                let next = text[j + d.len_utf8()..].chars().next();
                // "UK-based", "Kabul-born": a lowercase suffix is not part of the name
                let suffix = d == '-' && c.is_uppercase() && !text[i..j].contains('-') && {
                    let rest = &text[j + 1..];
                    let seg_len = rest
                        .find(|x: char| !x.is_alphanumeric())
                        .unwrap_or(rest.len());
                    let seg = &rest[..seg_len];
                    !seg.is_empty()
                        && seg.chars().all(char::is_lowercase)
                        && !rest[seg_len..].starts_with('-')
                };
                if next.is_some_and(is_word_char) && !suffix {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let mut w = &text[i..end];
        // keep the final period of dotted abbreviations (U.S., D.C.)
        if w.contains('.') && w.len() <= 6 && text[end..].starts_with('.') {
            end += 1;
            chars.next();
            w = &text[i..end];
        }
        let mut stem_end = end;
        for suffix in ["'s", "’s"] {
            if w.len() > suffix.len() + 1 && w.ends_with(suffix) {
                stem_end = end - suffix.len();
            }
        }
        words.push(Word {
            start: i,
            end,
            stem_end,
            sentence_start,
        });
        sentence_start = false;
        // a dotted abbreviation at the end does not end the sentence for our purposes
    }
    words
}

fn words_from_doc(doc: &Document) -> Vec<Word> {
    let mut words = scan_words(doc.text());
    if !doc.sentences.is_empty() {
        for w in &mut words {
            w.sentence_start = false;
        }
        let mut k = 0;
        for s in &doc.sentences {
            while k < words.len() && words[k].start < s.range.start() {
                k += 1;
            }
            if let Some(w) = words.get_mut(k) {
                w.sentence_start = true;
            }
        }
    }
    words
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn only_spaces(s: &str) -> bool {
    !s.is_empty() && s.len() <= 3 && s.chars().all(|c| c == ' ')
}

impl Geocoder {
    /// A geocoder over a loaded gazetteer.
    pub fn new(gazetteer: Arc<Gazetteer>) -> Geocoder {
        Geocoder { gazetteer }
    }

    /// The gazetteer it resolves against.
    pub fn gazetteer(&self) -> &Arc<Gazetteer> {
        &self.gazetteer
    }

    fn in_list(&self, list: &str, word: &str) -> bool {
        self.gazetteer
            .context
            .get(list)
            .is_some_and(|s| s.contains(&word.to_lowercase()))
    }

    fn is_common(&self, word: &str) -> bool {
        self.gazetteer.common_words.contains(&word.to_lowercase())
    }

    fn strong(&self, postings: &[u32]) -> bool {
        postings.iter().any(|&p| {
            self.gazetteer.record(p >> 2).is_some_and(|r| match r.kind {
                PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Capital => true,
                PlaceKind::Region | PlaceKind::Feature => true,
                PlaceKind::City => r.population >= 100_000,
                PlaceKind::Admin2 => false,
            })
        })
    }

    fn plausible(&self, postings: &[u32]) -> bool {
        postings.iter().any(|&p| {
            let how = p & 3;
            how != 2
                || self
                    .gazetteer
                    .record(p >> 2)
                    .is_some_and(|r| r.population >= 50_000)
        })
    }

    /// The parts of a hyphenated word when every part is the name of a country or province
    /// (`India-Pakistan`), with their spans and index keys; `None` otherwise.
    fn compound_parts(
        &self,
        text: &str,
        start: usize,
        end: usize,
    ) -> Option<Vec<(TextRange, String)>> {
        let word = text.get(start..end)?;
        if !word.contains('-') {
            return None;
        }
        let mut parts = Vec::new();
        let mut offset = start;
        for part in word.split('-') {
            let key = normalize_name(part);
            let area = self.gazetteer.postings_of(&key).iter().any(|&p| {
                NameMatch::from_bits_pub(p) != NameMatch::Alternate
                    && self
                        .gazetteer
                        .record(p >> 2)
                        .is_some_and(|r| matches!(r.kind, PlaceKind::Country | PlaceKind::Admin1))
            });
            if !starts_upper(part) || part.chars().count() < 2 || !area {
                return None;
            }
            parts.push((TextRange::new(offset, offset + part.len()), key));
            offset += part.len() + 1;
        }
        (parts.len() >= 2).then_some(parts)
    }

    /// Finds spans of capitalized words that match gazetteer names, with stop rules for
    /// person names, organizations, month names and sentence-initial common words.
    pub fn find_candidates(&self, doc: &Document) -> Vec<(TextRange, ToponymCandidate)> {
        let text = doc.text();
        let words = words_from_doc(doc);
        let wtext = |k: usize| {
            words
                .get(k)
                .and_then(|w| text.get(w.start..w.stem_end))
                .unwrap_or("")
        };
        let gap = |a: usize, b: usize| -> &str {
            match (words.get(a), words.get(b)) {
                (Some(x), Some(y)) if x.end <= y.start => &text[x.end..y.start],
                _ => "",
            }
        };
        // the word opens a sentence or clause: `"The UK is`, `(In Kabul`, `said: The US`
        let opens_clause = |k: usize| {
            words[k].sentence_start
                || k.checked_sub(1)
                    .is_none_or(|p| gap(p, k).chars().any(|c| ".!?:;\"“(—\n".contains(c)))
        };
        let mut out: Vec<(TextRange, ToponymCandidate)> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let first = wtext(i);
            if !starts_upper(first) || first.chars().count() < 2 {
                i += 1;
                continue;
            }
            // longest match of up to 6 words
            let mut best: Option<(usize, usize, String)> = None;
            let mut j = i;
            while j < words.len() && j < i + 6 {
                if j > i && !only_spaces(gap(j - 1, j)) {
                    break;
                }
                let w = wtext(j);
                if j > i && !starts_upper(w) && !CONNECTORS.contains(&w) {
                    break;
                }
                let full = normalize_name(text.get(words[i].start..words[j].end).unwrap_or(""));
                let stem =
                    normalize_name(text.get(words[i].start..words[j].stem_end).unwrap_or(""));
                // the name without a possessive first: "France's" is France, not Frances
                if starts_upper(w) {
                    if stem != full && !self.gazetteer.postings_of(&stem).is_empty() {
                        best = Some((j, words[j].stem_end, stem));
                    } else if !self.gazetteer.postings_of(&full).is_empty() {
                        best = Some((j, words[j].end, full.clone()));
                    }
                }
                if !self.gazetteer.has_longer(&full) {
                    break;
                }
                j += 1;
            }
            let Some((mut last, span_end, key)) = best else {
                // "the India-Pakistan border", "US-China talks": a compound of countries or
                // provinces names each of them
                if let Some(w) = words.get(i)
                    && let Some(parts) = self.compound_parts(text, w.start, w.stem_end)
                {
                    for (range, key) in parts {
                        out.push((
                            range,
                            ToponymCandidate {
                                key,
                                cue: TypeCue::None,
                                metonymy: false,
                                container: None,
                                listed_with_next: false,
                                source: MentionSource::Finder,
                            },
                        ));
                    }
                }
                i += 1;
                continue;
            };
            let postings = self.gazetteer.postings_of(&key);
            let single = last == i;
            let country_level = postings.iter().any(|&p| {
                self.gazetteer
                    .record(p >> 2)
                    .is_some_and(|r| r.kind == PlaceKind::Country)
            });
            let prev = i.checked_sub(1);
            let prev_word = prev.map(wtext).unwrap_or("");
            let prev_attached = prev.is_some_and(|p| only_spaces(gap(p, i)));
            // "Mr. Jordan": the scanner leaves the period of a title out of the word
            let prev_title = prev.is_some_and(|p| {
                let g = gap(p, i);
                (only_spaces(g) || g == ". ")
                    && self.in_list("title", prev_word.trim_end_matches('.'))
            });
            let next_word = wtext(last + 1);
            // after a possessive the next word starts another phrase ("Rome's Gemelli hospital")
            let next_attached = only_spaces(gap(last, last + 1)) && span_end == words[last].end;
            let mut skip = false;
            if single && (self.in_list("month", first) || self.in_list("never_alone", first)) {
                skip = true;
            }
            if prev_title {
                skip = true;
            }
            let area_level = postings.iter().any(|&p| {
                self.gazetteer.record(p >> 2).is_some_and(|r| {
                    matches!(r.kind, PlaceKind::Country | PlaceKind::Admin1)
                        && NameMatch::from_bits_pub(p) != NameMatch::Alternate
                })
            });
            // "Eastern China", "Northern Iraq": a part of a country still names the country
            let compass_country = prev_attached
                && area_level
                && single
                && starts_upper(prev_word)
                && self.in_list("compass", prev_word);
            // "South West England": the direction words before a country or province are no
            // place of their own (not South-West Province, Cameroon); the country follows
            if next_attached
                && (i..=last).all(|k| self.in_list("compass", wtext(k)))
                && self
                    .gazetteer
                    .postings_of(&normalize_name(next_word))
                    .iter()
                    .any(|&p| {
                        NameMatch::from_bits_pub(p) != NameMatch::Alternate
                            && self.gazetteer.record(p >> 2).is_some_and(|r| {
                                matches!(r.kind, PlaceKind::Country | PlaceKind::Admin1)
                            })
                    })
            {
                i = last + 1;
                continue;
            }
            // "Eastern Creek", "New Kabul": a longer name the gazetteer does not know
            if prev_attached
                && self.in_list("never_alone", prev_word)
                && starts_upper(prev_word)
                && !compass_country
            {
                skip = true;
            }
            // "University of California", "Department of Agriculture of Mexico"
            if prev_word == "of"
                && i >= 2
                && only_spaces(gap(i - 2, i - 1))
                && starts_upper(wtext(i - 2))
                && self.in_list("org_head", wtext(i - 2))
            {
                skip = true;
            }
            let next_cue_admin = self.in_list("admin_cue", next_word);
            let next_neutral = self.in_list("title", next_word)
                || self.in_list("month", next_word)
                || self.in_list("speech", next_word);
            // a country name before another name is adjectival ("U.S. Army", "China Daily")
            let strong = self.strong(postings);
            // "Washington Post", "China Daily": a newspaper is never the place
            if next_attached && starts_upper(next_word) && self.in_list("media_tail", next_word) {
                skip = true;
                last += 1;
            }
            // an institution of a country or province still names it ("Queensland Police",
            // "UK Secretary of Health"); of a city it is the organization ("Oxford University")
            if next_attached && starts_upper(next_word) && !country_level && !next_neutral {
                if self.in_list("org_tail", next_word) {
                    if !area_level {
                        skip = true;
                        // the organization word is not a toponym either
                        last += 1;
                    }
                } else if !next_cue_admin && !self.is_common(next_word) {
                    // part of a longer proper name: "Jordan Peterson", "Afghan Taliban" keeps
                    // going; two weak place names in a row are a person ("Alan Johnson")
                    let next_postings = self.gazetteer.postings_of(&normalize_name(next_word));
                    if next_postings.is_empty() || !strong && !self.strong(next_postings) {
                        skip = true;
                    }
                }
            }
            // a capitalized word right before: part of a longer name ("Lion King"), unless
            // it is a capitalized function word opening the sentence ("In Kabul")
            if prev_attached
                && !compass_country
                && starts_upper(prev_word)
                && prev_word.chars().count() > 1
                // after a possessive a new phrase starts ("the US Army's Dugway Proving Ground")
                && prev.is_some_and(|p| words[p].stem_end == words[p].end)
                && !(self.is_common(prev_word) && prev.is_some_and(opens_clause))
                && !self.in_list("title", prev_word.trim_end_matches('.'))
                && out.last().is_none_or(|(r, _)| {
                    r.end() != words[i - 1].end && r.end() != words[i - 1].stem_end
                })
            {
                skip = true;
            }
            // "Will Smith said": a given name before a minor place name makes a person, even
            // when the given name is a common word opening the sentence (but not a short
            // function word: "In Dudescu", "An Ubay farmer")
            if single
                && prev_attached
                && starts_upper(prev_word)
                && !strong
                && self
                    .gazetteer
                    .given_names
                    .contains(&prev_word.to_lowercase())
                && (prev_word.chars().count() >= 4 || !self.is_common(prev_word))
                && out.last().is_none_or(|(r, _)| {
                    r.end() != words[i - 1].end && r.end() != words[i - 1].stem_end
                })
            {
                skip = true;
            }
            // "UK Secretary", "US Forest Service": after a country used as an adjective a minor
            // place name is part of an office or organization (Secretary is a Maryland hamlet)
            if single
                && !strong
                && prev_attached
                && starts_upper(prev_word)
                && self
                    .gazetteer
                    .postings_of(&normalize_name(prev_word))
                    .iter()
                    .any(|&p| {
                        NameMatch::from_bits_pub(p) != NameMatch::Alternate
                            && self
                                .gazetteer
                                .record(p >> 2)
                                .is_some_and(|r| r.kind == PlaceKind::Country)
                    })
            {
                skip = true;
            }
            // "Maria Lima told": a given name that is only a minor place, before a capitalized
            // name, opens a person's name; the surname goes with it
            if single
                && !strong
                && next_attached
                && starts_upper(next_word)
                && !next_cue_admin
                && !next_neutral
                && !self.is_common(next_word)
                && !self.is_common(first)
                && self.gazetteer.given_names.contains(&first.to_lowercase())
            {
                skip = true;
                last += 1;
            }
            let acronym = first.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && first.chars().all(|c| !c.is_lowercase());
            // only through a foreign alternate name ("Lion" for Lyon, "No" for Ho); an
            // acronym is not the common word it spells ("US officials", "UK Secretary")
            let only_alternate = postings
                .iter()
                .all(|&p| NameMatch::from_bits_pub(p) == NameMatch::Alternate);
            if single
                && !acronym
                && self.is_common(first)
                && (words[i].sentence_start || !strong || only_alternate)
            {
                skip = true;
            }
            // an acronym is a place only through a curated alias ("UK", "NSW"), not through a
            // town whose name it spells ("HIV" is not Hīv in Iran, "WHO" not Who)
            if single
                && acronym
                && !postings
                    .iter()
                    .any(|&p| NameMatch::from_bits_pub(p) == NameMatch::Alias)
            {
                skip = true;
            }
            // words that are no place on their own in news ("Congress", "Judah")
            // nor is a title alone ("Secretary" is a Maryland hamlet, "King" a town in Wisconsin)
            if single && (self.in_list("not_place", first) || self.in_list("title", first)) {
                skip = true;
            }
            if !self.plausible(postings) {
                skip = true;
            }
            if skip {
                i = last + 1;
                continue;
            }
            let mut cue = TypeCue::None;
            if next_attached && next_cue_admin {
                cue = TypeCue::Admin;
            } else if next_attached && self.in_list("city_cue", next_word) {
                cue = TypeCue::City;
            } else if prev_word == "of" && i >= 2 {
                let before = wtext(i - 2);
                if self.in_list("admin_cue", before) {
                    cue = TypeCue::Admin;
                } else if self.in_list("city_cue", before) {
                    cue = TypeCue::City;
                }
            }
            // "Washington said", "Moscow has rejected"; but "Nairobi has been hit" is the city
            let metonymy = next_attached
                && self.in_list("speech", next_word)
                && (!next_word.eq_ignore_ascii_case("has")
                    || self.in_list("speech", wtext(last + 2)));
            let last = last.min(words.len() - 1);
            out.push((
                TextRange::new(words[i].start, span_end),
                ToponymCandidate {
                    key,
                    cue,
                    metonymy,
                    container: None,
                    listed_with_next: false,
                    source: MentionSource::Finder,
                },
            ));
            i = last + 1;
        }
        self.link(text, &mut out);
        out
    }

    /// Adds containment (`X, Y`) and coordinated cues (`Homs and Aleppo governorates`).
    fn link(&self, text: &str, out: &mut [(TextRange, ToponymCandidate)]) {
        for k in 0..out.len().saturating_sub(1) {
            let (a, b) = (out[k].0, out[k + 1].0);
            let between = text.get(a.end()..b.start()).unwrap_or("");
            if matches!(between, ", " | "," | " and " | ", and ") {
                out[k].1.listed_with_next = true;
            }
            if matches!(between, ", " | "," | " in " | ", in " | " area of ") {
                out[k].1.container = Some(k + 1);
            } else if between == " and " && out[k + 1].1.cue != TypeCue::None {
                out[k].1.cue = out[k + 1].1.cue;
            }
        }
    }

    /// Mentions from the entity layer (GPE, LOC, FAC, NORP), with the same cues.
    pub fn entity_candidates(&self, doc: &Document) -> Vec<(TextRange, ToponymCandidate)> {
        let text = doc.text();
        let mut out = Vec::new();
        for e in &doc.entities {
            if !matches!(
                e.label,
                EntityLabel::Gpe | EntityLabel::Loc | EntityLabel::Fac | EntityLabel::Norp
            ) {
                continue;
            }
            let mut key = normalize_name(doc.slice(e.range));
            if self.gazetteer.postings_of(&key).is_empty() {
                key = normalize_name(&e.canonical);
            }
            if self.gazetteer.postings_of(&key).is_empty() {
                continue;
            }
            let after = text.get(e.range.end()..).unwrap_or("");
            let next_word: String = after
                .trim_start_matches(' ')
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .collect();
            let before = text.get(..e.range.start()).unwrap_or("");
            let mut prev = before.split_whitespace().rev();
            let (p1, p2) = (prev.next().unwrap_or(""), prev.next().unwrap_or(""));
            let cue = if self.in_list("admin_cue", &next_word)
                || p1 == "of" && self.in_list("admin_cue", p2)
            {
                TypeCue::Admin
            } else if self.in_list("city_cue", &next_word)
                || p1 == "of" && self.in_list("city_cue", p2)
            {
                TypeCue::City
            } else {
                TypeCue::None
            };
            out.push((
                e.range,
                ToponymCandidate {
                    key,
                    cue,
                    metonymy: after.starts_with(' ') && self.in_list("speech", &next_word),
                    container: None,
                    listed_with_next: false,
                    source: MentionSource::Entity(e.label),
                },
            ));
        }
        self.link(text, &mut out);
        out
    }

    fn prior(&self, r: &PlaceRecord, how: NameMatch) -> f32 {
        let pop = (r.population.max(1) as f32).log10();
        let kind = match r.kind {
            PlaceKind::Country => 4.0,
            PlaceKind::Admin1 => 1.5,
            PlaceKind::Admin2 => 0.3,
            PlaceKind::Capital => 1.0,
            PlaceKind::City => 0.0,
            PlaceKind::Region => 1.0,
            PlaceKind::Feature => 0.5,
        };
        let name = match how {
            NameMatch::Primary => 0.0,
            NameMatch::Alias => 1.5,
            NameMatch::Alternate => -0.8,
            NameMatch::Demonym => 0.0,
        };
        pop + kind + name
    }

    /// Resolves mentions to places. `mentions` are in text order.
    pub fn resolve(&self, mentions: &[(TextRange, ToponymCandidate)]) -> Vec<Place> {
        let g = &*self.gazetteer;
        // candidate lists with prior scores
        let mut cands: Vec<Vec<(u32, NameMatch, f32)>> = mentions
            .iter()
            .map(|(_, m)| {
                let mut v: Vec<(u32, NameMatch, f32)> = g
                    .postings_of(&m.key)
                    .iter()
                    .filter_map(|&p| {
                        let how = crate::gazetteer::NameMatch::from_bits_pub(p);
                        g.record(p >> 2).map(|r| (p >> 2, how, self.prior(r, how)))
                    })
                    .collect();
                // an admin area that shares its name with a city inside it is usually the city
                let cities: Vec<(String, String)> = v
                    .iter()
                    .filter_map(|&(id, _, _)| g.record(id))
                    .filter(|r| {
                        matches!(r.kind, PlaceKind::City | PlaceKind::Capital)
                            && r.population >= 1000
                    })
                    .map(|r| (r.country.clone(), r.admin1.clone()))
                    .collect();
                for (id, _, s) in &mut v {
                    let Some(r) = g.record(*id) else { continue };
                    if matches!(r.kind, PlaceKind::Admin1 | PlaceKind::Admin2)
                        && cities
                            .iter()
                            .any(|(cc, a1)| *cc == r.country && *a1 == r.admin1)
                    {
                        *s -= 2.0;
                    }
                    match m.cue {
                        TypeCue::Admin
                            if matches!(r.kind, PlaceKind::Admin1 | PlaceKind::Admin2) =>
                        {
                            *s += 5.0
                        }
                        TypeCue::Admin if !r.kind.is_area() => *s -= 2.0,
                        TypeCue::City if matches!(r.kind, PlaceKind::City | PlaceKind::Capital) => {
                            *s += 3.0
                        }
                        _ => {}
                    }
                }
                v
            })
            .collect();
        // containment: "Pandi, Bulacan", "Prague, Oklahoma"
        for k in 0..mentions.len() {
            let Some(c) = mentions[k].1.container else {
                continue;
            };
            let Some(containers) = cands.get(c).cloned() else {
                continue;
            };
            let inner = cands[k].clone();
            // "Texas, Oklahoma, Pennsylvania": two different states (or countries) side by side
            // are list items, not containment, even when a village shares the first name
            let top = |list: &[(u32, NameMatch, f32)]| {
                list.iter()
                    .max_by(|a, b| a.2.total_cmp(&b.2))
                    .and_then(|&(id, _, _)| g.record(id).map(|r| (id, r)))
            };
            if let (Some((a, ra)), Some((b, rb))) = (top(&inner), top(&containers))
                && a != b
                && ra.kind == rb.kind
                && matches!(ra.kind, PlaceKind::Admin1 | PlaceKind::Country)
                && (ra.kind == PlaceKind::Country || ra.country == rb.country)
            {
                continue;
            }
            for (id, _, s) in cands[k].iter_mut() {
                if let Some(x) = g.record(*id)
                    && containers
                        .iter()
                        .any(|(y, _, _)| g.record(*y).is_some_and(|y| contains(y, x)))
                {
                    *s += 4.0;
                }
            }
            if let Some(cs) = cands.get_mut(c) {
                for (id, _, s) in cs.iter_mut() {
                    if let Some(y) = g.record(*id)
                        && inner
                            .iter()
                            .any(|(x, _, _)| g.record(*x).is_some_and(|x| contains(y, x)))
                    {
                        *s += 2.0;
                    }
                }
            }
        }
        // two passes of document context: countries and admin1s of confidently resolved mentions
        let mut chosen: Vec<Option<(u32, NameMatch, f32, f32)>> = vec![None; mentions.len()];
        for pass in 0..2 {
            let mut country_votes: HashMap<&str, f32> = HashMap::new();
            let mut admin_votes: HashMap<(&str, &str), f32> = HashMap::new();
            let mut total = 0.0f32;
            // the votes of every mention of a name, left out when a mention of that name is
            // scored: a repeated name ("Scott County" twice) is no evidence for itself
            let mut own_total: HashMap<&str, f32> = HashMap::new();
            let mut own_country: HashMap<(&str, &str), f32> = HashMap::new();
            let mut own_admin: HashMap<(&str, &str, &str), f32> = HashMap::new();
            // confidently placed mentions (pass 1): nearby candidates are preferred
            let mut anchors: Vec<(&str, f32, f32)> = Vec::new();
            for (k, list) in cands.iter().enumerate() {
                let pick = if pass == 0 {
                    best_two(list).and_then(|(b, second)| {
                        let other_country = second.filter(|s| {
                            g.record(s.0).map(|r| r.country.as_str())
                                != g.record(b.0).map(|r| r.country.as_str())
                        });
                        (other_country.is_none_or(|s| b.2 - s.2 >= 2.0)).then_some(b.0)
                    })
                } else {
                    chosen[k].filter(|c| c.3 >= 0.6).map(|c| c.0)
                };
                let Some(r) = pick.and_then(|id| g.record(id)) else {
                    continue;
                };
                if r.country.is_empty() {
                    continue;
                }
                let w = if r.kind == PlaceKind::Country {
                    2.0
                } else {
                    1.0
                };
                let key = mentions[k].1.key.as_str();
                *country_votes.entry(r.country.as_str()).or_default() += w;
                *own_country.entry((key, r.country.as_str())).or_default() += w;
                *own_total.entry(key).or_default() += w;
                total += w;
                if !r.admin1.is_empty() && r.kind != PlaceKind::Country {
                    *admin_votes
                        .entry((r.country.as_str(), r.admin1.as_str()))
                        .or_default() += 1.0;
                    *own_admin
                        .entry((key, r.country.as_str(), r.admin1.as_str()))
                        .or_default() += 1.0;
                }
                if pass == 1
                    && anchors.len() < MAX_ANCHORS
                    && matches!(
                        r.kind,
                        PlaceKind::City | PlaceKind::Capital | PlaceKind::Admin2
                    )
                {
                    anchors.push((key, r.lat, r.lon));
                }
            }
            // members of a list ("Alaska, Alabama, ... Washington and Wyoming") share a kind
            let mut list_kind: Vec<Option<(PlaceKind, &str)>> = vec![None; mentions.len()];
            if pass == 1 {
                for (k, slot) in list_kind.iter_mut().enumerate() {
                    for n in [k.checked_sub(1), Some(k + 1)].into_iter().flatten() {
                        let first = n.min(k);
                        let listed = mentions.get(first).is_some_and(|m| m.1.listed_with_next);
                        if listed
                            && n < mentions.len()
                            && let Some(r) = chosen[n].and_then(|c| g.record(c.0))
                            && matches!(r.kind, PlaceKind::Admin1 | PlaceKind::Country)
                        {
                            *slot = Some((r.kind, r.country.as_str()));
                        }
                    }
                }
            }
            for (k, list) in cands.iter().enumerate() {
                let mut scored: Vec<(u32, NameMatch, f32)> = list
                    .iter()
                    .map(|&(id, how, s)| {
                        let mut s = s;
                        if let Some(r) = g.record(id) {
                            let key = mentions[k].1.key.as_str();
                            let cc = r.country.as_str();
                            let others = total - own_total.get(key).copied().unwrap_or(0.0);
                            if others > 0.0 {
                                let votes = country_votes.get(cc).copied().unwrap_or(0.0)
                                    - own_country.get(&(key, cc)).copied().unwrap_or(0.0);
                                s += 3.0 * votes / others;
                            }
                            let a1 = r.admin1.as_str();
                            let admin = admin_votes.get(&(cc, a1)).copied().unwrap_or(0.0)
                                - own_admin.get(&(key, cc, a1)).copied().unwrap_or(0.0);
                            if r.kind != PlaceKind::Country && admin > 0.0 {
                                s += 2.5;
                            }
                            // near another place of the article; not through an alternate
                            // name ("New York" the state stays the state beside Brooklyn)
                            if matches!(r.kind, PlaceKind::City | PlaceKind::Admin2)
                                && how != NameMatch::Alternate
                                && anchors.iter().any(|&(other, lat, lon)| {
                                    other != key && rough_km(lat, lon, r.lat, r.lon) < NEARBY_KM
                                })
                            {
                                s += 1.5;
                            }
                            if let Some((kind, cc)) = list_kind[k]
                                && r.kind == kind
                                && (kind == PlaceKind::Country || r.country == cc)
                            {
                                s += 2.5;
                            }
                        }
                        (id, how, s)
                    })
                    .collect();
                scored.sort_by(|a, b| b.2.total_cmp(&a.2));
                chosen[k] = scored.first().map(|&(id, how, s)| {
                    let margin = scored.get(1).map_or(4.0, |x| s - x.2);
                    (id, how, s, 1.0 / (1.0 + (-margin).exp()))
                });
            }
        }
        let mut out = Vec::new();
        for ((range, m), pick) in mentions.iter().zip(chosen) {
            let Some((mut id, how, _, mut confidence)) = pick else {
                continue;
            };
            if how == NameMatch::Demonym {
                confidence *= 0.6;
            }
            // "Washington said": the government speaks; place it at country level
            if m.metonymy
                && let Some(r) = g.record(id)
                && r.kind == PlaceKind::Capital
                && let Some(c) = g.country(&r.country)
            {
                id = c;
                confidence *= 0.6;
            }
            if m.source == MentionSource::Finder {
                confidence *= 0.9;
            }
            if let Some(r) = g.record(id) {
                out.push(place_of(r, *range, confidence));
            }
        }
        out
    }

    /// Finds and resolves the places of a document: entity mentions when the entity layer is
    /// filled, the toponym finder otherwise.
    pub fn places(&self, doc: &Document) -> Vec<Place> {
        let mentions = if doc.entities.is_empty() {
            self.find_candidates(doc)
        } else {
            self.entity_candidates(doc)
        };
        self.resolve(&mentions)
    }

    /// Same candidates, but always the most populous match: the baseline of the evaluation.
    pub fn places_most_populous(&self, doc: &Document) -> Vec<Place> {
        let g = &*self.gazetteer;
        self.find_candidates(doc)
            .iter()
            .filter_map(|(range, m)| {
                g.postings_of(&m.key)
                    .iter()
                    .filter_map(|&p| g.record(p >> 2))
                    .max_by_key(|r| r.population)
                    .map(|r| place_of(r, *range, 0.5))
            })
            .collect()
    }
}

/// Confidently placed mentions a document contributes to the proximity cue (bounds the work
/// on very long inputs).
const MAX_ANCHORS: usize = 256;

/// A candidate this close to another confidently placed mention of the document gets a bonus.
const NEARBY_KM: f32 = 150.0;

/// Equirectangular distance in km: good enough to compare with [`NEARBY_KM`].
fn rough_km(lat1: f32, lon1: f32, lat2: f32, lon2: f32) -> f32 {
    let mean_lat = ((lat1 + lat2) / 2.0).to_radians();
    let mut dlon = (lon2 - lon1).abs();
    if dlon > 180.0 {
        dlon = 360.0 - dlon;
    }
    let x = dlon.to_radians() * mean_lat.cos();
    let y = (lat2 - lat1).to_radians();
    6371.0 * (x * x + y * y).sqrt()
}

/// A candidate record, how its name matched, and its score.
type Scored = (u32, NameMatch, f32);

fn best_two(list: &[(u32, NameMatch, f32)]) -> Option<(Scored, Option<Scored>)> {
    let mut best: Option<(u32, NameMatch, f32)> = None;
    let mut second: Option<(u32, NameMatch, f32)> = None;
    for &c in list {
        if best.is_none_or(|b| c.2 > b.2) {
            second = best;
            best = Some(c);
        } else if second.is_none_or(|s| c.2 > s.2) {
            second = Some(c);
        }
    }
    best.map(|b| (b, second))
}

/// True when area `outer` contains place `inner` (by codes, not geometry).
pub fn contains(outer: &PlaceRecord, inner: &PlaceRecord) -> bool {
    if outer.country.is_empty() || outer.country != inner.country || std::ptr::eq(outer, inner) {
        return false;
    }
    match outer.kind {
        PlaceKind::Country => inner.kind != PlaceKind::Country,
        PlaceKind::Admin1 => inner.kind != PlaceKind::Admin1 && inner.admin1 == outer.admin1,
        PlaceKind::Admin2 => {
            matches!(inner.kind, PlaceKind::City | PlaceKind::Capital) && inner.admin2 == outer.name
        }
        _ => false,
    }
}

/// A [`Place`] for a record.
pub fn place_of(r: &PlaceRecord, range: TextRange, confidence: f32) -> Place {
    Place {
        range,
        name: r.name.clone(),
        geonameid: r.geonameid.map(u64::from),
        feature: r.feature.clone(),
        country_code: (!r.country.is_empty()).then(|| r.country.clone()),
        admin1: (!r.admin1_name.is_empty()).then(|| r.admin1_name.clone()),
        lat: f64::from(r.lat),
        lon: f64::from(r.lon),
        confidence: confidence.clamp(0.0, 1.0),
    }
}

/// The toponym finder on the process-wide gazetteer ([`Gazetteer::shared`]); empty when the
/// gazetteer cannot be loaded.
pub fn find_toponym_candidates(doc: &Document) -> Vec<(TextRange, ToponymCandidate)> {
    match Gazetteer::shared() {
        Ok(g) => Geocoder::new(g).find_candidates(doc),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_abbreviations_and_possessives() {
        let t = "The U.S. and Afghanistan’s Port-au-Prince.";
        let w: Vec<&str> = scan_words(t)
            .iter()
            .map(|w| &t[w.start..w.stem_end])
            .collect();
        assert_eq!(w, ["The", "U.S.", "and", "Afghanistan", "Port-au-Prince"]);
        let t = "a UK-based trust";
        let w: Vec<&str> = scan_words(t).iter().map(|w| &t[w.start..w.end]).collect();
        assert_eq!(w, ["a", "UK", "based", "trust"]);
    }
}
